//! What a restore will do, decided before anything changes: the name (given, else the
//! archive's), whether it replaces a database, the space it needs, copy or move, the loader's
//! parallelism; and the plan's steps as `--dry-run` shows them.

use anyhow::Result;

use super::Described;
use crate::archive::detect::{Format, Input};
use crate::context::Context;
use crate::copy;
use crate::error::{Failure, usage_error};
use crate::filestore;
use crate::neutralize::module_files;
use crate::odoo;
use crate::output::bytes;
use crate::pg::{Client, admin};

/// What the user asked for.
pub struct Wanted {
    pub target: String,
    /// Replace a database (or folder) that holds the name.
    pub force: bool,
    /// The role that owns the new database (else the connecting role).
    pub owner: Option<String>,
    pub neutralize: Option<module_files::Options>,
    pub pseudonymize: Option<crate::pseudonymize::Request>,
    /// pg_restore's parallel jobs (else one per core).
    pub jobs: Option<u32>,
}

/// Everything decided before anything changes.
pub struct Plan {
    pub target: String,
    pub replace: bool,
    pub owner: String,
    /// A new identity (a copy), else the archive's kept (moved); the command decides it last.
    pub copy: bool,
    pub neutralize: Option<module_files::Options>,
    pub pseudonymize: Option<crate::pseudonymize::Request>,
    pub jobs: u32,
    /// The new database gets a filestore folder (the archive carries one).
    pub with_folder: bool,
}

/// The manifest's `db_name`, else the file's name: valid by Odoo's rule, or the user must say.
pub fn default_name(described: &Described, input: &Input) -> Result<String> {
    let (name, from) = match (&described.manifest, input.stem()) {
        (Some(manifest), _) => (manifest.db_name.clone(), "the manifest's db_name"),
        (None, Some(stem)) => (stem, "the file's name"),
        (None, None) => {
            return Err(usage_error(
                "no database name: the archive has no manifest and no file name",
                "give the name: odoodb restore - <db>",
            ));
        }
    };
    odoo::name::validate(&name).map_err(|error| {
        Failure::usage(format!(
            "{from} {:?} is not a usable database name ({})",
            crate::output::terminal_safe(&name),
            crate::error::one_line(&error)
        ))
        .hint("give the name: odoodb restore <archive> <db>")
    })?;
    Ok(name)
}

/// Checks what can be checked before anything changes — the name, the space — and decides.
pub async fn prepare(
    ctx: &Context,
    admin_client: &Client,
    wanted: Wanted,
    described: &Described,
) -> Result<Plan> {
    let target = wanted.target;
    let root = ctx.filestore_root();
    let existing = copy::existing(ctx, admin_client, &target).await?;
    existing.require_free_unless(
        wanted.force,
        ctx,
        &target,
        "restore under another name (odoodb restore <archive> <db>), or pass --force to replace it once the restore is complete",
    )?;
    let replace = existing.taken();
    let with_folder = match described.format {
        Format::Zip => described.declared.is_some_and(|c| c.files > 0),
        // A backup made with --no-filestore says so; Odoo's layout, tarred, may hold one.
        Format::Tar => described
            .manifest
            .as_ref()
            .and_then(|m| m.odoodb.as_ref())
            .is_none_or(|ours| ours.filestore.is_some()),
        Format::PgCustom | Format::PgDirectory | Format::Sql => false,
    };
    if with_folder || described.format == Format::Tar || replace {
        let writable = if root.is_dir() { root.clone() } else { ctx.config.data_dir.value.clone() };
        filestore::require_writable(&writable)?;
        // What the restore writes into the data_dir: the filestore, and for our tar.gz the
        // dump while it loads.
        let needed = described.declared.map_or(0, |c| {
            c.file_bytes
                + c.files * 4096
                + if described.format == Format::Tar { c.dump_bytes } else { 0 }
        });
        let free = filestore::free_bytes(&writable)?;
        if free < needed + needed / 20 {
            return Err(Failure::failed(format!(
                "not enough free space in {}: the restore needs {}, {} free",
                writable.display(),
                bytes(needed),
                bytes(free)
            ))
            .unchanged()
            .hint("free some space in the data_dir, or restore on another machine")
            .into());
        }
    }
    let jobs = wanted.jobs.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(1, |n| u32::try_from(n.get()).unwrap_or(1))
    });
    Ok(Plan {
        target,
        replace,
        owner: wanted.owner.unwrap_or_else(|| ctx.params.user.clone()),
        copy: true,
        neutralize: wanted.neutralize,
        pseudonymize: wanted.pseudonymize,
        jobs,
        with_folder,
    })
}

/// The plan's steps, for `--dry-run`.
pub fn describe(plan: &Plan, described: &Described) -> Vec<String> {
    const TEMP: &str = "<temporary>";
    let mut steps = vec![format!(
        "{}; {} (under a temporary name, journaled)",
        admin::create_like_odoo_sql(TEMP, &plan.owner),
        admin::odoo_extensions_sql(false)
    )];
    let psql = "psql -v ON_ERROR_STOP=1 --single-transaction".to_string();
    let ours = described.manifest.as_ref().and_then(|m| m.odoodb.as_ref());
    let loader = match described.format {
        Format::Sql => psql,
        Format::Zip => format!("{psql}, the filestore extracted alongside"),
        // Odoo's layout, tarred, holds a plain dump.sql too.
        Format::Tar if ours.is_none_or(|o| o.dump.format == "plain") => psql,
        Format::Tar if ours.is_some_and(|o| o.dump.format == "custom") => format!(
            "pg_restore --no-owner --exit-on-error: --section=pre-data while the dump is written out, then --section=data --section=post-data --jobs {} while the filestore is extracted",
            plan.jobs
        ),
        _ => format!("pg_restore --no-owner --exit-on-error --jobs {}", plan.jobs),
    };
    steps.push(format!("load the {} dump with {loader}", described.format.as_str()));
    if let Some(counts) = described.declared.filter(|_| plan.with_folder) {
        steps.push(format!(
            "filestore: {} files, {} → {TEMP}",
            counts.files,
            bytes(counts.file_bytes)
        ));
    }
    if plan.copy {
        steps.push("new database.uuid, database.secret, database.create_date; enterprise code removed; web.base.url reset".into());
    } else {
        steps.push("identity kept (moved)".into());
    }
    if plan.neutralize.is_some() {
        steps.push("every neutralize step, in one transaction".into());
    }
    if plan.pseudonymize.is_some() {
        steps.push(
            "every person's data pseudonymized and every credential reset, in one transaction"
                .into(),
        );
    }
    if plan.replace {
        steps.push(format!("the existing {} moved aside", plan.target));
    }
    steps.push(format!("the restore takes the name {}", plan.target));
    if plan.replace {
        steps.push(format!("the previous {} dropped and its folder removed", plan.target));
    }
    steps
}
