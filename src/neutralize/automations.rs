//! `automations`: automation rules (`base_automation`) that reach the outside world are
//! switched off, and the secret of their incoming webhook URLs is renewed.
//!
//! A rule reaches outside when one of its server actions, or a child of one of its `multi`
//! actions at any depth, sends an email (15: `email`, 16+: `mail_post`), an SMS (`sms`) or calls
//! a webhook (17+: `webhook`). Such rules fire on any user's change in the copy, crons or not.
//! Mail also stops at the dummy mail server, SMS at the disabled IAP tokens and webhooks at
//! their dead URL, but only for the channels those steps know: the rule itself is the one
//! switch that covers them all.
//!
//! Rules with `code` actions stay active and are not reported: their code runs in Odoo's
//! sandbox, which imports nothing, so it reaches outside only through Odoo's models (mail,
//! IAP, webhooks, payment), which the other steps neutralize; and most code actions compute and
//! write fields, the business logic a test copy exists to exercise.
//!
//! Where the rule links to its actions, by schema: 15–16 one action per rule
//! (`base_automation.action_server_id`), 17+ several (`ir_act_server.base_automation_id`).
//! Children of `multi` actions: 15–18 `rel_server_actions(server_id, action_id)`, 19
//! `ir_act_server.parent_id`.
//!
//! 17+: `base_automation.webhook_uuid` is the secret part of the rule's incoming webhook URL
//! (`/web/hook/<uuid>`). Anyone who knows production's can call the copy's: each gets a new one,
//! of the same shape. Whether that was done cannot be read from the uuids, so a parameter
//! (`odoodb.webhook_uuids`) records a digest of the set odoodb wrote.

use super::{Action, Probe, Schema, Step, params};
use crate::pg::quote_literal;

pub const STEP: Step = Step {
    id: "automations",
    title: "Automation rules that send email or SMS or call webhooks off; incoming webhook \
            URLs renewed",
    why: "an automation rule fires on any change made in the copy and mails, texts or calls \
          production's partners and integrations",
    tables: &[TABLE, ACTIONS, CHILDREN, params::TABLE],
    probe,
};

const TABLE: &str = "base_automation";
const ACTIONS: &str = "ir_act_server";
/// 15–18: the children of `multi` server actions.
const CHILDREN: &str = "rel_server_actions";
/// The action types that send something out.
const OUTBOUND: &str = "'email', 'mail_post', 'sms', 'webhook'";
/// Records the digest of the webhook uuids odoodb wrote.
pub const MARKER: &str = "odoodb.webhook_uuids";

fn probe(schema: &Schema) -> Probe {
    if !schema.has_column(TABLE, "active") {
        return Err("no base_automation table".into());
    }
    if !schema.has_column(ACTIONS, "state") {
        return Err("no ir_act_server table".into());
    }
    let mut links = Vec::new();
    let reaching = reaching_actions(schema);
    if schema.has_column(TABLE, "action_server_id") {
        links.push(format!("action_server_id IN ({reaching})"));
    }
    if schema.has_column(ACTIONS, "base_automation_id") {
        links.push(format!(
            "id IN (SELECT base_automation_id FROM ir_act_server WHERE id IN ({reaching}))"
        ));
    }
    if links.is_empty() {
        return Err("no link from base_automation to its server actions".into());
    }
    let mut actions = vec![
        Action::update(
            "active automation rules that send email or SMS or call a webhook",
            TABLE,
            "active = false",
            &format!("active IS TRUE AND ({})", links.join(" OR ")),
        )
        .finding(),
    ];
    if schema.has_column(TABLE, "webhook_uuid") && schema.has(params::TABLE) {
        actions.push(webhook_uuids());
    }
    Ok(actions)
}

/// The ids of the server actions that send something out, directly or through children.
fn reaching_actions(schema: &Schema) -> String {
    let mut edges = Vec::new();
    if schema.has_columns(CHILDREN, &["server_id", "action_id"]) {
        edges.push("SELECT action_id, server_id FROM rel_server_actions");
    }
    if schema.has_column(ACTIONS, "parent_id") {
        edges.push("SELECT id, parent_id FROM ir_act_server WHERE parent_id IS NOT NULL");
    }
    let direct = format!("SELECT id FROM ir_act_server WHERE state IN ({OUTBOUND})");
    if edges.is_empty() {
        return direct;
    }
    // Up from each outbound action to every `multi` above it; UNION stops at a cycle.
    format!(
        "WITH RECURSIVE edge (child, parent) AS ({}), \
              reach (id) AS ({direct} UNION SELECT e.parent FROM edge e JOIN reach r ON e.child = r.id) \
         SELECT id FROM reach",
        edges.join(" UNION ALL ")
    )
}

/// Every rule's incoming webhook uuid renewed, while the set is not the one odoodb wrote.
fn webhook_uuids() -> Action {
    let marker = quote_literal(MARKER);
    let digest = "(SELECT md5(string_agg(webhook_uuid, ',' ORDER BY id)) FROM base_automation)";
    let written = format!(
        "EXISTS (SELECT 1 FROM ir_config_parameter WHERE key = {marker} AND value = {digest})"
    );
    let mut action = Action::update(
        "base_automation.webhook_uuid not renewed (incoming webhook URLs)",
        TABLE,
        // A random seed from this run (never stored) keyed per row: a uuid-shaped value nobody
        // can derive from production's, on every PostgreSQL version (no gen_random_uuid
        // before 13).
        "webhook_uuid = md5($1::text || ':' || id::text)::uuid::text",
        &format!("webhook_uuid IS NOT NULL AND NOT {written}"),
    )
    .with_params(vec![uuid::Uuid::new_v4().to_string()])
    .finding();
    action.apply_sql.extend([
        format!(
            "UPDATE ir_config_parameter SET value = {digest} WHERE key = {marker} \
               AND value IS DISTINCT FROM {digest}"
        ),
        format!(
            "INSERT INTO ir_config_parameter (key, value) SELECT {marker}, {digest} \
              WHERE NOT EXISTS (SELECT 1 FROM ir_config_parameter WHERE key = {marker})"
        ),
    ]);
    action
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_children_follow_the_schema() {
        let v15 = Schema::from_list(&[
            (TABLE, &["active", "action_server_id"]),
            (ACTIONS, &["state"]),
            (CHILDREN, &["server_id", "action_id"]),
        ]);
        let actions = probe(&v15).unwrap_or_default();
        assert_eq!(actions.len(), 1);
        let sql = &actions[0].apply_sql[0];
        assert!(sql.contains("action_server_id IN (WITH RECURSIVE"), "{sql}");
        assert!(sql.contains("FROM rel_server_actions") && !sql.contains("parent_id"), "{sql}");

        let v19 = Schema::from_list(&[
            (TABLE, &["active", "webhook_uuid"]),
            (ACTIONS, &["state", "base_automation_id", "parent_id"]),
            (params::TABLE, &["key", "value"]),
        ]);
        let actions = probe(&v19).unwrap_or_default();
        assert_eq!(actions.len(), 2);
        let sql = &actions[0].apply_sql[0];
        assert!(sql.contains("SELECT base_automation_id FROM ir_act_server"), "{sql}");
        assert!(sql.contains("parent_id IS NOT NULL") && !sql.contains("rel_server"), "{sql}");
        assert!(actions[1].apply_sql[0].contains("webhook_uuid = md5($1::text"));

        let unlinked = Schema::from_list(&[(TABLE, &["active"]), (ACTIONS, &["state"])]);
        assert!(probe(&unlinked).is_err());
    }
}
