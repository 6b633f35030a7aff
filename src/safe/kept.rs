//! The twins of production an upgrade leaves: the original it kept, and the upgraded database a
//! rollback set aside. Both are production's twins (same uuid, crons, mail servers), and Odoo
//! runs crons on every database that accepts connections: they are closed to connections and
//! marked (their COMMENT) so that `list`, `info` and `upgrade rollback` know them for what they
//! are, even in a later run.

use anyhow::{Context as _, Result};
use tokio_postgres::Client;

use crate::pg::{admin, quote_ident, quote_literal};

const KEPT: &str = "odoodb: the original of ";
const ASIDE: &str = "odoodb: the upgraded ";

/// What a database's mark says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Twin {
    /// The original of a database, kept by its upgrade or update.
    Original { of: String },
    /// The upgraded database a rollback set aside.
    Upgraded { of: String },
}

impl Twin {
    /// The mark of this twin.
    pub fn comment(&self, name: &str) -> String {
        match self {
            Self::Original { of } => format!(
                "{KEPT}{of} kept by its upgrade or update, closed to connections: `odoodb upgrade rollback {of}` puts it back, `odoodb delete {name}` removes it"
            ),
            Self::Upgraded { of } => format!(
                "{ASIDE}{of} set aside by a rollback, closed to connections: `odoodb delete {name}` removes it"
            ),
        }
    }

    /// The twin a database's COMMENT names, if it is one.
    pub fn from_comment(comment: &str) -> Option<Self> {
        let of = |rest: &str| rest.split_whitespace().next().map(str::to_string);
        if let Some(rest) = comment.strip_prefix(KEPT) {
            return of(rest).map(|of| Self::Original { of });
        }
        comment.strip_prefix(ASIDE).and_then(of).map(|of| Self::Upgraded { of })
    }

    /// What `list` and `info` say of it.
    pub fn describe(&self) -> String {
        match self {
            Self::Original { of } => format!(
                "the original of {of} kept by its upgrade or update, closed to connections (`odoodb upgrade rollback {of}` puts it back)"
            ),
            Self::Upgraded { of } => {
                format!("the upgraded {of} set aside by a rollback, closed to connections")
            }
        }
    }
}

/// The twin `db` is, when it is one closed to connections.
pub async fn closed_twin(client: &Client, db: &str) -> Result<Option<Twin>> {
    let row = admin::find_database(client, db).await?;
    Ok(row
        .filter(|row| !row.allows_connections)
        .and_then(|row| row.comment.as_deref().and_then(Twin::from_comment)))
}

/// Closes `db` to connections (ending none: a twin is kept while nothing uses it) and marks it.
pub async fn close(client: &Client, db: &str, twin: &Twin) -> Result<()> {
    client
        .batch_execute(&format!(
            "{}; COMMENT ON DATABASE {} IS {}",
            admin::allow_connections_sql(db, false),
            quote_ident(db),
            quote_literal(&twin.comment(db))
        ))
        .await
        .with_context(|| format!("cannot close and mark {db}"))
}

/// Opens `db` to connections and takes a twin's mark off it (it is production again).
pub async fn reopen(client: &Client, db: &str) -> Result<()> {
    client
        .batch_execute(&format!(
            "{}; COMMENT ON DATABASE {} IS NULL",
            admin::allow_connections_sql(db, true),
            quote_ident(db)
        ))
        .await
        .with_context(|| format!("cannot open {db} to connections again"))
}

/// The originals of `db` its upgrades kept, newest first (by the time in their names,
/// `<db>_pre_<series>_<YYYY-mm-dd_HH-MM-SS>`). Those kept before databases were marked are
/// known by that name alone.
pub async fn originals_of(client: &Client, db: &str) -> Result<Vec<String>> {
    let rows = client
        .query(
            "SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database \
              WHERE NOT datistemplate",
            &[],
        )
        .await
        .context("cannot list the databases")?;
    let unmarked_prefix = format!("{db}_pre_");
    let mut found: Vec<String> = rows
        .iter()
        .filter_map(|row| {
            let (name, comment): (String, Option<String>) = (row.get(0), row.get(1));
            let twin = comment.as_deref().and_then(Twin::from_comment);
            let ours = match twin {
                Some(Twin::Original { of }) => of == db,
                Some(Twin::Upgraded { .. }) => false,
                None => name.starts_with(&unmarked_prefix) && stamp(&name).is_some(),
            };
            ours.then_some(name)
        })
        .collect();
    found.sort_by(|a, b| stamp(b).cmp(&stamp(a)).then_with(|| b.cmp(a)));
    Ok(found)
}

/// The `YYYY-mm-dd_HH-MM-SS` a kept name ends with.
fn stamp(name: &str) -> Option<&str> {
    let start = name.len().checked_sub(19)?;
    let stamp = name.get(start..)?;
    chrono::NaiveDateTime::parse_from_str(stamp, "%Y-%m-%d_%H-%M-%S").ok().map(|_| stamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mark_names_what_it_is_a_twin_of() {
        for twin in [Twin::Original { of: "prod".into() }, Twin::Upgraded { of: "prod".into() }] {
            assert_eq!(Twin::from_comment(&twin.comment("prod_x")), Some(twin));
        }
        assert_eq!(Twin::from_comment("odoodb run 123 (copy of a): temporary"), None);
    }

    #[test]
    fn kept_names_carry_their_time() {
        assert_eq!(stamp("prod_pre_18.0_2026-12-02_12-46-04"), Some("2026-12-02_12-46-04"));
        assert_eq!(stamp("prod_pre_18.0"), None);
    }
}
