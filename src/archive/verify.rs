//! `backup --verify`: reads an archive end to end and checks it — checksums against the
//! manifest, the dump readable (`pg_restore --list`, or a plain-SQL sanity check), and every
//! filestore file named by the sha1 of its content. Blocking; reads in one pass, memory flat
//! (only the filestore names are kept, to check the manifest's digest of them).

use std::io::{Read, Write as _};
use std::path::Path;

use anyhow::{Context as _, Result};
use serde::Serialize;
use sha1::Digest as _;

use super::crypt::Keys;
use super::detect::{Format, Input, Sniffed};
use super::dump_check::DumpChecker;
pub use super::dump_check::{dump_header, list_dump};
use super::{Counts, DumpForm, Manifest, Visitor, read_tar, read_zip};

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub check: String,
    pub ok: bool,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub archive: String,
    pub format: Option<Format>,
    pub gzipped: bool,
    /// Encrypted (age): the recipients its header names.
    pub encrypted_to: Option<Vec<String>>,
    /// Whether the archive carries odoodb's checksums (Odoo's own zips do not).
    pub checksums: bool,
    pub counts: Counts,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.findings.iter().all(|f| f.ok)
    }

    fn add(&mut self, check: &str, ok: bool, detail: impl Into<String>) {
        self.findings.push(Finding { check: check.into(), ok, detail: detail.into() });
    }

    fn fail(&mut self, check: &str, error: &anyhow::Error) {
        self.add(check, false, crate::error::one_line(error));
    }
}

/// Checks `input` end to end, decrypted with `keys` when it is encrypted; `pg_restore` is the
/// program that reads custom and directory dumps. Problems are findings, not errors: the caller
/// prints them all (and checks `cancel`, which stops the reading). The errors are an archive
/// that cannot be opened at all, and an encrypted one that `keys` cannot open: then nothing
/// could be checked.
pub fn verify(
    input: &Input,
    keys: &Keys,
    pg_restore: &Path,
    timeouts: super::feed::Timeouts,
    cancel: &crate::cancel::Cancel,
) -> Result<Report> {
    let mut report = Report {
        archive: input.describe(),
        format: None,
        gzipped: false,
        encrypted_to: None,
        checksums: false,
        counts: Counts::default(),
        findings: Vec::new(),
    };
    if let Input::Folder(path) = input {
        report.format = Some(Format::PgDirectory);
        match super::detect::require_dump_folder(path).and_then(|()| list_dump(pg_restore, path)) {
            Ok(entries) => {
                report.add("dump readable", true, format!("pg_restore --list: {entries} entries"));
            }
            Err(error) => report.fail("dump readable", &error),
        }
        return Ok(report);
    }
    // Not reaching the archive (a missing object, refused keys, a server down) says nothing of
    // its state: an error, not a finding of damage.
    let stream = input.open(timeouts, cancel)?;
    let sniffed = super::detect::sniff(stream, &input.describe(), keys);
    let Sniffed { format, gzipped, encrypted_to, stream } = match sniffed {
        Ok(sniffed) => sniffed,
        Err(error) if super::crypt::is_key_problem(&error) => return Err(error),
        Err(error) => {
            report.fail("format", &error);
            return Ok(report);
        }
    };
    report.format = Some(format);
    report.gzipped = gzipped;
    if let Some(recipients) = &encrypted_to {
        report.add("decryption", true, format!("age, to {}", recipients.join(", ")));
    }
    let plain_file = match input {
        Input::File(path) if encrypted_to.is_none() => Some(path.as_path()),
        _ => None,
    };
    report.encrypted_to = encrypted_to;
    report.add("format", true, format.as_str());
    match format {
        Format::Tar => verify_tar(stream, pg_restore, &mut report),
        Format::Zip => verify_zip(plain_file, stream, pg_restore, &mut report),
        Format::PgCustom => {
            let mut checker = DumpChecker::new(DumpForm::Custom, pg_restore);
            let result =
                std::io::copy(&mut { stream }, &mut checker).context("cannot read the dump");
            finish_dump(checker, result.map(|_| ()), None, &mut report);
        }
        Format::Sql => {
            let mut checker = DumpChecker::new(DumpForm::Plain, pg_restore);
            let result =
                std::io::copy(&mut { stream }, &mut checker).context("cannot read the dump");
            finish_dump(checker, result.map(|_| ()), None, &mut report);
        }
        Format::PgDirectory => {}
    }
    Ok(report)
}

fn verify_tar(stream: super::detect::Stream, pg_restore: &Path, report: &mut Report) {
    let (head, stream) = match read_tar::read_head(stream) {
        Ok(found) => found,
        Err(error) => {
            report.fail("manifest", &error);
            return;
        }
    };
    report.add("manifest", true, describe_manifest(&head.manifest));
    report.checksums = head.manifest.odoodb.is_some();
    let mut visitor = Checker::new(head.form, pg_restore);
    let walked = read_tar::walk(stream, &head, &mut visitor);
    conclude(visitor, &walked, head.manifest.odoodb.as_ref(), report);
}

/// `plain_file`: the zip itself, when it is a local file as read (not encrypted).
fn verify_zip(
    plain_file: Option<&Path>,
    stream: super::detect::Stream,
    pg_restore: &Path,
    report: &mut Report,
) {
    let file = match plain_file {
        Some(path) => std::fs::File::open(path).map_err(anyhow::Error::from),
        None => spool(stream),
    };
    let mut archive = match file.and_then(read_zip::open) {
        Ok(archive) => archive,
        Err(error) => {
            report.fail("archive readable", &error);
            return;
        }
    };
    let head = match read_zip::scan(&mut archive) {
        Ok(head) => head,
        Err(error) => {
            report.fail("entry names", &error);
            return;
        }
    };
    report.add(
        "entry names",
        true,
        "every entry is manifest.json, the dump or a file under filestore/",
    );
    let ours = head.manifest.as_ref().and_then(|m| m.odoodb.clone());
    match &head.manifest {
        Some(manifest) => report.add("manifest", true, describe_manifest(manifest)),
        None => report.add("manifest", true, "none (a bare zip of dump.sql and filestore/)"),
    }
    report.checksums = ours.is_some();
    if ours.is_none() {
        report.add(
            "checksums",
            true,
            "made by Odoo: no odoodb checksums; checked the zip CRCs, the dump and the file names instead",
        );
    }
    let mut visitor = Checker::new(DumpForm::Plain, pg_restore);
    let walked = read_zip::walk(&mut archive, &mut visitor, read_zip::Members::All);
    conclude(visitor, &walked, ours.as_ref(), report);
}

/// A stream (stdin, a URL) in an unnamed temporary file: a zip is read from its end.
pub fn spool(mut stream: super::detect::Stream) -> Result<std::fs::File> {
    let mut file = tempfile::tempfile().context("cannot create a temporary file")?;
    std::io::copy(&mut stream, &mut file).context("cannot read the archive")?;
    Ok(file)
}

fn describe_manifest(manifest: &Manifest) -> String {
    format!(
        "db {}, Odoo {}, PostgreSQL {}, {} modules{}",
        manifest.db_name,
        manifest.version,
        manifest.pg_version,
        manifest.modules.len(),
        manifest
            .odoodb
            .as_ref()
            .map(|o| format!(", made by odoodb {} ({})", o.tool_version, o.created_at))
            .unwrap_or_default()
    )
}

/// Compares what was read with the manifest.
fn conclude(
    visitor: Checker<'_>,
    walked: &Result<Counts>,
    ours: Option<&super::manifest::Ours>,
    report: &mut Report,
) {
    let Checker { dump, dump_parts, files, bad_files, file_bytes, content_addressed, .. } = visitor;
    match walked {
        Ok(counts) => {
            report.counts = *counts;
            report.add("archive readable", true, "read to the end; every entry intact");
        }
        Err(error) => report.fail("archive readable", error),
    }
    let Some(dump) = dump else {
        if walked.is_ok() {
            report.add("dump readable", false, "no dump in the archive");
        }
        return;
    };
    let digest = finish_dump(dump, Ok(()), Some(&dump_parts), report);
    if let Some(ours) = ours {
        let (bytes, sha) = digest;
        report.add(
            "dump checksum",
            sha == ours.dump.sha256 && bytes == ours.dump.bytes,
            if sha == ours.dump.sha256 && bytes == ours.dump.bytes {
                format!("sha256 and size ({bytes} bytes) match the manifest")
            } else {
                format!(
                    "manifest: {} bytes, sha256 {}; archive: {bytes} bytes, sha256 {sha}",
                    ours.dump.bytes, ours.dump.sha256
                )
            },
        );
        let mut names = files.clone();
        names.sort();
        let list = super::hex(&sha2::Sha256::digest(
            names.iter().flat_map(|n| [n.as_str(), "\n"]).collect::<String>().as_bytes(),
        ));
        match &ours.filestore {
            Some(fs) => {
                let ok = fs.list_sha256 == list
                    && fs.files == files.len() as u64
                    && fs.bytes == file_bytes;
                report.add(
                    "filestore list",
                    ok,
                    if ok {
                        format!("{} files, {file_bytes} bytes, as the manifest says", files.len())
                    } else {
                        format!(
                            "manifest: {} files, {} bytes, list sha256 {}; archive: {} files, {file_bytes} bytes, list sha256 {list}",
                            fs.files, fs.bytes, fs.list_sha256, files.len()
                        )
                    },
                );
            }
            None => report.add(
                "filestore list",
                files.is_empty(),
                if files.is_empty() {
                    "no filestore (backup made without it)".to_string()
                } else {
                    format!("{} files the manifest does not list", files.len())
                },
            ),
        }
    }
    if bad_files.is_empty() {
        report.add(
            "filestore content",
            true,
            format!(
                "{} files named by the sha1 of their content match it{}",
                content_addressed,
                match files.len().saturating_sub(content_addressed) {
                    0 => String::new(),
                    others => format!("; {others} other files (checklist markers, stray files)"),
                }
            ),
        );
    } else {
        let shown: Vec<&str> = bad_files.iter().take(5).map(String::as_str).collect();
        report.add(
            "filestore content",
            false,
            format!(
                "{} file(s) whose content does not match their name: {}",
                bad_files.len(),
                shown.join(", ")
            ),
        );
    }
}

/// Ends the dump's checks; returns its size and sha256 (for a folder: of its sorted
/// `<sha256>  <name>` lines).
fn finish_dump(
    checker: DumpChecker,
    read: Result<()>,
    parts: Option<&Vec<(String, String)>>,
    report: &mut Report,
) -> (u64, String) {
    let bytes = checker.bytes;
    let sha = match parts {
        Some(parts)
            if parts.len() > 1 || parts.first().is_some_and(|(name, _)| !name.is_empty()) =>
        {
            let mut lines: Vec<String> =
                parts.iter().map(|(name, sha)| format!("{sha}  {name}\n")).collect();
            lines.sort();
            super::hex(&sha2::Sha256::digest(lines.concat().as_bytes()))
        }
        _ => checker.sha256_hex(),
    };
    let result = read.and_then(|()| checker.conclude());
    match result {
        Ok(detail) => report.add("dump readable", true, detail),
        Err(error) => report.fail("dump readable", &error),
    }
    (bytes, sha)
}

/// The visitor: hashes the dump (and feeds it to its checker), checks each file's sha1.
struct Checker<'p> {
    form: DumpForm,
    pg_restore: &'p Path,
    dump: Option<DumpChecker>,
    /// For a dump folder: (file name, sha256) of each file.
    dump_parts: Vec<(String, String)>,
    files: Vec<String>,
    file_bytes: u64,
    bad_files: Vec<String>,
    /// Files named `<xx>/<sha1>`, whose content was checked against the name.
    content_addressed: usize,
}

impl<'p> Checker<'p> {
    fn new(form: DumpForm, pg_restore: &'p Path) -> Self {
        Self {
            form,
            pg_restore,
            dump: None,
            dump_parts: Vec::new(),
            files: Vec::new(),
            file_bytes: 0,
            bad_files: Vec::new(),
            content_addressed: 0,
        }
    }
}

impl Visitor for Checker<'_> {
    fn dump(&mut self, part: &str, _size: u64, reader: &mut dyn Read) -> Result<()> {
        let checker = self.dump.get_or_insert_with(|| DumpChecker::new(self.form, self.pg_restore));
        let before = checker.bytes;
        let mut hasher = sha2::Sha256::new();
        let mut buf = vec![0u8; 128 * 1024];
        let mut keep = (part == "toc.dat").then(Vec::new);
        loop {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            if self.form == DumpForm::Directory {
                checker.bytes += n as u64;
                if let Some(toc) = keep.as_mut() {
                    toc.extend_from_slice(&buf[..n]);
                }
            } else {
                checker.write_all(&buf[..n])?;
            }
        }
        let _ = before;
        if let Some(toc) = keep {
            checker.toc = Some(toc);
        }
        self.dump_parts.push((part.to_string(), super::hex(&hasher.finalize())));
        Ok(())
    }

    fn file(&mut self, relative: &str, size: u64, reader: &mut dyn Read) -> Result<()> {
        let mut hasher = sha1::Sha1::new();
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = reader.read(&mut buf)?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        let name = relative.rsplit('/').next().unwrap_or(relative);
        // Only Odoo's data files are named by their content: checklist markers are empty files
        // named after the attachment they mark, and stray files have any name.
        if super::files::content_addressed(relative) {
            self.content_addressed += 1;
            if super::hex(&hasher.finalize()) != name {
                self.bad_files.push(relative.to_string());
            }
        }
        self.files.push(relative.to_string());
        self.file_bytes += size;
        Ok(())
    }
}
