//! Parallel deflate with flat memory: the producer cuts its stream into blocks, workers (one per
//! core) deflate them independently, and one writer puts the results out in order.
//!
//! Each block is raw deflate ended by a sync flush, so blocks concatenate into one valid deflate
//! stream (closed by an empty final block, as pigz does): a standard gzip member or zip entry that
//! any reader takes. Blocks do not share a dictionary, which costs well under 1% of size on
//! blocks of a MiB and lets every core work. Memory is bounded by the blocks in flight.

use std::io::Write;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use anyhow::{Context as _, Result, anyhow};
use flate2::{Compress, Compression, FlushCompress};

use crate::cancel::Cancel;

/// Input bytes per block.
pub const BLOCK: usize = 1 << 20;

/// The empty final block (fixed Huffman, end-of-block) that closes a sync-flushed stream.
pub const DEFLATE_END: [u8; 2] = [0x03, 0x00];

/// How a block's bytes are encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Deflate at this level (0 = stored blocks inside the deflate stream).
    Deflate(u32),
    /// Passed through as is (a zip entry stored, not deflated).
    Raw,
}

/// A block as the writer receives it.
pub struct Done {
    pub output: Vec<u8>,
    pub crc: crc32fast::Hasher,
    pub input_len: u64,
}

/// Receives the items in order, on the writer thread.
pub trait Sink<M>: Send {
    fn block(&mut self, done: Done) -> Result<()>;
    fn marker(&mut self, marker: M) -> Result<()>;
}

struct Job {
    input: Vec<u8>,
    encoding: Encoding,
    reply: SyncSender<Result<Done>>,
}

enum Pending<M> {
    Block(Receiver<Result<Done>>),
    Marker(M),
}

/// The producer's end of the pipeline.
pub struct Pipeline<M: Send + 'static, S: Sink<M> + 'static> {
    jobs: Option<SyncSender<Job>>,
    order: Option<SyncSender<Pending<M>>>,
    workers: Vec<JoinHandle<()>>,
    writer: Option<JoinHandle<Result<S>>>,
}

impl<M: Send + 'static, S: Sink<M> + 'static> Pipeline<M, S> {
    pub fn new(sink: S, workers: usize) -> Self {
        let workers = workers.max(1);
        // Two blocks per worker in flight, plus a few waiting to be written: about 4 MiB per core.
        let (jobs_tx, jobs_rx) = sync_channel::<Job>(workers * 2);
        let (order_tx, order_rx) = sync_channel::<Pending<M>>(workers * 3);
        let jobs_rx = Arc::new(Mutex::new(jobs_rx));
        let handles = (0..workers)
            .map(|_| {
                let jobs = Arc::clone(&jobs_rx);
                std::thread::spawn(move || {
                    loop {
                        let job = match jobs.lock() {
                            Ok(receiver) => receiver.recv(),
                            Err(_) => return,
                        };
                        let Ok(job) = job else { return };
                        let _ = job.reply.send(encode(job.input, job.encoding));
                    }
                })
            })
            .collect();
        let writer = std::thread::spawn(move || {
            let mut sink = sink;
            for pending in order_rx {
                match pending {
                    Pending::Marker(marker) => sink.marker(marker)?,
                    Pending::Block(reply) => {
                        let done =
                            reply.recv().map_err(|_| anyhow!("a compression worker stopped"))??;
                        sink.block(done)?;
                    }
                }
            }
            Ok(sink)
        });
        Self { jobs: Some(jobs_tx), order: Some(order_tx), workers: handles, writer: Some(writer) }
    }

    /// Queues a block; waits while too many are in flight.
    pub fn block(&mut self, input: Vec<u8>, encoding: Encoding) -> Result<()> {
        let (reply, result) = sync_channel(1);
        self.send_order(Pending::Block(result))?;
        self.jobs
            .as_ref()
            .ok_or_else(|| anyhow!("the pipeline is closed"))?
            .send(Job { input, encoding, reply })
            .map_err(|_| anyhow!("the compression workers stopped"))
    }

    pub fn marker(&mut self, marker: M) -> Result<()> {
        self.send_order(Pending::Marker(marker))
    }

    fn send_order(&mut self, pending: Pending<M>) -> Result<()> {
        let sent = self.order.as_ref().map(|order| order.send(pending).is_ok());
        if sent == Some(true) {
            return Ok(());
        }
        // The writer has stopped: its error says why.
        Err(self.finish_writer().err().unwrap_or_else(|| anyhow!("the archive writer stopped")))
    }

    fn finish_writer(&mut self) -> Result<S> {
        self.order = None;
        self.jobs = None;
        let result = match self.writer.take() {
            Some(writer) => {
                writer.join().map_err(|_| anyhow!("the archive writer panicked")).and_then(|r| r)
            }
            None => Err(anyhow!("the archive writer has already stopped")),
        };
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
        result
    }

    /// Waits for every block to be written; returns the sink.
    pub fn finish(mut self) -> Result<S> {
        self.finish_writer()
    }
}

impl<M: Send + 'static, S: Sink<M> + 'static> Drop for Pipeline<M, S> {
    fn drop(&mut self) {
        self.order = None;
        self.jobs = None;
    }
}

fn encode(input: Vec<u8>, encoding: Encoding) -> Result<Done> {
    let mut crc = crc32fast::Hasher::new();
    crc.update(&input);
    let input_len = input.len() as u64;
    let output = match encoding {
        Encoding::Raw => input,
        Encoding::Deflate(level) => deflate_sync(&input, level)?,
    };
    Ok(Done { output, crc, input_len })
}

/// Raw deflate of `input`, ended by a sync flush (byte-aligned, not final).
fn deflate_sync(input: &[u8], level: u32) -> Result<Vec<u8>> {
    let mut compress = Compress::new(Compression::new(level), false);
    let mut output = Vec::with_capacity(input.len() / 2 + 4096);
    loop {
        let consumed = usize::try_from(compress.total_in()).unwrap_or(usize::MAX);
        let rest = input.get(consumed..).unwrap_or_default();
        compress.compress_vec(rest, &mut output, FlushCompress::Sync).context("deflate failed")?;
        let consumed = usize::try_from(compress.total_in()).unwrap_or(usize::MAX);
        // The flush is complete once all input is in and zlib left room in the buffer.
        if consumed >= input.len() && output.len() < output.capacity() {
            return Ok(output);
        }
        output.reserve(output.capacity().max(64 * 1024));
    }
}

/// Cuts a byte stream into blocks for a pipeline; the encoding may change between writes (the
/// pending block is sent first), so a file already compressed is stored, not deflated again.
pub struct Blocks<M: Send + 'static, S: Sink<M> + 'static> {
    pub pipeline: Pipeline<M, S>,
    buffer: Vec<u8>,
    encoding: Encoding,
    /// Once set (Ctrl-C), the next write fails.
    cancel: Cancel,
}

impl<M: Send + 'static, S: Sink<M> + 'static> Blocks<M, S> {
    pub fn new(pipeline: Pipeline<M, S>, encoding: Encoding, cancel: &Cancel) -> Self {
        Self { pipeline, buffer: Vec::with_capacity(BLOCK), encoding, cancel: cancel.clone() }
    }

    /// Sends what is pending, so the next bytes start a new block.
    pub fn cut(&mut self) -> Result<()> {
        if !self.buffer.is_empty() {
            let block = std::mem::replace(&mut self.buffer, Vec::with_capacity(BLOCK));
            self.pipeline.block(block, self.encoding)?;
        }
        Ok(())
    }

    pub fn set_encoding(&mut self, encoding: Encoding) -> Result<()> {
        if encoding != self.encoding {
            self.cut()?;
            self.encoding = encoding;
        }
        Ok(())
    }

    pub fn marker(&mut self, marker: M) -> Result<()> {
        self.cut()?;
        self.pipeline.marker(marker)
    }

    pub fn finish(mut self) -> Result<S> {
        self.cut()?;
        self.pipeline.finish()
    }
}

impl<M: Send + 'static, S: Sink<M> + 'static> Write for Blocks<M, S> {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if self.cancel.is_set() {
            // Not ErrorKind::Interrupted: io::copy would retry it forever.
            return Err(std::io::Error::other("interrupted"));
        }
        let room = BLOCK - self.buffer.len();
        let taken = room.min(data.len());
        self.buffer.extend_from_slice(&data[..taken]);
        if self.buffer.len() >= BLOCK {
            self.cut().map_err(std::io::Error::other)?;
        }
        Ok(taken)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    struct Collect(Vec<u8>, crc32fast::Hasher, u64);

    impl Sink<()> for Collect {
        fn block(&mut self, done: Done) -> Result<()> {
            self.0.extend_from_slice(&done.output);
            self.1.combine(&done.crc);
            self.2 += done.input_len;
            Ok(())
        }
        fn marker(&mut self, (): ()) -> Result<()> {
            Ok(())
        }
    }

    #[test]
    fn blocks_make_one_deflate_stream() -> Result<()> {
        let data: Vec<u8> =
            (0..3_500_000u32).map(|i| ((i % 251) ^ (i / 7000)).to_le_bytes()[0]).collect();
        let pipeline = Pipeline::new(Collect(Vec::new(), crc32fast::Hasher::new(), 0), 3);
        let mut blocks = Blocks::new(pipeline, Encoding::Deflate(6), &Cancel::never());
        blocks.write_all(&data[..1000])?;
        blocks.set_encoding(Encoding::Deflate(0))?;
        blocks.write_all(&data[1000..2_000_000])?;
        blocks.set_encoding(Encoding::Deflate(1))?;
        blocks.write_all(&data[2_000_000..])?;
        let mut sink = blocks.finish()?;
        sink.0.extend_from_slice(&DEFLATE_END);
        let mut back = Vec::new();
        flate2::read::DeflateDecoder::new(&sink.0[..]).read_to_end(&mut back)?;
        assert_eq!(back, data);
        assert_eq!(sink.1.finalize(), crc32fast::hash(&data));
        assert_eq!(sink.2, data.len() as u64);
        Ok(())
    }
}
