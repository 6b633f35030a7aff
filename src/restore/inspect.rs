//! What `restore --inspect` reads of the dump itself.

use std::path::Path;

use anyhow::{Context as _, Result};

use crate::archive::{self, read_zip};

use super::Source;

/// The version lines of the dump itself: pg_restore's header for custom and directory dumps,
/// pg_dump's opening comments for plain SQL.
pub fn dump_headers(source: Source, pg_restore: &Path) -> Result<Vec<(String, String)>> {
    use std::io::Read as _;
    let from_sql = |reader: &mut dyn std::io::Read| -> Result<Vec<(String, String)>> {
        let mut head = Vec::new();
        reader.take(8192).read_to_end(&mut head)?;
        let text = String::from_utf8_lossy(&head);
        Ok(text
            .lines()
            .filter_map(|l| l.strip_prefix("-- "))
            .filter_map(|l| {
                ["Dumped from database version", "Dumped by pg_dump version"]
                    .into_iter()
                    .find(|k| l.starts_with(k))
                    .map(|k| (k.to_string(), l[k.len()..].trim().to_string()))
            })
            .collect())
    };
    match source {
        Source::CustomFile(path) | Source::Directory(path) => {
            archive::verify::dump_header(pg_restore, &path)
        }
        Source::Zip(file) => {
            let mut zip = read_zip::open(file)?;
            let mut entry = zip.by_name("dump.sql").context("the zip holds no dump.sql")?;
            from_sql(&mut entry)
        }
        Source::Sql(mut stream) => from_sql(&mut stream),
        Source::Tar { .. } | Source::CustomStream(_) => Ok(Vec::new()),
    }
}
