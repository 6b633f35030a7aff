//! Odoo series as the platform names them: `17.0`, `18.0`, `saas~18.3`.

use std::cmp::Ordering;
use std::fmt;

use anyhow::Result;

use crate::error::{Failure, usage_error};
use crate::odoo;

/// The newest major Odoo has released; Odoo supports only the last three.
pub const LATEST_MAJOR: u32 = 19;
pub const SUPPORTED_MAJORS: u32 = 3;

/// The target, as the platform names versions.
pub fn parse_target(text: &str) -> Result<Series> {
    Series::parse(text.trim()).ok_or_else(|| {
        usage_error(
            format!("{text:?} is not an Odoo version"),
            "give a series as the platform names them: 17.0, 18.0, saas~18.3",
        )
    })
}

/// The series a database is at, from module base.
pub async fn current_series(client: &crate::pg::Client) -> Result<Series> {
    let version = odoo::base_version(client).await?;
    version
        .as_deref()
        .and_then(odoo::version::series)
        .as_deref()
        .and_then(Series::parse)
        .ok_or_else(|| {
            Failure::failed(format!(
                "cannot read the database's version (module base is at {})",
                version.as_deref().unwrap_or("nothing")
            ))
            .into()
        })
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub major: u32,
    pub minor: u32,
    pub saas: bool,
}

impl Series {
    /// `17.0`, `saas~18.3`; anything else (`18`, `v18.0`, `18.0.1`) is `None`.
    pub fn parse(text: &str) -> Option<Self> {
        let (saas, rest) = match text.strip_prefix("saas~") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (major, minor) = rest.split_once('.')?;
        let number = |part: &str| {
            (!part.is_empty() && part.len() <= 4 && part.chars().all(|c| c.is_ascii_digit()))
                .then(|| part.parse::<u32>().ok())
                .flatten()
        };
        Some(Self { major: number(major)?, minor: number(minor)?, saas })
    }

    /// Whether Odoo still supports this major (the last three).
    pub fn is_supported(&self) -> bool {
        self.major + SUPPORTED_MAJORS > LATEST_MAJOR
    }
}

impl Ord for Series {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor).cmp(&(other.major, other.minor))
    }
}

impl PartialOrd for Series {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Series {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.saas {
            write!(f, "saas~{}.{}", self.major, self.minor)
        } else {
            write!(f, "{}.{}", self.major, self.minor)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_targets() {
        assert_eq!(Series::parse("18.0").map(|s| s.to_string()).as_deref(), Some("18.0"));
        assert_eq!(Series::parse("saas~18.3").map(|s| s.to_string()).as_deref(), Some("saas~18.3"));
        for bad in ["18", "v18.0", "18.0.1", "", ".0", "18.", "saas-18.3", "18.x", "１８.0"] {
            assert_eq!(Series::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn order_and_support() {
        let parse = |t| Series::parse(t).unwrap_or_else(|| unreachable!());
        assert!(parse("saas~17.2") > parse("17.0"));
        assert!(parse("18.0") > parse("saas~17.4"));
        assert!(parse("17.0").is_supported());
        assert!(!parse("16.0").is_supported());
    }
}
