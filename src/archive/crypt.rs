//! age encryption of whole archives (manifest included): the recipients a backup is encrypted
//! to (`--encrypt-to`, `--encrypt-to-file`, `[backup] encrypt_to`), and the identities a
//! restore or a verification decrypts with (`--identity`, `ODOODB_AGE_IDENTITY`,
//! `[restore] identity`).
//!
//! The files are standard age v1 (`age -d -i key.txt FILE` reads them). age headers do not say
//! whom a file is for, so each recipient also adds a stanza of its own, `odoodb-recipient
//! <age1…>` with an empty body, which age implementations skip as they skip any stanza they do
//! not know; a restore without the matching identity then names those recipients.
//!
//! Secret keys are read from the identity file only, never from an argument, and never appear
//! in a message: the age crate reports a bad line by its number, and so does this module.

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::{BufRead as _, Write};
use std::path::{Path, PathBuf};

use age_core::format::{FileKey, Stanza};
use anyhow::{Context as _, Result};

use super::detect::Stream;
use crate::error::Failure;

/// What every age file starts with.
pub const MAGIC: &[u8] = b"age-encryption.org/v1\n";

/// The tag of odoodb's stanza naming a recipient.
const TAG: &str = "odoodb-recipient";

/// How a secret key starts (age's Bech32 encoding, upper case); `age1…` is a public key.
const SECRET_PREFIX: &str = "AGE-SECRET-KEY-";

fn looks_secret(text: &str) -> bool {
    text.to_ascii_uppercase().contains(SECRET_PREFIX)
}

/// The recipients a backup is encrypted to: X25519 public keys (`age1…`).
#[derive(Clone, Debug)]
pub struct Recipients(Vec<age::x25519::Recipient>);

impl Recipients {
    /// From `--encrypt-to` keys and `--encrypt-to-file` files (as `age -R` reads them: one
    /// recipient a line, `#` comments and blank lines skipped); `None` when both are empty.
    pub fn parse(keys: &[String], files: &[PathBuf]) -> Result<Option<Self>> {
        let mut recipients = Vec::new();
        for key in keys {
            recipients.push(parse_one(key.trim()).map_err(|why| {
                Failure::usage(format!("--encrypt-to {why}; nothing was backed up")).hint(
                    "give an age public key (age1…): `age-keygen -o key.txt` writes a pair and prints it",
                )
            })?);
        }
        for file in files {
            recipients.extend(read_recipients_file(file)?);
        }
        let mut seen = HashSet::new();
        recipients.retain(|r| seen.insert(r.to_string()));
        Ok((!recipients.is_empty()).then_some(Self(recipients)))
    }

    /// The flags' recipients when any is given, else the settings' `[backup] encrypt_to`.
    pub fn chosen(
        keys: &[String],
        files: &[PathBuf],
        settings: &crate::config::Settings,
    ) -> Result<Option<Self>> {
        if !keys.is_empty() || !files.is_empty() {
            return Self::parse(keys, files);
        }
        Self::parse(&settings.backup.encrypt_to, &[]).map_err(|error| {
            let file = settings.path.as_ref().map(|p| p.display().to_string());
            error.context(format!(
                "encrypt_to in [backup] of the settings file {}",
                file.unwrap_or_default()
            ))
        })
    }

    /// The public keys, as `age1…`.
    pub fn shown(&self) -> Vec<String> {
        self.0.iter().map(ToString::to_string).collect()
    }

    /// Starts an age file on `out`: its header is written now; the stream must be finished.
    pub fn encrypt<W: Write>(&self, out: W) -> std::io::Result<age::stream::StreamWriter<W>> {
        let named: Vec<Named> = self.0.iter().cloned().map(Named).collect();
        let encryptor =
            age::Encryptor::with_recipients(named.iter().map(|r| r as &dyn age::Recipient))
                .map_err(std::io::Error::other)?;
        encryptor.wrap_output(out)
    }
}

/// One recipient from its text; the reason when it is not one (never echoing a secret key).
fn parse_one(text: &str) -> Result<age::x25519::Recipient, String> {
    if looks_secret(text) {
        return Err("was given a secret key (AGE-SECRET-KEY-1…), which must stay in the identity file; give its public key (age1…)".into());
    }
    text.parse::<age::x25519::Recipient>().map_err(|_| {
        format!("{:?} is not an age X25519 public key (age1…)", crate::output::terminal_safe(text))
    })
}

fn read_recipients_file(path: &Path) -> Result<Vec<age::x25519::Recipient>> {
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| {
        Failure::usage(format!("cannot read --encrypt-to-file {shown}: {e}; nothing was backed up"))
    })?;
    let mut found = Vec::new();
    for (number, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read --encrypt-to-file {shown}"))?;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // The line is not shown: a recipients file mixed up with an identity file would print
        // a secret key.
        let recipient = parse_one(line).map_err(|_| {
            Failure::usage(format!(
                "line {} of --encrypt-to-file {shown} is not an age X25519 public key (age1…){}; nothing was backed up",
                number + 1,
                if looks_secret(line) { " but a secret key" } else { "" }
            ))
            .hint("one age1… public key a line, as `age -R` reads; # starts a comment")
        })?;
        found.push(recipient);
    }
    if found.is_empty() {
        return Err(Failure::usage(format!(
            "--encrypt-to-file {shown} names no recipient; nothing was backed up"
        ))
        .hint("one age1… public key a line, as `age -R` reads")
        .into());
    }
    Ok(found)
}

/// An X25519 recipient that also writes its own name into the header.
struct Named(age::x25519::Recipient);

impl age::Recipient for Named {
    fn wrap_file_key(
        &self,
        file_key: &FileKey,
    ) -> Result<(Vec<Stanza>, HashSet<String>), age::EncryptError> {
        let (mut stanzas, labels) = self.0.wrap_file_key(file_key)?;
        stanzas.push(Stanza { tag: TAG.into(), args: vec![self.0.to_string()], body: Vec::new() });
        Ok((stanzas, labels))
    }
}

/// An "identity" that unwraps nothing: it only notes the recipients odoodb's stanzas name.
#[derive(Default)]
struct Names(RefCell<Vec<String>>);

impl age::Identity for Names {
    fn unwrap_stanza(&self, stanza: &Stanza) -> Option<Result<FileKey, age::DecryptError>> {
        if stanza.tag == TAG
            && let [name] = &stanza.args[..]
        {
            let mut names = self.0.borrow_mut();
            if !names.contains(name) {
                names.push(name.clone());
            }
        }
        None
    }
}

/// Where the identity to decrypt with comes from, if anywhere: a path, and what named it.
#[derive(Clone, Debug, Default)]
pub struct Keys {
    identity: Option<(PathBuf, &'static str)>,
}

impl Keys {
    /// No identity: an encrypted archive is refused, naming its recipients.
    pub fn none() -> Self {
        Self::default()
    }

    /// The first of: `--identity`, `ODOODB_AGE_IDENTITY`, the settings' `[restore] identity`.
    pub fn chosen(flag: Option<&Path>, settings: &crate::config::Settings) -> Result<Self> {
        Self::resolve(
            flag,
            &crate::config::ProcessEnvironment,
            settings.restore.identity.as_deref(),
        )
    }

    /// `chosen`, with the environment given.
    pub fn resolve(
        flag: Option<&Path>,
        env: &dyn crate::config::Environment,
        settings: Option<&Path>,
    ) -> Result<Self> {
        let identity = flag
            .map(|path| (path.to_path_buf(), "--identity"))
            .or_else(|| {
                env.var("ODOODB_AGE_IDENTITY").map(|path| (path.into(), "ODOODB_AGE_IDENTITY"))
            })
            .or_else(|| {
                settings.map(|path| (path.to_path_buf(), "[restore] identity in the settings"))
            });
        if let Some((path, from)) = &identity
            && looks_secret(&path.to_string_lossy())
        {
            return Err(Failure::usage(format!(
                "{from} holds a secret key itself; it names the identity file that holds it"
            ))
            .hint("put the AGE-SECRET-KEY-1… line in a file only you can read (chmod 600), and name that file")
            .into());
        }
        Ok(Self { identity })
    }
}

/// An encrypted archive that the identity given (or none) cannot open: nothing could be read.
/// Its cause is the `Failure` (message, hint, exit code).
#[derive(Debug)]
pub struct Locked(Failure);

impl std::fmt::Display for Locked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Locked {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

impl From<Failure> for Locked {
    fn from(failure: Failure) -> Self {
        Self(failure)
    }
}

/// Whether `error` is an encrypted archive's missing or wrong identity (not a damaged file).
pub fn is_key_problem(error: &anyhow::Error) -> bool {
    error.chain().any(<dyn std::error::Error>::is::<Locked>)
}

/// Whether a stream's first bytes are an age file's.
pub fn is_age(head: &[u8]) -> bool {
    head.starts_with(MAGIC)
}

/// The plaintext of an age file `stream` (`what` names it in messages), and the recipients
/// its header names. A missing or wrong identity fails here, before anything is read or
/// changed, naming the recipients the file was made for; a damaged or truncated file fails
/// when its reader reaches the damage.
pub fn decrypt(stream: Stream, keys: &Keys, what: &str) -> Result<(Stream, Vec<String>)> {
    let buffered = std::io::BufReader::with_capacity(1 << 16, stream);
    let decryptor = age::Decryptor::new_buffered(buffered).map_err(|e| {
        Failure::failed(format!("{what} is an age-encrypted file whose header is unreadable ({e})"))
            .unchanged()
            .hint("the file is damaged or was not written whole; use another backup")
    })?;
    let names = Names::default();
    let Some((path, from)) = &keys.identity else {
        let _ = decryptor.decrypt(std::iter::once(&names as &dyn age::Identity));
        let recipients = names.0.into_inner();
        return Err(Locked::from(
            Failure::failed(format!(
                "{what} is encrypted (age) to {}, and no identity was given; nothing was changed",
                for_whom(&recipients)
            ))
            .hint(
                "pass --identity FILE (an age identity file, AGE-SECRET-KEY-1… lines), or set ODOODB_AGE_IDENTITY or [restore] identity in the settings",
            ),
        )
        .into());
    };
    let shown = path.display();
    let file = age::IdentityFile::from_file(path.to_string_lossy().into_owned()).map_err(|e| {
        Locked::from(
            Failure::failed(format!(
                "cannot read the age identity file {shown} (from {from}): {e}; nothing was changed"
            ))
            .hint("name a file of AGE-SECRET-KEY-1… lines, as age-keygen writes"),
        )
    })?;
    let mut public = Vec::new();
    let _ = file.write_recipients_file(&mut public);
    let public: Vec<String> =
        String::from_utf8_lossy(&public).lines().map(str::to_string).collect();
    let identities = file.into_identities().map_err(|e| {
        Locked::from(Failure::failed(format!(
            "cannot use the age identity file {shown} (from {from}): {e}; nothing was changed"
        )))
    })?;
    let tried = std::iter::once(&names as &dyn age::Identity)
        .chain(identities.iter().map(|identity| identity.as_ref() as &dyn age::Identity));
    match decryptor.decrypt(tried) {
        Ok(reader) => Ok((Box::new(reader), names.0.into_inner())),
        Err(age::DecryptError::NoMatchingKeys) => {
            let recipients = names.0.into_inner();
            Err(Locked::from(Failure::failed(format!(
                "{what} is encrypted (age) to {}, and the identity file {shown} (from {from}) holds {}; nothing was changed",
                for_whom(&recipients),
                if public.is_empty() {
                    "no key of them".to_string()
                } else {
                    format!("the key of {} instead", public.join(", "))
                }
            ))
            .hint("pass --identity with the identity file of one of those recipients"))
            .into())
        }
        Err(error) => Err(Failure::failed(format!(
            "{what} cannot be decrypted with {shown} (from {from}): {error}; nothing was changed"
        ))
        .hint("the file is damaged or was tampered with; use another backup")
        .into()),
    }
}

fn for_whom(recipients: &[String]) -> String {
    if recipients.is_empty() {
        "recipients it does not name (not made by odoodb)".to_string()
    } else {
        recipients.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;

    use age::secrecy::ExposeSecret as _;

    use super::*;

    fn secret_text(identity: &age::x25519::Identity) -> String {
        identity.to_string().expose_secret().to_string()
    }

    fn encrypted(recipients: &Recipients, plain: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut writer = recipients.encrypt(&mut out).unwrap_or_else(|_| unreachable!());
        writer.write_all(plain).ok();
        writer.finish().ok();
        out
    }

    fn key_file(dir: &Path, identity: &age::x25519::Identity) -> PathBuf {
        let path = dir.join("key.txt");
        std::fs::write(&path, format!("# a comment\n{}\n", secret_text(identity))).ok();
        path
    }

    #[test]
    fn round_trip_names_the_recipients() {
        let (one, other) = (age::x25519::Identity::generate(), age::x25519::Identity::generate());
        let to = Recipients::parse(&[one.to_public().to_string()], &[])
            .ok()
            .flatten()
            .unwrap_or_else(|| unreachable!());
        let file = encrypted(&to, b"manifest and all");
        assert!(is_age(&file));
        let dir = tempfile::tempdir().unwrap_or_else(|_| unreachable!());
        let keys = |id| Keys { identity: Some((key_file(dir.path(), id), "--identity")) };

        let (mut plain, named) =
            decrypt(Box::new(std::io::Cursor::new(file.clone())), &keys(&one), "f")
                .unwrap_or_else(|e| unreachable!("{e:#}"));
        let mut text = String::new();
        plain.read_to_string(&mut text).ok();
        assert_eq!(text, "manifest and all");
        assert_eq!(named, vec![one.to_public().to_string()]);

        for keys in [Keys::none(), keys(&other)] {
            let error = decrypt(Box::new(std::io::Cursor::new(file.clone())), &keys, "f")
                .err()
                .map(|e| format!("{e:#}"))
                .unwrap_or_default();
            assert!(error.contains(&one.to_public().to_string()), "{error}");
            assert!(!error.contains(SECRET_PREFIX), "{error}");
        }
    }

    #[test]
    fn secret_keys_are_never_echoed() {
        let secret = secret_text(&age::x25519::Identity::generate());
        let error = Recipients::parse(std::slice::from_ref(&secret), &[])
            .err()
            .map(|e| format!("{e:#}"))
            .unwrap_or_default();
        assert!(error.contains("secret key") && !error.contains(&secret), "{error}");
        let dir = tempfile::tempdir().unwrap_or_else(|_| unreachable!());
        let file = dir.path().join("recipients.txt");
        std::fs::write(&file, format!("# mine\n\n{secret}\n")).ok();
        let error =
            Recipients::parse(&[], &[file]).err().map(|e| format!("{e:#}")).unwrap_or_default();
        assert!(error.contains("line 3") && !error.contains(&secret), "{error}");
    }
}
