//! What went wrong with PostgreSQL, in the user's words: why a connection failed (no answer,
//! not PostgreSQL, a certificate, a password) and, for any server error, the hint the run ends
//! with; and the server that could not be used, remembered for the rest of the run.

use std::path::Path;
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::connect::Attempt;
use super::params::{ConnectParams, RootCert};
use crate::error::Failure;

/// A server that did not answer in time, or is not PostgreSQL: later connections of this run
/// (another database, the `template1` fallback) fail at once with the same words.
struct Unusable {
    host: String,
    port: u16,
    message: String,
    hint: Option<String>,
}

static UNUSABLE: std::sync::Mutex<Option<Unusable>> = std::sync::Mutex::new(None);

pub(super) fn known_unusable(params: &ConnectParams) -> Option<Failure> {
    let unusable = UNUSABLE.lock().ok()?;
    let known = unusable.as_ref().filter(|u| u.host == params.host && u.port == params.port)?;
    let failure = Failure::failed(known.message.clone());
    Some(match &known.hint {
        Some(hint) => failure.hint(hint.clone()),
        None => failure,
    })
}

pub(super) fn remember_unusable(params: &ConnectParams, failure: &Failure) {
    if let Ok(mut unusable) = UNUSABLE.lock() {
        *unusable = Some(Unusable {
            host: params.host.clone(),
            port: params.port,
            message: failure.message.clone(),
            hint: failure.hint.clone(),
        });
    }
}

/// The server refused the password itself (SQLSTATE 28P01), not the role or the database.
pub(super) fn is_wrong_password(error: &tokio_postgres::Error) -> bool {
    error.code() == Some(&tokio_postgres::error::SqlState::INVALID_PASSWORD)
}

/// Without a terminal: the ways to give a password, in one line and a hint.
pub(super) fn no_password(params: &ConnectParams, dbname: &str, passfile_ignored: bool) -> Failure {
    let passfile = params
        .passfile
        .as_ref()
        .map_or_else(|| "~/.pgpass".to_string(), |p| p.display().to_string());
    let mut what = "the server wants a password and none was given".to_string();
    if passfile_ignored {
        what.push_str("; the password file was ignored because others can read it (chmod 600 it)");
    }
    params.failure(dbname, &what).hint(format!(
        "give it in odoo.conf (db_password), in PGPASSWORD, or in {passfile} (mode 0600); on a \
         terminal odoodb asks for it"
    ))
}

/// tokio-postgres' own words when the server asked for a password it was not given.
pub(super) fn is_password_missing(error: &tokio_postgres::Error) -> bool {
    error.code().is_none()
        && std::error::Error::source(error).is_some_and(|e| e.to_string() == "password missing")
}

/// The TLS handshake failed (tokio-postgres' Tls kind).
pub(super) fn is_tls_failure(error: &tokio_postgres::Error) -> bool {
    error.code().is_none() && error.to_string().starts_with("error performing TLS handshake")
}

/// The server refused this role, database or encryption at startup (SQLSTATE class 28: a
/// pg_hba.conf line, a password): libpq then tries the other encryption, and so do we.
pub(super) fn is_refused_at_startup(error: &tokio_postgres::Error) -> bool {
    error.code().is_some_and(|code| code.code().starts_with("28"))
}

/// Turns a failed attempt into one line and a hint.
pub(super) async fn report(
    params: &ConnectParams,
    dbname: &str,
    attempt: Attempt,
    passfile_ignored: bool,
) -> anyhow::Error {
    let error = match attempt {
        Attempt::Setup(error) => return error,
        Attempt::Timeout => {
            let failure = match not_postgres(params).await {
                Some(answer) => not_postgres_failure(params, dbname, &answer),
                None => params
                    .failure(
                        dbname,
                        &format!("no answer within {} s", params.connect_timeout.as_secs()),
                    )
                    .hint(
                        "is PostgreSQL running there, and is this its port? A silent firewall, an \
                         overloaded server or a server that is not PostgreSQL look like this; wait \
                         longer with PGCONNECT_TIMEOUT or [connection] connect_timeout in the \
                         settings file",
                    ),
            };
            remember_unusable(params, &failure);
            return failure.into();
        }
        Attempt::Pg(error) => error,
    };
    if error.code().is_none() {
        // What answers there first: "server does not support TLS" may be a web server.
        if let Some(answer) = not_postgres(params).await {
            let failure = not_postgres_failure(params, dbname, &answer);
            remember_unusable(params, &failure);
            return failure.into();
        }
        if is_tls_failure(&error) {
            return tls_failure(params, dbname, &error).into();
        }
    }
    let mut text = format!(
        "cannot connect to PostgreSQL at {} as role {:?} (database {dbname:?})",
        params.describe(),
        params.user
    );
    if passfile_ignored {
        text.push_str("; the password file was ignored because others can read it (chmod 600 it)");
    }
    anyhow::Error::new(error).context(text)
}

/// What a server that is not PostgreSQL answered to an SSLRequest, if it answered that way.
/// PostgreSQL answers exactly `S` or `N` (or, very old, an error message starting with `E`).
async fn not_postgres(params: &ConnectParams) -> Option<Vec<u8>> {
    const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];
    let probe = async {
        let mut buf = vec![0_u8; 64];
        let read = if params.is_socket() {
            let path = Path::new(&params.host).join(format!(".s.PGSQL.{}", params.port));
            let mut stream = tokio::net::UnixStream::connect(path).await.ok()?;
            stream.write_all(&SSL_REQUEST).await.ok()?;
            stream.read(&mut buf).await.ok()?
        } else {
            let mut stream =
                tokio::net::TcpStream::connect((params.host.as_str(), params.port)).await.ok()?;
            stream.write_all(&SSL_REQUEST).await.ok()?;
            stream.read(&mut buf).await.ok()?
        };
        buf.truncate(read);
        Some(buf)
    };
    let answer = tokio::time::timeout(Duration::from_secs(1), probe).await.ok().flatten()?;
    let postgres = matches!(answer.as_slice(), [b'S' | b'N']) || answer.first() == Some(&b'E');
    (!answer.is_empty() && !postgres).then_some(answer)
}

fn not_postgres_failure(params: &ConnectParams, dbname: &str, answer: &[u8]) -> Failure {
    let shown: String = String::from_utf8_lossy(&answer[..answer.len().min(24)])
        .chars()
        .map(|c| if c.is_control() { '.' } else { c })
        .collect();
    params
        .failure(dbname, &format!("this is not a PostgreSQL server (it answered {shown:?})"))
        .hint(
            "check the host and port: --host/--port, db_host/db_port in odoo.conf, or \
             PGHOST/PGPORT (PostgreSQL's default port is 5432)",
        )
}

/// A certificate problem in one line, without OpenSSL's error stack.
fn tls_failure(params: &ConnectParams, dbname: &str, error: &tokio_postgres::Error) -> Failure {
    let detail = std::error::Error::source(error).map(ToString::to_string).unwrap_or_default();
    let lower = detail.to_lowercase();
    let root = match &params.root_cert {
        Some(RootCert::File(path)) => Some(path.display().to_string()),
        _ => None,
    };
    let skip = "or use sslmode=require to encrypt without checking the certificate";
    if lower.contains("hostname mismatch") || lower.contains("ip address mismatch") {
        return params
            .failure(
                dbname,
                &format!("the server's certificate is not issued for host {:?}", params.host),
            )
            .hint(format!(
                "connect with the name in the certificate (--host, db_host), or use \
                 sslmode=verify-ca to check only the CA, {skip}"
            ));
    }
    if lower.contains("certificate has expired") || lower.contains("not yet valid") {
        return params
            .failure(dbname, "the server's certificate is expired or not yet valid")
            .hint("renew the server's certificate (ssl_cert_file in postgresql.conf)");
    }
    if lower.contains("alert unknown ca")
        || lower.contains("alert bad certificate")
        || lower.contains("alert certificate required")
        || lower.contains("alert certificate unknown")
    {
        let sent = params
            .client_cert
            .as_ref()
            .filter(|p| p.is_file())
            .map_or_else(|| "no client certificate".to_string(), |p| p.display().to_string());
        return params
            .failure(dbname, &format!("the server refused the client certificate ({sent})"))
            .hint(
                "check sslcert/sslkey (PGSSLCERT, PGSSLKEY, ~/.postgresql/postgresql.crt and \
                 .key): the server's ssl_ca_file must hold the CA that signed it",
            );
    }
    if lower.contains("certificate verify failed")
        || lower.contains("self-signed")
        || lower.contains("self signed")
        || lower.contains("issuer certificate")
        || lower.contains("unable to verify")
    {
        return match root {
            Some(file) => params
                .failure(
                    dbname,
                    &format!("the server's certificate is not signed by the CA in {file}"),
                )
                .hint(format!(
                    "check sslrootcert (PGSSLROOTCERT, ~/.postgresql/root.crt): it must hold the \
                     CA that signed the server's certificate, {skip}"
                )),
            None => params
                .failure(
                    dbname,
                    "the server's certificate is not signed by a CA this system trusts",
                )
                .hint(format!(
                    "give the CA that signed it in PGSSLROOTCERT or ~/.postgresql/root.crt, {skip}"
                )),
        };
    }
    if detail.contains("server does not support TLS") {
        return params
            .failure(
                dbname,
                &format!("the server does not accept TLS (sslmode={})", params.sslmode.as_str()),
            )
            .hint("turn ssl on in postgresql.conf, or use sslmode=prefer or disable");
    }
    // OpenSSL's text is "error:CODE:lib:function:reason:file:line:..."; keep the reason.
    let reason =
        detail.split(':').nth(4).filter(|_| detail.starts_with("error:")).unwrap_or(&detail);
    params.failure(dbname, &format!("the TLS handshake failed: {}", reason.trim())).hint(format!(
        "check the server's ssl settings and sslmode (now {})",
        params.sslmode.as_str()
    ))
}

/// The hint for a cause of a failed run that is a PostgreSQL error (see `error::Explain`).
pub fn explain(cause: &(dyn std::error::Error + 'static)) -> Option<crate::error::Explained> {
    let error = cause.downcast_ref::<tokio_postgres::Error>()?;
    Some(crate::error::Explained { hint: hint_for(error) })
}

/// What to tell the user after a PostgreSQL error, by its SQLSTATE or connection failure.
pub fn hint_for(error: &tokio_postgres::Error) -> Option<String> {
    use tokio_postgres::error::SqlState;
    if let Some(code) = error.code() {
        let message = error.as_db_error().map_or("", |db| db.message());
        let hint = if message.starts_with("no pg_hba.conf entry") {
            "no line of the server's pg_hba.conf lets this host, role and database in (hostssl \
             lines need TLS, hostnossl lines plain): add one, or change --sslmode or the role"
        } else if message.contains("client certificate") {
            "give a client certificate the server trusts: PGSSLCERT and PGSSLKEY, or \
             ~/.postgresql/postgresql.crt and .key"
        } else if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            "check the role and its password: db_user/db_password in odoo.conf, PGPASSWORD or \
             ~/.pgpass (chmod 600); passwords are never taken from a flag"
        } else if *code == SqlState::INVALID_CATALOG_NAME {
            "`odoodb list --all` shows the databases on this server"
        } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            "connect as a role allowed to do this (--user, db_user in odoo.conf), e.g. the owner"
        } else if *code == SqlState::OBJECT_IN_USE {
            "close the other sessions, or pass --force-disconnect"
        } else if message.contains("not currently accepting connections") {
            "the database is closed to connections (ALLOW_CONNECTIONS false); if an odoodb \
             upgrade was interrupted, `odoodb recover` opens it again"
        } else if *code == SqlState::TOO_MANY_CONNECTIONS {
            "the server has no free connection slot: retry later or raise max_connections"
        } else {
            return None;
        };
        return Some(hint.to_string());
    }
    let text = error.to_string();
    if text.contains("error connecting") || text.contains("timed out") || error.is_closed() {
        return Some(
            "is PostgreSQL running and reachable there? set --host/--port, db_host/db_port in \
             odoo.conf, or PGHOST/PGPORT"
                .to_string(),
        );
    }
    None
}

/// Whether the server refused for want of a privilege (to connect, or to read a table).
pub fn is_permission_denied(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<tokio_postgres::Error>()
            .and_then(tokio_postgres::Error::code)
            .is_some_and(|code| *code == tokio_postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
    })
}

/// Whether the error is "database is being accessed by other users".
pub fn is_object_in_use(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<tokio_postgres::Error>()
            .and_then(tokio_postgres::Error::code)
            .is_some_and(|code| *code == tokio_postgres::error::SqlState::OBJECT_IN_USE)
    })
}
