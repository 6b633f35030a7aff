//! The parts of an upload: their sizes, and the writer that fills them from the archive and
//! hands each over whole to the upload's sender.

use std::io::{self, Write};

use tokio::sync::mpsc;

/// S3's smallest part (but for the last).
const MIN_PART: usize = 5 << 20;
/// S3 takes at most 10 000 parts.
const MAX_PARTS: usize = 10_000;
/// Parts of the first size: enough for the archive as estimated; the rest grow, for an archive
/// bigger than its estimate.
const EVEN_PARTS: usize = 8_000;

/// The parts' sizes of one upload. Memory holds some four parts at once, so they are as small
/// as the archive's expected size allows: that size in 8 000 even parts (5 MiB at least), then
/// one more base size every 100 parts, which carries 3.6 times the estimate (at least 140 GiB)
/// in 10 000 parts.
#[derive(Debug, Clone, Copy)]
pub struct PartSizes {
    base: usize,
}

impl PartSizes {
    /// For an archive of about `expected` bytes (0 when unknown).
    pub fn for_expected(expected: u64) -> Self {
        let even = usize::try_from(expected.div_ceil(EVEN_PARTS as u64)).unwrap_or(usize::MAX);
        // Whole MiB: some servers want parts of a round size.
        let base = even.max(MIN_PART).div_ceil(1 << 20).saturating_mul(1 << 20);
        Self { base }
    }

    /// Part `index`'s size (from 0).
    pub fn size(self, index: usize) -> usize {
        self.base.saturating_mul(1 + index.saturating_sub(EVEN_PARTS) / 100)
    }
}

pub(super) struct Part {
    pub(super) index: usize,
    pub(super) data: Vec<u8>,
}

const CLOSED: &str = "the upload stopped";

pub(super) fn is_closed_channel(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| cause.to_string().contains(CLOSED))
}

/// The archive writer's end: fills a part, hands it over whole. Blocking (its thread waits
/// while the parts before are on the wire): call it off the async threads.
pub struct PartWriter {
    buffer: Vec<u8>,
    sizes: PartSizes,
    index: usize,
    sender: Option<mpsc::Sender<Part>>,
    shown: String,
}

impl PartWriter {
    /// `shown`: the object's address, for the errors.
    pub(super) fn new(sizes: PartSizes, sender: mpsc::Sender<Part>, shown: String) -> Self {
        Self {
            buffer: Vec::with_capacity(sizes.size(0)),
            sizes,
            index: 0,
            sender: Some(sender),
            shown,
        }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.index >= MAX_PARTS {
            return Err(io::Error::other(format!(
                "{} outgrew the {MAX_PARTS} parts an upload may have (far beyond its estimate); back up to a folder instead",
                self.shown
            )));
        }
        let data = std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(self.sizes.size(self.index + 1)),
        );
        let sender = self
            .sender
            .as_ref()
            .ok_or_else(|| io::Error::other(format!("{CLOSED}: {}", self.shown)))?;
        sender
            .blocking_send(Part { index: self.index, data })
            .map_err(|_| io::Error::other(format!("{CLOSED}: {}", self.shown)))?;
        self.index += 1;
        Ok(())
    }

    /// The archive is whole: the last part goes (an empty archive is one empty part).
    pub fn close(&mut self) -> io::Result<()> {
        if !self.buffer.is_empty() || self.index == 0 {
            self.send()?;
        }
        self.sender = None;
        Ok(())
    }
}

impl Write for PartWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let room = self.sizes.size(self.index) - self.buffer.len();
        let take = room.min(data.len());
        self.buffer.extend_from_slice(&data[..take]);
        if self.buffer.len() == self.sizes.size(self.index) {
            self.send()?;
        }
        Ok(take)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn capacity(sizes: PartSizes) -> u64 {
        (0..MAX_PARTS).map(|index| sizes.size(index) as u64).sum()
    }

    #[test]
    fn parts_are_small_for_small_archives_and_carry_more_than_the_estimate() {
        const GIB: u64 = 1 << 30;
        let unknown = PartSizes::for_expected(0);
        assert_eq!(unknown.size(0), MIN_PART);
        assert!(capacity(unknown) >= 140 * GIB);
        let big = PartSizes::for_expected(100 * GIB);
        // Some four parts are held at once: about 50 MiB for a 100 GiB archive.
        assert!(big.size(0) <= 13 << 20, "{}", big.size(0));
        assert_eq!(big.size(0) % (1 << 20), 0);
        assert!(capacity(big) >= 350 * GIB);
        assert!(capacity(PartSizes::for_expected(5_000 * GIB)) > 12_000 * GIB);
    }
}
