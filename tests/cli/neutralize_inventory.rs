//! Every row of the inventory (docs/neutralize-inventory.md), on the project's Odoo 18 and 19
//! shaped fixtures: live before, reported by `--check`, changed by `neutralize`, and no longer
//! reported after.

use serde_json::Value;

#[path = "../../src/neutralize/inventory.rs"]
mod inventory;
use inventory::Effect;

use crate::support::fixtures;
use crate::support::{PgTestDb, TestEnv, json};

/// The rows an effect concerns that are still live: their ids, or for an added row, whether it
/// is missing.
fn live(db: &PgTestDb, effect: &Effect) -> Vec<i32> {
    try_live(db, effect).unwrap()
}

fn try_live(db: &PgTestDb, effect: &Effect) -> Result<Vec<i32>, postgres::Error> {
    let mut client = db.client();
    let rows = effect.row_condition();
    if effect.becomes == "added" {
        let sql = format!("SELECT count(*) FROM {} WHERE {rows}", effect.table);
        let present: i64 = client.query_one(&sql, &[])?.get(0);
        return Ok(if present == 0 { vec![0] } else { Vec::new() });
    }
    let neutral = effect.neutral_condition().unwrap_or_else(|| "false".into());
    let sql =
        format!("SELECT id FROM {} WHERE ({rows}) AND NOT ({neutral}) ORDER BY id", effect.table);
    Ok(client.query(&sql, &[])?.iter().map(|row| row.get(0)).collect())
}

/// The same rows, looked up by id after the run: those not yet neutral (or still there).
fn still_live(db: &PgTestDb, effect: &Effect, ids: &[i32]) -> i64 {
    if effect.becomes == "added" {
        return live(db, effect).len().try_into().unwrap();
    }
    let neutral = match effect.neutral_condition() {
        Some(neutral) => format!("NOT ({neutral})"),
        None => "true".into(),
    };
    let sql = format!("SELECT count(*) FROM {} WHERE id = ANY($1) AND {neutral}", effect.table);
    db.client().query_one(&sql, &[&ids]).unwrap().get(0)
}

/// Whether `--check` named the effect: its step, its table, and its column or key.
fn reported(findings: &Value, effect: &Effect) -> bool {
    findings.as_array().unwrap().iter().any(|f| {
        let what = f["what"].as_str().unwrap();
        let named = match (effect.key(), effect.target.as_str()) {
            (Some(key), _) => what.contains(key),
            (None, "*" | "+row") => true,
            (None, column) => what.contains(column),
        };
        f["step"] == effect.step.as_str() && f["table"] == effect.table.as_str() && named
    })
}

fn every_effect_of(version: u32) {
    let env = TestEnv::new();
    let db = fixtures::shaped(version, &format!("nz_inv{version}"));
    let effects: Vec<Effect> =
        inventory::effects().into_iter().filter(|e| e.versions.contains(&version)).collect();
    assert!(effects.len() > 150, "{} effects for {version}", effects.len());

    // The fixture is true to the inventory: every effect's column exists and is live.
    let before: Vec<Vec<i32>> =
        effects.iter().map(|effect| try_live(&db, effect).unwrap_or_default()).collect();
    let absent: Vec<String> = effects
        .iter()
        .zip(&before)
        .filter(|(_, ids)| ids.is_empty())
        .map(|(e, _)| format!("{}.{} ({})", e.table, e.target, e.module))
        .collect();
    assert!(absent.is_empty(), "{version}: the fixture has nothing live for {absent:#?}");

    let check = env.cmd().args(["neutralize", "--check", &db.name, "--json"]).output().unwrap();
    assert_eq!(check.status.code(), Some(4));
    let findings = json(&check)["findings"].clone();
    let missed: Vec<String> = effects
        .iter()
        .filter(|effect| !reported(&findings, effect))
        .map(|e| format!("{} {}.{}", e.step, e.table, e.target))
        .collect();
    assert!(missed.is_empty(), "{version}: --check did not report {missed:#?}");

    let output = env.cmd().args(["neutralize", &db.name, "--yes", "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(json(&output)["findings"], serde_json::json!([]));
    let unchanged: Vec<String> = effects
        .iter()
        .zip(&before)
        .filter(|(effect, ids)| still_live(&db, effect, ids) > 0)
        .map(|(e, _)| format!("{} {}.{} → {}", e.step, e.table, e.target, e.becomes))
        .collect();
    assert!(unchanged.is_empty(), "{version}: not neutralized: {unchanged:#?}");

    let check = env.cmd().args(["neutralize", "--check", &db.name, "--json"]).output().unwrap();
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));
}

#[test]
fn every_odoo_18_effect_is_checked_and_neutralized() {
    every_effect_of(18);
}

#[test]
fn every_odoo_19_effect_is_checked_and_neutralized() {
    every_effect_of(19);
}
