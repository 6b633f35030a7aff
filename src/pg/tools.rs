//! PostgreSQL's client programs (pg_dump, pg_restore, psql): found in odoo.conf `pg_path`, else
//! on PATH, and run with the same connection as odoodb's own — the password through a password
//! file that lives only in memory and only in that child, never on a command line, in an
//! environment, or on disk (a kill -9 leaves nothing behind).

use std::fs::File;
use std::io::Write as _;
use std::os::fd::{OwnedFd, RawFd};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use command_fds::{CommandFdExt as _, FdMapping};
use nix::fcntl::{FcntlArg, SealFlag, fcntl};
use nix::sys::memfd::{MFdFlags, memfd_create};
use tokio::process::Command;

use super::ConnectParams;
use crate::error::Failure;

/// Where Debian and Ubuntu install each PostgreSQL major's programs side by side.
const VERSIONED_ROOT: &str = "/usr/lib/postgresql";

/// One of PostgreSQL's client programs, and how to connect it.
pub struct Tool {
    pub program: PathBuf,
    params: ConnectParams,
    /// The password, as a password file in memory (closed when the tool is dropped).
    passfile: Option<MemoryPassfile>,
}

impl Tool {
    /// Finds `name` (`pg_dump`, `pg_restore`, `psql`) in `pg_path`, else on PATH.
    pub fn find(name: &str, pg_path: Option<&Path>, params: &ConnectParams) -> Result<Self> {
        let program = match pg_path {
            Some(dir) => dir.join(name),
            None => which(name).ok_or_else(|| {
                Failure::failed(format!("{name} was not found on PATH"))
                    .hint("install PostgreSQL's client programs (apt-get install postgresql-client), or set pg_path in odoo.conf")
            })?,
        };
        if !program.is_file() {
            return Err(Failure::failed(format!("{} does not exist", program.display()))
                .hint("check pg_path in odoo.conf")
                .into());
        }
        let passfile = match &params.password {
            Some(password) => Some(MemoryPassfile::new(params, password.expose())?),
            None => None,
        };
        Ok(Self { program, params: params.clone(), passfile })
    }

    /// Finds `name` as `find` does, but one that can talk to a server of `server_major`: when
    /// the one found is older (pg_dump refuses a newer server), the server's own version from
    /// Debian's and Ubuntu's layout (`/usr/lib/postgresql/<major>/bin`) if it is installed;
    /// `note` hears which was taken instead. Returns the tool and its version.
    pub async fn find_for_server(
        name: &str,
        pg_path: Option<&Path>,
        params: &ConnectParams,
        server_major: u32,
        note: &dyn Fn(&str),
    ) -> Result<(Self, (u32, u32))> {
        let tool = Self::find(name, pg_path, params)?;
        let version = tool.version().await?;
        if version.0 >= server_major {
            return Ok((tool, version));
        }
        let matching = Path::new(VERSIONED_ROOT).join(server_major.to_string()).join("bin");
        if matching.join(name).is_file() {
            let other = Self::find(name, Some(&matching), params)?;
            let other_version = other.version().await?;
            if other_version.0 >= server_major {
                note(&format!(
                    "{} is {}.{}, older than the server ({server_major}): using {}",
                    tool.program.display(),
                    version.0,
                    version.1,
                    other.program.display()
                ));
                return Ok((other, other_version));
            }
        }
        Err(Failure::failed(format!(
            "{} is version {}.{}, older than the server ({server_major}): it cannot work with it",
            tool.program.display(),
            version.0,
            version.1
        ))
        .hint(format!(
            "install PostgreSQL {server_major}'s client programs (apt-get install postgresql-client-{server_major}), or point pg_path in odoo.conf at them"
        ))
        .into())
    }

    /// The program's version, e.g. (15, 18), from `--version`.
    pub async fn version(&self) -> Result<(u32, u32)> {
        let output = Command::new(&self.program)
            .arg("--version")
            .output()
            .await
            .with_context(|| format!("cannot run {}", self.program.display()))?;
        let text = String::from_utf8_lossy(&output.stdout);
        parse_version(&text).with_context(|| {
            format!("cannot read the version of {} from {text:?}", self.program.display())
        })
    }

    /// A command for `database`, connected as odoodb is (host, port, user, sslmode, password).
    pub fn command(&self, database: &str) -> Result<Command> {
        let mut command = Command::new(&self.program);
        command.kill_on_drop(true);
        self.connect(&mut command, database)?;
        Ok(command)
    }

    /// Gives `command` (this tool, or a program that runs it, such as an upgrade script) the
    /// connection to `database`: the libpq variables, and the password file on a descriptor of
    /// its own. Only this command gets that descriptor, not every child odoodb starts.
    pub fn connect(&self, command: &mut Command, database: &str) -> Result<()> {
        command
            .env("PGHOST", &self.params.host)
            .env("PGPORT", self.params.port.to_string())
            .env("PGUSER", &self.params.user)
            .env("PGDATABASE", database)
            .env("PGSSLMODE", self.params.sslmode.as_str())
            .env("PGAPPNAME", "odoodb")
            .env_remove("PGPASSWORD");
        match &self.params.root_cert {
            Some(super::RootCert::File(path)) => {
                command.env("PGSSLROOTCERT", path);
            }
            Some(super::RootCert::System) => {
                command.env("PGSSLROOTCERT", "system");
            }
            None => {}
        }
        if let Some(cert) = &self.params.client_cert {
            command.env("PGSSLCERT", cert);
        }
        if let Some(key) = &self.params.client_key {
            command.env("PGSSLKEY", key);
        }
        command.env("PGCONNECT_TIMEOUT", self.params.connect_timeout.as_secs().max(2).to_string());
        match (&self.passfile, &self.params.passfile) {
            (Some(file), _) => file.hand_to(command)?,
            (None, Some(file)) => {
                command.env("PGPASSFILE", file);
            }
            (None, None) => {}
        }
        Ok(())
    }
}

/// The descriptor the password file has in a child. Not 3 to 9, which shell scripts take for
/// their own redirections (`exec 9>lock`), nor just above, where shells put the descriptors
/// they save while redirecting.
const PASSFILE_FD: RawFd = 47;

/// A password file in memory (a memfd): there is no name on any filesystem to leave behind,
/// and the kernel frees it when the last descriptor closes, kill -9 included.
struct MemoryPassfile {
    file: File,
}

impl MemoryPassfile {
    fn new(params: &ConnectParams, password: &str) -> Result<Self> {
        let escape = |s: &str| s.replace('\\', "\\\\").replace(':', "\\:");
        let made = (|| -> Result<File> {
            // Close-on-exec: no child inherits it unless `hand_to` maps it into that child.
            let fd: OwnedFd =
                memfd_create("odoodb-pgpass", MFdFlags::MFD_CLOEXEC | MFdFlags::MFD_ALLOW_SEALING)?;
            // libpq ignores a password file that group or others may read, or that is not a
            // regular file; a memfd is one, but is made 0777.
            nix::sys::stat::fchmod(
                &fd,
                nix::sys::stat::Mode::S_IRUSR | nix::sys::stat::Mode::S_IWUSR,
            )?;
            let mut file = File::from(fd);
            writeln!(file, "*:*:*:{}:{}", escape(&params.user), escape(password))?;
            // Nobody, not even a child handed it, can change what it says.
            fcntl(
                &file,
                FcntlArg::F_ADD_SEALS(
                    SealFlag::F_SEAL_WRITE
                        | SealFlag::F_SEAL_GROW
                        | SealFlag::F_SEAL_SHRINK
                        | SealFlag::F_SEAL_SEAL,
                ),
            )?;
            Ok(file)
        })();
        let file =
            made.context("cannot make the in-memory password file for PostgreSQL's tools")?;
        Ok(Self { file })
    }

    /// Maps the file into `command` at `PASSFILE_FD` and points libpq at it. libpq opens the
    /// file anew for every connection (pg_dump and pg_restore `--jobs` open several): opening
    /// `/dev/fd/N` of a memfd opens the file itself, from its start, so each reads it whole.
    fn hand_to(&self, command: &mut Command) -> Result<()> {
        let fd = OwnedFd::from(
            self.file.try_clone().context("cannot pass the password file to a PostgreSQL tool")?,
        );
        command
            .fd_mappings(vec![FdMapping { parent_fd: fd, child_fd: PASSFILE_FD }])
            .context("cannot pass the password file to a PostgreSQL tool")?;
        command.env("PGPASSFILE", format!("/dev/fd/{PASSFILE_FD}"));
        Ok(())
    }
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH")
        .map(|path| std::env::split_paths(&path).map(|dir| dir.join(name)).collect::<Vec<_>>())
        .unwrap_or_default()
        .into_iter()
        .find(|candidate| candidate.is_file())
}

/// What the sweep of old password files found: removed files, and those it could not remove.
#[derive(Debug, Default)]
pub struct OldPassfiles {
    pub removed: Vec<PathBuf>,
    pub problems: Vec<String>,
}

/// Removes the password files (`odoodb-pgpass-*` in the temp folder) that odoodb versions
/// before the in-memory one wrote, and that a kill -9 left with a password in them. Only this
/// user's regular files: another user's are theirs to remove, and a link is never followed.
pub fn remove_old_passfiles() -> OldPassfiles {
    let mut found = OldPassfiles::default();
    let dir = std::env::temp_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else { return found };
    let me = nix::unistd::geteuid().as_raw();
    for entry in entries.flatten() {
        if !entry.file_name().to_string_lossy().starts_with("odoodb-pgpass-") {
            continue;
        }
        let path = entry.path();
        let ours = path.symlink_metadata().is_ok_and(|meta| {
            meta.file_type().is_file() && std::os::unix::fs::MetadataExt::uid(&meta) == me
        });
        if !ours {
            continue;
        }
        match std::fs::remove_file(&path) {
            Ok(()) => found.removed.push(path),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => found.problems.push(format!(
                "cannot remove {}, a password file an older odoodb left: {error}",
                path.display()
            )),
        }
    }
    found
}

fn parse_version(text: &str) -> Option<(u32, u32)> {
    // "pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
    let number = text
        .split_whitespace()
        .find(|word| word.chars().next().is_some_and(|c| c.is_ascii_digit()))?;
    let mut parts = number.split(|c: char| !c.is_ascii_digit());
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor))
}

#[cfg(test)]
mod tests {
    use super::parse_version;

    #[test]
    fn reads_versions() {
        assert_eq!(
            parse_version("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"),
            Some((15, 18))
        );
        assert_eq!(parse_version("psql (PostgreSQL) 17beta1"), Some((17, 0)));
        assert_eq!(parse_version("nothing"), None);
    }
}
