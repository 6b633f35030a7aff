//! `queue-jobs`: OCA `queue_job` jobs still waiting to run are cancelled. Its job runner does not
//! go through `ir_cron`: it serves every database that accepts connections, listens for
//! `queue_job` notifications and runs whatever is pending, so turning the crons off leaves it
//! running production's queued work (mails, exports, synchronisations) on the copy.

use super::{Action, Probe, Schema, Step};

pub const STEP: Step = Step {
    id: "queue-jobs",
    title: "OCA queue_job: pending, enqueued, started and waiting jobs cancelled",
    why: "queue_job's runner runs a copy's queued jobs without any cron: production's exports, \
          mails and synchronisations would run again from the copy",
    tables: &[TABLE],
    probe,
};

const TABLE: &str = "queue_job";

/// The states the runner picks up again: `enqueued` and `started` are reset to `pending` by the
/// runner and by its `requeue_stuck_jobs` cron, `wait_dependencies` becomes `pending` when its
/// parents are done. `failed` jobs stay put unless someone requeues them.
const WAITING: &str = "state IN ('pending', 'enqueued', 'started', 'wait_dependencies')";

/// What the job's result says, as queue_job's own "Cancelled by <user>".
pub const RESULT: &str = "Cancelled by odoodb neutralize";

fn probe(schema: &Schema) -> Probe {
    if !schema.has_column(TABLE, "state") {
        return Err("no queue_job table (OCA queue_job not installed)".into());
    }
    // queue_job got its `cancelled` state and `date_cancelled` together (14.0.2.0.0): without
    // the column, `cancelled` is not a value that version knows, and its own manual equivalent
    // is "Set to done".
    let mut set = if schema.has_column(TABLE, "date_cancelled") {
        vec!["state = 'cancelled'", "date_cancelled = (now() AT TIME ZONE 'UTC')"]
    } else if schema.has_column(TABLE, "date_done") {
        vec!["state = 'done'", "date_done = (now() AT TIME ZONE 'UTC')"]
    } else {
        vec!["state = 'done'"]
    };
    if schema.has_column(TABLE, "result") {
        set.push("result = $1::text");
    }
    Ok(vec![
        Action::update(
            "queue_job jobs pending, enqueued, started or waiting for dependencies",
            TABLE,
            &set.join(", "),
            WAITING,
        )
        .with_params(vec![RESULT.into()])
        .finding(),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancels_where_the_version_can_and_sets_done_where_it_cannot() {
        let modern =
            Schema::from_list(&[(TABLE, &["state", "date_cancelled", "date_done", "result"])]);
        let actions = probe(&modern).unwrap_or_default();
        assert!(actions[0].apply_sql[0].contains("state = 'cancelled', date_cancelled ="));
        assert!(actions[0].apply_sql[0].contains("result = $1::text"));
        let old = Schema::from_list(&[(TABLE, &["state", "date_done"])]);
        let actions = probe(&old).unwrap_or_default();
        assert!(actions[0].apply_sql[0].contains("state = 'done', date_done ="));
        assert!(!actions[0].apply_sql[0].contains("result"));
    }
}
