//! A file that one thread writes while another already reads it: the reader sees the bytes
//! written so far, waits for more at the end, and sees the end of the file only once the writer
//! says the file is whole (or an error once it says the writing failed). Memory stays flat: the
//! bytes go through the page cache, never through a buffer between the two.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use crate::cancel::Cancel;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Nothing written yet (the file may not exist).
    Waiting,
    /// The file exists and grows.
    Writing,
    /// Every byte is written.
    Whole,
    /// The writing stopped half way: the file will never be whole.
    Failed,
}

/// The writer's side: says how far the file is.
#[derive(Debug, Clone)]
pub struct Growing {
    shared: Arc<(Mutex<Stage>, Condvar)>,
}

impl Default for Growing {
    fn default() -> Self {
        Self { shared: Arc::new((Mutex::new(Stage::Waiting), Condvar::new())) }
    }
}

/// How long a reader waits at the end before it looks again, should a wake-up be missed.
const POLL: Duration = Duration::from_millis(20);

impl Growing {
    /// Moves to `stage`, never back (a whole or failed file stays so), and wakes the readers.
    pub fn set(&self, stage: Stage) {
        let (lock, cond) = &*self.shared;
        if let Ok(mut current) = lock.lock() {
            let forward = match *current {
                Stage::Waiting => stage != Stage::Waiting,
                Stage::Writing => matches!(stage, Stage::Whole | Stage::Failed),
                Stage::Whole | Stage::Failed => false,
            };
            if forward {
                *current = stage;
            }
        }
        cond.notify_all();
    }

    /// More bytes were written: wakes the readers.
    pub fn grew(&self) {
        self.shared.1.notify_all();
    }

    pub fn stage(&self) -> Stage {
        self.shared.0.lock().map_or(Stage::Failed, |stage| *stage)
    }

    /// Waits until the stage is one of `stages`, or `cancel` is set; gives the stage reached.
    pub fn wait_for(&self, stages: &[Stage], cancel: &Cancel) -> Stage {
        let (lock, cond) = &*self.shared;
        let Ok(mut current) = lock.lock() else { return Stage::Failed };
        while !stages.contains(&*current) && !cancel.is_set() {
            current = match cond.wait_timeout(current, POLL) {
                Ok((guard, _)) => guard,
                Err(_) => return Stage::Failed,
            };
        }
        *current
    }

    /// A reader of `path` from its start (call once the stage is past `Waiting`).
    pub fn reader(&self, path: &Path, cancel: Cancel) -> Follow {
        Follow { growing: self.clone(), path: path.to_path_buf(), file: None, cancel }
    }

    /// Wraps the reader the writer copies from: each read says the bytes before it are
    /// written (a copy writes a chunk before it reads the next), and the first marks the file
    /// as begun.
    pub fn announcing<'r>(&self, inner: &'r mut dyn Read) -> Announce<'r> {
        Announce { inner, growing: self.clone() }
    }
}

pub struct Announce<'r> {
    inner: &'r mut dyn Read,
    growing: Growing,
}

impl Read for Announce<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.growing.set(Stage::Writing);
        self.growing.grew();
        self.inner.read(buf)
    }
}

/// The reader's side.
pub struct Follow {
    growing: Growing,
    path: PathBuf,
    file: Option<File>,
    cancel: Cancel,
}

impl Read for Follow {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if self.cancel.is_set() {
                return Err(std::io::Error::other("interrupted"));
            }
            // Read the stage before the file: bytes read after the file was seen whole are
            // all of it.
            let stage = self.growing.stage();
            if stage == Stage::Failed {
                return Err(std::io::Error::other("the dump could not be written out whole"));
            }
            if self.file.is_none() && stage != Stage::Waiting {
                self.file = Some(File::open(&self.path)?);
            }
            if let Some(file) = self.file.as_mut() {
                let n = file.read(buf)?;
                if n > 0 || stage == Stage::Whole {
                    return Ok(n);
                }
            }
            let (lock, cond) = &*self.growing.shared;
            if let Ok(guard) = lock.lock() {
                let _ = cond.wait_timeout(guard, POLL);
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "a test: a failure is the test failing")]
mod tests {
    use std::io::Write as _;

    use super::*;

    /// A reader that hands out `data` in small pieces, slowly.
    struct Trickle<'d> {
        data: &'d [u8],
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            std::thread::sleep(Duration::from_millis(1));
            let n = buf.len().min(self.data.len()).min(4096);
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn write_while_read(fail: bool) -> (std::io::Result<Vec<u8>>, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("dump");
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        let growing = Growing::default();
        let mut follow = growing.reader(&path, Cancel::never());
        let read = std::thread::scope(|scope| {
            let reader = scope.spawn(move || {
                let mut out = Vec::new();
                follow.read_to_end(&mut out).map(|_| out)
            });
            std::thread::sleep(Duration::from_millis(30));
            let mut file = File::create_new(&path).unwrap();
            let half = if fail { &data[..data.len() / 2] } else { &data[..] };
            let mut source = Trickle { data: half };
            let mut announcing = growing.announcing(&mut source);
            std::io::copy(&mut announcing, &mut file).unwrap();
            file.flush().unwrap();
            growing.set(if fail { Stage::Failed } else { Stage::Whole });
            reader.join().unwrap()
        });
        (read, data)
    }

    #[test]
    fn the_reader_gets_every_byte_and_the_end_only_once_whole() {
        let (read, data) = write_while_read(false);
        assert!(read.unwrap() == data);
    }

    #[test]
    fn the_reader_fails_when_the_writing_fails() {
        let (read, _) = write_while_read(true);
        assert!(read.is_err());
    }

    #[test]
    fn the_stage_only_moves_forward() {
        let growing = Growing::default();
        growing.set(Stage::Whole);
        growing.set(Stage::Writing);
        growing.set(Stage::Failed);
        assert_eq!(growing.stage(), Stage::Whole);
    }
}
