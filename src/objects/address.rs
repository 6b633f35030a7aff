//! `s3://bucket/key`: where an object is, or (ending in `/`, or empty) a prefix of them.

use std::fmt;

use anyhow::Result;

use crate::error::usage_error;

pub const SCHEME: &str = "s3://";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub bucket: String,
    /// The key, or the prefix (`""`, or ending in `/`).
    pub key: String,
}

/// Whether `text` names object storage rather than a file.
pub fn is_object(text: &str) -> bool {
    text.get(..SCHEME.len()).is_some_and(|start| start.eq_ignore_ascii_case(SCHEME))
}

impl Address {
    pub fn parse(text: &str) -> Result<Self> {
        let bad = |what: &str| {
            usage_error(
                format!("{text:?} is not an object-storage address: {what}"),
                "write it as s3://BUCKET/PREFIX/ (a folder of backups) or s3://BUCKET/KEY (one)",
            )
        };
        let rest = text
            .get(SCHEME.len()..)
            .filter(|_| is_object(text))
            .ok_or_else(|| bad("it does not start with s3://"))?;
        let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
        if bucket.is_empty() {
            return Err(bad("the bucket is missing"));
        }
        // S3's rule, loosened for the servers that also take upper case and underscores.
        if bucket.len() < 3
            || bucket.len() > 63
            || !bucket.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._".contains(&b))
        {
            return Err(bad("a bucket name has 3 to 63 letters, digits, '.', '-' or '_'"));
        }
        if key.starts_with('/') || key.contains("//") {
            return Err(bad("the key has an empty part ('//')"));
        }
        if key.split('/').any(|part| part == "." || part == "..") {
            return Err(bad("the key has a '.' or '..' part"));
        }
        if key.chars().any(char::is_control) {
            return Err(bad("the key has a control character"));
        }
        Ok(Self { bucket: bucket.to_string(), key: key.to_string() })
    }

    /// A prefix (a "folder" of objects) rather than one object.
    pub fn is_prefix(&self) -> bool {
        self.key.is_empty() || self.key.ends_with('/')
    }

    /// The object `name` under this prefix.
    pub fn child(&self, name: &str) -> Self {
        Self { bucket: self.bucket.clone(), key: format!("{}{name}", self.key) }
    }

    /// The last part of the key: the object's file name.
    pub fn name(&self) -> &str {
        self.key.rsplit('/').next().unwrap_or(&self.key)
    }

    /// The prefix this object is in.
    pub fn parent(&self) -> Self {
        let cut = self.key.rfind('/').map_or(0, |at| at + 1);
        Self { bucket: self.bucket.clone(), key: self.key[..cut].to_string() }
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{SCHEME}{}/{}", self.bucket, self.key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_buckets_prefixes_and_keys() -> Result<()> {
        let prefix = Address::parse("s3://backups/odoo/")?;
        assert_eq!((prefix.bucket.as_str(), prefix.key.as_str()), ("backups", "odoo/"));
        assert!(prefix.is_prefix());
        let object = prefix.child("prod_2026-12-02_01-00-00.tar.gz");
        assert_eq!(object.to_string(), "s3://backups/odoo/prod_2026-12-02_01-00-00.tar.gz");
        assert_eq!(object.name(), "prod_2026-12-02_01-00-00.tar.gz");
        assert_eq!(object.parent(), prefix);
        assert!(Address::parse("s3://backups")?.is_prefix());
        assert_eq!(Address::parse("S3://bkt/k")?.key, "k");
        Ok(())
    }

    #[test]
    fn refuses_what_is_no_address() {
        for bad in [
            "s3://",
            "s3:///key",
            "s3://bkt/a//c",
            "s3://bkt/../x",
            "s3://b u/k",
            "s3://b/k",
            "/tmp/x",
        ] {
            assert!(Address::parse(bad).is_err(), "{bad}");
        }
    }
}
