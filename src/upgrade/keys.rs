//! The ssh key of one upgrade request: a fresh ed25519 pair made by the system's `ssh-keygen`,
//! kept beside the request's state (private, 0600) and sent to the platform as its public
//! half. A key per request means a leaked key opens one request's data, for as long as it
//! lives.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use crate::error::Failure;

#[derive(Debug, Clone)]
pub struct KeyPair {
    pub private: PathBuf,
    pub public: PathBuf,
}

impl KeyPair {
    /// The public key's text, as the platform wants it (the `.pub` file, newline included).
    pub fn public_text(&self) -> Result<String> {
        std::fs::read_to_string(&self.public)
            .with_context(|| format!("cannot read {}", self.public.display()))
    }
}

/// Makes a new pair at `<dir>/<stem>.key` (and `.key.pub`), replacing an older one.
pub async fn generate(dir: &Path, stem: &str) -> Result<KeyPair> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let private = dir.join(format!("{stem}.key"));
    let public = dir.join(format!("{stem}.key.pub"));
    for old in [&private, &public] {
        match std::fs::remove_file(old) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("cannot replace {}", old.display()));
            }
            _ => {}
        }
    }
    let output = tokio::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C"])
        .arg(format!("odoodb upgrade {stem}"))
        .arg("-f")
        .arg(&private)
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| {
            Failure::failed(format!("cannot run ssh-keygen: {e}"))
                .hint("install the OpenSSH client (apt-get install openssh-client)")
        })?;
    if !output.status.success() || !private.is_file() || !public.is_file() {
        return Err(Failure::failed(format!(
            "ssh-keygen could not make the request's key: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
        .into());
    }
    Ok(KeyPair { private, public })
}
