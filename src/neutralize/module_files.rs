//! Odoo's own mechanism: the `data/neutralize.sql` of every installed module, read from the
//! addons path (custom modules included). Each file runs in its own savepoint and is reported
//! per module: ran, failed (with the error), or the module was not found on the path.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use serde::Serialize;
use tokio_postgres::GenericClient;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Where modules are looked up, in order; empty means no module files.
    pub addons_path: Vec<PathBuf>,
    /// `--ignore-module`.
    pub ignore: Vec<String>,
    /// Keep going after a failing file (its own changes are rolled back to its savepoint).
    pub continue_on_error: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModuleFileStatus {
    /// Dry run: the file would run.
    Planned,
    Ran,
    Failed,
    /// Installed, but no folder of that name on the addons path.
    NotFound,
    /// `--ignore-module`.
    Ignored,
    /// Not run because an earlier file failed.
    NotRun,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModuleFile {
    pub module: String,
    pub status: ModuleFileStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The installed modules with a `data/neutralize.sql`, those not on the path, and the ignored
/// ones, sorted by module name. Modules found without the file are left out.
pub async fn plan(client: &impl GenericClient, options: &Options) -> Result<Vec<ModuleFile>> {
    let modules = crate::odoo::installed_modules(client).await?;
    let dirs = search_dirs(&options.addons_path);
    let mut files = Vec::new();
    for module in modules.into_iter().map(|m| m.name) {
        let entry = |status, path: Option<&Path>| ModuleFile {
            module: module.clone(),
            status,
            path: path.map(|p| p.display().to_string()),
            error: None,
        };
        if options.ignore.contains(&module) {
            files.push(entry(ModuleFileStatus::Ignored, None));
            continue;
        }
        match find_module(&dirs, &module) {
            None => files.push(entry(ModuleFileStatus::NotFound, None)),
            Some(dir) => {
                let file = dir.join("data").join("neutralize.sql");
                if file.is_file() {
                    files.push(entry(ModuleFileStatus::Planned, Some(&file)));
                }
            }
        }
    }
    Ok(files)
}

/// Runs the planned files, each in its own savepoint. Stops at the first failure unless
/// `continue_on_error`; the caller decides whether a failure rolls everything back.
pub async fn run(client: &impl GenericClient, options: &Options) -> Result<Vec<ModuleFile>> {
    let mut files = plan(client, options).await?;
    let mut failed = false;
    for file in &mut files {
        if file.status != ModuleFileStatus::Planned {
            continue;
        }
        if failed && !options.continue_on_error {
            file.status = ModuleFileStatus::NotRun;
            continue;
        }
        let path = file.path.clone().unwrap_or_default();
        let sql = match tokio::fs::read_to_string(&path).await {
            Ok(sql) => sql,
            Err(error) => {
                file.status = ModuleFileStatus::Failed;
                file.error = Some(format!("cannot read {path}: {error}"));
                failed = true;
                continue;
            }
        };
        client
            .batch_execute("SAVEPOINT odoodb_module_file")
            .await
            .context("cannot set a savepoint")?;
        match client.batch_execute(sql.trim()).await {
            Ok(()) => {
                client
                    .batch_execute("RELEASE SAVEPOINT odoodb_module_file")
                    .await
                    .context("cannot release a savepoint")?;
                file.status = ModuleFileStatus::Ran;
            }
            Err(error) => {
                client
                    .batch_execute("ROLLBACK TO SAVEPOINT odoodb_module_file")
                    .await
                    .context("cannot roll back to a savepoint")?;
                file.status = ModuleFileStatus::Failed;
                file.error = Some(
                    error
                        .as_db_error()
                        .map_or_else(|| error.to_string(), |db| db.message().to_string()),
                );
                failed = true;
            }
        }
    }
    Ok(files)
}

/// The addons path, plus Odoo's own `odoo/addons` next to or under each entry (where `base`
/// and `web` live in a source tree).
fn search_dirs(addons_path: &[PathBuf]) -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    for dir in addons_path {
        let mut push = |path: PathBuf| {
            if path.is_dir() && !dirs.contains(&path) {
                dirs.push(path);
            }
        };
        push(dir.clone());
        push(dir.join("odoo").join("addons"));
        if let Some(parent) = dir.parent() {
            push(parent.join("odoo").join("addons"));
        }
    }
    dirs
}

/// The first folder named `module` with a manifest.
fn find_module(dirs: &[PathBuf], module: &str) -> Option<PathBuf> {
    dirs.iter().map(|dir| dir.join(module)).find(|path| {
        path.join("__manifest__.py").is_file() || path.join("__openerp__.py").is_file()
    })
}
