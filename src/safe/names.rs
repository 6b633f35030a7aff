//! Names of the temporaries a change works under. They start with `_`, which Odoo's name rule
//! (and so odoodb's) forbids for user databases, so a user can never make or pick one; they
//! are short and fixed-length, so PostgreSQL's 63-byte limit never truncates them; and they map
//! back to their change through the journal, never by parsing a user's name.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Every temporary name starts with this.
pub const PREFIX: &str = "_odoodb_";

/// The mark of temporaries made by odoodb before the journal existed (`<db>__odoodb_tmp_<pid>`).
/// A user name carrying it is refused, so a stale sweep can never mistake it for a leftover.
pub const LEGACY_MARK: &str = "__odoodb_";

/// One run of a changing command: random, so runs on different hosts never collide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RunId(pub u32);

impl RunId {
    pub fn new() -> Self {
        // Four bytes of a v4 uuid: random enough, and no new dependency.
        let bytes = uuid::Uuid::new_v4().into_bytes();
        Self(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    /// The second key of the run's advisory lock.
    pub fn lock_key(self) -> i32 {
        i32::from_ne_bytes(self.0.to_ne_bytes())
    }

    /// `_odoodb_<role>_<run>`: the database or folder name of one temporary of this run.
    pub fn temporary(self, role: Role) -> String {
        format!("{PREFIX}{}_{self}", role.tag())
    }
}

impl Default for RunId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:08x}", self.0)
    }
}

/// What a temporary is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The new database or folder being built; worthless until swapped in.
    Building,
    /// The previous one, moved aside by a swap; precious until the swap is complete.
    Previous,
    /// A filestore folder moved aside before its database is dropped.
    Deleting,
}

impl Role {
    fn tag(self) -> &'static str {
        match self {
            Self::Building => "new",
            Self::Previous => "old",
            Self::Deleting => "del",
        }
    }
}

/// The run a temporary of the current form belongs to.
pub fn run_of(name: &str) -> Option<RunId> {
    let rest = name.strip_prefix(PREFIX)?;
    let (_, hex) = rest.split_once('_')?;
    u32::from_str_radix(hex, 16).ok().filter(|_| hex.len() == 8).map(RunId)
}

/// Whether `name` is one of odoodb's temporaries (current or legacy form).
pub fn is_temporary(name: &str) -> bool {
    name.starts_with(PREFIX) || name.contains(LEGACY_MARK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporaries_are_short_and_never_valid_user_names() {
        let run = RunId(0x00ab_cdef);
        let name = run.temporary(Role::Building);
        assert_eq!(name, "_odoodb_new_00abcdef");
        assert!(name.len() <= 63);
        assert!(crate::odoo::name::validate(&name).is_err());
        assert!(is_temporary(&name) && is_temporary("prod__odoodb_tmp_12"));
        assert!(!is_temporary("prod"));
        assert_eq!(run_of(&name), Some(run));
        assert_eq!(run_of("prod"), None);
        assert_ne!(RunId::new(), RunId::new());
    }
}
