//! `unknown-secrets`: `ir_config_parameter` keys that look like credentials (by name) and that
//! no other step covers — a custom module's API token, an integration's password.
//!
//! The scan is a guess by name, so it does not change anything by default: it reports the keys
//! (never their values), `--check` counts them as findings, and only
//! `neutralize --clear-unknown-secrets` blanks them (Odoo reads an empty parameter as unset).
//! A copy finished by `duplicate`/`restore`/`upgrade test --neutralize` clears them too: a copy
//! made to be handed out must hold no credential at all. Being a guess, the scan does not
//! withhold `database.is_neutralized`: the known steps decide that.

use super::{Action, Probe, Schema, Step, params};
use crate::pg::quote_literal;

pub const ID: &str = "unknown-secrets";

pub const STEP: Step = Step {
    id: ID,
    title: "Parameters that look like credentials, not covered by a step: reported \
            (cleared with --clear-unknown-secrets)",
    why: "custom modules keep their API keys and passwords in parameters no step knows: a copy \
          would still reach their services as production",
    tables: &[params::TABLE],
    probe,
};

/// Key patterns (`ILIKE`) of a credential.
const PATTERNS: &[&str] =
    &["%secret%", "%token%", "%api_key%", "%apikey%", "%password%", "%passwd%", "%private_key%"];

/// Keys matching a pattern that another step already neutralizes (deleted, blanked, or given
/// a new or dummy value). `the_covered_keys_are_exactly_those_the_steps_name` keeps the list
/// in step with the steps.
pub const COVERED: &[&str] = &[
    // identity: regenerated.
    "database.secret",
    // captcha, web-push, cloud-storage.
    "recaptcha_private_key",
    "cf.turnstile_secret_key",
    "mail.web_push_vapid_private_key",
    "cloud_storage_azure_client_secret",
    // api-keys.
    "google_gmail_client_secret",
    "microsoft_outlook_client_secret",
    "google_calendar_client_secret",
    "microsoft_calendar_client_secret",
    "mail.twilio_account_token",
    "base_geolocalize.google_map_api_key",
    "discuss.tenor_api_key",
    "google_maps.signed_static_api_secret",
    "mail.google_translate_api_key",
    "web_map.token_map_box",
    "social.linkedin_client_secret",
    "product_barcodelookup.api_key",
    "google_address_autocomplete.google_places_api_key",
];

/// Keys matching a pattern that hold settings, not credentials (Odoo 15–19). Public keys
/// (`recaptcha_public_key`, `mail.web_push_vapid_public_key`, `cf.turnstile_site_key`) match no
/// pattern in the first place.
pub const NOT_SECRETS: &[&str] = &[
    "password.hashing.rounds",
    "auth_signup.reset_password",
    "auth_signup.reset_password.validity.hours",
    "auth_password_policy.minlength",
    "portal.allow_api_keys",
    "mail.chat_from_token",
];

/// The rows the scan reports: a matching key, not known, with a value. `True`/`False` are how
/// Odoo stores a boolean setting, never a credential.
pub fn scan() -> String {
    let quoted = |list: &[&str]| list.iter().map(|k| quote_literal(k)).collect::<Vec<_>>();
    let patterns = quoted(PATTERNS).join(", ");
    let known: Vec<String> = quoted(COVERED).into_iter().chain(quoted(NOT_SECRETS)).collect();
    format!(
        "key ILIKE ANY (ARRAY[{patterns}]) AND key NOT IN ({}) \
         AND btrim(coalesce(value, '')) <> '' AND lower(btrim(value)) NOT IN ('true', 'false')",
        known.join(", ")
    )
}

fn probe(schema: &Schema) -> Probe {
    params::require(schema)?;
    let scan = scan();
    let mut action = Action::update(
        "parameters that look like credentials, not covered by a step",
        params::TABLE,
        "value = ''",
        &scan,
    )
    .finding();
    // Names only, made printable: a key is data, and goes to a terminal.
    action.names_sql = Some(format!(
        "SELECT regexp_replace(key, '[[:cntrl:]]', '?', 'g') FROM ir_config_parameter \
          WHERE {scan} ORDER BY key"
    ));
    Ok(vec![action])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::neutralize::STEPS;

    /// `ILIKE` for the patterns above: `%` around a lowercase word.
    fn looks_secret(key: &str) -> bool {
        let key = key.to_lowercase();
        PATTERNS.iter().any(|p| key.contains(p.trim_matches('%')))
    }

    /// Every parameter key a step names: bind parameters and quoted literals.
    fn keys_named_by_steps(schema: &Schema) -> Vec<String> {
        let mut keys = Vec::new();
        for step in STEPS.iter().filter(|s| s.id != ID) {
            for action in (step.probe)(schema).unwrap_or_default() {
                if action.table != params::TABLE {
                    continue;
                }
                keys.extend(action.params.iter().cloned());
                for sql in action.apply_sql.iter().chain([&action.live_sql]) {
                    keys.extend(sql.split('\'').skip(1).step_by(2).map(str::to_string));
                }
            }
        }
        keys
    }

    #[test]
    fn the_covered_keys_are_exactly_those_the_steps_name() {
        let schema = Schema::from_list(&[(params::TABLE, &["key", "value"])]);
        let named = keys_named_by_steps(&schema);
        for key in named.iter().filter(|k| looks_secret(k)) {
            assert!(COVERED.contains(&key.as_str()), "{key} is covered by a step: list it");
        }
        for key in COVERED {
            assert!(looks_secret(key), "{key} matches no pattern: no need to list it");
            assert!(named.iter().any(|n| n == key), "{key} is listed but no step covers it");
        }
        assert!(NOT_SECRETS.iter().all(|k| looks_secret(k)));
    }

    #[test]
    fn names_only_the_keys() {
        let schema = Schema::from_list(&[(params::TABLE, &["key", "value"])]);
        let actions = probe(&schema).unwrap_or_default();
        let names = actions[0].names_sql.as_deref().unwrap_or_default();
        // The key alone is selected, never the value.
        assert!(names.starts_with("SELECT regexp_replace(key, '[[:cntrl:]]', '?', 'g') FROM"));
        assert_eq!(
            actions[0].apply_sql,
            vec![format!("UPDATE \"ir_config_parameter\" SET value = '' WHERE {}", scan())]
        );
    }
}
