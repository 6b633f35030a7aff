//! A new database from a source — a template copy (`duplicate`), an archive (`restore`), an
//! upgraded dump (`upgrade test`), a frozen copy of production (`upgrade production`): the one
//! place that says whether the name is free, asks before a database is replaced, builds under
//! temporary names and installs under the name only when the whole is complete, and finishes
//! the copy (Odoo's grant, a new identity, neutralization). A new finishing step is one field
//! of `Finish` and one function in `finish.rs`.

mod finish;
mod install;
mod strategy;
mod target;
pub mod template;

pub use finish::{Finish, finish, remove_pseudonymized_files};
pub use install::{NotMade, Spec, make};
pub use strategy::template_strategy;
pub use target::{confirm_replace, existing};
