//! The upgrade of an Odoo database: the platform's client and the stored state of a request,
//! the preflight (the modules against the target's code and Odoo's own merges, the local
//! program), the options of a run, the local command's hops, the work folder and the restore
//! of a result, and the two jobs built on them — the test copy and the production swap.

pub(crate) mod assess;
pub(crate) mod keys;
pub(crate) mod local;
mod log_decoder;
pub(crate) mod merges;
pub(crate) mod modules;
pub mod platform;
pub(crate) mod preflight;
pub(crate) mod prepare;
pub(crate) mod production;
pub(crate) mod program;
pub(crate) mod remote;
pub(crate) mod result;
pub(crate) mod rollback;
pub(crate) mod run;
pub mod state;
pub mod target;
pub(crate) mod test_copy;
pub(crate) mod transfer;
pub(crate) mod work;

pub use crate::secret::Secret;
pub(crate) use local::{
    Hop, hops, run_hop, run_hops, run_service_command, run_shell, run_shell_to_the_end, run_update,
};
pub(crate) use remote::{Downloaded, Remote};
pub(crate) use result::{adopt_added, build_filestore, restore_dump};
pub(crate) use run::{Engine, Resolved, contract, default_jobs, preflight};
pub(crate) use work::{discard_dumps, dump, remove_work_dir, work_dir};
