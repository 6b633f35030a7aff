//! Pseudonymization of a copy for developers and CI: every person's data rewritten into
//! pseudonyms of the same shape (`shapes`), column by column as the rules say (`rules`), in one
//! pass per table (`rewrite`), what Odoo derives from names made again (`derived`), and the
//! credentials reset (`credentials`); all in the caller's one transaction. `check` compares a
//! copy with its source.

pub mod attachments;
pub mod check;
mod credentials;
mod derived;
pub mod password;
pub mod profile;
mod rewrite;
mod rules;
mod schema;
mod shapes;

use anyhow::{Context as _, Result};
use serde::Serialize;
use tokio_postgres::GenericClient;

pub use credentials::Reset;
pub use rewrite::Rewrite;

use crate::secret::Secret;

/// What the user chose.
#[derive(Debug, Default)]
pub struct Options {
    /// Repeatable pseudonyms (CI): the key is derived from it. Without it, a random key.
    pub seed: Option<String>,
    /// The administrator keeps its login.
    pub keep_admin: bool,
    /// Internal users' partners keep their names and details.
    pub keep_internal: bool,
    /// The site's own columns and hooks.
    pub profile: profile::Profile,
    /// What becomes of the files attached to people's records.
    pub files: attachments::Files,
}

/// What a pseudonymization does (the plan) or did.
#[derive(Debug, Serialize)]
pub struct Report {
    pub database: String,
    /// Tables rewritten, with their columns and rows.
    pub tables: Vec<Rewrite>,
    /// Values Odoo derives from names, made again.
    pub derived: Vec<Derived>,
    pub credentials: Vec<Reset>,
    /// People's attachments emptied or replaced (none with `--attachments keep`).
    pub attachments: Option<attachments::Emptied>,
    /// Tables of the rules this database does not have.
    pub absent: Vec<String>,
    /// The hashing rounds of the new password (Odoo's for this version).
    pub password_rounds: u32,
    /// The `--sql` files run, in order.
    pub hooks: Vec<String>,
    pub seeded: bool,
    pub committed: bool,
}

#[derive(Debug, Serialize)]
pub struct Derived {
    pub column: String,
    pub rows: u64,
}

impl Report {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum::<u64>()
            + self.credentials.iter().map(|c| c.rows).sum::<u64>()
            + self.attachments.as_ref().map_or(0, |a| a.rows)
    }
}

/// Every table the rules, the profile and the credential actions name.
fn tables(options: &Options) -> Vec<String> {
    let mut tables: Vec<String> = rewrite::specs(options).into_iter().map(|s| s.table).collect();
    tables.extend(credentials::tables().into_iter().map(String::from));
    tables.extend(["res_company".to_string(), "ir_model_data".to_string()]);
    tables
}

/// The plan: what each rule would change here, counted (no transaction needed).
pub async fn plan(
    client: &impl GenericClient,
    database: &str,
    options: &Options,
) -> Result<Report> {
    let schema = schema::Schema::load(client, &tables(options)).await?;
    let (mut tables, absent) = rewrite::rewrites(&schema, options)?;
    for table in &mut tables {
        table.count(client).await?;
    }
    let mut credentials = credentials::plan(client, &schema).await?;
    for reset in &mut credentials {
        reset.count(client).await?;
    }
    Ok(Report {
        database: database.to_string(),
        tables,
        derived: Vec::new(),
        credentials,
        attachments: attachments::plan(client, &schema, options.files).await?,
        absent,
        password_rounds: rounds(client).await?,
        hooks: Vec::new(),
        seeded: options.seed.is_some(),
        committed: false,
    })
}

/// The rounds Odoo would hash a new password with in this database.
async fn rounds(client: &impl GenericClient) -> Result<u32> {
    let series =
        crate::odoo::base_version(client).await?.as_deref().and_then(crate::odoo::version::series);
    let configured = crate::odoo::param(client, "password.hashing.rounds")
        .await
        .ok()
        .flatten()
        .and_then(|value| value.trim().parse().ok());
    Ok(password::rounds_for(series.as_deref(), configured))
}

/// Applies `report`'s plan in `transaction` (the caller commits): the key first, then every
/// table, the derived names, the credentials. `new_password` is every user's from now on.
pub async fn apply(
    transaction: &tokio_postgres::Transaction<'_>,
    report: &mut Report,
    options: &Options,
    new_password: &Secret,
    cancel: &crate::cancel::Cancel,
    log: &(dyn Fn(&str) + Sync),
) -> Result<()> {
    set_key(transaction, options.seed.as_deref()).await?;
    let schema = schema::Schema::load(transaction, &tables(options)).await?;
    // Odoo may have written since the plan: the statements are made again, on the same schema.
    let (tables, absent) = rewrite::rewrites(&schema, options)?;
    report.tables = tables;
    report.absent = absent;
    for table in &mut report.tables {
        cancel.check()?;
        log(&table.sql());
        table.apply(transaction).await?;
    }
    cancel.check()?;
    report.attachments = attachments::apply(transaction, &schema, options.files).await?;
    cancel.check()?;
    report.derived = derived::rederive(transaction, &schema)
        .await?
        .into_iter()
        .map(|(column, rows)| Derived { column, rows })
        .collect();
    let rounds = rounds(transaction).await?;
    let secret = new_password.clone();
    let hash = tokio::task::spawn_blocking(move || password::hash(&secret, rounds))
        .await
        .context("the password hashing stopped unexpectedly")??;
    report.password_rounds = rounds;
    report.credentials = credentials::plan(transaction, &schema).await?;
    for reset in &mut report.credentials {
        cancel.check()?;
        reset.apply(transaction, &hash).await?;
    }
    // The site's own SQL never sees the key.
    transaction
        .batch_execute(&format!("DROP TABLE IF EXISTS {}", shapes::KEY_TABLE))
        .await
        .context("cannot drop the pseudonymization key")?;
    for hook in &options.profile.hooks {
        cancel.check()?;
        log(&format!("-- {}", hook.path.display()));
        transaction.batch_execute(&hook.sql).await.map_err(|error| {
            crate::error::Failure::failed(format!(
                "the --sql file {} failed: {}",
                hook.path.display(),
                crate::error::one_line(&error.into())
            ))
            .hint("fix the file; nothing was changed")
        })?;
        report.hooks.push(hook.path.display().to_string());
    }
    Ok(())
}

/// This run's key, in a temporary table of this transaction only: from `--seed`, else random
/// (made in the server from its strong random source, so it never travels nor shows in a log;
/// before PostgreSQL 13, which has none to offer, from this process's).
async fn set_key(transaction: &tokio_postgres::Transaction<'_>, seed: Option<&str>) -> Result<()> {
    let table = shapes::KEY_TABLE;
    transaction
        .batch_execute("CREATE TEMP TABLE odoodb_pseudonym_key (key bytea NOT NULL) ON COMMIT DROP")
        .await
        .context("cannot create the pseudonymization key")?;
    let server: i32 = transaction
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .await
        .context("cannot read the server's version")?
        .get(0);
    let inserted = match seed {
        Some(seed) => {
            let sql = format!(
                "INSERT INTO {table} SELECT sha256(convert_to('odoodb-pseudonymize:' || $1::text, 'UTF8'))"
            );
            transaction.execute(&sql, &[&seed]).await
        }
        None if server >= 130_000 => {
            let sql = format!(
                "INSERT INTO {table} \
                 SELECT sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8'))"
            );
            transaction.execute(&sql, &[]).await
        }
        None => {
            let mut key = [0u8; 32];
            getrandom::fill(&mut key)
                .map_err(|e| anyhow::anyhow!("no randomness for the pseudonymization key: {e}"))?;
            let sql = format!("INSERT INTO {table} VALUES ($1)");
            transaction.execute(&sql, &[&&key[..]]).await
        }
    };
    inserted.context("cannot make the pseudonymization key")?;
    Ok(())
}

/// Every user's new password, and whether it was made here (then it is shown, once).
#[derive(Debug, Clone)]
pub struct NewPassword {
    pub secret: Secret,
    pub generated: bool,
}

impl NewPassword {
    /// The first line of `file`, else a random one.
    pub fn choose(file: Option<&std::path::Path>) -> Result<Self> {
        Ok(match file {
            Some(path) => Self { secret: password::from_file(path)?, generated: false },
            None => Self { secret: password::random()?, generated: true },
        })
    }
}

/// Plans and applies in one transaction of its own, committed only when all went through;
/// Ctrl-C cancels the statement in flight (`params` reach the server for that) and rolls all
/// back. `report` is the plan shown; it ends as what was done.
pub async fn transact(
    client: &mut tokio_postgres::Client,
    report: &mut Report,
    options: &Options,
    new_password: &NewPassword,
    cancel: &crate::cancel::Cancel,
    params: &crate::pg::ConnectParams,
    log: &(dyn Fn(&str) + Sync),
) -> Result<()> {
    let transaction = crate::neutralize::begin(client).await?;
    let work = async {
        apply(&transaction, report, options, &new_password.secret, cancel, log).await?;
        cancel.check()
    };
    crate::pg::interruptible(cancel, params, transaction.cancel_token(), work).await?;
    transaction.commit().await.context("cannot commit the pseudonymization")?;
    report.committed = true;
    Ok(())
}

/// A pseudonymization asked of a new database (`duplicate`, `restore`, `upgrade test`).
#[derive(Debug)]
pub struct Request {
    pub options: Options,
    pub password: NewPassword,
}

/// What a pseudonymization of a new database did, for its command's report.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub tables: usize,
    pub rows: u64,
    pub absent: Vec<String>,
    /// People's attachments emptied or replaced (their files leave the copy's folder).
    pub attachments: Option<attachments::Emptied>,
    /// Every user's new password, when odoodb made it (shown once).
    pub new_password: Option<String>,
}

/// Pseudonymizes `database` (a new one, not yet under its name) without a prompt: the caller
/// has the user's consent.
pub async fn unattended(
    client: &mut tokio_postgres::Client,
    database: &str,
    request: &Request,
    cancel: &crate::cancel::Cancel,
    params: &crate::pg::ConnectParams,
    log: &(dyn Fn(&str) + Sync),
) -> Result<Summary> {
    let mut report = plan(&*client, database, &request.options).await?;
    transact(client, &mut report, &request.options, &request.password, cancel, params, log).await?;
    Ok(Summary {
        tables: report.tables.iter().filter(|t| t.rows > 0).count(),
        rows: report.rows(),
        absent: report.absent,
        attachments: report.attachments,
        new_password: request
            .password
            .generated
            .then(|| request.password.secret.expose().to_string()),
    })
}
