//! `iap`: In-App Purchase accounts (OCR, SMS, snail mail, partner autocomplete…) disabled.

use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "iap",
    title: "IAP account tokens disabled (+disabled suffix)",
    why: "a copy must not spend production's credits on OCR, SMS or letters",
    tables: &["iap_account"],
    probe,
};

fn probe(schema: &Schema) -> Probe {
    if !schema.has_column("iap_account", "account_token") {
        return Err("no iap_account table (iap not installed)".into());
    }
    // Short tokens keep their body with a `+disabled` suffix (replacing any other suffix);
    // long ones would overflow the column and become a dummy.
    Ok(vec![
        Action::update(
            "iap_account.account_token live (no +disabled)",
            "iap_account",
            "account_token = CASE WHEN length(account_token) <= 33 \
               THEN regexp_replace(account_token, '(\\+.*)?$', '+disabled') \
               ELSE 'dummy_value+disabled' END",
            "account_token IS NOT NULL AND account_token NOT LIKE '%+disabled'",
        )
        .finding(),
    ])
}
