//! What the object-storage client reports, said in one line with what to do: a missing bucket,
//! refused credentials, a server that does not answer.

use crate::error::Failure;

use super::client::Store;

/// `doing` is what failed ("uploading s3://b/k"); the message names the server and where the
/// credentials came from, never the credentials.
pub fn explain(error: &object_store::Error, doing: &str, store: &Store) -> anyhow::Error {
    let text = error.to_string();
    // The causes too: "error sending request" says less than the "Connection refused" under it.
    let mut chain = text.clone();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        chain.push_str(" / ");
        chain.push_str(&cause.to_string());
        source = cause.source();
    }
    let server = store.server();
    let bucket = &store.bucket;
    if text.contains("NoSuchBucket") {
        return Failure::failed(format!(
            "{doing} failed: the bucket {bucket:?} does not exist on {server}"
        ))
        .hint(
            "create it (aws s3 mb s3://BUCKET, mc mb …), or check the address and AWS_ENDPOINT_URL",
        )
        .into();
    }
    let refused = matches!(
        error,
        object_store::Error::PermissionDenied { .. } | object_store::Error::Unauthenticated { .. }
    ) || status_of(&text)
        .is_some_and(|status| status.starts_with("403") || status.starts_with("401"));
    match error {
        _ if refused => {
            let why = [
                "SignatureDoesNotMatch",
                "InvalidAccessKeyId",
                "AccessDenied",
                "ExpiredToken",
                "InvalidToken",
            ]
            .iter()
            .find(|code| chain.contains(*code))
            .map_or_else(String::new, |code| format!(" ({code})"));
            Failure::failed(format!(
                "{doing} failed: {server} refused the credentials from {}{why}",
                store.reach.source
            ))
            .hint("check the access key and secret (and AWS_SESSION_TOKEN), and that they may use this bucket")
            .into()
        }
        object_store::Error::NotFound { .. } => {
            Failure::failed(format!("{doing} failed: there is no such object on {server}"))
                .hint("list what is there with `odoodb backups s3://BUCKET/PREFIX/`")
                .into()
        }
        _ => {
            // The library's message also names its retry settings ("retry_timeout: …").
            let lower = chain.to_ascii_lowercase().replace("retry_timeout", "");
            let why = if ["connection refused", "tcp connect", "dns error", "failed to lookup"]
                .iter()
                .any(|cause| lower.contains(cause))
            {
                format!("cannot connect to {server}")
            } else if lower.contains("timed out") || lower.contains("timeout") {
                format!("{server} did not answer within {} s", store.reach.timeout.as_secs())
            } else if let Some(status) = status_of(&text) {
                format!("{server} answered {status}")
            } else {
                // The library's own words, on one line, without the retry bookkeeping.
                let first = text.split(", source:").next().unwrap_or(&text);
                crate::output::terminal_safe(first.lines().next().unwrap_or(first))
            };
            Failure::failed(format!("{doing} failed: {why}"))
                .hint("check the server and the network; [backup.s3] timeout sets how long a request may take")
                .into()
        }
    }
}

/// "400 Bad Request" out of the library's "… non-2xx status code: 400 Bad Request: …".
fn status_of(text: &str) -> Option<String> {
    let after = text.split("status code: ").nth(1)?;
    let status = after.split(':').next()?.trim();
    (!status.is_empty()).then(|| crate::output::terminal_safe(status))
}
