//! The parts of the steps that work on several tables, each found under one of several names
//! (17 and 18+ side by side). A step does every part whose table exists; the parts it finds no
//! table for are reported as not probed, so a half-installed or unusual schema is visible
//! instead of passing silently.

use super::Schema;

/// (step, part, where it can live: `table` or `table.column`, any one suffices).
const PARTS: &[(&str, &str, &[&str])] = &[
    ("web-push", "VAPID keys", &["ir_config_parameter"]),
    ("web-push", "queued pushes", &["mail_push", "mail_notification_web_push"]),
    ("web-push", "push devices", &["mail_push_device", "mail_partner_device"]),
    (
        "calendar-sync",
        "Google Calendar tokens",
        &[
            "res_users_settings.google_calendar_token",
            "google_calendar_credentials.calendar_token",
            "res_users.google_calendar_token",
        ],
    ),
    (
        "calendar-sync",
        "Microsoft Calendar tokens",
        &[
            "res_users.microsoft_calendar_token",
            "res_users_settings.microsoft_calendar_sync_token",
            "microsoft_calendar_credentials.calendar_sync_token",
        ],
    ),
    ("oauth", "sign-in providers", &["auth_oauth_provider"]),
    ("oauth", "users' access tokens", &["res_users.oauth_access_token"]),
    ("certificates", "certificates", &["certificate_certificate"]),
    ("certificates", "private keys", &["certificate_key"]),
];

fn present(schema: &Schema, place: &str) -> bool {
    match place.split_once('.') {
        Some((table, column)) => schema.has_column(table, column),
        None => schema.has(place),
    }
}

/// The parts of `step` this schema has no table for, in words.
pub fn unprobed(step: &str, schema: &Schema) -> Vec<String> {
    PARTS
        .iter()
        .filter(|(id, _, places)| *id == step && !places.iter().any(|p| present(schema, p)))
        .map(|(_, part, places)| format!("{part} (no {})", places.join(" or ")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_parts_without_a_table() {
        let schema = Schema::from_list(&[
            ("ir_config_parameter", &["key", "value"]),
            ("mail_push", &["id"]),
        ]);
        assert_eq!(
            unprobed("web-push", &schema),
            vec!["push devices (no mail_push_device or mail_partner_device)"]
        );
        assert!(unprobed("crons", &schema).is_empty());
    }
}
