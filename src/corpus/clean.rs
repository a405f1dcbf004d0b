//! The `clean` job: every document cleaned and written to its destination.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{map_batches, Entry, InputError, Outcome, Summary, Tally};
use crate::clean::{Cleaned, Cleaner};

/// Where cleaned documents go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Standard output, documents one after another in input order.
    Stdout,
    /// One file (a single input).
    File(PathBuf),
    /// A folder mirroring the inputs by their relative paths.
    Folder(PathBuf),
    /// Back over the originals (atomic rename), keeping a backup with this extension if given.
    InPlace {
        /// Extension of the backup copy, e.g. `.bak`.
        backup: Option<String>,
    },
}

/// A `clean` run: how to clean, where to write, how many threads.
pub struct CleanJob<'a> {
    /// The cleaner.
    pub cleaner: Cleaner<'a>,
    /// Where outputs go.
    pub destination: Destination,
    /// Worker threads; 0 uses every core.
    pub threads: usize,
    /// Called once per finished document (for a progress bar).
    pub progress: Option<&'a (dyn Fn() + Sync)>,
}

/// Refuses an output folder inside one of the inputs (it would be cleaned on the next run).
///
/// # Errors
/// Names the output folder and the input that contains it.
pub fn check_destination(inputs: &[PathBuf], out: &Path) -> Result<(), InputError> {
    let out_abs = absolute(out);
    for input in inputs {
        if input.as_os_str() == "-" || !input.is_dir() {
            continue;
        }
        let input_abs = absolute(input);
        if out_abs.starts_with(&input_abs) {
            return Err(InputError::new(
                out,
                format!(
                    "the output folder is inside the input {}; choose a folder outside it",
                    input.display()
                ),
            ));
        }
    }
    Ok(())
}

/// The canonical form of the longest existing ancestor, with the rest appended.
fn absolute(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            return rest
                .iter()
                .rev()
                .fold(canonical, |acc, part| acc.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return path,
        }
    }
}

/// Cleans every entry and writes it to the job's destination; `stdout`
/// receives the documents when the destination is [`Destination::Stdout`].
pub fn clean(entries: &[Entry], job: &CleanJob<'_>, stdout: &mut dyn Write) -> Summary {
    let started = Instant::now();
    let mut summary = Summary::default();
    let tick = || {
        if let Some(progress) = job.progress {
            progress();
        }
    };
    let work = |batch: Vec<(&Entry, Vec<u8>)>| {
        let cleaned = super::clean_batch(&job.cleaner, &batch);
        batch
            .into_iter()
            .zip(cleaned)
            .map(|((entry, input), mut cleaned)| {
                let written = write(entry, &job.destination, &input, &cleaned);
                let tally = Tally::take(&input, &mut cleaned);
                // only standard output needs the text after this
                let text = (job.destination == Destination::Stdout).then_some(cleaned.text);
                tick();
                (tally, text, written)
            })
            .collect()
    };
    map_batches(entries, job.threads, work, |entry, outcome| {
        if !matches!(outcome, Outcome::Done(..)) {
            tick();
        }
        match outcome {
            Outcome::Failed(err) => summary.errors.push(err),
            Outcome::Skipped(reason) => summary.skipped.push((entry.path.clone(), reason)),
            Outcome::Done((tally, text, written)) => {
                let written = match (text, written) {
                    (Some(text), Ok(())) => stdout.write_all(&text).map_err(|e| {
                        let cause = InputError::io(Path::new("<stdout>"), &e).message;
                        let message = format!("cannot write to standard output: {cause}");
                        InputError::new(&entry.path, message)
                    }),
                    (_, written) => written,
                };
                match written {
                    Ok(()) => summary.add(&entry.path, tally),
                    Err(err) => summary.errors.push(err),
                }
            }
        }
    });
    summary.elapsed = started.elapsed();
    summary
}

fn write(
    entry: &Entry,
    destination: &Destination,
    input: &[u8],
    cleaned: &Cleaned,
) -> Result<(), InputError> {
    match destination {
        Destination::Stdout => Ok(()),
        Destination::File(path) => super::write_file(path, &cleaned.text),
        Destination::Folder(dir) => super::write_file(&dir.join(&entry.out_rel), &cleaned.text),
        Destination::InPlace { backup } => {
            if cleaned.text == input || entry.is_stdin() {
                Ok(())
            } else {
                super::replace_file(&entry.path, &cleaned.text, backup.as_deref())
            }
        }
    }
}
