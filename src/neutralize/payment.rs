//! `payment`: payment providers (≤15: acquirers) off and every provider credential gone, column by
//! column, whichever provider modules are installed.

use super::columns::{self, Neutral, all};
use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "payment",
    title: "Payment providers disabled (test ones kept), their credentials cleared",
    why: "a copy must not charge one card nor hold production's payment keys",
    tables: &["payment_provider", "payment_acquirer"],
    probe,
};

/// Provider credentials of Odoo 12–19 (`NULL` unless Odoo writes a dummy). Columns of every
/// version side by side: a database has those of its version and installed modules.
const CREDENTIALS: &[Neutral] = &[
    all("adyen_merchant_account", "NULL"),
    all("adyen_api_key", "NULL"),
    all("adyen_hmac_key", "NULL"),
    all("adyen_client_key", "NULL"),
    all("alipay_merchant_partner_id", "NULL"),
    all("alipay_md5_signature_key", "NULL"),
    all("alipay_seller_email", "NULL"),
    all("aps_merchant_identifier", "NULL"),
    all("aps_access_code", "NULL"),
    all("aps_sha_request", "NULL"),
    all("aps_sha_response", "NULL"),
    all("asiapay_merchant_id", "NULL"),
    all("asiapay_currency_id", "NULL"),
    all("asiapay_secure_hash_secret", "NULL"),
    all("asiapay_secure_hash_function", "NULL"),
    all("authorize_login", "NULL"),
    all("authorize_transaction_key", "NULL"),
    all("authorize_signature_key", "NULL"),
    all("authorize_client_key", "NULL"),
    all("buckaroo_website_key", "NULL"),
    all("buckaroo_secret_key", "NULL"),
    all("dpo_company_token", "NULL"),
    all("dpo_service_ref", "NULL"),
    all("flutterwave_public_key", "NULL"),
    all("flutterwave_secret_key", "NULL"),
    all("flutterwave_webhook_secret", "NULL"),
    all("iyzico_key_id", "NULL"),
    all("iyzico_key_secret", "NULL"),
    all("mercado_pago_access_token", "NULL"),
    all("mollie_api_key", "NULL"),
    all("nuvei_merchant_identifier", "NULL"),
    all("nuvei_site_identifier", "NULL"),
    all("nuvei_secret_key", "NULL"),
    all("ogone_pspid", "NULL"),
    all("ogone_userid", "NULL"),
    all("ogone_password", "NULL"),
    all("ogone_shakey_in", "NULL"),
    all("ogone_shakey_out", "NULL"),
    all("paymob_public_key", "NULL"),
    all("paymob_secret_key", "NULL"),
    all("paymob_hmac_key", "NULL"),
    all("paymob_api_key", "NULL"),
    all("paypal_email_account", "NULL"),
    all("paypal_seller_account", "NULL"),
    all("paypal_pdt_token", "NULL"),
    all("paypal_client_id", "NULL"),
    all("paypal_client_secret", "NULL"),
    all("paypal_webhook_id", "NULL"),
    all("payulatam_merchant_id", "NULL"),
    all("payulatam_account_id", "NULL"),
    all("payulatam_api_key", "NULL"),
    all("payumoney_merchant_key", "NULL"),
    all("payumoney_merchant_salt", "NULL"),
    all("razorpay_key_id", "NULL"),
    all("razorpay_key_secret", "NULL"),
    all("razorpay_webhook_secret", "NULL"),
    all("razorpay_public_token", "NULL"),
    all("razorpay_refresh_token", "NULL"),
    all("razorpay_access_token", "NULL"),
    all("razorpay_access_token_expiry", "NULL"),
    all("razorpay_access_token_expiration", "NULL"),
    all("razorpay_account_id", "NULL"),
    all("razorpay_webhook_id", "NULL"),
    all("redsys_merchant_code", "NULL"),
    all("redsys_merchant_terminal", "NULL"),
    all("redsys_secret_key", "NULL"),
    all("sips_merchant_id", "NULL"),
    all("sips_secret", "NULL"),
    all("stripe_secret_key", "NULL"),
    all("stripe_publishable_key", "NULL"),
    all("stripe_webhook_secret", "NULL"),
    all("worldline_pspid", "NULL"),
    all("worldline_api_key", "NULL"),
    all("worldline_api_secret", "NULL"),
    all("worldline_webhook_key", "NULL"),
    all("worldline_webhook_secret", "NULL"),
    all("xendit_secret_key", "'dummysecret'"),
    all("xendit_webhook_token", "'dummytoken'"),
];

fn probe(schema: &Schema) -> Probe {
    let Some(table) = ["payment_provider", "payment_acquirer"]
        .into_iter()
        .find(|t| schema.has_column(t, "state"))
    else {
        return Err("no payment_provider or payment_acquirer table (payment not installed)".into());
    };
    let mut actions = vec![
        Action::update(
            &format!("{table}.state enabled (not test or disabled)"),
            table,
            "state = 'disabled'",
            "state NOT IN ('test', 'disabled')",
        )
        .finding(),
    ];
    actions.extend(columns::actions(schema, table, CREDENTIALS));
    Ok(actions)
}
