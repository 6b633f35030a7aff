//! Opening a connection the way libpq would, since tokio-postgres reads no PG* variable,
//! no ~/.pgpass, no certificate file and knows no sslmode beyond prefer/require.
//!
//! What libpq does and this module copies: `allow` tries plain then TLS, `prefer` tries TLS then
//! plain (also when the TLS handshake or the role's pg_hba line refuses it); a root certificate
//! (`sslrootcert`) is the only CA trusted when given; a client certificate is sent when one is
//! there; one timeout covers TCP, TLS, startup and authentication; a missing password is asked
//! for on a terminal, once per run. Where and how (`params`), TLS (`tls`) and what a failure
//! means (`diagnose`) live beside it.

use std::time::Duration;

use anyhow::Result;
use tokio_postgres::Client;
use tokio_postgres::config::SslMode as WireSslMode;

use super::diagnose::{
    is_password_missing, is_refused_at_startup, is_tls_failure, is_wrong_password, known_unusable,
    no_password, report,
};
use super::params::{ConnectParams, SslMode};
use super::prompt;
use super::tls::tls_connector;
use crate::error::Failure;
use crate::secret::Secret;

/// A password typed at the prompt, for every later connection of this run to the same server.
struct Typed {
    host: String,
    port: u16,
    user: String,
    password: Secret,
}

static TYPED: tokio::sync::Mutex<Option<Typed>> = tokio::sync::Mutex::const_new(None);

async fn typed_password(params: &ConnectParams) -> Option<Secret> {
    let typed = TYPED.lock().await;
    typed
        .as_ref()
        .filter(|t| t.host == params.host && t.port == params.port && t.user == params.user)
        .map(|t| t.password.clone())
}

/// Opens a connection to `dbname`; the connection task runs on the current runtime.
pub async fn connect(params: &ConnectParams, dbname: &str) -> Result<Client> {
    if let Some(failure) = known_unusable(params) {
        return Err(failure.into());
    }
    let (given, passfile_ignored) = params.password_for(dbname);
    let password = match given {
        Some(password) => Some(password),
        None => typed_password(params).await,
    };
    let known = password.is_some();
    match open(params, dbname, password.as_ref()).await {
        Ok(client) => Ok(client),
        Err(Attempt::Pg(error)) if !known && is_password_missing(&error) => {
            ask_and_connect(params, dbname, passfile_ignored).await
        }
        Err(attempt) => Err(report(params, dbname, attempt, passfile_ignored).await),
    }
}

/// How many times a wrong password may be typed before odoodb gives up (as sudo).
const PASSWORD_TRIES: usize = 3;

/// The server wants a password and none was given: ask on a terminal (once per run, even when
/// several connections need it at the same time), else say how to give one. A wrong one is
/// said to be wrong before it is asked again.
async fn ask_and_connect(
    params: &ConnectParams,
    dbname: &str,
    passfile_ignored: bool,
) -> Result<Client> {
    let mut typed = TYPED.lock().await;
    let already = typed
        .as_ref()
        .filter(|t| t.host == params.host && t.port == params.port && t.user == params.user)
        .map(|t| t.password.clone());
    let can_ask = already.is_none() && params.may_prompt && prompt::can_ask();
    if already.is_none() && !can_ask {
        return Err(no_password(params, dbname, passfile_ignored).into());
    }
    let mut tries = 0;
    loop {
        let password = match &already {
            Some(password) => password.clone(),
            None => prompt::ask(&format!("Password for user {}: ", params.user)).await?,
        };
        tries += 1;
        match open(params, dbname, Some(&password)).await {
            Ok(client) => {
                *typed = Some(Typed {
                    host: params.host.clone(),
                    port: params.port,
                    user: params.user.clone(),
                    password,
                });
                return Ok(client);
            }
            Err(Attempt::Pg(error))
                if can_ask && tries < PASSWORD_TRIES && is_wrong_password(&error) =>
            {
                prompt::say(&format!("password authentication failed for user {}", params.user));
            }
            Err(attempt) => return Err(report(params, dbname, attempt, false).await),
        }
    }
}

/// Why one connection attempt failed.
pub(super) enum Attempt {
    Pg(tokio_postgres::Error),
    Timeout,
    /// Before any byte was sent: a certificate file that cannot be used, say.
    Setup(anyhow::Error),
}

/// Connects as the sslmode says, falling back as libpq does.
async fn open(
    params: &ConnectParams,
    dbname: &str,
    password: Option<&Secret>,
) -> Result<Client, Attempt> {
    if params.is_socket() || params.sslmode == SslMode::Disable {
        return attempt(params, dbname, password, None).await;
    }
    match params.sslmode {
        SslMode::Allow => match attempt(params, dbname, password, None).await {
            Err(Attempt::Pg(error)) if is_refused_at_startup(&error) => {
                attempt(params, dbname, password, Some(WireSslMode::Require)).await
            }
            other => other,
        },
        SslMode::Prefer => match attempt(params, dbname, password, Some(WireSslMode::Prefer)).await
        {
            Err(Attempt::Pg(error)) if is_tls_failure(&error) || is_refused_at_startup(&error) => {
                attempt(params, dbname, password, None).await
            }
            other => other,
        },
        _ => attempt(params, dbname, password, Some(WireSslMode::Require)).await,
    }
}

/// One connection, plain (`tls` = None) or over TLS, within the connect timeout.
async fn attempt(
    params: &ConnectParams,
    dbname: &str,
    password: Option<&Secret>,
    tls: Option<WireSslMode>,
) -> Result<Client, Attempt> {
    let mut config = tokio_postgres::Config::new();
    if params.is_socket() {
        config.host_path(&params.host);
    } else {
        config.host(&params.host);
    }
    config
        .port(params.port)
        .user(&params.user)
        .dbname(dbname)
        .application_name("odoodb")
        .connect_timeout(params.connect_timeout)
        // A run proves itself alive by the advisory lock its session holds: when its host
        // vanishes without closing the connection, the server must notice within a minute or
        // two (not the system's two hours) so that another run can recover its change; and this
        // side must notice a vanished server as soon.
        .options(
            "-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=6",
        )
        .keepalives_idle(Duration::from_secs(30))
        .keepalives_interval(Duration::from_secs(10))
        .keepalives_retries(6);
    if let Some(password) = password {
        config.password(password.expose());
    }
    let connecting = async {
        if let Some(mode) = tls {
            config.ssl_mode(mode);
            let connector = tls_connector(params).map_err(Attempt::Setup)?;
            let (client, connection) = config.connect(connector).await.map_err(Attempt::Pg)?;
            tokio::spawn(connection);
            Ok(client)
        } else {
            config.ssl_mode(WireSslMode::Disable);
            let (client, connection) =
                config.connect(tokio_postgres::NoTls).await.map_err(Attempt::Pg)?;
            tokio::spawn(connection);
            Ok(client)
        }
    };
    tokio::time::timeout(params.connect_timeout, connecting).await.unwrap_or(Err(Attempt::Timeout))
}

/// Asks the server to cancel the statement running on the session of `token` (a lock wait, a
/// long template copy): PostgreSQL then rolls it back cleanly.
async fn cancel_statement(
    params: &ConnectParams,
    token: &tokio_postgres::CancelToken,
) -> Result<()> {
    if params.is_socket() || params.sslmode == SslMode::Disable {
        token.cancel_query(tokio_postgres::NoTls).await?;
    } else {
        token.cancel_query(tls_connector(params)?).await?;
    }
    Ok(())
}

/// Runs `work` (statements on the session `token` belongs to) until Ctrl-C: then asks the
/// server to cancel the statement in flight — a lock wait, a template copy — waits for `work`
/// to end, and fails with the interrupted kind (exit 130). An open transaction is then for the
/// caller to roll back; what an autocommit statement did, for the caller to read back from the
/// server (a cancel can arrive too late).
pub async fn interruptible<T>(
    cancel: &crate::cancel::Cancel,
    params: &ConnectParams,
    token: tokio_postgres::CancelToken,
    work: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    tokio::pin!(work);
    tokio::select! {
        result = &mut work => result,
        () = cancel.wait() => {
            // Sent again while the work goes on: a cancel that lands between two statements
            // stops nothing, and the work may start the next one. Each request is finished
            // before the work may end, so none lands on what the caller runs next.
            loop {
                let _ = cancel_statement(params, &token).await;
                let settled = tokio::time::timeout(Duration::from_millis(200), &mut work).await;
                if settled.is_ok() {
                    break;
                }
            }
            Err(Failure::interrupted().into())
        }
    }
}
