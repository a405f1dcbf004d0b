//! Corpus work: walking inputs, reading documents, cleaning them in parallel
//! in a deterministic order, and writing outputs.
//!
//! Documents are processed with rayon in ordered chunks: each chunk is
//! cleaned in parallel, in batches, then its results reach the caller's sink
//! in input order, so reports and outputs are the same bytes whatever the
//! thread count, and memory is bounded by the chunk size (256 documents, or
//! one batch per thread on more than eight threads, and two chunks at a
//! time), not the corpus.

mod clean;
pub mod jsonl;
mod summary;
mod walk;
mod write;

use std::collections::VecDeque;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::clean::{Cleaned, Cleaner};

pub use clean::{check_destination, clean, CleanJob, Destination};
pub use summary::{Summary, Tally};
pub use walk::{walk, Entry, WalkOptions};
pub use write::{create_parent, replace_file, write_file};

/// Documents per ordered chunk, at least.
const CHUNK: usize = 256;
/// Chunks mapped at a time.
const IN_FLIGHT: usize = 2;
/// Documents per batch of [`map_batches`]: enough pages for a regex to stay
/// warm over their candidate lines.
pub const BATCH: usize = 32;
/// A document with a NUL byte is binary and skipped.
const NUL: u8 = 0;

/// A problem with one input or output: which path, and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}: {message}", path.display())]
pub struct InputError {
    /// The path concerned.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

impl InputError {
    /// An error with a message.
    pub fn new(path: &Path, message: String) -> InputError {
        InputError {
            path: path.to_path_buf(),
            message,
        }
    }

    /// An I/O error, worded for people.
    pub fn io(path: &Path, err: &std::io::Error) -> InputError {
        let message = match err.kind() {
            std::io::ErrorKind::NotFound => "no such file or folder".to_string(),
            std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
            _ => err.to_string(),
        };
        InputError::new(path, message)
    }
}

/// Why a document was not processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    /// It holds a NUL byte.
    Binary,
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Binary => f.write_str("binary (NUL byte)"),
        }
    }
}

/// A document read from disk or stdin.
#[derive(Debug)]
pub enum Document {
    /// Its bytes.
    Text(Vec<u8>),
    /// Not processed, and why.
    Skipped(SkipReason),
}

/// Reads a document; binary files are reported as skipped.
///
/// # Errors
/// The path and the I/O error.
pub fn read(entry: &Entry) -> Result<Document, InputError> {
    let bytes = if entry.is_stdin() {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .read_to_end(&mut buf)
            .map_err(|e| InputError::io(&entry.path, &e))?;
        buf
    } else {
        std::fs::read(&entry.path).map_err(|e| InputError::io(&entry.path, &e))?
    };
    if memchr::memchr(NUL, &bytes).is_some() {
        return Ok(Document::Skipped(SkipReason::Binary));
    }
    Ok(Document::Text(bytes))
}

/// What became of one entry: read and worked on, skipped, or failed.
#[derive(Debug)]
pub enum Outcome<T> {
    /// The document was read; what the work made of it.
    Done(T),
    /// Not processed, and why.
    Skipped(SkipReason),
    /// It could not be read.
    Failed(InputError),
}

/// Reads every entry and hands the documents to `work`, in parallel,
/// [`BATCH`] at a time, each with its entry (cleaning a batch at once keeps
/// each regex warm over it, see [`Cleaner::clean_batch`]); `work` returns
/// one result per document, in order. Each [`Outcome`] reaches `sink` in
/// entry order. This is the per-document step that every mode (clean, diff,
/// check, report, test) shares. `threads` = 0 uses every core.
///
/// # Panics
/// When `work` returns fewer results than it was given documents.
pub fn map_batches<T, W, S>(entries: &[Entry], threads: usize, work: W, sink: S)
where
    T: Send,
    W: Fn(Vec<(&Entry, Vec<u8>)>) -> Vec<T> + Sync,
    S: FnMut(&Entry, Outcome<T>),
{
    let work = |batch: &[Entry]| -> Vec<Outcome<T>> {
        let mut outcomes = Vec::with_capacity(batch.len());
        let mut texts = Vec::with_capacity(batch.len());
        for entry in batch {
            outcomes.push(match read(entry) {
                Err(err) => Outcome::Failed(err),
                Ok(Document::Skipped(reason)) => Outcome::Skipped(reason),
                Ok(Document::Text(input)) => {
                    texts.push((entry, input));
                    Outcome::Done(())
                }
            });
        }
        let mut done = work(texts).into_iter();
        outcomes
            .into_iter()
            .map(|outcome| match outcome {
                Outcome::Done(()) => Outcome::Done(done.next().expect("one result per document")),
                Outcome::Skipped(reason) => Outcome::Skipped(reason),
                Outcome::Failed(err) => Outcome::Failed(err),
            })
            .collect()
    };
    for_each_batch_ordered(entries, threads, BATCH, work, sink);
}

/// The documents of a batch of [`map_batches`] as
/// [`Cleaner::clean_batch`] takes them: each with its path relative to its
/// input root.
pub fn batch_docs<'a>(batch: &'a [(&Entry, Vec<u8>)]) -> Vec<(Option<&'a Path>, &'a [u8])> {
    batch
        .iter()
        .map(|(entry, input)| (Some(entry.rel.as_path()), input.as_slice()))
        .collect()
}

/// Cleans a batch of [`map_batches`] in one [`Cleaner::clean_batch`].
pub fn clean_batch(cleaner: &Cleaner<'_>, batch: &[(&Entry, Vec<u8>)]) -> Vec<Cleaned> {
    cleaner.clean_batch(&batch_docs(batch))
}

/// Runs `work` on every entry in parallel and hands each result to `sink`
/// in entry order. `threads` = 0 uses every core.
pub fn for_each_ordered<T, W, S>(entries: &[Entry], threads: usize, work: W, sink: S)
where
    T: Send,
    W: Fn(&Entry) -> T + Sync,
    S: FnMut(&Entry, T),
{
    let work = |batch: &[Entry]| batch.iter().map(&work).collect();
    for_each_batch_ordered(entries, threads, 1, work, sink);
}

/// Runs `work` on batches of `batch` entries in parallel and hands each
/// result (one per entry) to `sink` in entry order.
///
/// Entries go in chunks, two at a time: the workers are on the next chunk
/// while the last batches of one finish (a worker would otherwise wait for
/// the slowest batch of every chunk) and while this thread hands its
/// results to `sink`.
fn for_each_batch_ordered<T, W, S>(
    entries: &[Entry],
    threads: usize,
    batch: usize,
    work: W,
    mut sink: S,
) where
    T: Send,
    W: Fn(&[Entry]) -> Vec<T> + Sync,
    S: FnMut(&Entry, T),
{
    let pool = Pool::new(threads);
    // every thread gets a batch, however many threads there are
    let chunk_len = CHUNK.max(batch * pool.threads());
    let map = |chunk: &[Entry]| -> Vec<T> {
        pool.install(|| chunk.par_chunks(batch).flat_map_iter(&work).collect())
    };
    let map = &map;
    std::thread::scope(|scope| {
        let mut chunks = entries.chunks(chunk_len);
        let mut next = || {
            let chunk = chunks.next()?;
            Some((chunk, scope.spawn(move || map(chunk))))
        };
        let mut in_flight: VecDeque<_> = std::iter::from_fn(&mut next).take(IN_FLIGHT).collect();
        while let Some((chunk, mapping)) = in_flight.pop_front() {
            let results = mapping
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (entry, result) in chunk.iter().zip(results) {
                sink(entry, result);
            }
            // the next chunk starts once these results are handed on: the
            // results of two chunks at most are held at a time
            in_flight.extend(next());
        }
    });
}

/// Where parallel work runs: a pool of `threads` workers, or rayon's global
/// pool (one per core) for 0.
pub(crate) struct Pool(Option<rayon::ThreadPool>);

impl Pool {
    /// A pool of `threads` workers; 0 (or a pool that cannot be built) uses the global pool.
    pub(crate) fn new(threads: usize) -> Pool {
        Pool(match threads {
            0 => None,
            n => rayon::ThreadPoolBuilder::new().num_threads(n).build().ok(),
        })
    }

    /// How many threads it has.
    pub(crate) fn threads(&self) -> usize {
        match &self.0 {
            Some(pool) => pool.current_num_threads(),
            None => rayon::current_num_threads(),
        }
    }

    /// Runs `work` in the pool.
    pub(crate) fn install<R: Send>(&self, work: impl FnOnce() -> R + Send) -> R {
        match &self.0 {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` entries named by their index.
    fn entries(n: usize) -> Vec<Entry> {
        (0..n)
            .map(|i| {
                let path = PathBuf::from(format!("{i:05}"));
                Entry {
                    path: path.clone(),
                    rel: path.clone(),
                    out_rel: path,
                }
            })
            .collect()
    }

    #[test]
    fn results_reach_the_sink_in_entry_order_over_many_chunks() {
        let entries = entries(3 * CHUNK + 17);
        for threads in [1, 2, 3] {
            let mut seen = Vec::new();
            let work = |batch: &[Entry]| batch.iter().map(|e| e.path.clone()).collect();
            for_each_batch_ordered(&entries, threads, BATCH, work, |entry, result| {
                assert_eq!(entry.path, result);
                seen.push(result);
            });
            let want: Vec<PathBuf> = entries.iter().map(|e| e.path.clone()).collect();
            assert_eq!(seen, want, "{threads} threads");
        }
    }

    #[test]
    #[should_panic(expected = "entry 700")]
    fn a_panic_in_a_later_chunk_reaches_the_caller() {
        let entries = entries(3 * CHUNK);
        let work = |entry: &Entry| {
            if entry.path == Path::new("00700") {
                panic!("entry 700");
            }
        };
        for_each_ordered(&entries, 2, work, |_, ()| {});
    }
}
