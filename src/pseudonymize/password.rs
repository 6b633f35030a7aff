//! Passwords as Odoo stores them: passlib's `pbkdf2_sha512`, `$pbkdf2-sha512$<rounds>$<salt>$<hash>`
//! (16 random bytes of salt, 64 bytes of PBKDF2-HMAC-SHA512 of the UTF-8 password, both in
//! passlib's adapted base64: `.` for `+`, no padding). Odoo checks any such hash, whatever its
//! rounds, and re-hashes it at the first login when its own count differs.

use anyhow::{Context as _, Result};
use base64::Engine as _;

use crate::secret::Secret;

const SALT_BYTES: usize = 16;
const HASH_BYTES: usize = 64;

/// The rounds Odoo `series` (`17.0`) hashes with by default: 25 000 up to 15 (passlib's own
/// default), 350 000 in 16, 600 000 from 17; `configured` is the database's
/// `password.hashing.rounds` (16 and later take the greater).
pub fn rounds_for(series: Option<&str>, configured: Option<u32>) -> u32 {
    let major: u32 = series
        .and_then(|s| s.trim_start_matches("saas~").split('.').next())
        .and_then(|major| major.parse().ok())
        .unwrap_or(17);
    let minimum = match major {
        0..=15 => return 25_000,
        16 => 350_000,
        _ => 600_000,
    };
    configured.map_or(minimum, |c| c.max(minimum))
}

/// The stored form of `password`, with a fresh random salt.
pub fn hash(password: &Secret, rounds: u32) -> Result<String> {
    let mut salt = [0u8; SALT_BYTES];
    getrandom::fill(&mut salt).map_err(|e| anyhow::anyhow!("no randomness for a salt: {e}"))?;
    Ok(hash_with(password, &salt, rounds))
}

fn hash_with(password: &Secret, salt: &[u8], rounds: u32) -> String {
    let mut derived = [0u8; HASH_BYTES];
    pbkdf2::pbkdf2_hmac::<sha2::Sha512>(password.expose().as_bytes(), salt, rounds, &mut derived);
    format!("$pbkdf2-sha512${rounds}${}${}", adapted(salt), adapted(&derived))
}

fn adapted(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes).replace('+', ".")
}

/// A random password for every user: 20 letters and digits (about 119 bits).
pub fn random() -> Result<Secret> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes)
        .map_err(|e| anyhow::anyhow!("no randomness for a password: {e}"))?;
    let text: String =
        bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect();
    Ok(Secret::new(text))
}

/// The first line of `path`: the password every user gets.
pub fn from_file(path: &std::path::Path) -> Result<Secret> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the password file {}", path.display()))?;
    let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if line.is_empty() {
        return Err(crate::error::Failure::usage(format!(
            "the password file {} is empty",
            path.display()
        ))
        .hint("put the password on its first line")
        .into());
    }
    Ok(Secret::new(line.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_has_passlibs_layout() {
        let hash = hash_with(&Secret::new("admin"), &[7u8; 16], 1000);
        let parts: Vec<&str> = hash.split('$').collect();
        assert_eq!(parts[..3], ["", "pbkdf2-sha512", "1000"]);
        assert_eq!(parts[3].len(), 22);
        assert_eq!(parts[4].len(), 86);
        assert!(hash.bytes().all(|b| b.is_ascii_alphanumeric() || b"$./-".contains(&b)));
    }

    #[test]
    fn rounds_follow_the_version() {
        assert_eq!(rounds_for(Some("15.0"), Some(900_000)), 25_000);
        assert_eq!(rounds_for(Some("16.0"), None), 350_000);
        assert_eq!(rounds_for(Some("17.0"), None), 600_000);
        assert_eq!(rounds_for(Some("saas~18.2"), Some(700_000)), 700_000);
        assert_eq!(rounds_for(Some("19.0"), Some(1)), 600_000);
    }
}
