//! Sources that can stall — a download, standard input, a pipe — read off the reading thread
//! and handed over in chunks through a channel. A blocked `read()` on a socket or a pipe cannot
//! be interrupted from outside, so the reader waits on the channel instead, racing Ctrl-C: at
//! the signal it gives up at once and the restore cleans up (a read left blocked on stdin ends
//! with the process). A download also fails, with the host named, once its server has sent
//! nothing for the read timeout.

use std::io::{self, Read};
use std::time::Duration;

use anyhow::{Context as _, Result};
use tokio::runtime::Handle;
use tokio::sync::{mpsc, oneshot};

use super::detect::Stream;
use crate::cancel::Cancel;
use crate::error::Failure;

pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_mins(1);

/// How long a download may wait: for its connection, and for the server's next bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self { connect: DEFAULT_CONNECT_TIMEOUT, read: DEFAULT_READ_TIMEOUT }
    }
}

/// Chunks in flight between the source and its reader: enough to keep the pipe busy, little
/// enough that memory stays flat.
const DEPTH: usize = 16;
const CHUNK: usize = 64 * 1024;

enum Piece {
    Data(Vec<u8>),
    /// The source ended where it should: without it, a closed channel is a cut.
    End,
    Failed(io::Error),
}

/// Standard input (or the pipe behind it), read on a thread of its own.
pub fn stdin(cancel: &Cancel) -> Result<Stream> {
    let handle = Handle::try_current().context("reading standard input needs the runtime")?;
    let (sender, receiver) = mpsc::channel(DEPTH);
    std::thread::Builder::new()
        .name("stdin".into())
        .spawn(move || {
            let mut stdin = io::stdin();
            let mut buf = vec![0u8; CHUNK];
            loop {
                let piece = match stdin.read(&mut buf) {
                    Ok(0) => Piece::End,
                    Ok(n) => Piece::Data(buf[..n].to_vec()),
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => Piece::Failed(e),
                };
                let last = !matches!(piece, Piece::Data(_));
                // The reader gone (done, failed, or stopped at Ctrl-C): nobody wants the rest.
                if sender.blocking_send(piece).is_err() || last {
                    break;
                }
            }
        })
        .context("cannot start reading standard input")?;
    Ok(Box::new(Fed::new(receiver, cancel, handle, "standard input")))
}

/// An http(s) URL, downloaded on the runtime. Returns once the server has answered with
/// success (so an HTTP error or a silent server fails here, before anything is changed).
pub fn url(url: &str, timeouts: Timeouts, cancel: &Cancel) -> Result<Stream> {
    url_shown(url, url, timeouts, cancel)
}

/// The same, the URL named `shown` in every message (a signed URL's query is a credential).
pub fn url_shown(url: &str, shown: &str, timeouts: Timeouts, cancel: &Cancel) -> Result<Stream> {
    let handle = Handle::try_current().context("a download needs the runtime")?;
    let client = reqwest::Client::builder()
        .connect_timeout(timeouts.connect)
        .user_agent(concat!("odoodb/", env!("CARGO_PKG_VERSION")))
        .build()
        .context("cannot set up the HTTP client")?;
    let (answered, answer) = oneshot::channel();
    let (sender, receiver) = mpsc::channel(DEPTH);
    let download =
        Download { url: url.to_string(), shown: shown.to_string(), host: host_of(url), timeouts };
    handle.spawn(download.run(client, answered, sender));
    let answer = handle.block_on(async {
        tokio::select! {
            biased;
            () = cancel.wait() => None,
            answer = answer => Some(answer),
        }
    });
    match answer {
        None => Err(Failure::interrupted().into()),
        Some(Err(_)) => Err(anyhow::anyhow!("the download of {shown} stopped unexpectedly")),
        Some(Ok(Err(error))) => Err(error),
        Some(Ok(Ok(()))) => Ok(Box::new(Fed::new(receiver, cancel, handle, shown))),
    }
}

/// `host` or `host:port` of a URL, for messages (never its path or query, which may hold a
/// token).
fn host_of(url: &str) -> String {
    reqwest::Url::parse(url)
        .ok()
        .and_then(|parsed| {
            let host = parsed.host_str()?.to_string();
            Some(match parsed.port() {
                Some(port) => format!("{host}:{port}"),
                None => host,
            })
        })
        .unwrap_or_else(|| "the server".into())
}

struct Download {
    url: String,
    /// The URL in messages.
    shown: String,
    host: String,
    timeouts: Timeouts,
}

impl Download {
    async fn run(
        self,
        client: reqwest::Client,
        mut answered: oneshot::Sender<Result<()>>,
        sender: mpsc::Sender<Piece>,
    ) {
        // The connection's own time counts toward the first answer, as in reqwest's read
        // timeout: what the user bounds is how long nothing arrives.
        let response = tokio::select! {
            response = tokio::time::timeout(self.timeouts.read, client.get(&self.url).send()) => {
                response
            }
            () = answered.closed() => return,
        };
        let response = match response {
            Err(_) => {
                let _ = answered.send(Err(self.silent("did not answer").into()));
                return;
            }
            Ok(Err(error)) => {
                let _ = answered.send(Err(self.failed_request(error)));
                return;
            }
            Ok(Ok(response)) => response,
        };
        if !response.status().is_success() {
            let error = Failure::failed(format!(
                "downloading {} failed: HTTP {}",
                self.shown,
                response.status()
            ));
            let _ = answered.send(Err(error.into()));
            return;
        }
        if answered.send(Ok(())).is_err() {
            return;
        }
        let mut response = response;
        loop {
            let next = tokio::select! {
                next = tokio::time::timeout(self.timeouts.read, response.chunk()) => next,
                () = sender.closed() => return,
            };
            let piece = match next {
                Err(_) => Piece::Failed(io::Error::new(
                    io::ErrorKind::TimedOut,
                    self.silent("stopped sending"),
                )),
                Ok(Err(error)) => Piece::Failed(io::Error::other(Failure::failed(format!(
                    "the download from {} was cut ({})",
                    self.host,
                    root_cause(&error.without_url())
                )))),
                Ok(Ok(None)) => Piece::End,
                Ok(Ok(Some(bytes))) => Piece::Data(bytes.to_vec()),
            };
            let last = !matches!(piece, Piece::Data(_));
            if sender.send(piece).await.is_err() || last {
                return;
            }
        }
    }

    /// The server sent nothing for the read timeout.
    fn silent(&self, what: &str) -> Failure {
        Failure::failed(format!(
            "{} {what} for {} s (the read timeout)",
            self.host,
            self.timeouts.read.as_secs()
        ))
        .hint(
            "raise it with --read-timeout or [restore] read_timeout in the settings, or check \
             the server",
        )
    }

    fn failed_request(&self, error: reqwest::Error) -> anyhow::Error {
        let error = error.without_url();
        if error.is_connect() && error.is_timeout() {
            return Failure::failed(format!(
                "cannot connect to {} within {} s (the connect timeout)",
                self.host,
                self.timeouts.connect.as_secs()
            ))
            .hint(
                "check the URL and the network; raise it with --connect-timeout or [restore] \
                 connect_timeout in the settings",
            )
            .into();
        }
        let what = if error.is_connect() { "cannot connect to" } else { "no answer from" };
        Failure::failed(format!("{what} {} ({})", self.host, root_cause(&error)))
            .hint("check the URL and the network")
            .into()
    }
}

/// The reading end: waits for the next chunk, or for Ctrl-C, whichever comes first.
struct Fed {
    receiver: mpsc::Receiver<Piece>,
    chunk: Vec<u8>,
    at: usize,
    ended: bool,
    cancel: Cancel,
    handle: Handle,
    what: String,
}

impl Fed {
    fn new(receiver: mpsc::Receiver<Piece>, cancel: &Cancel, handle: Handle, what: &str) -> Self {
        Self {
            receiver,
            chunk: Vec::new(),
            at: 0,
            ended: false,
            cancel: cancel.clone(),
            handle,
            what: what.to_string(),
        }
    }
}

impl Read for Fed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.chunk.len() && !buf.is_empty() {
            if self.ended {
                return Ok(0);
            }
            let (cancel, receiver) = (&self.cancel, &mut self.receiver);
            let next = self.handle.block_on(async {
                tokio::select! {
                    biased;
                    () = cancel.wait() => None,
                    piece = receiver.recv() => Some(piece),
                }
            });
            match next {
                // Not `ErrorKind::Interrupted`, which `read_exact` and `copy` retry.
                None => return Err(io::Error::other(Failure::interrupted())),
                Some(None) => {
                    return Err(io::Error::other(Failure::failed(format!(
                        "reading {} stopped unexpectedly",
                        self.what
                    ))));
                }
                Some(Some(Piece::End)) => self.ended = true,
                Some(Some(Piece::Failed(error))) => return Err(error),
                Some(Some(Piece::Data(data))) => {
                    self.chunk = data;
                    self.at = 0;
                }
            }
        }
        let n = buf.len().min(self.chunk.len() - self.at);
        buf[..n].copy_from_slice(&self.chunk[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The innermost message of an error chain, on one line.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string().replace('\n', " ")
}
