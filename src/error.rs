//! Error kinds that choose an exit code or carry a hint. Everything else is a plain
//! `anyhow::Error` with context, and exits 1.

use std::fmt;

/// Exit codes, written once: the `Kind` mapping below, the line in `odoodb --help` and the man
/// pages' EXIT STATUS are all made from [`exit::TABLE`] (the README says the same in prose).
pub mod exit {
    pub const OK: u8 = 0;
    pub const FAILED: u8 = 1;
    pub const USAGE: u8 = 2;
    /// Done, but with a part that failed and was left out (`neutralize --continue-on-error`).
    pub const PARTIAL: u8 = 3;
    pub const CHECK_FAILED: u8 = 4;
    pub const INTERRUPTED: u8 = 130;

    /// One exit status: in a few words for `--help`, in full for the man pages.
    pub struct Status {
        pub code: u8,
        pub brief: &'static str,
        pub meaning: &'static str,
    }

    pub const TABLE: &[Status] = &[
        Status {
            code: OK,
            brief: "ok",
            meaning: "Success; also when stdout is a closed pipe, as in odoodb list | head.",
        },
        Status {
            code: FAILED,
            brief: "failed or declined",
            meaning: "Failed, or declined at a confirmation (\"Aborted.\").",
        },
        Status {
            code: USAGE,
            brief: "usage error (also: destructive command without a terminal and without --yes)",
            meaning: "Usage error: bad arguments, an invalid database name, an invalid odoo.conf or \
                      settings file, or a destructive command without a terminal and without \
                      --yes (or a database that looks like production without its name typed).",
        },
        Status {
            code: PARTIAL,
            brief: "done, but partly (neutralize --continue-on-error with a failed module file, \
                    or --interactive with steps declined; a backup of files already damaged on \
                    disk)",
            meaning: "Done, but partly: neutralize --continue-on-error committed with a module's \
                      data/neutralize.sql failed, neutralize --interactive committed with steps \
                      declined (their findings are still live), or backup wrote a complete \
                      archive of filestore files already damaged on disk.",
        },
        Status {
            code: CHECK_FAILED,
            brief: "a check found a problem",
            meaning: "A check found a problem (neutralize --check: something is still live; \
                      upgrade check: something blocks the upgrade).",
        },
        Status {
            code: INTERRUPTED,
            brief: "interrupted, after cleanup",
            meaning: "Interrupted (Ctrl-C or SIGTERM), after cleanup.",
        },
    ];

    /// The line `odoodb --help` ends with: `Exit codes: 0 ok · 1 failed or declined · …`.
    pub fn summary() -> String {
        let statuses: Vec<String> =
            TABLE.iter().map(|status| format!("{} {}", status.code, status.brief)).collect();
        format!("Exit codes: {}.", statuses.join(" · "))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Bad input or a refused invocation (e.g. destructive command, no TTY, no `--yes`).
    Usage,
    /// The user answered no at a prompt.
    Declined,
    /// A check (`neutralize --check`, `backup --verify`) found a problem.
    CheckFailed,
    /// The work was done and committed, except a part that failed (`--continue-on-error`).
    Partial,
    /// Ctrl-C, after cleanup.
    Interrupted,
    /// Anything else that went wrong, with a hint on what to do.
    Failed,
}

/// An error that knows its exit code and, optionally, what the user should do next.
#[derive(Debug)]
pub struct Failure {
    pub kind: Kind,
    pub message: String,
    pub hint: Option<String>,
}

impl Failure {
    pub fn new(kind: Kind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into(), hint: None }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Kind::Usage, message)
    }

    pub fn failed(message: impl Into<String>) -> Self {
        Self::new(Kind::Failed, message)
    }

    pub fn declined() -> Self {
        Self::new(Kind::Declined, "Aborted at the prompt").unchanged()
    }

    /// Declined at a prompt about `name`.
    pub fn declined_for(name: &str) -> Self {
        Self::new(Kind::Declined, format!("Aborted: {name} was not confirmed")).unchanged()
    }

    pub fn interrupted() -> Self {
        Self::new(Kind::Interrupted, "interrupted")
    }

    pub fn check_failed(message: impl Into<String>) -> Self {
        Self::new(Kind::CheckFailed, message)
    }

    /// Says that the run changed nothing: "; nothing was changed" after the message, the words
    /// every refusal before a change ends with.
    #[must_use]
    pub fn unchanged(mut self) -> Self {
        self.message.push_str("; nothing was changed");
        self
    }

    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn exit_code(&self) -> u8 {
        match self.kind {
            Kind::Usage => exit::USAGE,
            Kind::Declined | Kind::Failed => exit::FAILED,
            Kind::CheckFailed => exit::CHECK_FAILED,
            Kind::Partial => exit::PARTIAL,
            Kind::Interrupted => exit::INTERRUPTED,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// Shorthand for `Err(Failure::usage(..).hint(..).into())`.
pub fn usage_error(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    Failure::usage(message).hint(hint).into()
}

/// A layer's reading of a cause in an error's chain that is one of its own errors: the run then
/// exits 1, with this hint if there is one.
pub struct Explained {
    pub hint: Option<String>,
}

/// Reads one cause: `Some` when it is the layer's own error, `None` when it is not. The layers
/// explain their own errors; this module knows none of them.
pub type Explain = fn(&(dyn std::error::Error + 'static)) -> Option<Explained>;

/// The exit code and hint chosen by the first cause in the chain that is a `Failure`, or that
/// `explain` recognises.
pub fn classify(error: &anyhow::Error, explain: Explain) -> (u8, Option<String>) {
    // A `Failure` given as context is not itself in the chain, only its wrapper.
    if let Some(failure) = error.downcast_ref::<Failure>() {
        return (failure.exit_code(), failure.hint.clone());
    }
    for cause in error.chain() {
        if let Some(failure) = cause.downcast_ref::<Failure>() {
            return (failure.exit_code(), failure.hint.clone());
        }
        // Readers can only fail with an io::Error: a `Failure` travels inside one.
        if let Some(failure) = cause
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            .and_then(|inner| inner.downcast_ref::<Failure>())
        {
            return (failure.exit_code(), failure.hint.clone());
        }
        if let Some(explained) = explain(cause) {
            return (exit::FAILED, explained.hint);
        }
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::PermissionDenied
        {
            return (
                exit::FAILED,
                Some(
                    "run odoodb as the user that owns the Odoo data directory (often `odoo`)"
                        .into(),
                ),
            );
        }
    }
    (exit::FAILED, None)
}

/// The whole chain on one line, without repeating a cause already contained in its parent's text.
pub fn one_line(error: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in error.chain() {
        let text = cause.to_string().replace('\n', " ");
        // tokio-postgres says "db error", then the server's "ERROR:  …": keep the message only.
        let text = text.trim();
        let text = text.strip_prefix("db error").unwrap_or(text).trim_start_matches(':').trim();
        let text = text.strip_prefix("ERROR:").unwrap_or(text).trim().to_string();
        if text.is_empty() || parts.last().is_some_and(|last| last.contains(&text)) {
            continue;
        }
        parts.push(text);
    }
    parts.join(": ")
}

/// Whether the error is a closed pipe on stdout (`odoodb list | head`): that is success.
pub fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_layer(_: &(dyn std::error::Error + 'static)) -> Option<Explained> {
        None
    }

    #[test]
    fn usage_errors_exit_2_with_their_hint() {
        let error = anyhow::Error::from(Failure::usage("bad name").hint("use letters"))
            .context("checking the arguments");
        assert_eq!(classify(&error, no_layer), (2, Some("use letters".into())));
        assert_eq!(one_line(&error), "checking the arguments: bad name");
    }

    #[test]
    fn server_errors_read_once() {
        let error = anyhow::anyhow!("ERROR: permission denied to create database")
            .context("db error: ERROR: permission denied to create database")
            .context("duplicating a to b failed");
        assert_eq!(
            one_line(&error),
            "duplicating a to b failed: permission denied to create database"
        );
    }

    #[test]
    fn a_failure_inside_an_io_error_keeps_its_code_and_hint() {
        let io = std::io::Error::other(Failure::failed("x stalled").hint("raise it"));
        let error = anyhow::Error::from(io).context("cannot read the dump");
        assert_eq!(classify(&error, no_layer), (1, Some("raise it".into())));
        let io = std::io::Error::other(Failure::interrupted());
        assert_eq!(classify(&anyhow::Error::from(io), no_layer).0, 130);
    }

    #[test]
    fn every_exit_code_is_in_the_table_once() {
        let kinds = [
            Kind::Usage,
            Kind::Declined,
            Kind::CheckFailed,
            Kind::Partial,
            Kind::Interrupted,
            Kind::Failed,
        ];
        for kind in kinds {
            let code = Failure::new(kind, "x").exit_code();
            assert!(exit::TABLE.iter().any(|status| status.code == code), "{kind:?}");
        }
        for (index, status) in exit::TABLE.iter().enumerate() {
            assert!(exit::TABLE[index + 1..].iter().all(|other| other.code != status.code));
        }
    }

    #[test]
    fn unchanged_says_so_after_the_message() {
        let failure = Failure::usage("db is busy").unchanged().hint("wait");
        assert_eq!(failure.to_string(), "db is busy; nothing was changed");
        assert_eq!(Failure::declined().to_string(), "Aborted at the prompt; nothing was changed");
    }

    #[test]
    fn plain_errors_exit_1() {
        let error = anyhow::anyhow!("boom");
        assert_eq!(classify(&error, no_layer).0, 1);
    }

    #[test]
    fn broken_pipe_is_recognised_through_context() {
        let error = anyhow::Error::from(std::io::Error::from(std::io::ErrorKind::BrokenPipe))
            .context("writing output");
        assert!(is_broken_pipe(&error));
    }
}
