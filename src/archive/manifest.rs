//! `manifest.json`: Odoo's keys, so Odoo and the upgrade platform accept our zips, and ours
//! (under `odoodb`), so a backup can be verified before it is trusted.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The manifest of a backup. Odoo writes (and reads) the first seven keys; an archive made by
/// Odoo has no `odoodb` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Always `"1"`.
    pub odoo_dump: String,
    pub db_name: String,
    /// The series, e.g. `"17.0"` or `"saas~17.2"`.
    pub version: String,
    /// e.g. `[17, 0, 0, "final", 0, ""]`.
    pub version_info: serde_json::Value,
    pub major_version: String,
    /// The server's `major.minor`, as Odoo writes it (`server_version_num / 100`, e.g. `"15.4"`).
    pub pg_version: String,
    /// Installed modules: name → `latest_version`.
    pub modules: BTreeMap<String, String>,
    /// odoodb's own part; absent from archives made by Odoo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub odoodb: Option<Ours>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ours {
    /// `tar.gz`, `zip`.
    pub format: String,
    pub tool_version: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    /// `pg_dump --version`'s number, e.g. `"15.18"`.
    pub pg_dump_version: String,
    pub dump: DumpPart,
    /// Absent when the backup was made with `--no-filestore`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filestore: Option<FilestorePart>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DumpPart {
    /// Where the dump is inside the archive: a file (`dump.sql`, `dump.pgdump`) or a folder
    /// (`dump/`, for pg_dump's directory format).
    pub path: String,
    /// pg_dump's format: `plain`, `custom` or `directory`.
    pub format: String,
    /// Bytes of the dump (every file of it, for a directory).
    pub bytes: u64,
    /// sha256 of the dump: of the file, or for a directory of the sorted lines
    /// `<sha256 of file>  <name>\n` of its files.
    pub sha256: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilestorePart {
    pub files: u64,
    pub bytes: u64,
    /// sha256 of the sorted lines `<relative path>\n` of every file: each data file's name is
    /// already the sha1 of its content, so names plus this digest cover every byte.
    pub list_sha256: String,
}
