//! The restore: any backup source opened and checked (or inspected), the plan, and the build —
//! the dump into the new database and the filestore into its folder, at the same time where
//! the format allows — that `copy::make` installs.

mod build;
mod inspect;
mod loading;
mod open;
mod plan;

use std::path::PathBuf;

use crate::archive::detect::Stream;
use crate::archive::read_tar;

pub use build::{Built, build};
pub use inspect::{inspect, inspection_text};
pub use loading::load_source;
pub use open::{Described, open_checked};
pub use plan::{Plan, Wanted, default_name, describe, prepare};

/// The archive, checked and ready to be read for the restore.
pub enum Source {
    /// A zip, seekable (the file itself, or a stream spooled to an unnamed temporary file).
    Zip(std::fs::File),
    /// Our tar(.gz): the manifest read; the stream is at the archive's start.
    Tar {
        head: Box<read_tar::Head>,
        stream: Stream,
    },
    CustomFile(PathBuf),
    CustomStream(Stream),
    Directory(PathBuf),
    Sql(Stream),
}
