//! Corpus work: walking inputs, reading documents, cleaning them in parallel
//! in a deterministic order, and writing outputs.
//!
//! Documents are processed with rayon in ordered chunks: each chunk is
//! cleaned in parallel, then its results reach the caller's sink in input
//! order, so reports and outputs are the same bytes whatever the thread
//! count, and memory is bounded by the chunk size, not the corpus.

mod clean;
pub mod jsonl;
mod summary;
mod walk;
mod write;

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

pub use clean::{check_destination, clean, CleanJob, Destination};
pub use summary::Summary;
pub use walk::{walk, Entry, WalkOptions};
pub use write::{create_parent, replace_file, write_file};

/// Documents per ordered chunk.
const CHUNK: usize = 256;
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

/// Reads every entry and hands its bytes to `work`, in parallel; each
/// [`Outcome`] reaches `sink` in entry order. This is the per-document step
/// that every mode (clean, diff, check) shares. `threads` = 0 uses every core.
pub fn map_ordered<T, W, S>(entries: &[Entry], threads: usize, work: W, sink: S)
where
    T: Send,
    W: Fn(&Entry, Vec<u8>) -> T + Sync,
    S: FnMut(&Entry, Outcome<T>),
{
    let work = |entry: &Entry| match read(entry) {
        Err(err) => Outcome::Failed(err),
        Ok(Document::Skipped(reason)) => Outcome::Skipped(reason),
        Ok(Document::Text(input)) => Outcome::Done(work(entry, input)),
    };
    for_each_ordered(entries, threads, work, sink);
}

/// Runs `work` on every entry in parallel and hands each result to `sink`
/// in entry order. `threads` = 0 uses every core.
///
/// Entries go in chunks; the workers map the next chunk while this thread
/// hands the results of the last one to `sink`, so the workers never wait
/// for it.
pub fn for_each_ordered<T, W, S>(entries: &[Entry], threads: usize, work: W, mut sink: S)
where
    T: Send,
    W: Fn(&Entry) -> T + Sync,
    S: FnMut(&Entry, T),
{
    let pool = Pool::new(threads);
    let map =
        |chunk: &[Entry]| -> Vec<T> { pool.install(|| chunk.par_iter().map(&work).collect()) };
    let map = &map;
    std::thread::scope(|scope| {
        let mut chunks = entries.chunks(CHUNK);
        let mut next = || {
            let chunk = chunks.next()?;
            Some((chunk, scope.spawn(move || map(chunk))))
        };
        let mut pending = next();
        while let Some((chunk, mapping)) = pending.take() {
            let results = mapping
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            pending = next();
            for (entry, result) in chunk.iter().zip(results) {
                sink(entry, result);
            }
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

    /// Runs `work` in the pool.
    pub(crate) fn install<R: Send>(&self, work: impl FnOnce() -> R + Send) -> R {
        match &self.0 {
            Some(pool) => pool.install(work),
            None => work(),
        }
    }
}
