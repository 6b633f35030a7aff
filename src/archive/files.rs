//! The filestore side of a backup: the list of files (walked once, in sorted order, into a spool
//! file so memory stays flat whatever the count), its digest, the attachments whose file is
//! missing, and the checks made while each file streams into the archive.

use super::hex;
use std::collections::HashSet;
use std::io::{BufRead as _, BufReader, BufWriter, Read, Write as _};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use sha1::Digest as _;
use sha2::Sha256;

use crate::filestore::CHECKLIST_DIR;

/// The files of a filestore folder, as walked before the archive is written.
pub struct Listing {
    pub root: PathBuf,
    pub files: u64,
    pub bytes: u64,
    /// sha256 of the sorted lines `<relative path>\n`.
    pub list_sha256: String,
    /// `store_fname`s of attachments with no file on disk, sorted.
    pub missing: Vec<String>,
    /// Entries left out of the archive (see `names::filestore_path`), and the first of them.
    pub skipped: u64,
    pub skipped_examples: Vec<String>,
    /// One line per file, `<size>\t<relative path>`, in sorted path order. Unnamed, so that a
    /// killed run leaves nothing behind.
    spool: std::fs::File,
}

/// How many skipped entries a listing names.
const SKIPPED_EXAMPLES: usize = 20;

/// Walks `root` in sorted path order (byte order of the whole relative path, as `sort` would
/// give), spooling the list, and checks it against the attachments' `store_fname`s.
pub fn list(root: &Path, referenced: Vec<String>, spool_dir: &Path) -> Result<Listing> {
    let spool = tempfile::tempfile_in(spool_dir)
        .with_context(|| format!("cannot create a temporary file in {}", spool_dir.display()))?;
    let mut wanted: HashSet<String> = referenced.into_iter().collect();
    let mut digest = Sha256::new();
    let (mut files, mut bytes) = (0u64, 0u64);
    let (mut skipped, mut skipped_examples) = (0u64, Vec::new());
    {
        let mut out = BufWriter::new(&spool);
        let mut visit = |relative: &str, size: u64| -> Result<()> {
            files += 1;
            bytes += size;
            digest.update(relative.as_bytes());
            digest.update(b"\n");
            wanted.remove(relative);
            writeln!(out, "{size}\t{relative}").context("cannot write the file list")
        };
        let mut skip = |relative: String, why: &str| {
            skipped += 1;
            if skipped_examples.len() < SKIPPED_EXAMPLES {
                skipped_examples
                    .push(format!("{} ({why})", crate::output::terminal_safe(&relative)));
            }
        };
        let mut walker = Walker { visit: &mut visit, skip: &mut skip, ancestors: Vec::new() };
        walker.walk(root, "")?;
        out.flush().context("cannot write the file list")?;
    }
    let mut missing: Vec<String> = wanted.into_iter().collect();
    missing.sort();
    Ok(Listing {
        root: root.to_path_buf(),
        files,
        bytes,
        list_sha256: hex(&digest.finalize()),
        missing,
        skipped,
        skipped_examples,
        spool,
    })
}

struct Walker<'a> {
    visit: &'a mut dyn FnMut(&str, u64) -> Result<()>,
    skip: &'a mut dyn FnMut(String, &str),
    /// The folders being walked, by device and inode: a link back to one of them would loop.
    ancestors: Vec<(u64, u64)>,
}

impl Walker<'_> {
    /// Depth first, each folder's entries sorted by name with `/` appended to folders: that
    /// yields the byte order of the full relative paths without holding them all.
    ///
    /// Links are followed, as Odoo's own backup does; what cannot go into an archive that
    /// restores (a name the restore refuses, a link to nothing or back up the tree, a socket
    /// or a device) is left out and reported, never silently.
    fn walk(&mut self, dir: &Path, prefix: &str) -> Result<()> {
        use std::os::unix::fs::MetadataExt as _;
        let here =
            std::fs::metadata(dir).with_context(|| format!("cannot stat {}", dir.display()))?;
        self.ancestors.push((here.dev(), here.ino()));
        let mut entries = Vec::new();
        for entry in
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?
        {
            let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
            let Ok(name) = entry.file_name().into_string() else {
                (self.skip)(
                    format!("{prefix}{}", entry.file_name().to_string_lossy()),
                    "the name is not UTF-8",
                );
                continue;
            };
            let relative = format!("{prefix}{name}");
            // A link to the backup folder leads to the scratch files of odoodb runs, this
            // one's among them (the dump being written, the partial archive read into itself):
            // never part of a filestore, a torn copy of a database if taken, and growing.
            if name.starts_with(crate::run_files::PREFIX) {
                (self.skip)(relative, "a scratch file of an odoodb run");
                continue;
            }
            if let Err(why) = super::names::filestore_path(&relative) {
                (self.skip)(relative, why);
                continue;
            }
            let meta = match std::fs::metadata(entry.path()) {
                Ok(meta) => meta,
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                    (self.skip)(relative, "a link to nothing");
                    continue;
                }
                Err(error) => {
                    return Err(error)
                        .with_context(|| format!("cannot stat {}", entry.path().display()));
                }
            };
            if meta.is_dir() {
                if self.ancestors.contains(&(meta.dev(), meta.ino())) {
                    (self.skip)(relative, "a link back to a folder above it");
                    continue;
                }
                entries.push((format!("{name}/"), None));
            } else if meta.is_file() {
                entries.push((name, Some(meta.len())));
            } else {
                (self.skip)(relative, "not a file nor a folder (a socket, a pipe or a device)");
            }
        }
        entries.sort();
        for (name, size) in entries {
            let relative = format!("{prefix}{name}");
            match size {
                Some(size) => (self.visit)(&relative, size)?,
                None => self.walk(&dir.join(name.trim_end_matches('/')), &relative)?,
            }
        }
        self.ancestors.pop();
        Ok(())
    }
}

impl Listing {
    /// The listed files, in order: `(relative path, size)`.
    pub fn entries(&self) -> Result<impl Iterator<Item = Result<(String, u64)>>> {
        use std::io::{Seek as _, SeekFrom};
        let mut file = self.spool.try_clone().context("cannot read the file list")?;
        file.seek(SeekFrom::Start(0)).context("cannot read the file list")?;
        Ok(BufReader::new(file).lines().map(|line| {
            let line = line.context("cannot read the file list")?;
            let (size, name) = line.split_once('\t').context("bad line in the file list")?;
            Ok((name.to_string(), size.parse().context("bad size in the file list")?))
        }))
    }
}

/// Whether a file's first bytes say it is already compressed (images, PDF, office files and
/// other zips, archives, media): deflating it again costs time and saves nothing.
pub fn already_compressed(head: &[u8]) -> bool {
    const MAGIC: &[&[u8]] = &[
        b"\x89PNG",
        b"\xff\xd8\xff", // JPEG
        b"GIF87a",
        b"GIF89a",
        b"%PDF",
        b"PK\x03\x04",         // zip: docx, xlsx, odt, …
        b"\x1f\x8b",           // gzip
        b"BZh",                // bzip2
        b"\xfd7zXZ\x00",       // xz
        b"7z\xbc\xaf\x27\x1c", // 7-zip
        b"\x28\xb5\x2f\xfd",   // zstd
        b"Rar!",
        b"OggS",
        b"ID3",              // mp3
        b"\x1a\x45\xdf\xa3", // webm, mkv
        b"wOFF",
        b"wOF2",
    ];
    if MAGIC.iter().any(|magic| head.starts_with(magic)) {
        return true;
    }
    // RIFF….WEBP, and ISO media (mp4, mov, heic): `ftyp` at offset 4.
    (head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP"))
        || head.get(4..8) == Some(b"ftyp")
}

/// Whether `relative` names a data file by its content (`xx/<sha1>`), so the name can be checked.
pub fn content_addressed(relative: &str) -> bool {
    if relative.starts_with(&format!("{CHECKLIST_DIR}/")) {
        return false;
    }
    let Some((folder, name)) = relative.split_once('/') else { return false };
    name.len() == 40
        && name.starts_with(folder)
        && folder.len() == 2
        && name.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Reads a file for the archive: its first bytes (to choose the encoding), then all of it,
/// hashing with sha1 to check the name, and counting to check the size.
pub struct FileReader {
    file: std::fs::File,
    head: Vec<u8>,
    head_pos: usize,
    sha1: Option<sha1::Sha1>,
    pub read: u64,
}

impl FileReader {
    pub fn open(path: &Path, check_name: bool) -> Result<Self> {
        let mut file =
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let mut head = vec![0u8; 16];
        let mut filled = 0;
        while filled < head.len() {
            let n = file
                .read(&mut head[filled..])
                .with_context(|| format!("cannot read {}", path.display()))?;
            if n == 0 {
                break;
            }
            filled += n;
        }
        head.truncate(filled);
        Ok(Self { file, head, head_pos: 0, sha1: check_name.then(sha1::Sha1::new), read: 0 })
    }

    pub fn head(&self) -> &[u8] {
        &self.head
    }

    /// Fails when the file is not exactly `size` bytes long any more: it was cut short, or it
    /// grew after it was listed. The archive announced `size` (a tar header, the manifest) and
    /// took that many bytes, so a file that grew would go in cut at its listed length — a torn
    /// copy the backup would otherwise report as whole (GNU tar's "file changed as we read it").
    pub fn check_whole(&mut self, relative: &str, size: u64) -> Result<()> {
        let mut more = [0u8; 1];
        let grew = loop {
            match self.file.read(&mut more) {
                Ok(n) => break n > 0,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error).with_context(|| format!("cannot read {relative}")),
            }
        };
        if self.read != size || grew {
            anyhow::bail!(
                "{relative} changed size while it was being archived; run the backup again"
            );
        }
        Ok(())
    }

    /// The content's sha1, when the name was to be checked.
    pub fn sha1_hex(self) -> Option<String> {
        self.sha1.map(|hasher| hex(&hasher.finalize()))
    }
}

impl Read for FileReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = if self.head_pos < self.head.len() {
            let n = (self.head.len() - self.head_pos).min(buf.len());
            buf[..n].copy_from_slice(&self.head[self.head_pos..self.head_pos + n]);
            self.head_pos += n;
            n
        } else {
            self.file.read(buf)?
        };
        if let Some(hasher) = &mut self.sha1 {
            hasher.update(&buf[..n]);
        }
        self.read += n as u64;
        Ok(n)
    }
}

/// sha256 of a file, streamed.
pub fn sha256_file(path: &Path) -> Result<String> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut digest = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n =
            file.read(&mut buffer).with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            return Ok(hex(&digest.finalize()));
        }
        digest.update(&buffer[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_in_the_byte_order_of_whole_paths() -> Result<()> {
        let dir = tempfile::tempdir()?;
        for name in ["ab/x", "ab-c/y", "ab0", "checklist/ab/z", "a/b"] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap_or(dir.path()))?;
            std::fs::write(&path, name)?;
        }
        // The spool goes elsewhere: a spool file inside the walked folder would be listed too.
        let spool = tempfile::tempdir()?;
        let listing = list(dir.path(), vec!["ab/x".into(), "ff/gone".into()], spool.path())?;
        let names: Vec<String> =
            listing.entries()?.map(|e| e.map(|(n, _)| n)).collect::<Result<_>>()?;
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert_eq!(names.len(), 5);
        assert_eq!(listing.missing, vec!["ff/gone"]);
        let lines: String = sorted.iter().flat_map(|n| [n.as_str(), "\n"]).collect();
        assert_eq!(listing.list_sha256, hex(&Sha256::digest(lines.as_bytes())));
        Ok(())
    }

    #[test]
    fn recognises_compressed_files_and_sha1_names() {
        assert!(already_compressed(b"\x89PNG\r\n\x1a\n...."));
        assert!(already_compressed(b"%PDF-1.7"));
        assert!(already_compressed(b"PK\x03\x04rest"));
        assert!(!already_compressed(b"hello world"));
        assert!(content_addressed("ab/ab6d0f3f6a1b1b7a7a5c6d2a8f0e5c3b2a1d0e9f"));
        assert!(!content_addressed("checklist/ab/ab6d0f3f6a1b1b7a7a5c6d2a8f0e5c3b2a1d0e9f"));
        assert!(!content_addressed("ab/cd6d0f3f6a1b1b7a7a5c6d2a8f0e5c3b2a1d0e9f"));
    }
}
