//! The files attached to people's records (their photos, CVs, IDs, the documents sent to them):
//! emptied or replaced by a placeholder in the transaction, and their files removed from the
//! database's own filestore folder once it has committed.
//!
//! The folder may share its files with the source's (a copy made by hard links or reflinks),
//! so a file is only ever unlinked, never written. The names to unlink are journaled in the
//! database, in the same transaction as the change: a run cut between the commit and the
//! unlinking leaves the list, and the next `settle` finishes it.

use std::path::{Component, Path};

use anyhow::{Context as _, Result};
use futures_util::{TryStreamExt as _, pin_mut};
use serde::Serialize;
use sha1::{Digest as _, Sha1};
use tokio_postgres::GenericClient;

use super::schema::Schema;

/// What becomes of the content of people's attachments.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Files {
    /// Left as they are.
    Keep,
    /// Emptied: the attachment stays (links hold), with no content.
    Drop,
    /// Replaced by a one-pixel PNG (images) or a line of text saying why (anything else).
    #[default]
    Placeholder,
}

impl Files {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keep => "keep",
            Self::Drop => "drop",
            Self::Placeholder => "placeholder",
        }
    }
}

/// What was (or would be) done to people's attachments.
#[derive(Debug, Clone, Serialize)]
pub struct Emptied {
    pub mode: Files,
    /// Attachments with content on people's records.
    pub rows: u64,
    /// Files removed from the filestore folder (after the commit).
    pub files_removed: u64,
}

/// The journal of the files to unlink once the change has committed.
const JOURNAL: &str = "odoodb_pseudonymize_files";

/// A 1×1 grey PNG.
const PLACEHOLDER_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b,
    0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x38, 0x00, 0x00, 0x00,
    0xc2, 0x00, 0xc1, 0xff, 0xd6, 0x2d, 0xdc, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

const PLACEHOLDER_TEXT: &[u8] =
    b"This file was removed from this copy by odoodb pseudonymize: it belonged to a person.\n";

/// The rows concerned: attachments with content, on records that are not the site's own.
fn rows_sql() -> String {
    format!(
        "type = 'binary' AND (store_fname IS NOT NULL OR db_datas IS NOT NULL) AND NOT ({})",
        super::rules::site_attachments_sql()
    )
}

/// Whether this database's attachments can be handled (Odoo's columns are all there).
fn applies(schema: &Schema, mode: Files) -> bool {
    mode != Files::Keep
        && ["type", "store_fname", "db_datas", "res_model", "mimetype"]
            .iter()
            .all(|column| schema.column("ir_attachment", column).is_some())
}

/// The plan: how many attachments would be emptied.
pub async fn plan(
    client: &impl GenericClient,
    schema: &Schema,
    mode: Files,
) -> Result<Option<Emptied>> {
    if !applies(schema, mode) {
        return Ok(None);
    }
    let sql = format!("SELECT count(*) FROM ir_attachment WHERE {}", rows_sql());
    let rows: i64 =
        client.query_one(&sql, &[]).await.context("cannot count people's attachments")?.get(0);
    Ok(Some(Emptied { mode, rows: u64::try_from(rows).unwrap_or(0), files_removed: 0 }))
}

/// Empties (or replaces) people's attachments in `transaction`, journaling their files.
pub async fn apply(
    transaction: &tokio_postgres::Transaction<'_>,
    schema: &Schema,
    mode: Files,
) -> Result<Option<Emptied>> {
    if !applies(schema, mode) {
        return Ok(None);
    }
    let rows = rows_sql();
    transaction
        .batch_execute(&format!(
            "CREATE TABLE IF NOT EXISTS {JOURNAL} (store_fname varchar PRIMARY KEY);
             INSERT INTO {JOURNAL} SELECT DISTINCT store_fname FROM ir_attachment
              WHERE {rows} AND store_fname IS NOT NULL ON CONFLICT DO NOTHING"
        ))
        .await
        .context("cannot journal the files of people's attachments")?;
    let has = |column: &str| schema.column("ir_attachment", column).is_some();
    let image = "mimetype LIKE 'image/%'";
    let mut sets = vec!["store_fname = NULL".to_string()];
    let (png, text) = (PLACEHOLDER_PNG.to_vec(), PLACEHOLDER_TEXT.to_vec());
    let (png_sum, text_sum) = (sha1_hex(PLACEHOLDER_PNG), sha1_hex(PLACEHOLDER_TEXT));
    let (png_len, text_len) = (len_i32(PLACEHOLDER_PNG), len_i32(PLACEHOLDER_TEXT));
    let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = match mode {
        Files::Keep => return Ok(None),
        Files::Drop => {
            sets.push("db_datas = NULL".into());
            if has("file_size") {
                sets.push("file_size = 0".into());
            }
            if has("checksum") {
                sets.push("checksum = NULL".into());
            }
            Vec::new()
        }
        Files::Placeholder => {
            sets.push(format!("db_datas = CASE WHEN {image} THEN $1::bytea ELSE $2::bytea END"));
            if has("file_size") {
                sets.push(format!("file_size = CASE WHEN {image} THEN $3::int ELSE $4::int END"));
            }
            if has("checksum") {
                sets.push(format!(
                    "checksum = CASE WHEN {image} THEN $5::varchar ELSE $6::varchar END"
                ));
            }
            sets.push(format!(
                "mimetype = CASE WHEN {image} THEN 'image/png' ELSE 'text/plain' END"
            ));
            vec![&png, &text, &png_len, &text_len, &png_sum, &text_sum]
        }
    };
    if has("index_content") {
        sets.push("index_content = NULL".into());
    }
    // Only the parameters the statement uses (drop has none).
    let sql = format!("UPDATE ir_attachment SET {} WHERE {rows}", sets.join(", "));
    let changed =
        transaction.execute(&sql, &params).await.context("cannot empty people's attachments")?;
    Ok(Some(Emptied { mode, rows: changed, files_removed: 0 }))
}

fn sha1_hex(content: &[u8]) -> String {
    crate::archive::hex(&Sha1::digest(content))
}

fn len_i32(content: &[u8]) -> i32 {
    i32::try_from(content.len()).unwrap_or(i32::MAX)
}

/// Unlinks from `folder` (the database's filestore folder) the journaled files no attachment
/// uses any more, then ends the journal. Nothing to do when there is none.
pub async fn settle(client: &impl GenericClient, folder: &Path) -> Result<u64> {
    let exists: bool = client
        .query_one(&format!("SELECT to_regclass('{JOURNAL}') IS NOT NULL"), &[])
        .await
        .context("cannot look for the journal of removed files")?
        .get(0);
    if !exists {
        return Ok(0);
    }
    // Nothing but folders of this filestore: a link could lead to another database's files.
    let real_folder = folder.symlink_metadata().map_or(true, |m| m.is_dir());
    if !real_folder {
        anyhow::bail!(
            "{} is not a folder (a link?): the files of people's attachments were not removed from it",
            folder.display()
        );
    }
    // Odoo's own collection of files holds this lock: an upload of the same content in
    // between would otherwise point at a file about to go.
    client
        .batch_execute("BEGIN; LOCK TABLE ir_attachment IN SHARE MODE")
        .await
        .context("cannot lock the attachments")?;
    let unlinked = unlink_journaled(client, folder).await;
    let ended = match &unlinked {
        // Durable before the journal goes: after a power cut, no file comes back unlisted.
        Ok(_) => sync(folder).and(Ok(format!("DROP TABLE {JOURNAL}; COMMIT"))),
        Err(_) => Ok("ROLLBACK".to_string()),
    };
    let sql = match ended {
        Ok(sql) => sql,
        Err(error) => {
            let _ = client.batch_execute("ROLLBACK").await;
            return Err(error);
        }
    };
    client.batch_execute(&sql).await.context("cannot end the journal of removed files")?;
    unlinked
}

fn sync(folder: &Path) -> Result<()> {
    let Ok(dir) = std::fs::File::open(folder) else { return Ok(()) };
    nix::unistd::syncfs(&dir).with_context(|| format!("cannot sync {}", folder.display()))
}

/// Unlinks the journaled files no attachment uses, within the caller's transaction.
async fn unlink_journaled(client: &impl GenericClient, folder: &Path) -> Result<u64> {
    let sql = format!(
        "SELECT j.store_fname FROM {JOURNAL} j \
          WHERE NOT EXISTS (SELECT 1 FROM ir_attachment a WHERE a.store_fname = j.store_fname)"
    );
    let stream = client
        .query_raw(&sql, std::iter::empty::<&str>())
        .await
        .context("cannot read the journal of removed files")?;
    pin_mut!(stream);
    let mut removed = 0;
    while let Some(row) = stream.try_next().await.context("cannot read the journal")? {
        let name: String = row.get(0);
        let relative = Path::new(&name);
        // Odoo's names are relative ("ab/abcdef…"); anything else is not ours to touch.
        if !relative.components().all(|c| matches!(c, Component::Normal(_))) {
            continue;
        }
        let path = folder.join(relative);
        // Nor is a file behind a linked subfolder.
        let linked = path
            .parent()
            .and_then(|parent| parent.symlink_metadata().ok())
            .is_some_and(|meta| meta.file_type().is_symlink());
        if linked {
            continue;
        }
        match std::fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("cannot remove {} from {}", name, folder.display()));
            }
        }
    }
    Ok(removed)
}

/// Removes from `folder` every file no attachment uses: the files of deleted attachments Odoo
/// has not collected yet (anyone's) and its collection marks. Only for a new database, which
/// nothing else writes to while it is built. Reads the folder in batches (flat memory).
pub async fn sweep(client: &impl GenericClient, folder: &Path) -> Result<u64> {
    const BATCH: usize = 1000;
    let mut removed = 0;
    let mut folders = vec![folder.to_path_buf()];
    let mut batch: Vec<String> = Vec::with_capacity(BATCH);
    while let Some(dir) = folders.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => continue,
            Err(error) => {
                return Err(error).with_context(|| format!("cannot read {}", dir.display()));
            }
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
            let kind =
                entry.file_type().with_context(|| format!("cannot read {}", dir.display()))?;
            let path = entry.path();
            if kind.is_dir() {
                folders.push(path);
                continue;
            }
            let Some(relative) = path.strip_prefix(folder).ok().and_then(Path::to_str) else {
                continue;
            };
            batch.push(relative.to_string());
            if batch.len() == BATCH {
                removed += remove_unused(client, folder, &mut batch).await?;
            }
        }
    }
    removed += remove_unused(client, folder, &mut batch).await?;
    Ok(removed)
}

/// Removes the files of `batch` no attachment uses, and empties it.
async fn remove_unused(
    client: &impl GenericClient,
    folder: &Path,
    batch: &mut Vec<String>,
) -> Result<u64> {
    if batch.is_empty() {
        return Ok(0);
    }
    let unused = client
        .query(
            "SELECT f.path FROM unnest($1::text[]) AS f(path) \
              WHERE NOT EXISTS (SELECT 1 FROM ir_attachment a WHERE a.store_fname = f.path)",
            &[&*batch],
        )
        .await
        .context("cannot read which files the attachments use")?;
    batch.clear();
    let mut removed = 0;
    for row in unused {
        let name: String = row.get(0);
        match std::fs::remove_file(folder.join(&name)) {
            Ok(()) => removed += 1,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => {
                return Err(error)
                    .with_context(|| format!("cannot remove {name} from {}", folder.display()));
            }
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_placeholder_image_is_a_png_of_one_pixel() {
        assert_eq!(&PLACEHOLDER_PNG[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!(&PLACEHOLDER_PNG[16..24], &[0, 0, 0, 1, 0, 0, 0, 1]);
        assert_eq!(&PLACEHOLDER_PNG[PLACEHOLDER_PNG.len() - 8..PLACEHOLDER_PNG.len() - 4], b"IEND");
    }

    #[test]
    fn checksums_are_odoos_sha1_in_hex() {
        assert_eq!(sha1_hex(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    }
}
