//! Backup archives: what each format holds, the manifest that describes it, and (in the writer
//! and reader modules) how they are streamed in and out.
//!
//! Formats:
//! - `tar.gz` (ours): `manifest.json` first, then the database dump (its form and path inside
//!   the archive are named by the manifest), then `filestore/<xx>/<sha1>` (and `checklist/`).
//! - `zip` (Odoo's): `manifest.json`, `filestore/…`, plain-SQL `dump.sql` last — what Odoo's
//!   web manager, `odoo-bin db load` and the upgrade platform read.
//! - `dump`: `pg_dump --format=custom --no-owner`, no filestore, no manifest.

pub mod manifest;

pub use manifest::Manifest;
