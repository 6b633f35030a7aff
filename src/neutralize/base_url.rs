//! `base-url`: links and mail domains point at the local machine.

use super::{Action, Probe, Schema, Step, params};

pub const STEP: Step = Step {
    id: "base-url",
    title: "web.base.url → http://localhost:8069 (frozen), mail domains → localhost",
    why: "links in a copy's mails and pages must not lead to production, and replies must not \
          reach production's catchall",
    tables: &["ir_config_parameter"],
    probe,
};

pub const LOCAL_URL: &str = "http://localhost:8069";
/// A URL on the local machine, any port: left as it is.
const LOCAL_URL_PATTERN: &str = r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]+)?/?$";

fn probe(schema: &Schema) -> Probe {
    if !schema.has(params::TABLE) {
        return Err("no ir_config_parameter table".into());
    }
    let not_local =
        "(SELECT 1 FROM ir_config_parameter WHERE key = 'web.base.url' AND value ~ $2::text)";
    let base_url = Action {
        what: "web.base.url not on localhost".into(),
        table: params::TABLE.into(),
        live_sql: format!(
            "SELECT count(*) FROM (SELECT 1 WHERE NOT EXISTS {not_local} AND $1::text <> '') AS live"
        ),
        apply_sql: vec![
            "UPDATE ir_config_parameter SET value = $1::text \
              WHERE key = 'web.base.url' AND value !~ $2::text"
                .into(),
            "INSERT INTO ir_config_parameter (key, value) SELECT 'web.base.url', $1::text \
              WHERE NOT EXISTS (SELECT 1 FROM ir_config_parameter WHERE key = 'web.base.url')"
                .into(),
        ],
        params: vec![LOCAL_URL.into(), LOCAL_URL_PATTERN.into()],
        finding: true,
    };
    Ok(vec![
        base_url,
        params::upsert(
            "web.base.url.freeze not set (Odoo would rewrite the URL at the first admin login)",
            "web.base.url.freeze",
            "True",
        ),
        params::set_existing(
            "mail.catchall.domain not localhost",
            "mail.catchall.domain",
            "localhost",
        )
        .finding(),
        address_domain("mail.default.from"),
        address_domain("mail.bounce.alias"),
    ])
}

/// A parameter holding a full address (`name@domain`) gets the domain `localhost`.
fn address_domain(key: &str) -> Action {
    Action::update(
        &format!("{key} with a domain other than localhost"),
        params::TABLE,
        "value = regexp_replace(value, '@.*$', '@localhost')",
        "key = $1::text AND value LIKE '%@%' AND value NOT LIKE '%@localhost'",
    )
    .with_params(vec![key.to_string()])
    .finding()
}
