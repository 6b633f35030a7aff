//! `pos-terminals`: point-of-sale payment terminals in test mode, their keys replaced by dummies.

use super::columns::{self, Neutral, all, rows};
use super::{Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "pos-terminals",
    title: "POS payment terminals to test mode, their keys replaced by dummies",
    why: "a copy's point of sale must not take real card payments on production's terminals",
    tables: &[TABLE],
    probe,
};

const TABLE: &str = "pos_payment_method";

/// Terminal columns of Odoo 16–19 (17 and 18 names beside 19's).
const TERMINALS: &[Neutral] = &[
    all("adyen_test_mode", "true"),
    all("glory_websocket_address", "'0.0.0.0'"),
    rows("mp_bearer_token", "'dummy_value'", "mp_bearer_token IS NOT NULL"),
    rows("mp_webhook_secret_key", "'dummy_value'", "mp_bearer_token IS NOT NULL"),
    all("paytm_test_mode", "true"),
    all("paytm_merchant_key", "'dummykey00012345'"),
    all("pine_labs_test_mode", "true"),
    all("pine_labs_merchant", "'dummymerchant'"),
    all("pine_labs_security_token", "'dummy123456'"),
    all("qfpay_pos_key", "'dummy'"),
    all("qfpay_notification_key", "'dummy'"),
    all("razorpay_test_mode", "true"),
    all("razorpay_api_key", "'dummykey00012345'"),
    all("viva_wallet_test_mode", "true"),
    all("viva_com_test_mode", "true"),
];

fn probe(schema: &Schema) -> Probe {
    let actions = columns::actions(schema, TABLE, TERMINALS);
    if actions.is_empty() {
        return Err(
            "no payment terminal columns in pos_payment_method (no POS terminal module)".into()
        );
    }
    Ok(actions)
}
