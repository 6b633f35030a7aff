//! `edi`: electronic invoicing (EDI proxy, Peppol, Nemhandel, localizations) to test or demo mode,
//! and the localizations' credentials cleared or replaced by dummies.

use super::columns::{self, Neutral, all, rows};
use super::{Action, Probe, Schema, Step, params};

pub const STEP: Step = Step {
    id: "edi",
    title: "E-invoicing to test/demo: EDI proxy users, Peppol, localization EDI settings",
    why: "a copy must not push one invoice to a tax authority or a Peppol access point",
    tables: &[USERS, COMPANY, params::TABLE],
    probe,
};

const USERS: &str = "account_edi_proxy_client_user";
const COMPANY: &str = "res_company";

/// `res_company` columns of localization EDI modules, 16–19 names side by side.
const COMPANY_COLUMNS: &[Neutral] = &[
    all("l10n_eg_production_env", "false"),
    all("l10n_eg_client_secret", "'dummy'"),
    all("l10n_es_edi_test_env", "true"),
    all("l10n_es_sii_test_env", "true"),
    all("l10n_es_tbai_test_env", "true"),
    all("l10n_es_edi_verifactu_test_environment", "true"),
    all("l10n_gr_edi_test_env", "true"),
    // Hungarian credentials are blanked with a production mode only, as Odoo does; the mode
    // goes last, since the credentials' rows are found by it.
    rows("l10n_hu_edi_username", "''", HU_PRODUCTION),
    rows("l10n_hu_edi_password", "''", HU_PRODUCTION),
    rows("l10n_hu_edi_signature_key", "''", HU_PRODUCTION),
    rows("l10n_hu_edi_replacement_key", "''", HU_PRODUCTION),
    rows("l10n_hu_edi_server_mode", "'test'", HU_PRODUCTION),
    all("l10n_in_edi_production_env", "false"),
    all("l10n_in_edi_username", "NULL"),
    all("l10n_in_edi_password", "NULL"),
    all("l10n_in_edi_token", "NULL"),
    all("l10n_in_edi_token_validity", "NULL"),
    all("l10n_in_edi_ewaybill_username", "NULL"),
    all("l10n_in_edi_ewaybill_password", "NULL"),
    all("l10n_in_edi_ewaybill_auth_validity", "NULL"),
    all("l10n_in_ewaybill_username", "NULL"),
    all("l10n_in_ewaybill_password", "NULL"),
    all("l10n_in_ewaybill_auth_validity", "NULL"),
    all("l10n_it_edi_register", "false"),
    all("l10n_jo_edi_secret_key", "'dummy_secret'"),
    all("l10n_jo_edi_client_identifier", "'dummy_id'"),
    all("l10n_ke_cu_proxy_address", "''"),
    all("l10n_my_edi_mode", "'test'"),
    all("l10n_ro_edi_test_env", "true"),
    all("l10n_ro_edi_client_id", "NULL"),
    all("l10n_ro_edi_client_secret", "NULL"),
    all("l10n_ro_edi_access_token", "NULL"),
    all("l10n_ro_edi_refresh_token", "NULL"),
    all("l10n_rs_edi_api_key", "'dummy_key'"),
    all("l10n_rs_edi_demo_env", "true"),
    all("l10n_sa_api_mode", "'sandbox'"),
    all("l10n_tr_nilvera_api_key", "NULL"),
    all("l10n_tr_nilvera_purchase_journal_id", "NULL"),
    all("l10n_tr_nilvera_environment", "'sandbox'"),
    all("l10n_tr_nilvera_use_test_env", "true"),
    all("l10n_vn_edi_username", "''"),
    all("l10n_vn_edi_password", "''"),
];

const HU_PRODUCTION: &str = "l10n_hu_edi_server_mode = 'production'";

fn probe(schema: &Schema) -> Probe {
    let mut actions = proxy_users(schema);
    if schema.has(params::TABLE) {
        actions.extend(mode_parameters(schema));
    }
    actions.extend(columns::actions(schema, COMPANY, COMPANY_COLUMNS));
    if actions.is_empty() {
        return Err("no EDI tables or localization EDI columns".into());
    }
    Ok(actions)
}

/// 17+: a mode per proxy user. Italian users (19: also Peppol and Nemhandel, recognised by the
/// token-sync columns 19 added) go to demo, the others to test. The Malaysian proxy has no test
/// mode (a demo and a production user would clash) and is archived instead.
fn proxy_users(schema: &Schema) -> Vec<Action> {
    if !schema.has_columns(USERS, &["edi_mode", "proxy_type"]) {
        return Vec::new();
    }
    let demo = if schema.has_column(USERS, "token_sync_version") {
        "('l10n_it_edi', 'peppol', 'nemhandel')"
    } else {
        "('l10n_it_edi')"
    };
    let target = format!("CASE WHEN proxy_type IN {demo} THEN 'demo' ELSE 'test' END");
    let mut actions = vec![
        Action::update(
            &format!("{USERS}.edi_mode in production (not test/demo)"),
            USERS,
            &format!("edi_mode = {target}"),
            &format!("proxy_type <> 'l10n_my_edi' AND edi_mode IS DISTINCT FROM {target}"),
        )
        .finding(),
    ];
    if schema.has_column(USERS, "active") {
        actions.push(
            Action::update(
                &format!("{USERS} active Malaysian proxy users"),
                USERS,
                "active = false",
                "proxy_type = 'l10n_my_edi' AND active IS TRUE",
            )
            .finding(),
        );
    }
    actions
}

/// Modes kept in parameters: ≤16 the EDI proxy's, Peppol's and (19) Nemhandel's.
fn mode_parameters(schema: &Schema) -> Vec<Action> {
    let mut actions = Vec::new();
    if schema.has(USERS) && !schema.has_column(USERS, "edi_mode") {
        // ≤16: one mode for the database; `prod` or none means production.
        let key = "account_edi_proxy_client.demo";
        actions.push(Action {
            what: format!("parameter {key} not true (production)"),
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
            names_sql: None,
        });
    }
    let peppol = "account_peppol.edi.mode";
    if schema.has_column(COMPANY, "account_peppol_proxy_state") {
        // account_peppol installed: its mode is written even when absent (as 19 does).
        actions.push(mode_parameter(peppol, true));
    } else if schema.has(USERS) {
        actions.push(mode_parameter(peppol, false));
    }
    actions.push(mode_parameter("l10n_dk_nemhandel.edi.mode", false));
    actions
}

/// A mode parameter to `test`, unless it is already `test` or `demo` (both reach no authority);
/// with `insert`, also written when absent.
fn mode_parameter(key: &str, insert: bool) -> Action {
    let neutral = "value IN ('test', 'demo')";
    let mut action = Action {
        what: format!("parameter {key} not test or demo"),
        table: params::TABLE.into(),
        live_sql: format!(
            "SELECT count(*) FROM ir_config_parameter WHERE key = $1::text AND NOT {neutral}"
        ),
        apply_sql: vec![format!(
            "UPDATE ir_config_parameter SET value = 'test' WHERE key = $1::text AND NOT {neutral}"
        )],
        params: vec![key.into()],
        finding: true,
        names_sql: None,
    };
    if insert {
        let absent = "NOT EXISTS (SELECT 1 FROM ir_config_parameter WHERE key = $1::text)";
        action.live_sql = format!(
            "SELECT (SELECT count(*) FROM ir_config_parameter WHERE key = $1::text AND NOT {neutral}) \
                  + (SELECT count(*) FROM (SELECT 1 WHERE {absent}) AS missing)"
        );
        action.apply_sql.push(format!(
            "INSERT INTO ir_config_parameter (key, value) SELECT $1::text, 'test' WHERE {absent}"
        ));
    }
    action
}
