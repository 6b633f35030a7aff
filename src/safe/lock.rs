//! Proof that a run is alive: it holds a PostgreSQL advisory lock keyed by its run id for as long
//! as it works. A pid says nothing about a process on another host or in another container; a
//! lock held by a live session does, and the server releases it the moment the run's connection
//! dies, however the run died.

use anyhow::{Context as _, Result};
use tokio_postgres::Client;

use super::names::RunId;

/// The first key of every odoodb run lock ("odb").
const CLASS: i32 = 0x006f_6462;
/// The first key of the locks that claim a database name for one run ("odn").
const NAME_CLASS: i32 = 0x006f_646e;

/// Takes the run's lock; a fresh random run id is never taken, so failing to get it is an error.
pub async fn acquire(client: &Client, run: RunId) -> Result<()> {
    if try_acquire(client, run).await? {
        Ok(())
    } else {
        anyhow::bail!("the lock of odoodb run {run} is already held")
    }
}

/// Takes the run's lock if nobody holds it: true means its owner is gone.
pub async fn try_acquire(client: &Client, run: RunId) -> Result<bool> {
    let row = client
        .query_one("SELECT pg_try_advisory_lock($1, $2)", &[&CLASS, &run.lock_key()])
        .await
        .context("cannot take an advisory lock")?;
    Ok(row.get(0))
}

pub async fn release(client: &Client, run: RunId) -> Result<()> {
    client
        .query_one("SELECT pg_advisory_unlock($1, $2)", &[&CLASS, &run.lock_key()])
        .await
        .context("cannot release an advisory lock")?;
    Ok(())
}

/// Claims every name for this session's run; fails, claiming none, when another run holds one.
pub async fn claim_names(client: &Client, names: &[&str]) -> Result<()> {
    for (i, name) in names.iter().enumerate() {
        let row = client
            .query_one("SELECT pg_try_advisory_lock($1, hashtext($2))", &[&NAME_CLASS, name])
            .await
            .context("cannot take an advisory lock")?;
        if !row.get::<_, bool>(0) {
            release_names(client, &names[..i]).await?;
            return Err(crate::error::Failure::failed(format!(
                "{name} is being changed by another odoodb run right now"
            ))
            .unchanged()
            .hint("wait for it to finish, then run this again")
            .into());
        }
    }
    Ok(())
}

pub async fn release_names(client: &Client, names: &[&str]) -> Result<()> {
    for name in names {
        client
            .query_one("SELECT pg_advisory_unlock($1, hashtext($2))", &[&NAME_CLASS, name])
            .await
            .context("cannot release an advisory lock")?;
    }
    Ok(())
}

/// Whether this session still holds the run's lock (it does unless its connection was lost, in
/// which case another run may already be recovering the change: stop).
pub async fn still_held(client: &Client, run: RunId) -> Result<bool> {
    let row = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' \
                AND pid = pg_backend_pid() AND granted \
                AND classid = $1::int::oid AND objid = $2::int::oid AND objsubid = 2)",
            &[&CLASS, &run.lock_key()],
        )
        .await
        .context("cannot check the advisory lock")?;
    Ok(row.get(0))
}

/// The database the session is connected to: advisory locks are per database.
pub async fn current_database(client: &Client) -> Result<String> {
    let row = client
        .query_one("SELECT current_database()::text", &[])
        .await
        .context("cannot read the current database")?;
    Ok(row.get(0))
}

/// What tells this server apart from another one sharing the data directory: its system
/// identifier where the role may read it, else where it listens.
pub async fn cluster_id(client: &Client, fallback: &str) -> String {
    match client.query_one("SELECT system_identifier::text FROM pg_control_system()", &[]).await {
        Ok(row) => row.get(0),
        Err(_) => fallback.to_string(),
    }
}
