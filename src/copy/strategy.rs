//! How PostgreSQL copies a template: WAL-logging every block suits a small database, one
//! checkpoint and a file copy a large one (PostgreSQL 15 and later; earlier ones have no choice).

use anyhow::Result;

use crate::error::Failure;
use crate::pg::Client;
use crate::pg::admin::{self, CopyStrategy};

/// From this size on, a file copy (one checkpoint) beats WAL-logging every block.
const LARGE_DATABASE: i64 = 1 << 30;

/// `asked` (`None`: chosen by `size`), or `None` before PostgreSQL 15, which has no choice.
pub async fn template_strategy(
    admin_client: &Client,
    asked: Option<CopyStrategy>,
    size: Option<i64>,
) -> Result<Option<CopyStrategy>> {
    if admin::server_version_num(admin_client).await? < 150_000 {
        if asked == Some(CopyStrategy::WalLog) {
            return Err(Failure::usage("--strategy wal-log needs PostgreSQL 15 or later")
                .hint("use --strategy auto")
                .into());
        }
        return Ok(None);
    }
    Ok(Some(asked.unwrap_or(if size.unwrap_or(0) < LARGE_DATABASE {
        CopyStrategy::WalLog
    } else {
        CopyStrategy::FileCopy
    })))
}
