//! `website`: websites lose their domain and CDN, and ask crawlers to stay away.

use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "website",
    title: "Website domains cleared, CDN off, robots.txt denies all",
    why: "a copy must not answer for production's domain, serve from its CDN or be indexed",
    tables: &["website"],
    probe,
};

const DENY_ALL: &str = "E'User-agent: *\\nDisallow: /'";

fn probe(schema: &Schema) -> Probe {
    let table = "website";
    if !schema.has_column(table, "domain") {
        return Err("no website table (website not installed)".into());
    }
    let mut actions = vec![
        Action::update("website.domain set", table, "domain = NULL", "domain IS NOT NULL")
            .finding(),
    ];
    if schema.has_column(table, "cdn_activated") {
        actions.push(Action::set_column(
            "website.cdn_activated not false",
            table,
            "cdn_activated",
            "false",
        ));
    }
    if schema.has_column(table, "robots_txt") {
        actions.push(Action::set_column(
            "website.robots_txt allows crawling",
            table,
            "robots_txt",
            DENY_ALL,
        ));
    }
    if schema.has_column(table, "google_places_api_key") {
        actions.push(Action::set_column(
            "website.google_places_api_key not dummy",
            table,
            "google_places_api_key",
            "'dummy'",
        ));
    }
    Ok(actions)
}
