//! `calendar-sync`: Google and Microsoft calendar synchronization stopped, tokens cleared.

use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "calendar-sync",
    title: "Google/Microsoft calendar sync tokens cleared, sync stopped",
    why: "a copy syncing with real calendars creates, moves or deletes real people's meetings",
    tables: &["google_calendar_credentials", "microsoft_calendar_credentials", "res_users"],
    probe,
};

/// Token columns per table; a non-NULL token is live.
const TOKENS: &[(&str, &[&str])] = &[
    ("google_calendar_credentials", &["calendar_rtoken", "calendar_token", "calendar_sync_token"]),
    ("microsoft_calendar_credentials", &["calendar_sync_token"]),
    (
        "res_users",
        &[
            "google_calendar_rtoken",
            "google_calendar_token",
            "google_calendar_sync_token",
            "microsoft_calendar_rtoken",
            "microsoft_calendar_token",
            "microsoft_calendar_sync_token",
        ],
    ),
];

/// Flags that stop the sync: (table, column).
const STOPPED: &[(&str, &str)] = &[
    ("google_calendar_credentials", "synchronization_stopped"),
    ("microsoft_calendar_credentials", "synchronization_stopped"),
    ("res_users", "microsoft_synchronization_stopped"),
];

fn probe(schema: &Schema) -> Probe {
    let mut actions = Vec::new();
    for (table, columns) in TOKENS {
        let present: Vec<&&str> = columns.iter().filter(|c| schema.has_column(table, c)).collect();
        if present.is_empty() {
            continue;
        }
        let mut set: Vec<String> = present.iter().map(|c| format!("{c} = NULL")).collect();
        if *table == "microsoft_calendar_credentials" && schema.has_column(table, "last_sync_date")
        {
            set.push("last_sync_date = NULL".into());
        }
        let live: Vec<String> = present.iter().map(|c| format!("{c} IS NOT NULL")).collect();
        actions.push(
            Action::update(
                &format!("{table} rows holding calendar tokens"),
                table,
                &set.join(", "),
                &live.join(" OR "),
            )
            .finding(),
        );
    }
    for (table, column) in STOPPED {
        if schema.has_column(table, column) && actions.iter().any(|a| a.table == *table) {
            actions.push(Action::update(
                &format!("{table} rows with calendar sync not stopped"),
                table,
                &format!("{column} = true"),
                &format!("{column} IS NOT TRUE"),
            ));
        }
    }
    if actions.is_empty() {
        return Err("no calendar sync tables (google/microsoft_calendar not installed)".into());
    }
    Ok(actions)
}
