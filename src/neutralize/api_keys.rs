//! `api-keys`: third-party API keys, OAuth client secrets and account tokens removed or replaced
//! by dummies — Odoo's own for some modules, and odoodb's rule for the rest: a neutralized copy
//! holds no credential that reaches a third party.

use super::columns::{self, all};
use super::{Probe, Schema, Step, params};

pub const STEP: Step = Step {
    id: "api-keys",
    title: "Third-party API keys, OAuth client secrets and service tokens removed",
    why: "a copy with production's keys spends its quotas, reads its accounts, and acts as the \
          company at Google, Microsoft, Twilio, Gelato…",
    tables: &[params::TABLE, "res_company"],
    probe,
};

/// Parameters holding a secret, deleted (the feature then asks for a key).
const SECRETS: &[&str] = &[
    "google_gmail_client_secret",
    "microsoft_outlook_client_secret",
    "google_calendar_client_secret",
    "microsoft_calendar_client_secret",
    "mail.twilio_account_token",
    "unsplash.access_key",
    "base_geolocalize.google_map_api_key",
    "google.custom_search.key",
    "discuss.tenor_api_key",
    "google_maps.signed_static_api_secret",
    "mail.google_translate_api_key",
    // Enterprise modules (names public through their settings).
    "web_map.token_map_box",
    "social.linkedin_client_secret",
    "ai.openai_key",
    "ai.google_key",
    "product_barcodelookup.api_key",
];

fn probe(schema: &Schema) -> Probe {
    params::require(schema)?;
    let mut actions: Vec<_> = SECRETS
        .iter()
        .map(|key| params::delete(&format!("parameter {key}"), key).finding())
        .collect();
    // google_address_autocomplete (19) writes a dummy key rather than deleting it.
    let places = "google_address_autocomplete.google_places_api_key";
    actions.push(
        params::set_existing(&format!("parameter {places} not dummy"), places, "dummy").finding(),
    );
    actions.extend(columns::actions(
        schema,
        "res_company",
        &[
            all("gelato_api_key", "NULL"),
            all("gelato_webhook_secret", "NULL"),
            all("sms_twilio_auth_token", "'dummytoken'"),
        ],
    ));
    Ok(actions)
}
