//! One archive streamed into one object: a multipart upload fed part by part as the archive
//! is written (memory: a part being filled, one waiting and two on the wire, the parts sized
//! from the archive's estimate), completed only when the archive is whole, so nothing appears
//! under the key before; aborted on any failure or Ctrl-C (and, after kill -9, by `recover` or
//! the next upload, from its record). Once completed, the object's size and checksum are read
//! back from the server and compared with what was sent; an object that fails is removed.

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
use super::parts::{Part, PartSizes, PartWriter, is_closed_channel};
use super::pending::{Held, Record};
use crate::cancel::Cancel;
use crate::error::Failure;

/// Parts on the wire at once.
const IN_FLIGHT: usize = 2;

/// What was sent: each part's id, size and MD5 (for the ETag S3 computes).
#[derive(Debug, Default)]
struct Sent {
    parts: Vec<(PartId, usize, [u8; 16])>,
}

pub struct Upload {
    store: Store,
    cancel: Cancel,
    address: Address,
    path: Path,
    id: String,
    sizes: PartSizes,
    record: Option<(Held, Record)>,
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
    /// Starts the upload on the server and records it; its parts are sized for an archive of
    /// about `expected` bytes. Ctrl-C (`cancel`) stops the parts on the wire too.
    pub async fn begin(
        store: &Store,
        address: &Address,
        expected: u64,
        cancel: &Cancel,
    ) -> Result<Self> {
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
            completing: false,
        };
        let record = match Held::write(&record) {
            Ok(held) => (held, record),
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
            sizes: PartSizes::for_expected(expected),
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
        Ok(PartWriter::new(self.sizes, sender, self.address.to_string()))
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
        // From here an object may appear under the key before it is checked: the record says
        // so first, so that a killed run's object is removed, never trusted.
        if let Some((held, record)) = &mut self.record {
            record.completing = true;
            if let Err(error) = held.rewrite(record) {
                return Err(self.abort_after(error).await);
            }
        }
        let doing = format!("completing the upload of {}", self.address);
        let parts: Vec<PartId> = sent.parts.iter().map(|(id, _, _)| id.clone()).collect();
        let completing = async {
            self.store
                .s3
                .complete_multipart(&self.path, &self.id, parts)
                .await
                .map_err(|e| explain(&e, &doing, &self.store))
        };
        let done = match super::or_cancel(&self.cancel.clone(), completing).await {
            Ok(done) => done,
            Err(error) => return Err(self.roll_back(error).await),
        };
        let checked = async {
            crate::fault::point("upload:after-complete", &self.cancel).await?;
            self.check(written, &sent, done.e_tag).await
        };
        match super::or_cancel(&self.cancel.clone(), checked).await {
            Ok(()) => {
                if let Some((held, _)) = self.record.take() {
                    held.done();
                }
                Ok(Stored { address: self.address.clone() })
            }
            Err(error) => Err(self.roll_back(error).await),
        }
    }

    /// What the server holds against what was sent: its size, then its ETag (or its bytes).
    async fn check(&self, written: u64, sent: &Sent, e_tag: Option<String>) -> Result<()> {
        let doing = format!("reading back {}", self.address);
        let meta =
            self.store.s3.head(&self.path).await.map_err(|e| explain(&e, &doing, &self.store))?;
        let broken = |what: String| -> anyhow::Error {
            Failure::failed(format!("the uploaded {} is {what}", self.address))
                .hint("check the server, and run the backup again")
                .into()
        };
        if meta.size != written {
            return Err(broken(format!("{} bytes on the server, {written} sent", meta.size)));
        }
        let expected =
            multipart_etag(&sent.parts.iter().map(|(_, _, md5)| *md5).collect::<Vec<_>>());
        match e_tag.or(meta.e_tag).as_deref().map(|tag| tag.trim_matches('"').to_ascii_lowercase())
        {
            Some(tag) if looks_like_md5_etag(&tag) => {
                if tag != expected {
                    return Err(broken(format!("not what was sent (ETag {tag}, sent {expected})")));
                }
            }
            // An ETag that is no MD5 (server-side encryption, some servers): the object is read
            // back, cut into the same parts, and hashed the same way.
            _ => {
                let sizes: Vec<usize> = sent.parts.iter().map(|(_, size, _)| *size).collect();
                if self.read_back_etag(&sizes).await? != expected {
                    return Err(broken("not what was sent (its bytes read back differ)".into()));
                }
            }
        }
        Ok(())
    }

    /// Once completion was asked: the upload aborted (if it was not completed) and the object
    /// removed (if it was; unchecked, it must not pass for a backup), each in a bounded time.
    /// What could not be done stays recorded for `recover`.
    async fn roll_back(&mut self, error: anyhow::Error) -> anyhow::Error {
        if undo(&self.store, &self.path, &self.id, true).await.is_ok() {
            if let Some((held, _)) = self.record.take() {
                held.done();
            }
            return AndThen { cause: error, then: format!("{} was not kept", self.address) }.into();
        }
        let then = format!(
            "{} may be left on the server, unchecked, until `odoodb recover` removes it",
            self.address
        );
        AndThen { cause: error, then }.into()
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
        let bound = abort_bound(&self.store);
        let aborting = self.store.s3.abort_multipart(&self.path, &self.id);
        let why = match tokio::time::timeout(bound, aborting).await {
            Ok(Ok(())) => {
                if let Some((held, _)) = self.record.take() {
                    held.done();
                }
                return error;
            }
            Ok(Err(abort)) => {
                let doing = format!("aborting the upload of {}", self.address);
                crate::error::one_line(&explain(&abort, &doing, &self.store))
            }
            Err(_) => {
                format!("{} did not answer within {} s", self.store.server(), bound.as_secs())
            }
        };
        // The record stays (its lock goes with us): `recover` aborts the upload later.
        let then =
            format!("the parts sent stay on the server until `odoodb recover` aborts them ({why})");
        AndThen { cause: error, then }.into()
    }
}

/// Undoes an upload: aborted on the server, and when its completion was asked (`completing`),
/// its object removed too (complete perhaps, but never checked). Each request is bounded; the
/// error is the server's, or `None` when it did not answer in time.
pub async fn undo(
    store: &Store,
    path: &Path,
    upload_id: &String,
    completing: bool,
) -> std::result::Result<(), Option<object_store::Error>> {
    let bound = abort_bound(store);
    let aborted = match tokio::time::timeout(bound, store.s3.abort_multipart(path, upload_id)).await
    {
        // Gone already (aborted, completed, or expired by the bucket's lifecycle rule).
        Ok(Ok(()) | Err(object_store::Error::NotFound { .. })) => Ok(()),
        Ok(Err(error)) => Err(Some(error)),
        Err(_) => Err(None),
    };
    if !completing {
        return aborted;
    }
    // After a completion, some servers refuse to abort the upload they no longer know (with
    // 403, not 404): the object's removal is what counts then. A server that does not answer
    // is no answer.
    if matches!(aborted, Err(None)) {
        return aborted;
    }
    match tokio::time::timeout(bound, store.s3.delete(path)).await {
        Ok(Ok(()) | Err(object_store::Error::NotFound { .. })) => Ok(()),
        Ok(Err(error)) => Err(Some(error)),
        Err(_) => Err(None),
    }
}

/// How long aborting (or removing) may take after a failure or Ctrl-C.
pub fn abort_bound(store: &Store) -> std::time::Duration {
    store.reach.timeout.min(std::time::Duration::from_secs(15))
}

/// An upload's failure, then what became of what it sent: the failure comes first (its exit
/// code and hint stand).
#[derive(Debug)]
struct AndThen {
    cause: anyhow::Error,
    then: String,
}

impl std::fmt::Display for AndThen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}; {}", crate::error::one_line(&self.cause), self.then)
    }
}

impl std::error::Error for AndThen {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.cause)
    }
}

/// S3's ETag of a multipart object: the MD5 of the parts' MD5s, and their count.
fn multipart_etag(parts: &[[u8; 16]]) -> String {
    let mut all = md5::Md5::new();
    for digest in parts {
        all.update(digest);
    }
    format!("{}-{}", crate::archive::hex(&all.finalize()), parts.len())
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
    let sent: Vec<(PartId, usize, [u8; 16])> = parts
        .map(|part| {
            let (store, path, id, address) =
                (store.clone(), path.clone(), id.clone(), address.clone());
            async move {
                let digest: [u8; 16] = md5::Md5::digest(&part.data).into();
                let size = part.data.len();
                let doing = format!("uploading part {} of {address}", part.index + 1);
                let part_id = store
                    .s3
                    .put_part(&path, &id, part.index, part.data.into())
                    .await
                    .map_err(|e| explain(&e, &doing, &store))?;
                Ok::<_, anyhow::Error>((part_id, size, digest))
            }
        })
        .buffered(IN_FLIGHT)
        .try_collect()
        .await?;
    Ok(Sent { parts: sent })
}
