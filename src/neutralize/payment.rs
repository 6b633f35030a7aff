//! `payment`: payment providers (≤15: acquirers) off and their credentials gone; point-of-sale
//! terminals in test mode.

use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "payment",
    title: "Payment providers disabled (test ones kept), credentials cleared, POS terminals to test",
    why: "a copy must not charge one card nor hold production's payment keys",
    tables: &["payment_provider", "payment_acquirer", "pos_payment_method"],
    probe,
};

/// Provider credentials by module, with the value they get (`NULL` unless a dummy is needed).
const CREDENTIALS: &[(&str, &str)] = &[
    ("adyen_merchant_account", "NULL"),
    ("adyen_api_key", "NULL"),
    ("adyen_hmac_key", "NULL"),
    ("alipay_merchant_partner_id", "NULL"),
    ("alipay_md5_signature_key", "NULL"),
    ("alipay_seller_email", "NULL"),
    ("aps_merchant_identifier", "NULL"),
    ("aps_access_code", "NULL"),
    ("aps_sha_request", "NULL"),
    ("aps_sha_response", "NULL"),
    ("asiapay_merchant_id", "NULL"),
    ("asiapay_secure_hash_secret", "NULL"),
    ("asiapay_secure_hash_function", "NULL"),
    ("authorize_login", "NULL"),
    ("authorize_transaction_key", "NULL"),
    ("authorize_signature_key", "NULL"),
    ("authorize_client_key", "NULL"),
    ("buckaroo_website_key", "NULL"),
    ("buckaroo_secret_key", "NULL"),
    ("flutterwave_public_key", "NULL"),
    ("flutterwave_secret_key", "NULL"),
    ("flutterwave_webhook_secret", "NULL"),
    ("mercado_pago_access_token", "NULL"),
    ("mollie_api_key", "NULL"),
    ("ogone_pspid", "NULL"),
    ("ogone_userid", "NULL"),
    ("ogone_password", "NULL"),
    ("ogone_shakey_in", "NULL"),
    ("ogone_shakey_out", "NULL"),
    ("paypal_email_account", "NULL"),
    ("paypal_seller_account", "NULL"),
    ("paypal_pdt_token", "NULL"),
    ("payulatam_merchant_id", "NULL"),
    ("payulatam_account_id", "NULL"),
    ("payulatam_api_key", "NULL"),
    ("payumoney_merchant_key", "NULL"),
    ("payumoney_merchant_salt", "NULL"),
    ("razorpay_key_id", "NULL"),
    ("razorpay_key_secret", "NULL"),
    ("razorpay_webhook_secret", "NULL"),
    ("razorpay_public_token", "NULL"),
    ("razorpay_refresh_token", "NULL"),
    ("razorpay_access_token", "NULL"),
    ("razorpay_access_token_expiry", "NULL"),
    ("razorpay_account_id", "NULL"),
    ("sips_merchant_id", "NULL"),
    ("sips_secret", "NULL"),
    ("stripe_secret_key", "NULL"),
    ("stripe_publishable_key", "NULL"),
    ("stripe_webhook_secret", "NULL"),
    ("xendit_secret_key", "'dummysecret'"),
    ("xendit_webhook_token", "'dummytoken'"),
];

/// Point-of-sale payment terminals: (column, value).
const POS_TEST_MODE: &[(&str, &str)] = &[
    ("adyen_test_mode", "true"),
    ("paytm_test_mode", "true"),
    ("razorpay_test_mode", "true"),
    ("viva_wallet_test_mode", "true"),
];

fn probe(schema: &Schema) -> Probe {
    let table = ["payment_provider", "payment_acquirer"]
        .into_iter()
        .find(|t| schema.has_column(t, "state"));
    let pos = "pos_payment_method";
    let pos_columns: Vec<&(&str, &str)> =
        POS_TEST_MODE.iter().filter(|(column, _)| schema.has_column(pos, column)).collect();
    if table.is_none() && pos_columns.is_empty() {
        return Err("no payment_provider or payment_acquirer table (payment not installed)".into());
    }
    let mut actions = Vec::new();
    if let Some(table) = table {
        actions.push(
            Action::update(
                &format!("{table} rows enabled (not test or disabled)"),
                table,
                "state = 'disabled'",
                "state NOT IN ('test', 'disabled')",
            )
            .finding(),
        );
        let present: Vec<&(&str, &str)> =
            CREDENTIALS.iter().filter(|(column, _)| schema.has_column(table, column)).collect();
        if !present.is_empty() {
            let set: Vec<String> = present.iter().map(|(c, v)| format!("{c} = {v}")).collect();
            let live: Vec<String> =
                present.iter().map(|(c, v)| format!("{c} IS DISTINCT FROM {v}")).collect();
            actions.push(
                Action::update(
                    &format!("{table} rows holding credentials"),
                    table,
                    &set.join(", "),
                    &live.join(" OR "),
                )
                .finding(),
            );
        }
    }
    for (column, value) in pos_columns {
        actions.push(
            Action::set_column(&format!("POS terminals with {column} off"), pos, column, value)
                .finding(),
        );
    }
    if schema.has_columns(pos, &["mp_bearer_token", "mp_webhook_secret_key"]) {
        actions.push(
            Action::update(
                "Mercado Pago POS terminals with real tokens",
                pos,
                "mp_bearer_token = 'dummy_value', mp_webhook_secret_key = 'dummy_value'",
                "mp_bearer_token IS NOT NULL AND mp_bearer_token <> 'dummy_value'",
            )
            .finding(),
        );
    }
    for (column, value) in
        [("paytm_merchant_key", "'dummykey00012345'"), ("razorpay_api_key", "'dummykey00012345'")]
    {
        if schema.has_column(pos, column) {
            actions.push(
                Action::set_column(
                    &format!("POS terminals with a real {column}"),
                    pos,
                    column,
                    value,
                )
                .finding(),
            );
        }
    }
    Ok(actions)
}
