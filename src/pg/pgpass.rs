//! `~/.pgpass` (or `$PGPASSFILE`), read the way libpq reads it: first matching line wins.

use std::path::Path;

use crate::secret::Secret;

#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    Found(Secret),
    NotFound,
    /// libpq ignores a password file that group or others can read; so do we.
    Insecure,
}

/// What a connection is looking for in the file.
pub struct Target<'a> {
    pub host: &'a str,
    pub port: u16,
    pub dbname: &'a str,
    pub user: &'a str,
}

pub fn lookup(path: &Path, target: &Target<'_>) -> Lookup {
    use std::os::unix::fs::PermissionsExt as _;
    let Ok(metadata) = std::fs::metadata(path) else {
        return Lookup::NotFound;
    };
    if !metadata.is_file() {
        return Lookup::NotFound;
    }
    if metadata.permissions().mode() & 0o077 != 0 {
        return Lookup::Insecure;
    }
    match std::fs::read_to_string(path) {
        Ok(text) => find(&text, target).map_or(Lookup::NotFound, Lookup::Found),
        Err(_) => Lookup::NotFound,
    }
}

fn find(text: &str, target: &Target<'_>) -> Option<Secret> {
    let port = target.port.to_string();
    // A socket directory also matches `localhost`, as libpq does for its default socket.
    let host_matches = |field: &str| {
        field == "*"
            || field == target.host
            || (target.host.starts_with('/') && field == "localhost")
    };
    text.lines()
        .filter(|line| !line.trim_start().starts_with('#'))
        .filter_map(split_fields)
        .find(|fields| {
            host_matches(&fields[0])
                && (fields[1] == "*" || fields[1] == port)
                && (fields[2] == "*" || fields[2] == target.dbname)
                && (fields[3] == "*" || fields[3] == target.user)
        })
        .map(|fields| Secret::new(fields[4].clone()))
}

/// Splits `host:port:db:user:password`, honouring `\:` and `\\`.
fn split_fields(line: &str) -> Option<[String; 5]> {
    let mut fields: Vec<String> = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    fields.last_mut()?.push(next);
                }
            }
            ':' if fields.len() < 5 => fields.push(String::new()),
            _ => fields.last_mut()?.push(c),
        }
    }
    fields.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target<'a>(host: &'a str, dbname: &'a str) -> Target<'a> {
        Target { host, port: 5432, dbname, user: "odoo" }
    }

    #[test]
    fn first_matching_line_wins() {
        let text = "# comment\nother:5432:*:odoo:no\nlocalhost:5432:prod:odoo:p1\n*:*:*:odoo:p2\n";
        assert_eq!(
            find(text, &target("localhost", "prod")).map(|s| s.expose().to_string()),
            Some("p1".into())
        );
        assert_eq!(
            find(text, &target("db.lan", "prod")).map(|s| s.expose().to_string()),
            Some("p2".into())
        );
    }

    #[test]
    fn socket_directory_matches_localhost() {
        let text = "localhost:5432:*:odoo:sock\n";
        assert!(find(text, &target("/var/run/postgresql", "x")).is_some());
    }

    #[test]
    fn escaped_colons_and_backslashes() {
        let text = "h:5432:d:odoo:a\\:b\\\\c\n";
        assert_eq!(
            find(text, &target("h", "d")).map(|s| s.expose().to_string()),
            Some("a:b\\c".into())
        );
    }

    #[test]
    fn short_lines_are_ignored() {
        assert!(find("h:5432:d\n", &target("h", "d")).is_none());
    }
}
