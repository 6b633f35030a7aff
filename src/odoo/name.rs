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

/// The looser rule for a database that already exists (made by hand, or by an older tool): any
/// name PostgreSQL took, as long as it is safe as a folder name under the filestore root and is
/// not one of odoodb's own temporaries (`odoodb recover` settles those). New names get
/// `validate`.
pub fn validate_existing(name: &str) -> Result<()> {
    if name.is_empty() || name.len() > MAX_NAME_BYTES {
        return Err(usage_error(
            format!("{} is not a database name PostgreSQL could have", shown(name)),
            "name an existing database (`odoodb list --all` shows them)",
        ));
    }
    if name.contains(['/', '\0']) || name == "." || name == ".." {
        return Err(usage_error(
            format!("{} cannot be used as a filestore folder name", shown(name)),
            "rename it with psql (ALTER DATABASE … RENAME TO …) to a name of letters, digits, `_`, `.`, `-`",
        ));
    }
    if name.starts_with(crate::safe::names::PREFIX) {
        return Err(usage_error(
            format!("{name:?} is a temporary of an odoodb run"),
            "`odoodb recover` completes or removes it",
        ));
    }
    if SYSTEM_DATABASES.contains(&name) {
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

/// The candidate closest to a name that was not found, for a "did you mean" hint: at most two
/// edits away (one for names of three characters or fewer), a swap of two neighbours counting
/// as one (`prod71` → `prod17`). System databases are never suggested.
pub fn closest<'a>(name: &str, candidates: &'a [String]) -> Option<&'a str> {
    let limit = if name.chars().count() <= 3 { 1 } else { 2 };
    candidates
        .iter()
        .filter(|c| c.as_str() != name && !SYSTEM_DATABASES.contains(&c.as_str()))
        .map(|c| (edit_distance(name, c), c.as_str()))
        .filter(|(distance, _)| *distance <= limit)
        .min()
        .map(|(_, candidate)| candidate)
}

/// Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`: the optimal string
/// alignment distance.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_closest_name_is_suggested() {
        let names: Vec<String> =
            ["prod17", "prod18", "staging", "postgres", "ab"].map(String::from).to_vec();
        assert_eq!(super::closest("prod71", &names), Some("prod17"));
        assert_eq!(super::closest("prod1", &names), Some("prod17"));
        assert_eq!(super::closest("stagign", &names), Some("staging"));
        assert_eq!(super::closest("production", &names), None);
        assert_eq!(super::closest("postgre", &names), None, "never a system database");
        assert_eq!(super::closest("xy", &names), None);
        assert_eq!(super::edit_distance("ab", "ba"), 1);
        assert_eq!(super::edit_distance("", "abc"), 3);
    }

    use super::validate;

    #[test]
    fn existing_names_only_need_to_be_safe_folder_names() {
        use super::validate_existing;
        for name in ["try odd q'x", "Été", "a"] {
            assert!(validate_existing(name).is_ok(), "{name}");
        }
        for name in ["", "a/b", "..", "_odoodb_new_00000001", "postgres"] {
            assert!(validate_existing(name).is_err(), "{name}");
        }
    }

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
