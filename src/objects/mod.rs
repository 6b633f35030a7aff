//! Object storage (S3, and what speaks its protocol: MinIO, Ceph RGW, Garage, every cloud) as
//! a place for backups: where the client reaches (`client`), one archive streamed into one
//! object (`upload`), the uploads killed runs left (`pending`, `settle`), and listing, reading
//! and removing objects (here).

mod address;
mod client;
mod errors;
mod parts;
mod pending;
mod settle;
mod upload;

use std::time::Duration;

use anyhow::Result;
use object_store::path::Path;
use object_store::{ObjectStore as _, ObjectStoreExt as _};

pub use address::{Address, is_object};
pub use client::Store;
pub use parts::PartWriter;
pub use pending::state_dir;
pub use settle::Settled;
pub use upload::{Stored, Upload};

use crate::archive::detect::Stream;
use crate::archive::feed::Timeouts;
use crate::cancel::Cancel;
use crate::config::S3Settings;

/// A client for `address`'s bucket, from the environment and the settings.
pub fn store(settings: &S3Settings, address: &Address) -> Result<Store> {
    let reach = client::reach(&crate::config::ProcessEnvironment, settings)?;
    Store::new(&reach, &address.bucket)
}

/// `work`, or an interruption as soon as Ctrl-C comes: a request to a silent server gives way.
pub async fn or_cancel<T>(cancel: &Cancel, work: impl Future<Output = Result<T>>) -> Result<T> {
    tokio::select! {
        biased;
        () = cancel.wait() => Err(crate::error::Failure::interrupted().into()),
        done = work => done,
    }
}

/// An object found under a prefix.
#[derive(Debug, Clone)]
pub struct Listed {
    pub address: Address,
    pub bytes: u64,
}

/// The objects directly under `prefix` (not in its sub-prefixes).
pub async fn list(store: &Store, prefix: &Address) -> Result<Vec<Listed>> {
    let doing = format!("listing {prefix}");
    let key = prefix.key.trim_end_matches('/');
    let path = (!key.is_empty()).then(|| Path::from(key));
    let listed = store
        .s3
        .list_with_delimiter(path.as_ref())
        .await
        .map_err(|e| errors::explain(&e, &doing, store))?;
    Ok(listed
        .objects
        .into_iter()
        .map(|meta| Listed {
            address: Address { bucket: prefix.bucket.clone(), key: meta.location.to_string() },
            bytes: meta.size,
        })
        .collect())
}

/// The names taken under `prefix` (its listing; a missing bucket fails here, clearly).
pub async fn names_under(
    store: &Store,
    prefix: &Address,
) -> Result<std::collections::HashSet<String>> {
    Ok(list(store, prefix)
        .await?
        .into_iter()
        .map(|listed| listed.address.name().to_string())
        .collect())
}

pub async fn delete(store: &Store, address: &Address) -> Result<()> {
    let path = upload::object_path(address)?;
    store
        .s3
        .delete(&path)
        .await
        .map_err(|e| errors::explain(&e, &format!("removing {address}"), store))
}

/// How long a read's signed address stays good: the read starts at once; this only bounds
/// what a leaked address could do.
const READ_GRANT: Duration = Duration::from_hours(6);

/// Opens an object for reading (blocking: call it off the async threads, within the runtime):
/// its existence and the credentials are checked first, each failure in one line; then it is
/// downloaded as a signed GET through the same reader as an http(s) archive (timeouts, Ctrl-C).
pub fn open(
    settings: &S3Settings,
    address: &Address,
    timeouts: Timeouts,
    cancel: &Cancel,
) -> Result<Stream> {
    use object_store::signer::Signer as _;
    let store = store(settings, address)?;
    let path = upload::object_path(address)?;
    let handle = tokio::runtime::Handle::try_current()
        .map_err(|_| anyhow::anyhow!("reading object storage needs the runtime"))?;
    let doing = format!("reading {address}");
    let signed = handle.block_on(async {
        tokio::select! {
            biased;
            () = cancel.wait() => Err(crate::error::Failure::interrupted().into()),
            checked = async {
                match store.s3.head(&path).await {
                    Ok(_) => {}
                    // A HEAD's answer has no body to tell a missing bucket from a missing key:
                    // a listing of the bucket does.
                    Err(error @ object_store::Error::NotFound { .. }) => {
                        list(&store, &address.parent()).await?;
                        return Err(errors::explain(&error, &doing, &store));
                    }
                    Err(error) => return Err(errors::explain(&error, &doing, &store)),
                }
                store
                    .s3
                    .signed_url(reqwest::Method::GET, &path, READ_GRANT)
                    .await
                    .map_err(|e| errors::explain(&e, &doing, &store))
            } => checked,
        }
    })?;
    crate::archive::feed::url_shown(signed.as_str(), &address.to_string(), timeouts, cancel)
}

/// Aborts what killed runs left on the servers they uploaded to (credentials read now, from
/// the environment and `settings`): all of it (`recover`).
pub async fn settle_abandoned(settings: &S3Settings, cancel: &Cancel) -> Result<Settled> {
    settle::settle(&settle::Scope::All, |record| reach_recorded(settings, record), cancel).await
}

/// Before a backup uploads to `store`'s bucket: aborts what killed runs left there, once per
/// run.
pub async fn settle_abandoned_in(
    settings: &S3Settings,
    store: &Store,
    cancel: &Cancel,
) -> Result<Settled> {
    if !settle::first_time(store) {
        return Ok(Settled::default());
    }
    let scope = settle::Scope::Bucket(store);
    settle::settle(&scope, |record| reach_recorded(settings, record), cancel).await
}

fn reach_recorded(settings: &S3Settings, record: &pending::Record) -> Result<Store> {
    let mut reach = client::reach(&crate::config::ProcessEnvironment, settings)?;
    // Where the upload went, whatever the environment says now.
    reach.endpoint.clone_from(&record.endpoint);
    reach.region.clone_from(&record.region);
    Store::new(&reach, &record.bucket)
}
