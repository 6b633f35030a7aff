//! `calendar-sync`: Google and Microsoft calendar synchronization stopped, tokens cleared, in
//! every table that has held them: `google/microsoft_calendar_credentials` (16–17), `res_users`,
//! and `res_users_settings` (18+).

use super::columns::{self, Neutral, all};
use super::{Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "calendar-sync",
    title: "Google/Microsoft calendar sync tokens cleared, sync stopped",
    why: "a copy syncing with real calendars creates, moves or deletes real people's meetings",
    tables: &[
        "google_calendar_credentials",
        "microsoft_calendar_credentials",
        "res_users",
        "res_users_settings",
    ],
    probe,
};

/// Per table, the columns and their neutral values (tokens cleared, sync stopped).
const COLUMNS: &[(&str, &[Neutral])] = &[
    (
        "google_calendar_credentials",
        &[
            all("calendar_rtoken", "NULL"),
            all("calendar_token", "NULL"),
            all("calendar_sync_token", "NULL"),
            all("synchronization_stopped", "true"),
        ],
    ),
    (
        "microsoft_calendar_credentials",
        &[
            all("calendar_sync_token", "NULL"),
            all("last_sync_date", "NULL"),
            all("synchronization_stopped", "true"),
        ],
    ),
    (
        "res_users",
        &[
            all("google_calendar_rtoken", "NULL"),
            all("google_calendar_token", "NULL"),
            all("google_calendar_sync_token", "NULL"),
            all("microsoft_calendar_rtoken", "NULL"),
            all("microsoft_calendar_token", "NULL"),
            all("microsoft_calendar_sync_token", "NULL"),
            all("microsoft_synchronization_stopped", "true"),
        ],
    ),
    (
        "res_users_settings",
        &[
            all("google_calendar_rtoken", "NULL"),
            all("google_calendar_token", "NULL"),
            all("google_calendar_sync_token", "NULL"),
            all("google_synchronization_stopped", "true"),
            all("microsoft_calendar_sync_token", "NULL"),
            all("microsoft_last_sync_date", "NULL"),
            all("microsoft_synchronization_stopped", "true"),
        ],
    ),
];

fn probe(schema: &Schema) -> Probe {
    let actions: Vec<_> = COLUMNS
        .iter()
        .flat_map(|(table, columns)| columns::actions(schema, table, columns))
        .collect();
    if actions.is_empty() {
        return Err("no calendar sync tables (google/microsoft_calendar not installed)".into());
    }
    Ok(actions)
}
