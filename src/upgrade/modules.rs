//! The installed modules against the target version's code. A module the addons path lacks
//! makes the update fail (Odoo.sh's rule; the fix is an empty stub module) — unless Odoo's
//! upgrade merges, renames or removes it on the way, when only its successor must be there.

use std::path::{Path, PathBuf};

use anyhow::Result;
use serde::Serialize;

use crate::odoo;
use crate::upgrade::merges::{self, Change, Edition, Fate};
use crate::upgrade::preflight::{self, Item, Level};
use crate::upgrade::target::Series;

/// What the module check looks at.
pub struct Request<'a> {
    pub addons_path: &'a [PathBuf],
    pub write_stubs: Option<&'a Path>,
    /// The database's series; unknown, no change of Odoo's is assumed.
    pub current: Option<&'a Series>,
    pub target: &'a Series,
}

/// A module the target lacks because Odoo's upgrade changes it.
#[derive(Debug, Clone, Serialize)]
pub struct ModuleChange {
    #[serde(flatten)]
    pub fate: Fate,
    /// Whether the successor is on the addons path (none when the module is removed).
    pub into_found: Option<bool>,
}

pub struct Outcome {
    pub items: Vec<Item>,
    /// The modules that block (stubs are written for them); none when not checked.
    pub missing: Option<Vec<String>>,
    pub changes: Vec<ModuleChange>,
    pub stubs_written: Vec<PathBuf>,
}

pub async fn check(client: &crate::pg::Client, request: &Request<'_>) -> Result<Outcome> {
    if request.addons_path.is_empty() {
        return Ok(Outcome {
            items: vec![Item::new(
                "modules",
                Level::Warning,
                "not checked: pass --addons-path with the target version's addons folders",
            )],
            missing: None,
            changes: Vec::new(),
            stubs_written: Vec::new(),
        });
    }
    let installed: Vec<String> =
        odoo::installed_modules(client).await?.into_iter().map(|m| m.name).collect();
    let enterprise_modules = odoo::enterprise_modules(client).await?;
    let edition = Edition {
        enterprise: installed.iter().any(|m| m == "web_enterprise"),
        enterprise_modules: &enterprise_modules,
    };
    let mut missing = Vec::new();
    let mut changes = Vec::new();
    for module in preflight::missing_modules(&installed, request.addons_path) {
        let fate = request
            .current
            .and_then(|current| merges::fate(&module, current, request.target, &edition));
        match fate {
            None => missing.push(module),
            Some(fate) => {
                let into_found = fate.into.as_deref().map(|into| {
                    preflight::missing_modules(&[into.to_string()], request.addons_path).is_empty()
                });
                changes.push(ModuleChange { fate, into_found });
            }
        }
    }
    let found = installed.len() - missing.len() - changes.len();
    let (item, stubs_written) = missing_item(&missing, found, !changes.is_empty(), request)?;
    let mut items = vec![item];
    items.extend(changed_items(&changes));
    Ok(Outcome { items, missing: Some(missing), changes, stubs_written })
}

/// The modules nothing explains: a blocker, or a warning once stubs stand in for them.
fn missing_item(
    missing: &[String],
    found: usize,
    changed: bool,
    request: &Request<'_>,
) -> Result<(Item, Vec<PathBuf>)> {
    if missing.is_empty() {
        let detail = if changed {
            format!("the {found} other installed modules are on the addons path")
        } else {
            format!("all {found} installed modules are on the addons path")
        };
        return Ok((Item::new("modules", Level::Ok, detail), Vec::new()));
    }
    if let Some(dir) = request.write_stubs {
        let written = preflight::write_stubs(dir, missing, &request.target.to_string())?;
        let detail = format!(
            "{} installed modules are missing from the addons path ({}); stubs are in {}: add it \
             to the target's addons path",
            missing.len(),
            missing.join(", "),
            dir.display()
        );
        return Ok((Item::new("modules", Level::Warning, detail), written));
    }
    let detail = format!(
        "{} installed modules are missing from the addons path, which makes the update fail: {} \
         (--write-stubs DIR writes empty modules for them)",
        missing.len(),
        missing.join(", ")
    );
    Ok((Item::new("modules", Level::Blocker, detail), Vec::new()))
}

/// Odoo's own changes: merges and renames (whose successor must be on the addons path, or the
/// update fails as for any missing module: no stub stands in for Odoo's code), and removals,
/// which lose the module's data and features but do not stop the upgrade.
fn changed_items(changes: &[ModuleChange]) -> Vec<Item> {
    let mut items = Vec::new();
    let kept: Vec<&ModuleChange> =
        changes.iter().filter(|c| c.fate.change != Change::Removed).collect();
    if !kept.is_empty() {
        let lines: Vec<String> = kept
            .iter()
            .map(|change| {
                let lacking = if change.into_found == Some(false) {
                    ", which the addons path lacks"
                } else {
                    ""
                };
                format!("{} {}{lacking}", change.fate.module, change.fate.describe())
            })
            .collect();
        let lacking = kept.iter().filter(|c| c.into_found == Some(false)).count();
        let (level, end) = if lacking == 0 {
            (Level::Ok, "")
        } else {
            (
                Level::Blocker,
                ": the target's addons path must hold Odoo's own modules (--addons-path)",
            )
        };
        items.push(Item::new(
            "modules merged or renamed",
            level,
            format!("{}{end}", lines.join("; ")),
        ));
    }
    let removed: Vec<String> = changes
        .iter()
        .filter(|c| c.fate.change == Change::Removed)
        .map(|change| format!("{} {}", change.fate.module, change.fate.describe()))
        .collect();
    if !removed.is_empty() {
        items.push(Item::new(
            "modules removed",
            Level::Warning,
            format!("{}: their data and features go with them", removed.join("; ")),
        ));
    }
    items
}
