//! What `restore --inspect` reads of the dump itself.

use std::path::Path;

use anyhow::{Context as _, Result};

use serde::Serialize;

use super::Described;
use crate::archive::crypt::Keys;
use crate::archive::detect::Input;
use crate::archive::feed::Timeouts;
use crate::archive::{self, read_zip};
use crate::context::Context;
use crate::output::bytes;
use crate::pg::tools::Tool;

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

/// What `restore --inspect` shows.
#[derive(Debug, Serialize)]
pub struct Inspection {
    #[serde(flatten)]
    described: Described,
    odoo_version: Option<String>,
    /// The PostgreSQL version of the server the dump was made on.
    pg_version: Option<String>,
    pg_dump_version: Option<String>,
    dump_format: Option<String>,
}

/// What the archive holds, from its manifest and table of contents (and the dump's own header
/// where there is no manifest); nothing is restored.
pub async fn inspect(
    ctx: &Context,
    input: &Input,
    keys: &Keys,
    timeouts: Timeouts,
    pg_restore: &Tool,
) -> Result<Inspection> {
    let (described, source) =
        super::open::open_checked(ctx, input, keys, timeouts, pg_restore).await?;
    let program = pg_restore.program.clone();
    let headers = tokio::task::spawn_blocking(move || dump_headers(source, &program))
        .await
        .context("reading the archive stopped unexpectedly")??;
    let get = |key: &str| headers.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
    let manifest = described.manifest.as_ref();
    let ours = manifest.and_then(|m| m.odoodb.as_ref());
    Ok(Inspection {
        odoo_version: manifest.map(|m| m.version.clone()),
        pg_version: manifest
            .map(|m| m.pg_version.clone())
            .or_else(|| get("Dumped from database version")),
        pg_dump_version: ours
            .map(|o| o.pg_dump_version.clone())
            .or_else(|| get("Dumped by pg_dump version")),
        dump_format: ours.map(|o| o.dump.format.clone()).or_else(|| get("Format")),
        described,
    })
}

/// The inspection as a two-column table.
pub fn inspection_text(ctx: &Context, inspection: &Inspection) -> String {
    let d = &inspection.described;
    let mut table = ctx.printer.table(&[]);
    let unknown = || "?".to_string();
    table.add_row(vec!["archive".to_string(), d.archive.clone()]);
    table.add_row(vec![
        "format".to_string(),
        format!("{}{}", d.format.as_str(), if d.gzipped { ", gzipped" } else { "" }),
    ]);
    if let Some(recipients) = &d.encrypted_to {
        let named = if recipients.is_empty() {
            "recipients it does not name".to_string()
        } else {
            recipients.join(", ")
        };
        table.add_row(vec!["encrypted".to_string(), format!("age, to {named}")]);
    }
    if let Some(manifest) = &d.manifest {
        table.add_row(vec!["database name".to_string(), manifest.db_name.clone()]);
        table.add_row(vec!["modules".to_string(), manifest.modules.len().to_string()]);
        if let Some(ours) = &manifest.odoodb {
            table.add_row(vec![
                "made by".to_string(),
                format!("odoodb {} at {}", ours.tool_version, ours.created_at),
            ]);
        } else {
            table.add_row(vec!["made by".to_string(), "Odoo (no checksums)".to_string()]);
        }
    }
    table.add_row(vec![
        "Odoo version".to_string(),
        inspection.odoo_version.clone().unwrap_or_else(unknown),
    ]);
    table.add_row(vec![
        "PostgreSQL (origin)".to_string(),
        inspection.pg_version.clone().unwrap_or_else(unknown),
    ]);
    table.add_row(vec![
        "pg_dump version".to_string(),
        inspection.pg_dump_version.clone().unwrap_or_else(unknown),
    ]);
    if let Some(form) = &inspection.dump_format {
        table.add_row(vec!["dump format".to_string(), form.clone()]);
    }
    if let Some(counts) = d.declared {
        table.add_row(vec!["dump size".to_string(), bytes(counts.dump_bytes)]);
        table.add_row(vec![
            "filestore".to_string(),
            format!("{} files, {}", counts.files, bytes(counts.file_bytes)),
        ]);
    }
    table.to_string()
}
