//! One archive streamed into one object: a multipart upload fed part by part as the archive
//! is written (memory: a part being filled, one waiting and two on the wire, whatever the
//! archive's size), completed only when the archive is whole, so nothing appears under the key
//! before; aborted on any failure or Ctrl-C (and, after kill -9, by `recover` or the next
//! upload, from its record). Once completed, the object's size and checksum are read back
//! from the server and compared with what was sent.

use std::io::{self, Write};

use anyhow::Result;
use futures_util::{StreamExt as _, TryStreamExt as _};
use md5::Digest as _;
use object_store::ObjectStoreExt as _;
use object_store::multipart::{MultipartStore as _, PartId};
use object_store::path::Path;
use tokio::sync::mpsc;

use super::address::Address;
use super::client::Store;
use super::errors::explain;
use super::pending::{self, Held, Record};
use crate::cancel::Cancel;
use crate::error::Failure;

/// The first parts' size: S3's smallest (but for the last), which keeps memory low; S3 takes at
/// most 10 000 parts, so later ones grow (see `part_size`).
const PART: usize = 5 << 20;
/// Parts on the wire at once.
const IN_FLIGHT: usize = 2;

/// Part `index` (from 0)'s size: 5 MiB for the first thousand, then 5 MiB more every thousand,
/// which carries some 270 GiB in 10 000 parts.
fn part_size(index: usize) -> usize {
    PART * (1 + index / 1000)
}

struct Part {
    index: usize,
    data: Vec<u8>,
}

/// What was sent: each part's MD5 (for the ETag S3 computes) and the total.
#[derive(Debug, Default)]
struct Sent {
    parts: Vec<(PartId, [u8; 16])>,
}

pub struct Upload {
    store: Store,
    cancel: Cancel,
    address: Address,
    path: Path,
    id: String,
    record: Option<Held>,
    sender: Option<mpsc::Sender<Part>>,
    task: Option<tokio::task::JoinHandle<Result<Sent>>>,
}

/// A completed object, as the server reports it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub address: Address,
}

pub fn object_path(address: &Address) -> Result<Path> {
    Path::parse(&address.key).map_err(|error| {
        Failure::failed(format!("{address} cannot be an object key: {error}"))
            .hint("choose a prefix of plain letters, digits, '-', '_', '.' and '/'")
            .into()
    })
}

impl Upload {
    /// Starts the upload on the server and records it.
    /// Ctrl-C (`cancel`) stops the parts on the wire too.
    pub async fn begin(store: &Store, address: &Address, cancel: &Cancel) -> Result<Self> {
        let path = object_path(address)?;
        let doing = format!("starting the upload of {address}");
        let id = super::or_cancel(cancel, async {
            store.s3.create_multipart(&path).await.map_err(|e| explain(&e, &doing, store))
        })
        .await?;
        let record = Record {
            endpoint: store.reach.endpoint.clone(),
            region: store.reach.region.clone(),
            bucket: store.bucket.clone(),
            key: address.key.clone(),
            upload_id: id.clone(),
            started_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            pid: std::process::id(),
        };
        let record = match Held::write(&record) {
            Ok(held) => held,
            Err(error) => {
                let _ = store.s3.abort_multipart(&path, &id).await;
                return Err(error.context("the upload was not started"));
            }
        };
        let (sender, receiver) = mpsc::channel::<Part>(1);
        let task = tokio::spawn(send_parts(
            store.clone(),
            address.clone(),
            path.clone(),
            id.clone(),
            receiver,
        ));
        Ok(Self {
            store: store.clone(),
            address: address.clone(),
            cancel: cancel.clone(),
            path,
            id,
            record: Some(record),
            sender: Some(sender),
            task: Some(task),
        })
    }

    pub fn address(&self) -> &Address {
        &self.address
    }

    /// The archive's bytes go in here, on a blocking thread.
    pub fn writer(&self) -> Result<PartWriter> {
        let sender = self.sender.clone().ok_or_else(|| anyhow::anyhow!("the upload is closed"))?;
        Ok(PartWriter {
            buffer: Vec::with_capacity(part_size(0)),
            index: 0,
            sender: Some(sender),
            shown: self.address.to_string(),
        })
    }

    /// Every part sent (the writers closed): completes the object, then checks what the
    /// server holds against what was sent.
    pub async fn complete(mut self, written: u64) -> Result<Stored> {
        drop(self.sender.take());
        let task = self.task.take().ok_or_else(|| anyhow::anyhow!("the upload is closed"))?;
        let sent = match task.await {
            Ok(Ok(sent)) => sent,
            Ok(Err(error)) => return Err(self.abort_after(error).await),
            Err(_) => {
                return Err(self
                    .abort_after(anyhow::anyhow!("the upload stopped unexpectedly"))
                    .await);
            }
        };
        let doing = format!("completing the upload of {}", self.address);
        let parts: Vec<PartId> = sent.parts.iter().map(|(id, _)| id.clone()).collect();
        let completing = async {
            self.store
                .s3
                .complete_multipart(&self.path, &self.id, parts)
                .await
                .map_err(|e| explain(&e, &doing, &self.store))
        };
        let done = match super::or_cancel(&self.cancel.clone(), completing).await {
            Ok(done) => done,
            Err(error) => return Err(self.abort_after(error).await),
        };
        if let Some(record) = self.record.take() {
            record.done();
        }
        let doing = format!("reading back {}", self.address);
        let meta =
            self.store.s3.head(&self.path).await.map_err(|e| explain(&e, &doing, &self.store))?;
        let broken = |what: String| -> anyhow::Error {
            Failure::failed(format!("the uploaded {} is {what}", self.address))
                .hint(
                    "the object is kept for inspection; check the server and run the backup again",
                )
                .into()
        };
        if meta.size != written {
            return Err(broken(format!("{} bytes on the server, {written} sent", meta.size)));
        }
        let expected = multipart_etag(&sent.parts.iter().map(|(_, md5)| *md5).collect::<Vec<_>>());
        let e_tag = done.e_tag.or(meta.e_tag);
        match e_tag.as_deref().map(|tag| tag.trim_matches('"').to_ascii_lowercase()) {
            Some(tag) if looks_like_md5_etag(&tag) => {
                if tag != expected {
                    return Err(broken(format!("not what was sent (ETag {tag}, sent {expected})")));
                }
            }
            // An ETag that is no MD5 (server-side encryption, some servers): the object is read
            // back, cut into the same parts, and hashed the same way.
            _ => {
                let sizes: Vec<usize> = (0..sent.parts.len()).map(part_size).collect();
                let read = super::or_cancel(&self.cancel, self.read_back_etag(&sizes)).await?;
                if read != expected {
                    return Err(broken("not what was sent (its bytes read back differ)".into()));
                }
            }
        }
        Ok(Stored { address: self.address.clone() })
    }

    async fn read_back_etag(&self, sizes: &[usize]) -> Result<String> {
        let doing = format!("reading back {}", self.address);
        let got =
            self.store.s3.get(&self.path).await.map_err(|e| explain(&e, &doing, &self.store))?;
        let mut stream = got.into_stream();
        let mut digests = Vec::new();
        let mut current = md5::Md5::new();
        let mut filled = 0usize;
        let mut index = 0usize;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|e| explain(&e, &doing, &self.store))?;
            let mut rest = &chunk[..];
            while !rest.is_empty() {
                let want = sizes.get(index).copied().unwrap_or(usize::MAX) - filled;
                let take = want.min(rest.len());
                current.update(&rest[..take]);
                filled += take;
                rest = &rest[take..];
                if filled == sizes.get(index).copied().unwrap_or(usize::MAX) {
                    digests.push(current.finalize_reset().into());
                    filled = 0;
                    index += 1;
                }
            }
        }
        if filled > 0 || digests.is_empty() {
            digests.push(current.finalize().into());
        }
        Ok(multipart_etag(&digests))
    }

    /// On failure or Ctrl-C: the parts are dropped on the server and the record goes. The
    /// error returned is the upload's own when it failed first (the writer only saw a closed
    /// channel).
    pub async fn abandon(mut self, error: anyhow::Error) -> anyhow::Error {
        drop(self.sender.take());
        let error = match self.task.take() {
            Some(task) => {
                task.abort();
                match task.await {
                    Ok(Err(upload_error)) if is_closed_channel(&error) => upload_error,
                    _ => error,
                }
            }
            None => error,
        };
        self.abort_after(error).await
    }

    async fn abort_after(&mut self, error: anyhow::Error) -> anyhow::Error {
        // Bounded: after a failure or Ctrl-C the run must end soon; what it could not abort in
        // time stays recorded for `recover`.
        let bound = self.store.reach.timeout.min(std::time::Duration::from_secs(15));
        let aborting = self.store.s3.abort_multipart(&self.path, &self.id);
        let aborted = tokio::time::timeout(bound, aborting).await.unwrap_or_else(|_| {
            Err(object_store::Error::Generic {
                store: "S3",
                source: format!("no answer within {} s (timed out)", bound.as_secs()).into(),
            })
        });
        match aborted {
            Ok(()) => {
                if let Some(record) = self.record.take() {
                    record.done();
                }
            }
            Err(abort) => {
                // The record stays (its lock goes with us): `recover` aborts it later.
                let doing = format!("aborting the upload of {}", self.address);
                let abort = explain(&abort, &doing, &self.store);
                return error.context(format!(
                    "{}; `odoodb recover` will abort it later",
                    crate::error::one_line(&abort)
                ));
            }
        }
        error
    }
}

const CLOSED: &str = "the upload stopped";

fn is_closed_channel(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| cause.to_string().contains(CLOSED))
}

/// S3's ETag of a multipart object: the MD5 of the parts' MD5s, and their count.
fn multipart_etag(parts: &[[u8; 16]]) -> String {
    let mut all = md5::Md5::new();
    for digest in parts {
        all.update(digest);
    }
    format!("{}-{}", crate::archive::files::hex(&all.finalize()), parts.len())
}

fn looks_like_md5_etag(tag: &str) -> bool {
    tag.split_once('-').is_some_and(|(hex, count)| {
        hex.len() == 32
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
            && !count.is_empty()
            && count.bytes().all(|b| b.is_ascii_digit())
    })
}

async fn send_parts(
    store: Store,
    address: Address,
    path: Path,
    id: String,
    receiver: mpsc::Receiver<Part>,
) -> Result<Sent> {
    let parts = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|part| (part, receiver))
    });
    let sent: Vec<(PartId, [u8; 16])> = parts
        .map(|part| {
            let (store, path, id, address) =
                (store.clone(), path.clone(), id.clone(), address.clone());
            async move {
                let digest: [u8; 16] = md5::Md5::digest(&part.data).into();
                let doing = format!("uploading part {} of {address}", part.index + 1);
                let part_id = store
                    .s3
                    .put_part(&path, &id, part.index, part.data.into())
                    .await
                    .map_err(|e| explain(&e, &doing, &store))?;
                Ok::<_, anyhow::Error>((part_id, digest))
            }
        })
        .buffered(IN_FLIGHT)
        .try_collect()
        .await?;
    Ok(Sent { parts: sent })
}

/// The archive writer's end: fills a part, hands it over whole. Blocking (its thread waits
/// while the parts before are on the wire): call it off the async threads.
pub struct PartWriter {
    buffer: Vec<u8>,
    index: usize,
    sender: Option<mpsc::Sender<Part>>,
    shown: String,
}

impl PartWriter {
    fn send(&mut self) -> io::Result<()> {
        let data =
            std::mem::replace(&mut self.buffer, Vec::with_capacity(part_size(self.index + 1)));
        let sender = self
            .sender
            .as_ref()
            .ok_or_else(|| io::Error::other(format!("{CLOSED}: {}", self.shown)))?;
        sender
            .blocking_send(Part { index: self.index, data })
            .map_err(|_| io::Error::other(format!("{CLOSED}: {}", self.shown)))?;
        self.index += 1;
        Ok(())
    }

    /// The archive is whole: the last part goes (an empty archive is one empty part).
    pub fn close(&mut self) -> io::Result<()> {
        if !self.buffer.is_empty() || self.index == 0 {
            self.send()?;
        }
        self.sender = None;
        Ok(())
    }
}

impl Write for PartWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = part_size(self.index) - self.buffer.len();
        let take = room.min(data.len());
        self.buffer.extend_from_slice(&data[..take]);
        if self.buffer.len() == part_size(self.index) {
            self.send()?;
        }
        Ok(take)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Aborts the uploads that killed runs left (see `pending`); returns what it settled and what
/// it could not.
pub async fn settle_abandoned(
    env_reach: impl Fn(&Record) -> Result<Store>,
) -> (Vec<String>, Vec<String>) {
    let (mut settled, mut problems) = (Vec::new(), Vec::new());
    for abandoned in pending::abandoned() {
        let Some(record) = abandoned.record.clone() else {
            problems.push(format!(
                "{} is not an upload record odoodb can read; remove it by hand",
                abandoned.path.display()
            ));
            continue;
        };
        let shown = Address { bucket: record.bucket.clone(), key: record.key.clone() };
        let store = match env_reach(&record) {
            Ok(store) => store,
            Err(error) => {
                problems.push(format!(
                    "cannot abort the upload of {shown} a killed run left: {}",
                    crate::error::one_line(&error)
                ));
                continue;
            }
        };
        let Ok(path) = Path::parse(&record.key) else {
            abandoned.remove();
            continue;
        };
        match store.s3.abort_multipart(&path, &record.upload_id).await {
            // Gone already (aborted, completed, or expired by the bucket's lifecycle rule).
            Ok(()) | Err(object_store::Error::NotFound { .. }) => {
                settled.push(format!(
                    "aborted the upload of {shown} a killed run left (pid {})",
                    record.pid
                ));
                abandoned.remove();
            }
            Err(error) => {
                let doing = format!("aborting the upload of {shown} a killed run left");
                problems.push(crate::error::one_line(&explain(&error, &doing, &store)));
            }
        }
    }
    (settled, problems)
}
