//! The load: the dump into the new database (pg_restore, psql) while the filestore is
//! extracted into its temporary folder, each side stopping the other when it fails.

use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};

use anyhow::Result;

use crate::archive::extract::{Extractor, Watched};
use crate::archive::growing::{Growing, Stage};
use crate::archive::{self, Counts, DumpForm, read_tar, read_zip};
use crate::error::Failure;
use crate::filestore::{self, Owner};
use crate::pg::load::{self, Loader};

use super::Source;

/// Loads the dump and extracts the filestore (blocking), at the same time where the format
/// allows. Files go into `folder`, the install's temporary folder; dump parts that must be on
/// disk go into a scratch folder inside it, removed once loaded.
pub fn load_source(
    source: Source,
    loader: &Loader,
    db: &str,
    folder: &Path,
    owner: Owner,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Counts> {
    let cancel = loader.cancel.clone();
    match source {
        Source::Zip(file) => {
            // Two readers of one zip: dump.sql into psql, and the filestore into the folder.
            let mut for_files = read_zip::open_shared(file)?;
            let mut for_dump = for_files.clone();
            let (dumped, mut counts) = alongside(
                &cancel,
                |linked| {
                    let mut into_psql = IntoPsql { loader, db, cancel: linked, progress };
                    read_zip::walk(&mut for_dump, &mut into_psql, read_zip::Members::Dump)
                },
                |linked| {
                    let mut extractor =
                        Extractor::new(folder, owner, linked.clone(), progress, None)?;
                    read_zip::walk(&mut for_files, &mut extractor, read_zip::Members::Files)
                },
            )?;
            counts.dump_files = dumped.dump_files;
            counts.dump_bytes = dumped.dump_bytes;
            Ok(counts)
        }
        Source::Tar { head, stream } if head.form == DumpForm::Plain => {
            let mut psql = |sql: &mut dyn std::io::Read| loader.psql(db, sql);
            let mut extractor = Extractor::new(folder, owner, cancel, progress, Some(&mut psql))?;
            read_tar::walk(stream, &head, &mut extractor)
        }
        Source::Tar { head, stream } => {
            let scratch = folder.join(archive::extract::SCRATCH);
            let custom = head.form == DumpForm::Custom;
            let dump = if custom { scratch.join("dump") } else { scratch.clone() };
            let growing = Growing::default();
            let ((), counts) = alongside(
                &cancel,
                |linked| load_growing(loader, db, &dump, custom, &growing, linked),
                |linked| {
                    let walked = Extractor::new(folder, owner, linked.clone(), progress, None)
                        .and_then(|mut extractor| {
                            let mut visitor = LoadAlongside {
                                inner: &mut extractor,
                                growing: &growing,
                                custom,
                                dump_seen: false,
                                whole: false,
                            };
                            read_tar::walk(stream, &head, &mut visitor)
                        });
                    growing.set(if walked.is_ok() { Stage::Whole } else { Stage::Failed });
                    walked
                },
            )?;
            filestore::remove(&scratch)?;
            Ok(counts)
        }
        Source::CustomFile(path) | Source::Directory(path) => {
            loader.pg_restore(db, load::Archive::Path(&path))?;
            Ok(Counts::default())
        }
        Source::CustomStream(mut stream) => {
            let mut watched = Watched { inner: &mut stream, cancel: &cancel, progress };
            loader.pg_restore(db, load::Archive::Stream(&mut watched))?;
            Ok(Counts::default())
        }
        Source::Sql(mut stream) => {
            let mut watched = Watched { inner: &mut stream, cancel: &cancel, progress };
            loader.psql(db, &mut watched)?;
            Ok(Counts::default())
        }
    }
}

/// Runs `load` on a thread of its own while `walk` runs on this one, each with a handle linked
/// to `cancel`: the first to fail stops the other (its child process killed, its reading cut),
/// and its error is the one reported. Everything either writes goes into the install's
/// temporaries, which the caller drops on any error.
pub(super) fn alongside<L: Send, W>(
    cancel: &crate::cancel::Cancel,
    load: impl FnOnce(&crate::cancel::Cancel) -> Result<L> + Send,
    walk: impl FnOnce(&crate::cancel::Cancel) -> Result<W>,
) -> Result<(L, W)> {
    const WALK: u8 = 1;
    const LOAD: u8 = 2;
    let (linked, abort) = cancel.linked();
    let first = AtomicU8::new(0);
    let failed = |who: u8| {
        if first.compare_exchange(0, who, Ordering::SeqCst, Ordering::SeqCst).is_ok() {
            abort.set();
        }
    };
    let handle = tokio::runtime::Handle::current();
    std::thread::scope(|scope| {
        let job = scope.spawn(|| {
            let _entered = handle.enter();
            let loaded = load(&linked);
            if loaded.is_err() {
                failed(LOAD);
            }
            loaded
        });
        let walked = walk(&linked);
        if walked.is_err() {
            failed(WALK);
        }
        let loaded = job
            .join()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the dump's load stopped unexpectedly")));
        match (loaded, walked) {
            (Ok(loaded), Ok(walked)) => Ok((loaded, walked)),
            (Err(error), Ok(_)) | (Ok(_), Err(error)) => Err(error),
            (Err(load_error), Err(walk_error)) => {
                // The other's error is only its having been stopped.
                Err(if first.load(Ordering::SeqCst) == LOAD { load_error } else { walk_error })
            }
        }
    })
}

/// Loads our tar's dump while the walk writes it out: the schema (`pg_restore
/// --section=pre-data`, which reads only the dump's table of contents, at its head) as soon as
/// the dump begins to be written, then the data, indexes and constraints with `--jobs` once it
/// is whole on disk (pg_restore's parallel jobs need a file they can seek in) — while the walk
/// goes on to extract the filestore. A walk that fails leaves the load to stop; its error is
/// the story.
pub(super) fn load_growing(
    loader: &Loader,
    db: &str,
    dump: &Path,
    custom: bool,
    growing: &Growing,
    cancel: &crate::cancel::Cancel,
) -> Result<()> {
    let result = load_growing_dump(loader, db, dump, custom, growing, cancel);
    if result.is_err() && growing.stage() == Stage::Failed {
        // The walk failed (the dump could not be written out whole), which is what stopped
        // the load: the walk's error is the story.
        return Ok(());
    }
    result
}

pub(super) fn load_growing_dump(
    loader: &Loader,
    db: &str,
    dump: &Path,
    custom: bool,
    growing: &Growing,
    cancel: &crate::cancel::Cancel,
) -> Result<()> {
    let mut sections = load::Sections::All;
    if custom {
        let stage = growing.wait_for(&[Stage::Writing, Stage::Whole, Stage::Failed], cancel);
        cancel.check()?;
        if stage == Stage::Failed {
            return Ok(());
        }
        let mut reader = growing.reader(dump, cancel.clone());
        loader.pg_restore_sections(
            db,
            load::Archive::Stream(&mut reader),
            load::Sections::PreData,
            cancel,
        )?;
        sections = load::Sections::DataAndPostData;
    }
    let stage = growing.wait_for(&[Stage::Whole, Stage::Failed], cancel);
    cancel.check()?;
    if stage == Stage::Failed {
        return Ok(());
    }
    loader.pg_restore_sections(db, load::Archive::Path(dump), sections, cancel)
}

/// Forwards to the extractor, and tells the load how far the dump is: begun (its first bytes
/// written), then whole (when the first filestore file comes after it).
pub(super) struct LoadAlongside<'e, 'a> {
    inner: &'e mut Extractor<'a>,
    growing: &'e Growing,
    custom: bool,
    dump_seen: bool,
    whole: bool,
}

impl archive::Visitor for LoadAlongside<'_, '_> {
    fn dump(&mut self, part: &str, size: u64, reader: &mut dyn std::io::Read) -> Result<()> {
        if self.whole {
            // Not the order `odoodb backup` writes; the load has already started.
            return Err(Failure::failed(
                "the archive has dump parts after filestore files: it was not made by odoodb backup",
            )
            .into());
        }
        self.dump_seen = true;
        if self.custom {
            let mut announcing = self.growing.announcing(reader);
            return self.inner.dump(part, size, &mut announcing);
        }
        self.inner.dump(part, size, reader)
    }

    fn file(&mut self, relative: &str, size: u64, reader: &mut dyn std::io::Read) -> Result<()> {
        if self.dump_seen && !self.whole {
            self.whole = true;
            self.growing.set(Stage::Whole);
        }
        self.inner.file(relative, size, reader)
    }
}

/// The zip's dump.sql, fed to psql.
pub(super) struct IntoPsql<'a> {
    loader: &'a Loader,
    db: &'a str,
    cancel: &'a crate::cancel::Cancel,
    progress: &'a (dyn Fn(u64) + Sync),
}

impl archive::Visitor for IntoPsql<'_> {
    fn dump(&mut self, _: &str, _: u64, reader: &mut dyn std::io::Read) -> Result<()> {
        let mut watched = Watched { inner: reader, cancel: self.cancel, progress: self.progress };
        self.loader.psql_until(self.db, &mut watched, self.cancel)
    }

    fn file(&mut self, _: &str, _: u64, _: &mut dyn std::io::Read) -> Result<()> {
        Ok(())
    }
}
