//! Backups made inside the tests: pg_dump files and folders of a test database, odoodb tar.gz
//! archives made by hand after the manifest contract, Odoo-style zips, and hostile archives
//! built entry by entry (the tar and zip crates let a test write what no honest tool would).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::Digest as _;

use super::{Server, TestEnv};

pub fn pg_dump(db: &str, args: &[&str], output: &Path) {
    let server = Server::get();
    let status = Command::new("pg_dump")
        .args([
            "--no-owner",
            "-h",
            &server.host,
            "-p",
            &server.port.to_string(),
            "-U",
            &server.user,
        ])
        .args(args)
        .arg("-f")
        .arg(output)
        .arg(db)
        .status()
        .unwrap();
    assert!(status.success(), "pg_dump {args:?} failed");
}

pub fn sha256(bytes: &[u8]) -> String {
    hex(&sha2::Sha256::digest(bytes))
}

pub fn sha1(bytes: &[u8]) -> String {
    sha1_smol::Sha1::from(bytes).digest().to_string()
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// One entry of a hand-built archive.
pub enum Entry {
    File(String, Vec<u8>),
    Dir(String),
    Symlink(String, String),
    HardLink(String, String),
    Device(String),
}

/// The files of `db`'s filestore in `env`, as `filestore/<relative>` entries.
pub fn filestore_entries(env: &TestEnv, db: &str) -> Vec<(String, Vec<u8>)> {
    let dir = env.filestore(db);
    super::files_under(&dir)
        .into_iter()
        .map(|relative| {
            let bytes = std::fs::read(dir.join(&relative)).unwrap();
            (relative, bytes)
        })
        .collect()
}

/// A manifest in Odoo's keys, plus ours when `ours` is given.
pub fn manifest(db_name: &str, ours: Option<serde_json::Value>) -> serde_json::Value {
    let mut manifest = serde_json::json!({
        "odoo_dump": "1",
        "db_name": db_name,
        "version": "17.0",
        "version_info": [17, 0, 0, "final", 0, ""],
        "major_version": "17.0",
        "pg_version": "15.0",
        "modules": {"base": "17.0.1.3"},
    });
    if let Some(ours) = ours {
        manifest["odoodb"] = ours;
    }
    manifest
}

/// An odoodb tar.gz of `db` (dump in `form`: custom, directory or plain), made by hand after
/// the manifest contract. `tamper` may change the entries before they are written.
pub fn our_tar_gz(
    env: &TestEnv,
    db: &str,
    form: &str,
    out: &Path,
    tamper: impl FnOnce(&mut serde_json::Value, &mut Vec<Entry>),
) {
    let scratch = tempfile::tempdir().unwrap();
    let mut entries = Vec::new();
    let (path, sha, bytes) = if form == "directory" {
        {
            let dir = scratch.path().join("dump");
            pg_dump(db, &["-Fd"], &dir);
            let mut lines = Vec::new();
            let mut total = 0;
            entries.push(Entry::Dir("dump/".into()));
            for name in super::files_under(&dir) {
                let content = std::fs::read(dir.join(&name)).unwrap();
                lines.push(format!("{}  {name}\n", sha256(&content)));
                total += content.len() as u64;
                entries.push(Entry::File(format!("dump/{name}"), content));
            }
            lines.sort();
            ("dump/", sha256(lines.concat().as_bytes()), total)
        }
    } else {
        {
            let (name, flag) =
                if form == "plain" { ("dump.sql", "-Fp") } else { ("dump.pgdump", "-Fc") };
            let file = scratch.path().join(name);
            pg_dump(db, &[flag], &file);
            let content = std::fs::read(&file).unwrap();
            let sha = sha256(&content);
            let len = content.len() as u64;
            entries.push(Entry::File(name.into(), content));
            (name, sha, len)
        }
    };
    let files = filestore_entries(env, db);
    let mut names: Vec<String> = files.iter().map(|(n, _)| format!("{n}\n")).collect();
    names.sort();
    let file_bytes: u64 = files.iter().map(|(_, c)| c.len() as u64).sum();
    let ours = serde_json::json!({
        "format": "tar.gz",
        "tool_version": "test",
        "created_at": "2026-01-01T00:00:00Z",
        "pg_dump_version": "15.18",
        "dump": {"path": path, "format": form, "bytes": bytes, "sha256": sha},
        "filestore": {"files": files.len(), "bytes": file_bytes, "list_sha256": sha256(names.concat().as_bytes())},
    });
    let mut manifest = manifest(db, Some(ours));
    entries.push(Entry::Dir("filestore/".into()));
    for (name, content) in files {
        entries.push(Entry::File(format!("filestore/{name}"), content));
    }
    tamper(&mut manifest, &mut entries);
    let mut all =
        vec![Entry::File("manifest.json".into(), serde_json::to_vec_pretty(&manifest).unwrap())];
    all.extend(entries);
    write_tar_gz(out, &all);
}

/// Writes entries as a tar.gz, exactly as given (names are not checked by the writer).
pub fn write_tar_gz(out: &Path, entries: &[Entry]) {
    let file = std::fs::File::create(out).unwrap();
    let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
    let mut builder = tar::Builder::new(gz);
    for entry in entries {
        let mut header = tar::Header::new_gnu();
        header.set_mode(0o644);
        header.set_mtime(0);
        let (name, kind, data, link): (&str, tar::EntryType, &[u8], Option<&str>) = match entry {
            Entry::File(name, data) => (name, tar::EntryType::Regular, data, None),
            Entry::Dir(name) => (name, tar::EntryType::Directory, b"", None),
            Entry::Symlink(name, to) => (name, tar::EntryType::Symlink, b"", Some(to)),
            Entry::HardLink(name, to) => (name, tar::EntryType::Link, b"", Some(to)),
            Entry::Device(name) => (name, tar::EntryType::Char, b"", None),
        };
        header.set_entry_type(kind);
        header.set_size(data.len() as u64);
        // Raw bytes: `set_path` refuses `..` and absolute names, which is what we test.
        let bytes = name.as_bytes();
        header.as_old_mut().name[..bytes.len()].copy_from_slice(bytes);
        if let Some(link) = link {
            let bytes = link.as_bytes();
            header.as_old_mut().linkname[..bytes.len()].copy_from_slice(bytes);
        }
        header.set_cksum();
        builder.append(&header, data).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap().sync_all().unwrap();
}

/// An Odoo-style zip: dump.sql (plain pg_dump) first, manifest.json, filestore/.
pub fn odoo_zip(env: &TestEnv, db: &str, out: &Path) {
    let scratch = tempfile::tempdir().unwrap();
    let sql = scratch.path().join("dump.sql");
    pg_dump(db, &["-Fp"], &sql);
    let mut entries = vec![
        Entry::File("dump.sql".into(), std::fs::read(&sql).unwrap()),
        Entry::File("manifest.json".into(), serde_json::to_vec(&manifest(db, None)).unwrap()),
    ];
    for (name, content) in filestore_entries(env, db) {
        entries.push(Entry::File(format!("filestore/{name}"), content));
    }
    write_zip(out, &entries);
}

pub fn write_zip(out: &Path, entries: &[Entry]) {
    let file = std::fs::File::create(out).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for entry in entries {
        match entry {
            Entry::File(name, data) => {
                zip.start_file(name.as_str(), options).unwrap();
                zip.write_all(data).unwrap();
            }
            Entry::Dir(name) => zip.add_directory(name.as_str(), options).unwrap(),
            Entry::Symlink(name, to) => {
                zip.add_symlink(name.as_str(), to.as_str(), options).unwrap();
            }
            Entry::HardLink(..) | Entry::Device(_) => unreachable!("zip has no such entries"),
        }
    }
    zip.finish().unwrap();
}

pub fn gzip(from: &Path, to: &Path) {
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(to).unwrap(),
        flate2::Compression::fast(),
    );
    gz.write_all(&std::fs::read(from).unwrap()).unwrap();
    gz.finish().unwrap();
}

pub fn path_in(env: &TestEnv, name: &str) -> PathBuf {
    env.root.join(name)
}
