//! The uploads killed runs left (see `pending`), aborted on their servers: by `recover`, all of
//! them; by a backup, once per run, those of the bucket it uploads to. Each abort is bounded
//! and gives way to Ctrl-C, so a silent server cannot hold either up.

use std::collections::BTreeSet;
use std::sync::Mutex;

use anyhow::Result;
use object_store::path::Path;

use super::address::Address;
use super::client::Store;
use super::errors::explain;
use super::pending::{self, Record};
use super::upload::{abort_bound, undo};
use crate::cancel::Cancel;

/// What a sweep did: the uploads aborted, and what it could not settle.
#[derive(Debug, Default)]
pub struct Settled {
    pub aborted: Vec<String>,
    pub problems: Vec<String>,
}

/// Which records a sweep takes.
pub enum Scope<'a> {
    /// Every one (`recover`).
    All,
    /// Those of this server and bucket (a backup about to upload there).
    Bucket(&'a Store),
}

impl Scope<'_> {
    fn takes(&self, record: &Record) -> bool {
        match self {
            Self::All => true,
            Self::Bucket(store) => {
                record.bucket == store.bucket && record.endpoint == store.reach.endpoint
            }
        }
    }
}

/// Aborts the abandoned uploads in `scope`, each reached by `reach` (credentials read now).
/// Ctrl-C stops the sweep: what is left stays recorded.
pub async fn settle(
    scope: &Scope<'_>,
    reach: impl Fn(&Record) -> Result<Store>,
    cancel: &Cancel,
) -> Result<Settled> {
    let mut settled = Settled::default();
    for abandoned in pending::abandoned() {
        let Some(record) = abandoned.record.clone() else {
            if matches!(scope, Scope::All) {
                settled.problems.push(format!(
                    "{} is not an upload record odoodb can read; remove it by hand",
                    abandoned.path.display()
                ));
            }
            continue;
        };
        if !scope.takes(&record) {
            continue;
        }
        let shown = Address { bucket: record.bucket.clone(), key: record.key.clone() };
        let store = match reach(&record) {
            Ok(store) => store,
            Err(error) => {
                settled.problems.push(format!(
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
        let bound = abort_bound(&store);
        let done = super::or_cancel(cancel, async {
            Ok(undo(&store, &path, &record.upload_id, record.completing).await)
        })
        .await?;
        let what = if record.completing { "removed the unchecked object of" } else { "aborted" };
        match done {
            Ok(()) => {
                settled
                    .aborted
                    .push(format!("{what} the upload of {shown} a killed run left (pid {})", record.pid));
                abandoned.remove();
            }
            Err(Some(error)) => {
                let doing = format!("settling the upload of {shown} a killed run left");
                settled.problems.push(crate::error::one_line(&explain(&error, &doing, &store)));
            }
            Err(None) => settled.problems.push(format!(
                "settling the upload of {shown} a killed run left failed: {} did not answer within {} s; `odoodb recover` tries again",
                store.server(),
                bound.as_secs()
            )),
        }
    }
    Ok(settled)
}

/// The buckets this process has swept already: a backup run sweeps each once, not once per
/// database.
static SWEPT: Mutex<BTreeSet<Bucket>> = Mutex::new(BTreeSet::new());

/// A bucket on a server: the endpoint (none for AWS) and the bucket's name.
type Bucket = (Option<String>, String);

/// Whether `store`'s bucket is yet to be swept in this process (and marks it swept).
pub fn first_time(store: &Store) -> bool {
    let Ok(mut swept) = SWEPT.lock() else { return false };
    swept.insert((store.reach.endpoint.clone(), store.bucket.clone()))
}
