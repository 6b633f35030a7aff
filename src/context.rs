//! Everything a command runs with: resolved settings, the connection parameters, the printer,
//! the confirmation policy, and the cancel signal.

use std::path::PathBuf;

use anyhow::Result;

use crate::archive::feed::{self, Timeouts};
use crate::cancel::Cancel;
use crate::config::Resolved;
use crate::error::Failure;
use crate::output::Printer;
use crate::pg::{self, Client, ConnectParams, admin};
use crate::safe::{self, Site};

pub struct Context {
    pub config: Resolved,
    /// Built once from `config`: every connection uses the same.
    pub params: ConnectParams,
    pub printer: Printer,
    /// `--yes`: confirmations are answered yes.
    pub assume_yes: bool,
    /// There is a controlling terminal, attended, to ask on (see `pg::prompt::can_ask`).
    pub interactive: bool,
    pub cancel: Cancel,
}

impl Context {
    /// Where modules' `neutralize.sql` files are looked up and how they run, from the options
    /// every neutralizing command shares: `--addons-path`, else odoo.conf `addons_path`; none
    /// with `--no-module-files`.
    pub fn module_file_options(
        &self,
        args: &crate::cli::ModuleFileArgs,
    ) -> crate::neutralize::module_files::Options {
        let addons_path = if args.no_module_files {
            Vec::new()
        } else if args.addons_path.is_empty() {
            self.config.addons_path.clone()
        } else {
            args.addons_path.clone()
        };
        crate::neutralize::module_files::Options {
            addons_path,
            ignore: args.ignore_module.clone(),
            continue_on_error: args.continue_on_error,
        }
    }

    pub fn new(config: Resolved, printer: Printer, assume_yes: bool, cancel: Cancel) -> Self {
        let interactive = pg::prompt::can_ask();
        let params = config.connect_params();
        Self { config, params, printer, assume_yes, interactive, cancel }
    }

    pub async fn connect(&self, db: &str) -> Result<Client> {
        pg::connect(&self.params, db).await
    }

    /// A connection for server-level work: `postgres`, else `template1`, as libpq tools do, but
    /// only when the server turned `postgres` itself away (it does not exist, or pg_hba.conf
    /// has no line for it): a refused or untyped password, Ctrl-C at the prompt or a server
    /// that does not answer would only be met again, after asking for the password again.
    pub async fn connect_admin(&self) -> Result<Client> {
        match self.connect("postgres").await {
            Ok(client) => Ok(client),
            Err(first) if !is_refused_database(&first) => Err(first),
            Err(first) => self.connect("template1").await.map_err(|_| first),
        }
    }

    /// A connection to `db`, which must exist and be an Odoo database: one wording everywhere.
    pub async fn open_odoo(&self, admin_client: &Client, db: &str) -> Result<Client> {
        require_exists(self, admin_client, db).await?;
        if let Some(twin) = crate::safe::kept::closed_twin(admin_client, db).await? {
            return Err(Failure::failed(format!("{db} is {}", twin.describe()))
                .hint(format!(
                    "to look inside, make a copy of the backup; `odoodb delete {db}` removes it"
                ))
                .into());
        }
        let client = self.connect(db).await?;
        crate::odoo::require_odoo(&client, db).await?;
        Ok(client)
    }

    pub fn filestore_root(&self) -> PathBuf {
        crate::filestore::root(&self.config.data_dir.value)
    }

    pub fn filestore(&self, db: &str) -> PathBuf {
        crate::filestore::path(&self.config.data_dir.value, db)
    }

    /// The server and filestore root that safe changes work on.
    pub fn site<'a>(&'a self, admin_client: &'a Client) -> Site<'a> {
        Site {
            admin: admin_client,
            params: &self.params,
            filestore_root: self.filestore_root(),
            cancel: &self.cancel,
        }
    }

    /// Settles what interrupted runs left (see `safe::recover`), saying what it did; what it
    /// cannot do is a warning, never an error for this command.
    pub async fn recover(&self, admin_client: &Client) -> safe::recover::Sweep {
        let sweep = safe::recover::sweep(&self.site(admin_client)).await;
        for line in &sweep.settled {
            self.printer.warn(&format!("recovered: {line}"));
        }
        for problem in &sweep.problems {
            self.printer.warn(&problem.message);
        }
        for stranger in &sweep.strangers {
            self.printer.warn(stranger);
        }
        sweep
    }

    /// Refuses to go on without `db`'s filestore folder while its attachments need one: the
    /// data_dir is most likely wrong, and renaming or dropping now would part the database from
    /// its files. `force` says the files are really gone.
    pub async fn require_filestore_if_needed(
        &self,
        client: &Client,
        db: &str,
        force: bool,
    ) -> Result<()> {
        let folder = self.filestore(db);
        if force || folder.symlink_metadata().is_ok() {
            return Ok(());
        }
        self.require_no_attachment_in_filestore(
            client,
            db,
            "nothing was changed",
            "; pass --force if the files are really gone",
        )
        .await
    }

    /// Refuses `db`, whose filestore folder is not there, while attachments are stored in it:
    /// the commonest way to part a database from its files is a wrong data_dir. `consequence`
    /// says what the refusal left ("nothing was changed"), `otherwise` ends the hint.
    pub async fn require_no_attachment_in_filestore(
        &self,
        client: &Client,
        db: &str,
        consequence: &str,
        otherwise: &str,
    ) -> Result<()> {
        let needed = crate::odoo::attachment_counts(client).await?.in_filestore;
        if needed == 0 {
            return Ok(());
        }
        Err(Failure::failed(format!(
            "{db} has {needed} attachments stored in the filestore, but there is no folder at {} (data_dir {}, from {}); {consequence}",
            self.filestore(db).display(),
            self.config.data_dir.value.display(),
            self.config.data_dir.source
        ))
        .hint(format!(
            "point odoodb at Odoo's data_dir (-c /etc/odoo/odoo.conf or --data-dir){otherwise}"
        ))
        .into())
    }

    /// Creates `db` as Odoo does (encoding, collation, template0, extensions — `unaccent` when
    /// odoo.conf asks for it), owned by `owner`, who also owns the extensions where it may
    /// create them.
    pub async fn create_odoo_database(
        &self,
        admin_client: &Client,
        db: &str,
        owner: &str,
    ) -> Result<()> {
        use anyhow::Context as _;
        // A copy of template0 may wait (on a checkpoint, on a lock): Ctrl-C cancels it, and
        // the caller drops whatever was made.
        let create = async {
            admin_client
                .batch_execute(&admin::create_like_odoo_sql(db, owner))
                .await
                .with_context(|| format!("cannot create the database {db}"))
        };
        self.interruptible(admin_client.cancel_token(), create).await?;
        let unaccent =
            crate::odoo::is_true(self.config.odoo_conf.as_ref().and_then(|c| c.get("unaccent")));
        let extensions = admin::odoo_extensions_sql(unaccent);
        let client = self.connect(db).await?;
        if owner != self.params.user {
            // As under Odoo, the role that owns the database creates them (pg_trgm and unaccent
            // are trusted extensions since PostgreSQL 13), so they are its own: a dump loaded
            // as that role may comment on them (`COMMENT ON EXTENSION` needs the owner). One
            // batch, one implicit transaction: on failure the role is back as it was.
            let as_owner = format!("SET ROLE {}; {extensions} RESET ROLE;", pg::quote_ident(owner));
            if client.batch_execute(&as_owner).await.is_ok() {
                return Ok(());
            }
            let _ = client.batch_execute("RESET ROLE").await;
        }
        client
            .batch_execute(&extensions)
            .await
            .context("cannot create the extensions Odoo needs (pg_trgm)")
    }

    /// How long a download (an archive at a URL) may wait: the flags' seconds, else settings
    /// `[restore]`, else 30 s for the connection and 60 s without a byte.
    pub fn download_timeouts(&self, connect: Option<u64>, read: Option<u64>) -> Timeouts {
        let settings = &self.config.settings.restore;
        let pick = |flag: Option<u64>, setting: Option<std::num::NonZeroU64>, default| {
            flag.or(setting.map(std::num::NonZeroU64::get))
                .map_or(default, std::time::Duration::from_secs)
        };
        Timeouts {
            connect: pick(connect, settings.connect_timeout, feed::DEFAULT_CONNECT_TIMEOUT),
            read: pick(read, settings.read_timeout, feed::DEFAULT_READ_TIMEOUT),
        }
    }

    /// Runs `work` (statements on the session of `token`) until Ctrl-C, which cancels the
    /// statement in flight on the server (see `pg::interruptible`).
    pub async fn interruptible<T>(
        &self,
        token: tokio_postgres::CancelToken,
        work: impl std::future::Future<Output = Result<T>>,
    ) -> Result<T> {
        pg::interruptible(&self.cancel, &self.params, token, work).await
    }

    /// Fails with the interrupted kind (exit 130) once Ctrl-C was pressed.
    pub fn check_interrupt(&self) -> Result<()> {
        self.cancel.check()
    }
}

/// Whether the server refused the database asked for, so another may do: it does not exist
/// (3D000), pg_hba.conf has no line for it (28000), it takes no connections (55000), or the
/// role may not connect to it (42501).
fn is_refused_database(error: &anyhow::Error) -> bool {
    use tokio_postgres::error::SqlState;
    let refusals = [
        SqlState::INVALID_CATALOG_NAME,
        SqlState::INVALID_AUTHORIZATION_SPECIFICATION,
        SqlState::OBJECT_NOT_IN_PREREQUISITE_STATE,
        SqlState::INSUFFICIENT_PRIVILEGE,
    ];
    error.chain().any(|cause| {
        cause
            .downcast_ref::<tokio_postgres::Error>()
            .and_then(tokio_postgres::Error::code)
            .is_some_and(|code| refusals.contains(code))
    })
}

/// Fails with one wording when `db` does not exist, suggesting the closest name there is.
pub async fn require_exists(ctx: &Context, admin_client: &Client, db: &str) -> Result<()> {
    if admin::database_exists(admin_client, db).await? {
        return Ok(());
    }
    Err(Failure::failed(format!("database {db:?} does not exist on {}", ctx.params.describe()))
        .hint(
            not_found_hint(
                admin_client,
                db,
                "`odoodb list` shows the Odoo databases on this server",
            )
            .await,
        )
        .into())
}

/// The hint for a database name that was not found: "did you mean …?" when a database on the
/// server is a typo away, then `otherwise`.
pub async fn not_found_hint(admin_client: &Client, db: &str, otherwise: &str) -> String {
    let names = admin::list_database_names(admin_client).await.unwrap_or_default();
    let names: Vec<String> =
        names.into_iter().filter(|name| !crate::safe::names::is_temporary(name)).collect();
    match crate::odoo::name::closest(db, &names) {
        Some(name) => {
            format!("did you mean {}? {otherwise}", crate::output::terminal_safe(name))
        }
        None => otherwise.to_string(),
    }
}
