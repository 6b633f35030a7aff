//! The client of the Odoo upgrade platform (protocol "api_version 0.2", see odoo-facts.md):
//! JSON-RPC 2.0 envelopes POSTed as JSON, and the log read with byte ranges.
//!
//! Every failure is one line naming the call: an HTTP error, a malformed answer, a lost
//! connection, a silent server (every call has a timeout) or the platform's own message. The
//! contract and the token travel only in request bodies and the log URL, and reqwest's errors
//! are stripped of their URL, so neither can reach a message.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context as _, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub use super::log_decoder::LogDecoder;
use crate::cancel::Cancel;
use crate::error::Failure;
use crate::secret::Secret;

pub const DEFAULT_SERVER: &str = "https://upgrade.odoo.com";
pub const DEFAULT_TIMEOUT: Duration = Duration::from_mins(1);
pub const API_VERSION: &str = "0.2";

/// How to reach the platform.
#[derive(Debug, Clone)]
pub struct Options {
    /// `https://upgrade.odoo.com`, or a stand-in.
    pub server: String,
    /// PEM roots trusted on top of the system's.
    pub ca: Option<std::path::PathBuf>,
    pub timeout: Duration,
}

/// One platform endpoint: the main server (for `create`) or a request's assigned host.
#[derive(Debug, Clone)]
pub struct Platform {
    http: reqwest::Client,
    base: String,
    timeout: Duration,
    /// Ctrl-C, which ends a call at once rather than at its timeout (see `until`).
    cancel: Option<Cancel>,
}

/// What `create` gives back.
#[derive(Debug, Clone)]
pub struct Created {
    pub request_id: i64,
    pub token: Secret,
    /// `host` or `host:port`: `https://<it>` for the API, its host part for rsync.
    pub assigned_host_uri: String,
    pub info: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Aim {
    Test,
    Production,
}

impl Aim {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Test => "test",
            Self::Production => "production",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    Upload,
    Download,
}

#[derive(Debug, Clone, Serialize)]
pub struct TransferInfo {
    pub ssh_port: u16,
    pub known_hosts: String,
    pub dump_name: Option<String>,
}

/// The platform's view of a request.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub status: String,
    pub host_uri: Option<String>,
    pub reason: Option<String>,
    pub archived: Option<bool>,
}

impl Status {
    pub fn is_finished(&self) -> bool {
        matches!(self.status.as_str(), "done" | "failed" | "cancelled")
    }

    /// `failed` and `cancelled` are errors, with the platform's reason.
    pub fn require_not_failed(&self) -> Result<()> {
        match self.status.as_str() {
            "failed" | "cancelled" => {
                let reason = self.reason.as_deref().filter(|r| !r.trim().is_empty());
                let reason = reason.map_or_else(
                    || "the platform gave no reason".to_string(),
                    |r| r.trim().replace('\n', " "),
                );
                Err(Failure::failed(format!("the upgrade request was {}: {reason}", self.status))
                    .hint("`odoodb upgrade log <db>` shows the platform's log")
                    .into())
            }
            _ => Ok(()),
        }
    }
}

impl Platform {
    /// The main server, from which requests are created.
    pub fn new(options: &Options) -> Result<Self> {
        let server = options.server.trim_end_matches('/');
        if !server.starts_with("https://") {
            return Err(Failure::usage(format!(
                "the upgrade server must be an https:// URL, not {server:?}"
            ))
            .hint("TLS is never turned off; for a private platform, trust its CA with --upgrade-ca")
            .into());
        }
        let mut builder = reqwest::Client::builder()
            .timeout(options.timeout)
            .connect_timeout(options.timeout)
            .user_agent(concat!("odoodb/", env!("CARGO_PKG_VERSION")));
        if let Some(ca) = &options.ca {
            builder = builder.tls_certs_merge(read_ca(ca)?);
        }
        let http = builder.build().context("cannot set up the HTTPS client")?;
        Ok(Self { http, base: server.to_string(), timeout: options.timeout, cancel: None })
    }

    /// The same client, whose calls give way to `cancel` (exit 130) while they wait.
    #[must_use]
    pub fn until(mut self, cancel: &Cancel) -> Self {
        self.cancel = Some(cancel.clone());
        self
    }

    /// Runs one call, or stops it at Ctrl-C: a dropped request is only a closed connection.
    async fn interruptible<T>(
        &self,
        call: impl std::future::Future<Output = Result<T>>,
    ) -> Result<T> {
        let Some(cancel) = &self.cancel else { return call.await };
        tokio::select! {
            result = call => result,
            () = cancel.wait() => Err(Failure::interrupted().into()),
        }
    }

    /// The same client, talking to a request's assigned host (`host` or `host:port`).
    pub fn at_host(&self, assigned_host_uri: &str) -> Result<Self> {
        let valid = !assigned_host_uri.is_empty()
            && assigned_host_uri
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !valid {
            return Err(Failure::failed(format!(
                "the upgrade platform assigned an invalid host {:?}",
                crate::output::terminal_safe(assigned_host_uri)
            ))
            .into());
        }
        Ok(Self {
            http: self.http.clone(),
            base: format!("https://{assigned_host_uri}"),
            timeout: self.timeout,
            cancel: self.cancel.clone(),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub async fn create(
        &self,
        contract: &Secret,
        target: &str,
        aim: Aim,
        ssh_public_key: &str,
        env_vars: &[String],
    ) -> Result<Created> {
        let params = json!({
            "contract": contract.expose(),
            "target": target,
            "aim": aim.as_str(),
            "actuator": "cli",
            "env_vars": env_vars,
            "ssh_key": ssh_public_key,
            "api_version": API_VERSION,
        });
        let result = self.call("create", "/upgrade/request/create", &params).await?;
        let request_id = result.get("request_id").and_then(Value::as_i64);
        let token = result.get("token").and_then(Value::as_str);
        let host = result.get("assigned_host_uri").and_then(Value::as_str);
        let (Some(request_id), Some(token), Some(host)) = (request_id, token, host) else {
            return Err(malformed("create", "request_id, token or assigned_host_uri is missing"));
        };
        Ok(Created {
            request_id,
            token: Secret::new(token),
            assigned_host_uri: host.to_string(),
            info: result.get("info").and_then(Value::as_str).map(String::from),
        })
    }

    pub async fn transfer_start(&self, token: &Secret, kind: Transfer) -> Result<TransferInfo> {
        let transfer_type = match kind {
            Transfer::Upload => "upload",
            Transfer::Download => "download",
        };
        let params = json!({ "token": token.expose(), "transfer_type": transfer_type });
        let result =
            self.call("transfer/start", "/upgrade/request/transfer/start", &params).await?;
        let ssh_port = result
            .get("ssh_port")
            .and_then(Value::as_u64)
            .and_then(|port| u16::try_from(port).ok());
        let known_hosts = result.get("known_hosts").and_then(Value::as_str);
        let (Some(ssh_port), Some(known_hosts)) = (ssh_port, known_hosts) else {
            return Err(malformed("transfer/start", "ssh_port or known_hosts is missing"));
        };
        let dump_name = result.get("dump_name").and_then(Value::as_str).map(String::from);
        if kind == Transfer::Download && dump_name.is_none() {
            return Err(malformed("transfer/start", "dump_name is missing"));
        }
        Ok(TransferInfo { ssh_port, known_hosts: known_hosts.to_string(), dump_name })
    }

    pub async fn transfer_stop(&self, token: &Secret) -> Result<()> {
        let params = json!({ "token": token.expose() });
        self.call("transfer/stop", "/upgrade/request/transfer/stop", &params).await.map(drop)
    }

    /// Starts the upgrade; returns `is_pg_version_compatible` (false: the local PostgreSQL is
    /// too old to restore the result). Safe to call twice.
    pub async fn process(&self, token: &Secret) -> Result<bool> {
        let params = json!({ "token": token.expose() });
        let result = self.call("process", "/upgrade/request/process", &params).await?;
        result
            .get("is_pg_version_compatible")
            .and_then(Value::as_bool)
            .ok_or_else(|| malformed("process", "is_pg_version_compatible is missing"))
    }

    pub async fn status(&self, token: &Secret) -> Result<Status> {
        let params = json!({ "token": token.expose() });
        let result = self.call("status", "/upgrade/request/status", &params).await?;
        let Some(status) = result.get("status").and_then(Value::as_str) else {
            return Err(malformed("status", "status is missing"));
        };
        let text = |key: &str| result.get(key).and_then(Value::as_str).map(String::from);
        Ok(Status {
            status: status.to_string(),
            host_uri: text("host_uri"),
            reason: text("reason"),
            archived: result.get("archived").and_then(Value::as_bool),
        })
    }

    /// The log's bytes from `offset` on (empty when there is nothing new).
    pub async fn logs(&self, token: &Secret, offset: u64) -> Result<Vec<u8>> {
        self.interruptible(self.read_logs(token, offset)).await
    }

    async fn read_logs(&self, token: &Secret, offset: u64) -> Result<Vec<u8>> {
        let url =
            format!("{}/upgrade/request/logs?token={}", self.base, url_encode(token.expose()));
        let response = self
            .http
            .get(url)
            .header(reqwest::header::RANGE, format!("bytes={offset}-"))
            .send()
            .await
            .map_err(|e| self.transport("logs", e))?;
        let status = response.status();
        // Nothing past the end yet.
        if status == reqwest::StatusCode::RANGE_NOT_SATISFIABLE {
            return Ok(Vec::new());
        }
        if !status.is_success() {
            return Err(http_error("logs", status));
        }
        let partial = status == reqwest::StatusCode::PARTIAL_CONTENT;
        let body = response.bytes().await.map_err(|e| self.transport("logs", e))?;
        if partial {
            return Ok(body.to_vec());
        }
        // A server that ignores Range sends the whole log: skip what was already read.
        let skip = usize::try_from(offset).unwrap_or(usize::MAX).min(body.len());
        Ok(body[skip..].to_vec())
    }

    /// One JSON-RPC call: the official client's envelope, its header, its reading of errors.
    async fn call(&self, name: &str, path: &str, params: &Value) -> Result<Value> {
        self.interruptible(self.rpc(name, path, params)).await
    }

    async fn rpc(&self, name: &str, path: &str, params: &Value) -> Result<Value> {
        let envelope = json!({
            "jsonrpc": "2.0",
            "method": "not_used",
            "params": params,
            "id": "not_used",
        });
        let body = serde_json::to_vec(&envelope).context("cannot encode the request")?;
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| self.transport(name, e))?;
        let status = response.status();
        if !status.is_success() {
            return Err(http_error(name, status));
        }
        let bytes = response.bytes().await.map_err(|e| self.transport(name, e))?;
        let answer: Value = serde_json::from_slice(&bytes)
            .map_err(|e| malformed(name, &format!("not JSON ({e})")))?;
        if let Some(error) = answer.get("error").filter(|e| !e.is_null()) {
            return Err(refused(name, &rpc_error_message(error)));
        }
        let Some(result) = answer.get("result") else {
            return Err(malformed(name, "no result"));
        };
        if let Some(error) = result.get("error").filter(|e| !e.is_null() && *e != false) {
            return Err(refused(name, &rpc_error_message(error)));
        }
        if !result.is_object() {
            return Err(malformed(name, "the result is not an object"));
        }
        Ok(result.clone())
    }

    fn transport(&self, name: &str, error: reqwest::Error) -> anyhow::Error {
        let error = error.without_url();
        let what = if error.is_timeout() {
            format!("did not answer within {} s", self.timeout.as_secs_f64())
        } else if error.is_connect() {
            format!("cannot be reached ({})", root_cause(&error))
        } else {
            format!("dropped the connection ({})", root_cause(&error))
        };
        Failure::failed(format!("the upgrade platform ({}) {what} during {name}", self.base))
            .hint("check the network and --upgrade-server; `odoodb upgrade status <db>` asks again")
            .into()
    }
}

/// Percent-encodes a query value (all but RFC 3986's unreserved characters).
fn url_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// The innermost message of an error chain, on one line.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string().replace('\n', " ")
}

fn read_ca(path: &Path) -> Result<Vec<reqwest::Certificate>> {
    let pem = std::fs::read(path)
        .map_err(|e| Failure::usage(format!("cannot read the CA file {}: {e}", path.display())))?;
    let certificates = reqwest::Certificate::from_pem_bundle(&pem)
        .map_err(|_| Failure::usage(format!("{} holds no PEM certificate", path.display())))?;
    if certificates.is_empty() {
        return Err(Failure::usage(format!("{} holds no PEM certificate", path.display())).into());
    }
    Ok(certificates)
}

/// `error.data.message` (Odoo's exceptions), else `error.message`, else the error as text.
fn rpc_error_message(error: &Value) -> String {
    let text = error
        .pointer("/data/message")
        .and_then(Value::as_str)
        .or_else(|| error.get("message").and_then(Value::as_str))
        .or_else(|| error.as_str())
        .map_or_else(|| error.to_string(), String::from);
    crate::output::terminal_safe(text.trim()).replace('\n', " ")
}

fn refused(name: &str, message: &str) -> anyhow::Error {
    Failure::failed(format!("the upgrade platform refused {name}: {message}")).into()
}

fn malformed(name: &str, detail: &str) -> anyhow::Error {
    Failure::failed(format!("the upgrade platform's answer to {name} is malformed: {detail}"))
        .into()
}

fn http_error(name: &str, status: reqwest::StatusCode) -> anyhow::Error {
    Failure::failed(format!("the upgrade platform answered HTTP {status} to {name}"))
        .hint("the platform may be down for maintenance; try again later")
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rpc_errors_read_odoo_exceptions_first() {
        let error = json!({"code": 200, "message": "Odoo Server Error",
                           "data": {"message": "Invalid contract number"}});
        assert_eq!(rpc_error_message(&error), "Invalid contract number");
        assert_eq!(rpc_error_message(&json!("bad target")), "bad target");
    }
}
