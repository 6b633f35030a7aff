//! Neutral values column by column: one action per column, so the plan and `--check` name the
//! exact column still live (`payment_provider.stripe_secret_key`), and a table that has only
//! some of the columns (one module of several installed) gets exactly those.

use super::{Action, Schema};

/// A column that must hold `value` (an SQL expression) on the rows matching `rows`.
#[derive(Debug, Clone, Copy)]
pub struct Neutral {
    pub column: &'static str,
    pub value: &'static str,
    /// SQL condition of the rows concerned; `None`: every row.
    pub rows: Option<&'static str>,
}

/// `column` holds `value` on every row.
pub const fn all(column: &'static str, value: &'static str) -> Neutral {
    Neutral { column, value, rows: None }
}

/// `column` holds `value` on the rows matching `rows`.
pub const fn rows(column: &'static str, value: &'static str, rows: &'static str) -> Neutral {
    Neutral { column, value, rows: Some(rows) }
}

impl Neutral {
    /// How the neutral value reads in a plan: "cleared", or the value without quotes.
    fn shown(&self) -> String {
        match self.value {
            "NULL" => "set (to be cleared)".into(),
            "''" => "blank".into(),
            value => format!("not {}", value.trim_matches('\'')),
        }
    }

    pub fn action(&self, table: &str) -> Action {
        let what = format!("{table}.{} {}", self.column, self.shown());
        let differs = format!("{} IS DISTINCT FROM {}", self.column, self.value);
        let live = match self.rows {
            Some(rows) => format!("({rows}) AND {differs}"),
            None => differs,
        };
        Action::update(&what, table, &format!("{} = {}", self.column, self.value), &live).finding()
    }
}

/// The actions for those of `columns` that `table` has in this database.
pub fn actions(schema: &Schema, table: &str, columns: &[Neutral]) -> Vec<Action> {
    columns
        .iter()
        .filter(|neutral| schema.has_column(table, neutral.column))
        .map(|neutral| neutral.action(table))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_action_per_present_column() {
        let schema = Schema::from_list(&[("res_company", &["a", "c"])]);
        let actions = actions(
            &schema,
            "res_company",
            &[all("a", "NULL"), all("b", "true"), rows("c", "'test'", "c = 'prod'")],
        );
        assert_eq!(actions.len(), 2);
        assert_eq!(actions[0].what, "res_company.a set (to be cleared)");
        assert_eq!(
            actions[0].live_sql,
            "SELECT count(*) FROM \"res_company\" WHERE a IS DISTINCT FROM NULL"
        );
        assert_eq!(
            actions[1].apply_sql[0],
            "UPDATE \"res_company\" SET c = 'test' WHERE (c = 'prod') AND c IS DISTINCT FROM 'test'"
        );
        assert!(actions.iter().all(|a| a.finding));
    }
}
