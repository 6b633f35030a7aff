//! `edi`: electronic invoicing (EDI proxy, Peppol, localizations) to test or demo mode.

use super::{Action, Probe, Schema, Step, params};

pub const STEP: Step = Step {
    id: "edi",
    title: "E-invoicing to test/demo: EDI proxy users, Peppol, localization EDI settings",
    why: "a copy must not push one invoice to a tax authority or a Peppol access point",
    tables: &["account_edi_proxy_client_user", "res_company", "ir_config_parameter"],
    probe,
};

/// `res_company` columns of localization EDI modules: (column, neutral value, is a mode switch).
/// Mode switches are findings of `--check`; credentials are cleared as well.
const COMPANY: &[(&str, &str, bool)] = &[
    ("l10n_eg_production_env", "false", true),
    ("l10n_eg_client_secret", "'dummy'", false),
    ("l10n_es_edi_test_env", "true", true),
    ("l10n_in_edi_production_env", "false", true),
    ("l10n_in_edi_username", "NULL", false),
    ("l10n_in_edi_password", "NULL", false),
    ("l10n_in_edi_token", "NULL", false),
    ("l10n_in_edi_token_validity", "NULL", false),
    ("l10n_in_edi_ewaybill_username", "NULL", false),
    ("l10n_in_edi_ewaybill_password", "NULL", false),
    ("l10n_in_edi_ewaybill_auth_validity", "NULL", false),
    ("l10n_jo_edi_secret_key", "'dummy_secret'", false),
    ("l10n_jo_edi_client_identifier", "'dummy_id'", false),
    ("l10n_ke_cu_proxy_address", "''", true),
    ("l10n_my_edi_mode", "'test'", true),
    ("l10n_ro_edi_test_env", "true", true),
    ("l10n_ro_edi_client_id", "NULL", false),
    ("l10n_ro_edi_client_secret", "NULL", false),
    ("l10n_ro_edi_access_token", "NULL", false),
    ("l10n_ro_edi_refresh_token", "NULL", false),
    ("l10n_rs_edi_api_key", "'dummy_key'", false),
    ("l10n_rs_edi_demo_env", "true", true),
    ("l10n_sa_api_mode", "'sandbox'", true),
    ("l10n_tr_nilvera_api_key", "NULL", false),
    ("l10n_tr_nilvera_purchase_journal_id", "NULL", false),
    ("l10n_tr_nilvera_environment", "'sandbox'", true),
    ("l10n_vn_edi_username", "''", false),
    ("l10n_vn_edi_password", "''", false),
];

/// Hungarian credentials are only blanked together with a production mode.
const HU_CREDENTIALS: &[&str] = &[
    "l10n_hu_edi_username",
    "l10n_hu_edi_password",
    "l10n_hu_edi_signature_key",
    "l10n_hu_edi_replacement_key",
];

fn probe(schema: &Schema) -> Probe {
    let users = "account_edi_proxy_client_user";
    let mut actions = Vec::new();
    if schema.has_columns(users, &["edi_mode", "proxy_type"]) {
        // 17+: a mode per proxy user; Italian users go to demo, the others to test; the
        // Malaysian proxy has no test mode and is archived below instead.
        let target = "CASE WHEN proxy_type = 'l10n_it_edi' THEN 'demo' ELSE 'test' END";
        actions.push(
            Action::update(
                "EDI proxy users in production mode",
                users,
                &format!("edi_mode = {target}"),
                &format!("proxy_type <> 'l10n_my_edi' AND edi_mode IS DISTINCT FROM {target}"),
            )
            .finding(),
        );
        if schema.has_column(users, "active") {
            actions.push(
                Action::update(
                    "active Malaysian EDI proxy users",
                    users,
                    "active = false",
                    "proxy_type = 'l10n_my_edi' AND active IS TRUE",
                )
                .finding(),
            );
        }
    } else if schema.has(users) && schema.has(params::TABLE) {
        // ≤16: one mode for the database, in a parameter; `prod` or none means production.
        let key = "account_edi_proxy_client.demo";
        actions.push(Action {
            what: format!("{key} in production mode (prod or unset)"),
            table: params::TABLE.into(),
            live_sql: "SELECT count(*) FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM \
                       ir_config_parameter WHERE key = $1::text AND value <> 'prod')) AS live"
                .into(),
            apply_sql: vec![
                "UPDATE ir_config_parameter SET value = 'true' WHERE key = $1::text AND value = 'prod'"
                    .into(),
                "INSERT INTO ir_config_parameter (key, value) SELECT $1::text, 'true' \
                  WHERE NOT EXISTS (SELECT 1 FROM ir_config_parameter WHERE key = $1::text)"
                    .into(),
            ],
            params: vec![key.into()],
            finding: true,
        });
    }
    if schema.has(params::TABLE) && schema.has(users) {
        actions.push(
            Action::update(
                "account_peppol.edi.mode in production",
                params::TABLE,
                "value = 'test'",
                "key = 'account_peppol.edi.mode' AND value = 'prod'",
            )
            .finding(),
        );
    }
    let company = "res_company";
    for (column, value, mode) in COMPANY {
        if schema.has_column(company, column) {
            let action = Action::set_column(
                &format!("companies with {column} not {}", value.trim_matches('\'')),
                company,
                column,
                value,
            );
            actions.push(if *mode { action.finding() } else { action });
        }
    }
    if schema.has_column(company, "l10n_hu_edi_server_mode") {
        let mut set = vec!["l10n_hu_edi_server_mode = 'test'".to_string()];
        for column in HU_CREDENTIALS.iter().filter(|c| schema.has_column(company, c)) {
            set.push(format!("{column} = ''"));
        }
        actions.push(
            Action::update(
                "companies with Hungarian EDI in production",
                company,
                &set.join(", "),
                "l10n_hu_edi_server_mode = 'production'",
            )
            .finding(),
        );
    }
    if actions.is_empty() {
        return Err("no EDI tables or localization EDI columns".into());
    }
    Ok(actions)
}
