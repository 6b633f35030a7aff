//! `base-url`: links and mail domains point at the local machine.
//!
//! `web.base.url` is set to localhost *and* frozen. Odoo rewrites the URL at an administrator's
//! login unless `web.base.url.freeze` holds anything non-empty, and Odoo's own copy keeps the
//! freeze with production's URL, so a frozen copy would keep production's links for good. The
//! other way out, deleting the freeze, would let the first login record whatever host it came
//! through, production's name included when a proxy serves both. Localhost, frozen, is the one
//! value that never leads anywhere real; each half is a finding of its own, so `--check` sees a
//! production URL under the freeze as well as a removed freeze.

use super::{Action, Probe, Schema, Step, params};

pub const STEP: Step = Step {
    id: "base-url",
    title: "web.base.url → http://localhost:8069 (frozen), mail domains → localhost",
    why: "links in a copy's mails and pages must not lead to production, and replies must not \
          reach production's catchall",
    tables: &["ir_config_parameter", "mail_alias_domain", "mail_alias", "res_company"],
    probe,
};

pub const LOCAL_URL: &str = "http://localhost:8069";
/// A URL on the local machine, any port: left as it is.
const LOCAL_URL_PATTERN: &str = r"^https?://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]+)?/?$";

fn probe(schema: &Schema) -> Probe {
    params::require(schema)?;
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
        names_sql: None,
    };
    let mut actions = vec![
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
    ];
    if schema.has_column("mail_alias_domain", "name") {
        actions.push(alias_domains(schema));
    }
    Ok(actions)
}

/// 17+: mail domains are rows of `mail_alias_domain` (the first becomes `localhost`, others
/// `d<id>.localhost`, as names are unique), copied into the stored `res_company.alias_domain_name`
/// and `mail_alias.alias_full_name`.
fn alias_domains(schema: &Schema) -> Action {
    let target = "CASE WHEN id = (SELECT min(id) FROM mail_alias_domain) THEN 'localhost' \
                  ELSE 'd' || id || '.localhost' END";
    let mut action = Action::update(
        "mail alias domains not on localhost",
        "mail_alias_domain",
        &format!("name = {target}"),
        &format!("name IS DISTINCT FROM {target}"),
    )
    .finding();
    if schema.has_columns("res_company", &["alias_domain_id", "alias_domain_name"]) {
        action.apply_sql.push(
            "UPDATE res_company c SET alias_domain_name = d.name FROM mail_alias_domain d \
              WHERE c.alias_domain_id = d.id AND c.alias_domain_name IS DISTINCT FROM d.name"
                .into(),
        );
    }
    if schema.has_columns("mail_alias", &["alias_domain_id", "alias_name", "alias_full_name"]) {
        action.apply_sql.push(
            "UPDATE mail_alias a SET alias_full_name = a.alias_name || '@' || d.name \
               FROM mail_alias_domain d WHERE a.alias_domain_id = d.id AND a.alias_name IS NOT NULL \
                AND a.alias_full_name IS DISTINCT FROM a.alias_name || '@' || d.name"
                .into(),
        );
    }
    action
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
