//! Temporary names for atomic work: `<db>__odoodb_<kind>_<pid>`, for databases and filestore
//! folders alike, and the recovery of what a killed run left behind.

/// Marks every name odoodb makes for itself.
pub const MARK: &str = "__odoodb_";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A copy being built; worthless until swapped in.
    Building,
    /// A previous database or folder moved aside during a swap; precious until the swap ends.
    Previous,
    /// A filestore folder moved aside before its database is dropped.
    Deleting,
}

impl Kind {
    fn tag(self) -> &'static str {
        match self {
            Self::Building => "tmp",
            Self::Previous => "old",
            Self::Deleting => "del",
        }
    }
}

/// `<base>__odoodb_<kind>_<pid>`, the base shortened so the whole stays within 63 bytes.
pub fn make(base: &str, kind: Kind) -> String {
    let suffix = format!("{MARK}{}_{}", kind.tag(), std::process::id());
    let mut base = base.to_string();
    while base.len() + suffix.len() > 63 {
        base.pop();
    }
    format!("{base}{suffix}")
}

/// What a temporary name says: its base, kind and the process that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub base: String,
    pub kind: Kind,
    pub pid: u32,
}

pub fn parse(name: &str) -> Option<Parsed> {
    let (base, rest) = name.rsplit_once(MARK)?;
    let (tag, pid) = rest.split_once('_')?;
    let kind = match tag {
        "tmp" => Kind::Building,
        "old" => Kind::Previous,
        "del" => Kind::Deleting,
        _ => return None,
    };
    Some(Parsed { base: base.to_string(), kind, pid: pid.parse().ok()? })
}

/// Whether the process that made a name is gone (so its work is abandoned).
pub fn is_abandoned(parsed: &Parsed) -> bool {
    parsed.pid != std::process::id()
        && !std::path::Path::new(&format!("/proc/{}", parsed.pid)).exists()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_fit_postgres() {
        let name = make("prod", Kind::Building);
        assert_eq!(
            parse(&name),
            Some(Parsed { base: "prod".into(), kind: Kind::Building, pid: std::process::id() })
        );
        let long = make(&"x".repeat(63), Kind::Previous);
        assert!(long.len() <= 63);
        assert_eq!(parse(&long).map(|p| p.kind), Some(Kind::Previous));
        assert_eq!(parse("plain_name"), None);
        assert_eq!(parse("a__odoodb_zzz_12"), None);
    }
}
