//! `captcha`: reCAPTCHA and Turnstile keys blanked.

use super::{Probe, Schema, Step, params};

pub const STEP: Step = Step {
    id: "captcha",
    title: "reCAPTCHA and Cloudflare Turnstile keys blanked",
    why: "production's captcha keys are tied to production's domain and quota",
    tables: &["ir_config_parameter"],
    probe,
};

const KEYS: &[&str] = &[
    "recaptcha_public_key",
    "recaptcha_private_key",
    "cf.turnstile_site_key",
    "cf.turnstile_secret_key",
];

fn probe(schema: &Schema) -> Probe {
    params::require(schema)?;
    Ok(KEYS
        .iter()
        .map(|key| params::set_existing(&format!("parameter {key} set"), key, ""))
        .collect())
}
