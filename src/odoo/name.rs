//! Odoo's rule for database names, enforced everywhere (Odoo only checks it in its web form).

use anyhow::Result;

use crate::error::usage_error;
use crate::pg::admin::SYSTEM_DATABASES;

/// PostgreSQL truncates identifiers longer than this, so two long names could collide.
const MAX_NAME_BYTES: usize = 63;

/// `^[a-zA-Z0-9][a-zA-Z0-9_.-]+$`, at most 63 bytes, and not a system database.
pub fn validate(name: &str) -> Result<()> {
    let fix =
        "use 2 to 63 characters: letters, digits, `_`, `.`, `-`, starting with a letter or digit";
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if name.len() < 2 || !first_ok || !rest_ok {
        return Err(usage_error(format!("{} is not a valid database name", shown(name)), fix));
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(usage_error(
            format!("database name {name:?} is {} bytes long; PostgreSQL allows 63", name.len()),
            fix,
        ));
    }
    if name.contains(crate::safe::names::LEGACY_MARK) {
        return Err(usage_error(
            format!("{name:?} contains `__odoodb_`, which marks odoodb's own temporary names"),
            "choose a name without `__odoodb_`",
        ));
    }
    if SYSTEM_DATABASES.contains(&name) {
        // The same kind (and exit code) as any other database that is not Odoo's.
        return Err(crate::error::Failure::failed(format!(
            "{name:?} is not an Odoo database (it is a PostgreSQL system database)"
        ))
        .hint("`odoodb list` shows the Odoo databases; `--all` shows the others too")
        .into());
    }
    Ok(())
}

/// The name quoted, with control characters escaped so it cannot play tricks on a terminal.
fn shown(name: &str) -> String {
    format!("{name:?}")
}

#[cfg(test)]
mod tests {
    use super::validate;

    #[test]
    fn accepts_odoo_names() {
        for name in ["prod", "odoo17", "a1", "My.db-copy_2", "0day"] {
            assert!(validate(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn rejects_what_odoo_rejects_and_system_databases() {
        let long = "a".repeat(64);
        for name in [
            "",
            "a",
            "_x",
            "-x",
            ".x",
            "has space",
            "semi;colon",
            "quote\"",
            "é1",
            &long,
            "postgres",
            "template1",
            "prod__odoodb_tmp_12",
        ] {
            assert!(validate(name).is_err(), "{name}");
        }
    }
}
