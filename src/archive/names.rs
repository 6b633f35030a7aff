//! What an archive entry may be called. Every name is checked before anything of it is written:
//! a hostile archive must not be able to write outside the new filestore (`..`, absolute
//! paths, links), nor slip in files Odoo would never have made.

use std::collections::HashSet;

use crate::error::Failure;

/// What an entry is, by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Role {
    Manifest,
    /// A part of the database dump: the dump file itself (`""`), or a file of a dump folder.
    Dump(String),
    /// A folder entry the archive may carry (`filestore/`, `filestore/ab/`, `dump/`): nothing to
    /// write, folders are made as files need them.
    Folder,
    /// A filestore file, relative to the filestore folder: `ab/<sha1>` or `checklist/ab/<sha1>`.
    File(String),
}

pub const MANIFEST: &str = "manifest.json";

/// Where the dump is inside an archive: one file (`dump.sql`, `dump.pgdump`), or a folder
/// (`dump/`) of pg_dump's directory format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DumpLocation {
    pub name: String,
    pub folder: bool,
}

impl DumpLocation {
    /// A dump path from a manifest: one plain name, so it cannot point anywhere else.
    pub fn parse(path: &str) -> Result<Self, Failure> {
        let folder = path.ends_with('/');
        let name = path.trim_end_matches('/');
        if !plain_component(name) || name == "manifest.json" || name == "filestore" {
            return Err(refusal(path, "the manifest names an unusable dump path"));
        }
        Ok(Self { name: name.to_string(), folder })
    }
}

/// One plain path component: no separators, no `.`/`..`, no control characters.
fn plain_component(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name.len() <= 255
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

/// Whether a path relative to a filestore folder may be backed up and restored: the one rule
/// both sides apply, so that every archive `backup` writes is one `restore` accepts. Odoo's own
/// backup copies the whole folder, stray files included (`checklist/`, editors' and rsync's
/// leftovers), so any plain relative path goes; what could escape the folder, collide with the
/// restore's scratch folder or break the line-per-file spool (control characters) does not.
pub fn filestore_path(relative: &str) -> Result<(), &'static str> {
    if relative.is_empty() || relative.len() > 4096 {
        return Err("an empty or overlong filestore path");
    }
    for (index, part) in relative.split('/').enumerate() {
        if part.is_empty() || part == "." || part == ".." {
            return Err("the filestore path has an empty, `.` or `..` component");
        }
        if part.len() > 255 {
            return Err("a filestore name longer than 255 bytes");
        }
        if part.chars().any(|c| c.is_control() || c == '\\') {
            return Err("a filestore name with a control character or a backslash");
        }
        if index == 0 && part == crate::archive::extract::SCRATCH {
            return Err("a name odoodb keeps for its own scratch folder");
        }
    }
    Ok(())
}

/// Checks one entry's name; `is_dir` says the archive marks it as a folder.
pub fn classify(raw: &[u8], is_dir: bool, dump: &DumpLocation) -> Result<Role, Failure> {
    let shown = String::from_utf8_lossy(raw).into_owned();
    if raw.contains(&0) {
        return Err(refusal(&shown, "the name contains a NUL byte"));
    }
    let Ok(name) = std::str::from_utf8(raw) else {
        return Err(refusal(&shown, "the name is not UTF-8"));
    };
    if name.starts_with('/') || name.starts_with('\\') || name.get(1..2) == Some(":") {
        return Err(refusal(name, "absolute path"));
    }
    if name.split(['/', '\\']).any(|part| part == "..") {
        return Err(refusal(name, "the path climbs out with `..`"));
    }
    let trimmed = name.trim_end_matches('/');
    let is_dir = is_dir || name.ends_with('/');
    if !is_dir && trimmed == MANIFEST {
        return Ok(Role::Manifest);
    }
    if trimmed == dump.name && !dump.folder && !is_dir {
        return Ok(Role::Dump(String::new()));
    }
    if dump.folder && trimmed == dump.name && is_dir {
        return Ok(Role::Folder);
    }
    if dump.folder
        && let Some(file) = trimmed.strip_prefix(&format!("{}/", dump.name))
        && plain_component(file)
        && !is_dir
    {
        return Ok(Role::Dump(file.to_string()));
    }
    if let Some(relative) = trimmed.strip_prefix("filestore").and_then(|r| r.strip_prefix('/')) {
        if relative.is_empty() && is_dir {
            return Ok(Role::Folder);
        }
        if let Err(why) = filestore_path(relative) {
            return Err(refusal(name, why));
        }
        return Ok(if is_dir { Role::Folder } else { Role::File(relative.to_string()) });
    }
    if trimmed == "filestore" && is_dir {
        return Ok(Role::Folder);
    }
    Err(refusal(name, "not part of a backup (manifest.json, the dump, filestore/…)"))
}

/// Remembers every name seen, so a second entry of one name is refused (it could replace a
/// file already checked).
#[derive(Debug, Default)]
pub struct Seen(HashSet<String>);

impl Seen {
    pub fn insert(&mut self, raw: &[u8]) -> Result<(), Failure> {
        let name = String::from_utf8_lossy(raw).trim_end_matches('/').to_string();
        if self.0.insert(name.clone()) {
            Ok(())
        } else {
            Err(refusal(&name, "the archive holds this name twice"))
        }
    }
}

/// The error of a refused entry: what, why, and that nothing was written.
pub fn refusal(name: &str, why: &str) -> Failure {
    Failure::failed(format!(
        "unsafe or unexpected archive entry {:?}: {why}; refused",
        crate::output::terminal_safe(name)
    ))
    .hint("this archive was not made by Odoo or odoodb, or was tampered with; restore nothing from it")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "ab1234567890abcdef1234567890abcdef123456";

    fn plain() -> DumpLocation {
        DumpLocation::parse("dump.sql")
            .unwrap_or_else(|_| DumpLocation { name: String::new(), folder: false })
    }

    #[test]
    fn accepts_what_odoo_writes() {
        let dump = plain();
        assert_eq!(classify(b"manifest.json", false, &dump).ok(), Some(Role::Manifest));
        assert_eq!(classify(b"dump.sql", false, &dump).ok(), Some(Role::Dump(String::new())));
        assert_eq!(
            classify(format!("filestore/ab/{SHA}").as_bytes(), false, &dump).ok(),
            Some(Role::File(format!("ab/{SHA}")))
        );
        assert_eq!(
            classify(format!("filestore/checklist/ab/{SHA}").as_bytes(), false, &dump).ok(),
            Some(Role::File(format!("checklist/ab/{SHA}")))
        );
        assert_eq!(classify(b"filestore/ab/", true, &dump).ok(), Some(Role::Folder));
        assert_eq!(classify(b"filestore/", true, &dump).ok(), Some(Role::Folder));
    }

    #[test]
    fn accepts_a_dump_folder() {
        let dump = DumpLocation { name: "dump".into(), folder: true };
        assert_eq!(classify(b"dump/", true, &dump).ok(), Some(Role::Folder));
        assert_eq!(
            classify(b"dump/toc.dat", false, &dump).ok(),
            Some(Role::Dump("toc.dat".into()))
        );
        assert!(classify(b"dump/../x", false, &dump).is_err());
        assert!(classify(b"dump/a/b", false, &dump).is_err());
    }

    #[test]
    fn refuses_hostile_names() {
        let dump = plain();
        for name in [
            "/etc/passwd".to_string(),
            "../x".into(),
            "filestore/../../x".into(),
            "filestore/./x".into(),
            "filestore/a//b".into(),
            "filestore/a\nb".into(),
            "filestore/.odoodb-dump/x".into(),
            "other.txt".into(),
            "C:/x".into(),
            format!("filestore\\ab\\{SHA}"),
        ] {
            assert!(classify(name.as_bytes(), false, &dump).is_err(), "{name} accepted");
        }
        assert!(classify(b"filestore/ab\0/x", false, &dump).is_err());
        assert!(DumpLocation::parse("../dump").is_err());
        assert!(DumpLocation::parse("/dump").is_err());
    }

    #[test]
    fn accepts_whatever_a_filestore_folder_may_hold() {
        let dump = plain();
        for relative in [
            format!("cd/{SHA}"),
            format!("AB/{}", SHA.to_uppercase()),
            "ab/short".to_string(),
            ".DS_Store".into(),
            "checklist/ab/whatever".into(),
            "sub/deeper/still/file name with spaces.txt".into(),
            "ünïcödé/€".into(),
        ] {
            assert_eq!(
                classify(format!("filestore/{relative}").as_bytes(), false, &dump).ok(),
                Some(Role::File(relative.clone())),
                "{relative}"
            );
        }
        assert_eq!(classify(b"filestore/sub/deeper/", true, &dump).ok(), Some(Role::Folder));
    }

    #[test]
    fn refuses_a_name_twice() {
        let mut seen = Seen::default();
        assert!(seen.insert(b"filestore/ab/").is_ok());
        assert!(seen.insert(b"filestore/ab").is_err());
    }
}
