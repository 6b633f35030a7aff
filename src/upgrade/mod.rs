//! The Odoo upgrade platform: its client, the stored state of a request, and the preflight
//! that runs before anything is sent.

pub(crate) mod keys;
mod log_decoder;
pub mod platform;
pub(crate) mod preflight;
pub mod state;
pub(crate) mod target;
pub(crate) mod transfer;

pub use crate::secret::Secret;
