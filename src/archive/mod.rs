//! Backup archives: what each format holds, the manifest that describes it, and (in the writer
//! and reader modules) how they are streamed in and out.
//!
//! Formats:
//! - `tar.gz` (ours): `manifest.json` first, then the database dump (its form and path inside
//!   the archive are named by the manifest), then `filestore/<xx>/<sha1>` (and `checklist/`).
//! - `zip` (Odoo's): `dump.sql` (plain SQL), `manifest.json`, `filestore/…` — the member order
//!   of the zips Odoo itself makes (see the fixtures), what Odoo's web manager, `odoo-bin db load`
//!   and the upgrade platform read.
//! - `dump`: `pg_dump --format=custom --no-owner`, no filestore, no manifest.

pub mod files;
pub mod manifest;
pub mod output;
pub mod pipeline;
pub mod tar_gz;
pub mod zip;

pub use manifest::Manifest;
