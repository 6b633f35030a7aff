//! A profile: what a site adds to the built-in rules — the columns of its custom modules
//! (`"res_partner.x_partner_ref" = "hash"`), built-in columns it keeps (`= "keep"`) — from the
//! settings' `[pseudonymize.columns]` and `--profile FILE` (a TOML file with a `[columns]`
//! table; the file wins), and the `--sql` hooks run after the rules, in the same transaction.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

use super::shapes::Kind;
use crate::error::Failure;

/// What a profile says of one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Rewrite(Kind),
    /// Left as it is (a built-in column this site needs kept).
    Keep,
}

/// The columns a profile names, and the hooks to run.
#[derive(Debug, Default, Clone)]
pub struct Profile {
    pub columns: Vec<(String, String, Choice)>,
    pub hooks: Vec<Hook>,
}

/// An SQL file run after the built-in rules, in the same transaction.
#[derive(Debug, Clone)]
pub struct Hook {
    pub path: PathBuf,
    pub sql: String,
}

/// The shapes a profile may name.
const SHAPES: &[(&str, Choice)] = &[
    ("keep", Choice::Keep),
    ("hash", Choice::Rewrite(Kind::Identifier)),
    ("clear", Choice::Rewrite(Kind::Clear)),
    ("name", Choice::Rewrite(Kind::Person)),
    ("company", Choice::Rewrite(Kind::Company)),
    ("email", Choice::Rewrite(Kind::Email)),
    ("emails", Choice::Rewrite(Kind::Emails)),
    ("phone", Choice::Rewrite(Kind::Phone)),
    ("street", Choice::Rewrite(Kind::Street)),
    ("city", Choice::Rewrite(Kind::City)),
    ("zip", Choice::Rewrite(Kind::Zip)),
    ("vat", Choice::Rewrite(Kind::Vat)),
    ("iban", Choice::Rewrite(Kind::BankAccount)),
    ("website", Choice::Rewrite(Kind::Website)),
    ("digits", Choice::Rewrite(Kind::Digits)),
    ("date", Choice::Rewrite(Kind::Date)),
    ("text", Choice::Rewrite(Kind::Text)),
    ("html", Choice::Rewrite(Kind::Html)),
];

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    columns: BTreeMap<String, String>,
}

impl Profile {
    /// The settings' columns, then `file`'s (which win), then the hooks' files, all read and
    /// checked now: a mistake is an error before anything changes.
    pub fn load(
        settings: &BTreeMap<String, String>,
        file: Option<&Path>,
        hooks: &[PathBuf],
    ) -> Result<Self> {
        let mut named = settings.clone();
        if let Some(path) = file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the profile {}", path.display()))?;
            let parsed: File = toml::from_str(&text).map_err(|error| {
                Failure::usage(format!(
                    "the profile {} is not valid: {}",
                    path.display(),
                    error.message()
                ))
                .hint("it holds a [columns] table of \"table.column\" = \"shape\"")
            })?;
            named.extend(parsed.columns);
        }
        let mut columns = Vec::new();
        for (name, shape) in &named {
            columns.push(parse(name, shape)?);
        }
        let hooks = hooks
            .iter()
            .map(|path| {
                Ok(Hook {
                    path: path.clone(),
                    sql: std::fs::read_to_string(path).with_context(|| {
                        format!("cannot read the --sql file {}", path.display())
                    })?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Self { columns, hooks })
    }

    /// What the profile says of `table.column`, if anything.
    pub fn choice(&self, table: &str, column: &str) -> Option<Choice> {
        self.columns
            .iter()
            .find(|(t, c, _)| t == table && c == column)
            .map(|(_, _, choice)| *choice)
    }
}

fn parse(name: &str, shape: &str) -> Result<(String, String, Choice)> {
    let valid = |part: &str| {
        !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    };
    let Some((table, column)) = name.split_once('.').filter(|(t, c)| valid(t) && valid(c)) else {
        return Err(Failure::usage(format!(
            "{name:?} is not a column of the pseudonymize profile"
        ))
        .hint("name it \"table.column\", in lower case: \"res_partner.x_partner_ref\" = \"hash\"")
        .into());
    };
    let Some((_, choice)) = SHAPES.iter().find(|(word, _)| *word == shape) else {
        let words: Vec<&str> = SHAPES.iter().map(|(word, _)| *word).collect();
        return Err(Failure::usage(format!("{shape:?} is not a pseudonym shape (for {name})"))
            .hint(format!("the shapes are: {}", words.join(", ")))
            .into());
    };
    Ok((table.to_string(), column.to_string(), *choice))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_shapes_are_checked() {
        assert!(parse("res_partner.x_ref", "hash").is_ok());
        assert!(matches!(parse("res_partner.x_notes", "keep"), Ok((_, _, Choice::Keep))));
        assert!(parse("res_partner", "hash").is_err());
        assert!(parse("res_partner.x; DROP TABLE y", "hash").is_err());
        assert!(parse("res_partner.x_ref", "md5").is_err());
    }
}
