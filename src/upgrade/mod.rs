//! The Odoo upgrade platform: its client, the stored state of a request, and the preflight
//! that runs before anything is sent.

pub mod platform;
pub(crate) mod preflight;
pub mod state;
pub(crate) mod target;

pub use crate::secret::Secret;
