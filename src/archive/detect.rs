//! What the user handed `restore` (a file, a folder, stdin, a URL) and which format it is —
//! told by content, never by the file's extension.

use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::crypt::{self, Keys};
use super::feed::{self, Timeouts};
use crate::cancel::Cancel;
use crate::error::Failure;

/// Any byte stream an archive is read from.
pub type Stream = Box<dyn Read + Send>;

#[derive(Debug, Clone)]
pub enum Input {
    File(PathBuf),
    /// pg_dump's directory format.
    Folder(PathBuf),
    Stdin,
    Url(String),
    /// `s3://bucket/key`, and how to reach it.
    Object(Box<(crate::objects::Address, crate::config::S3Settings)>),
}

impl Input {
    /// `s3` says how to reach object storage, for an `s3://` address.
    pub fn parse(arg: &str, s3: &crate::config::S3Settings) -> Result<Self> {
        if arg == "-" {
            return Ok(Self::Stdin);
        }
        if crate::objects::is_object(arg) {
            let address = crate::objects::Address::parse(arg)?;
            if address.is_prefix() {
                return Err(crate::error::usage_error(
                    format!("{arg} is a prefix, not an object"),
                    format!("name one backup under it: `odoodb backups {arg}` lists them"),
                ));
            }
            return Ok(Self::Object(Box::new((address, s3.clone()))));
        }
        if arg.starts_with("http://") || arg.starts_with("https://") {
            return Ok(Self::Url(arg.to_string()));
        }
        let path = PathBuf::from(arg);
        let meta = std::fs::metadata(&path).map_err(|e| {
            Failure::failed(format!("cannot read {arg}: {e}"))
                .hint("give the path of a backup file or pg_dump folder, `-` for stdin, or an http(s) URL")
        })?;
        Ok(if meta.is_dir() { Self::Folder(path) } else { Self::File(path) })
    }

    /// The name a database restored from it gets when neither the user nor a manifest says.
    pub fn stem(&self) -> Option<String> {
        let name = match self {
            Self::File(path) | Self::Folder(path) => {
                path.file_name()?.to_string_lossy().into_owned()
            }
            Self::Url(url) => {
                let path = url.split(['?', '#']).next().unwrap_or(url);
                path.rsplit('/').next().filter(|s| !s.is_empty())?.to_string()
            }
            Self::Object(object) => object.0.name().to_string(),
            Self::Stdin => return None,
        };
        let mut stem = name.as_str();
        for ext in [
            ".age", ".tar.gz", ".tgz", ".tar", ".zip", ".dump", ".pgdump", ".backup", ".gz", ".sql",
        ] {
            stem = stem.strip_suffix(ext).unwrap_or(stem);
        }
        Some(stem.to_string())
    }

    pub fn describe(&self) -> String {
        match self {
            Self::File(path) | Self::Folder(path) => path.display().to_string(),
            Self::Stdin => "standard input".into(),
            Self::Url(url) => url.clone(),
            Self::Object(object) => object.0.to_string(),
        }
    }

    /// Opens the bytes (blocking: call off the async runtime, within it). A folder has none.
    /// What can stall (a download, stdin, a pipe) gives way to `cancel`, and a download to
    /// `timeouts` too.
    pub fn open(&self, timeouts: Timeouts, cancel: &Cancel) -> Result<Stream> {
        match self {
            Self::File(path) => Ok(Box::new(
                std::fs::File::open(path)
                    .with_context(|| format!("cannot open {}", path.display()))?,
            )),
            Self::Folder(path) => {
                anyhow::bail!("{} is a folder, not a stream", path.display())
            }
            Self::Stdin => feed::stdin(cancel),
            Self::Url(url) => feed::url(url, timeouts, cancel),
            Self::Object(object) => crate::objects::open(&object.1, &object.0, timeouts, cancel),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// odoodb's tar.gz (or a plain tar): manifest.json, the dump, filestore/.
    Tar,
    /// Odoo's zip: manifest.json, filestore/, dump.sql.
    Zip,
    /// `pg_dump -Fc`.
    PgCustom,
    /// `pg_dump -Fd`.
    PgDirectory,
    /// Plain SQL (`pg_dump` default), possibly gzipped.
    Sql,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tar => "odoodb tar.gz",
            Self::Zip => "Odoo zip",
            Self::PgCustom => "pg_dump custom (-Fc)",
            Self::PgDirectory => "pg_dump directory (-Fd)",
            Self::Sql => "plain SQL",
        }
    }
}

/// A stream whose format is known, positioned at its start. age encryption and gzip are
/// already undone (gzip for tar and SQL); `encrypted_to` and `gzipped` say they were there.
pub struct Sniffed {
    pub format: Format,
    pub gzipped: bool,
    /// Encrypted (age): the recipients its header names.
    pub encrypted_to: Option<Vec<String>>,
    pub stream: Stream,
}

const HEAD: usize = 4096;

/// Reads up to `HEAD` bytes, and gives a stream that still starts at the beginning.
fn peek(mut stream: Stream) -> Result<(Vec<u8>, Stream), std::io::Error> {
    let mut head = Vec::with_capacity(HEAD);
    (&mut stream).take(HEAD as u64).read_to_end(&mut head)?;
    let rest: Stream = Box::new(Cursor::new(head.clone()).chain(stream));
    Ok((head, rest))
}

/// Tells the format of a stream by its first bytes. An age-encrypted one is decrypted with
/// `keys` first (every reader gets the plaintext), or refused, naming its recipients.
pub fn sniff(stream: Stream, what: &str, keys: &Keys) -> Result<Sniffed> {
    let (head, stream) = peek(stream).with_context(|| format!("cannot read {what}"))?;
    if !crypt::is_age(&head) {
        return sniff_plain(&head, stream, what);
    }
    let (plain, recipients) = crypt::decrypt(stream, keys, what)?;
    let (head, plain) = peek(plain).map_err(|e| {
        Failure::failed(format!("{what} is an age-encrypted file that cannot be decrypted: {e}"))
            .unchanged()
            .hint("the file is damaged or was not written whole; use another backup")
    })?;
    if crypt::is_age(&head) {
        return Err(not_a_backup(what, "an age file inside an age file"));
    }
    let mut sniffed = sniff_plain(&head, plain, what)?;
    sniffed.encrypted_to = Some(recipients);
    Ok(sniffed)
}

/// Tells the format of a plaintext stream by its first bytes (`head`, which `stream` still
/// starts with).
fn sniff_plain(head: &[u8], stream: Stream, what: &str) -> Result<Sniffed> {
    let known = |format, gzipped, stream| Sniffed { format, gzipped, encrypted_to: None, stream };
    if head.starts_with(b"PK\x03\x04") || head.starts_with(b"PK\x05\x06") {
        return Ok(known(Format::Zip, false, stream));
    }
    if head.starts_with(b"PGDMP") {
        return Ok(known(Format::PgCustom, false, stream));
    }
    if head.starts_with(&[0x1f, 0x8b]) {
        let decoded: Stream = Box::new(flate2::read::MultiGzDecoder::new(stream));
        let (inner, decoded) = peek(decoded).map_err(|e| {
            Failure::failed(format!("{what} is a corrupt or truncated gzip file ({e})"))
        })?;
        return match plain_kind(&inner) {
            Some(format) => Ok(known(format, true, decoded)),
            None => Err(not_a_backup(what, "a gzip file holding neither a tar archive nor SQL")),
        };
    }
    match plain_kind(head) {
        Some(format) => Ok(known(format, false, stream)),
        None => Err(not_a_backup(what, "not a format odoodb knows")),
    }
}

/// A tar archive, or SQL text, by its first bytes.
fn plain_kind(head: &[u8]) -> Option<Format> {
    if head.get(257..262) == Some(b"ustar") {
        return Some(Format::Tar);
    }
    looks_like_sql(head).then_some(Format::Sql)
}

/// SQL text starts with a comment or a statement; a binary file or prose does not.
fn looks_like_sql(head: &[u8]) -> bool {
    if head.contains(&0) {
        return false;
    }
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // The head may end inside a character.
        Err(e) if e.valid_up_to() + 4 >= head.len() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    let text = text.trim_start_matches('\u{feff}').trim_start();
    let upper = text.get(..16).unwrap_or(text).to_ascii_uppercase();
    ["--", "/*", "\\", "SET ", "CREATE ", "BEGIN", "SELECT ", "START ", "INSERT ", "COPY "]
        .iter()
        .any(|start| upper.starts_with(start))
}

fn not_a_backup(what: &str, why: &str) -> anyhow::Error {
    Failure::failed(format!("{what} is not a backup: {why}"))
        .unchanged()
        .hint("odoodb restores its tar.gz, Odoo's zip, pg_dump -Fc files and -Fd folders, .sql and .sql.gz, and any of them encrypted with age")
        .into()
}

/// Checks that a folder is pg_dump's directory format.
pub fn require_dump_folder(path: &Path) -> Result<()> {
    if path.join("toc.dat").is_file() {
        Ok(())
    } else {
        Err(not_a_backup(&path.display().to_string(), "a folder without pg_dump's toc.dat"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format_of(bytes: &[u8]) -> Option<Format> {
        sniff(Box::new(Cursor::new(bytes.to_vec())), "test", &Keys::none()).ok().map(|s| s.format)
    }

    #[test]
    fn tells_formats_by_content() {
        assert_eq!(format_of(b"PK\x03\x04rest"), Some(Format::Zip));
        assert_eq!(format_of(b"PGDMP\x01\x0e"), Some(Format::PgCustom));
        assert_eq!(format_of(b"--\n-- PostgreSQL database dump\n"), Some(Format::Sql));
        assert_eq!(format_of(b"\x89PNG\r\n\x1a\n"), None);
        assert_eq!(format_of(b"hello world"), None);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"SET x = 1;").ok();
        assert_eq!(format_of(&gz.finish().unwrap_or_default()), Some(Format::Sql));
    }

    #[test]
    fn stems() {
        let input = Input::Url("https://x.example/a/prod_2024-01-01_10-00-00.zip?x=1".into());
        assert_eq!(input.stem().as_deref(), Some("prod_2024-01-01_10-00-00"));
        assert_eq!(Input::File("/b/prod.sql.gz".into()).stem().as_deref(), Some("prod"));
        assert_eq!(Input::File("/b/prod.tar.gz".into()).stem().as_deref(), Some("prod"));
        assert_eq!(Input::File("/b/prod.zip.age".into()).stem().as_deref(), Some("prod"));
    }
}
