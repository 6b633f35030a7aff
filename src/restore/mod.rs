//! What a restore reads: any backup source, checked, and its load — the dump into the new
//! database and the filestore into its folder, at the same time where the format allows.

mod inspect;
mod loading;
mod open;

use std::path::PathBuf;

use crate::archive::detect::Stream;
use crate::archive::read_tar;

pub use inspect::dump_headers;
pub use loading::load_source;
pub use open::{Described, open};

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
