//! [`Summary`]: the totals of a batch, from which the CLI prints its report
//! and picks its exit code.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use super::{InputError, SkipReason};
use crate::clean::{Cleaned, GuardTrip, Owner, Removal};

/// Documents and lines removed by one owner.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OwnerCount {
    /// Documents it removed at least one line from.
    pub documents: usize,
    /// Lines it removed.
    pub lines: usize,
    /// Bytes it removed.
    pub bytes: usize,
}

/// What a [`Summary`] counts of one cleaned document: its sizes, its guard
/// trip and its removals, without its text (a corpus run keeps the tallies
/// of a chunk of documents, not their bytes).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Bytes of input.
    pub bytes_in: usize,
    /// Bytes of output.
    pub bytes_out: usize,
    /// True when the output differs from the input.
    pub changed: bool,
    /// Set when the over-strip guard left the document unchanged.
    pub guard: Option<GuardTrip>,
    /// The removed line runs.
    pub removals: Vec<Removal>,
}

impl Tally {
    /// The tally of `cleaned`, cleaned from `input`, taking its guard trip
    /// and removals (its text and edits stay).
    pub fn take(input: &[u8], cleaned: &mut Cleaned) -> Tally {
        Tally {
            bytes_in: input.len(),
            bytes_out: cleaned.text.len(),
            changed: cleaned.text != input,
            guard: cleaned.guard.take(),
            removals: std::mem::take(&mut cleaned.removals),
        }
    }
}

/// Totals of a batch.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Documents cleaned (not skipped, not failed).
    pub documents: usize,
    /// Documents whose output differs from their input.
    pub changed: usize,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes of output.
    pub bytes_out: u64,
    /// Lines removed, by every owner.
    pub lines_removed: usize,
    /// Per owner (rules in load order, then tidy).
    pub owners: BTreeMap<Owner, OwnerCount>,
    /// Documents skipped, with the reason.
    pub skipped: Vec<(PathBuf, SkipReason)>,
    /// Documents the over-strip guard left unchanged.
    pub tripped: Vec<(PathBuf, GuardTrip)>,
    /// Inputs or outputs that failed.
    pub errors: Vec<InputError>,
    /// Wall time.
    pub elapsed: Duration,
}

impl Summary {
    /// Adds one cleaned document.
    pub fn record(&mut self, path: &std::path::Path, input: &[u8], cleaned: &Cleaned) {
        let sizes = (input.len(), cleaned.text.len(), cleaned.text != input);
        self.count(path, sizes, cleaned.guard.as_ref(), &cleaned.removals);
    }

    /// Adds one cleaned document by its [`Tally`].
    pub fn add(&mut self, path: &std::path::Path, tally: Tally) {
        let sizes = (tally.bytes_in, tally.bytes_out, tally.changed);
        self.count(path, sizes, tally.guard.as_ref(), &tally.removals);
    }

    /// Adds a document of `(bytes in, bytes out, changed)` with its guard
    /// trip and removals.
    fn count(
        &mut self,
        path: &std::path::Path,
        (bytes_in, bytes_out, changed): (usize, usize, bool),
        guard: Option<&GuardTrip>,
        removals: &[Removal],
    ) {
        self.documents += 1;
        self.bytes_in += bytes_in as u64;
        self.bytes_out += bytes_out as u64;
        if changed {
            self.changed += 1;
        }
        if let Some(trip) = guard {
            self.tripped.push((path.to_path_buf(), trip.clone()));
        }
        // one update of the map per owner, not per removal
        let mut removed: Vec<(Owner, usize, usize)> = removals
            .iter()
            .map(|r| (r.owner, r.lines.len(), r.bytes.len()))
            .collect();
        removed.sort_unstable_by_key(|&(owner, ..)| owner);
        for same in removed.chunk_by(|a, b| a.0 == b.0) {
            let count = self.owners.entry(same[0].0).or_default();
            count.documents += 1;
            for &(_, lines, bytes) in same {
                count.lines += lines;
                count.bytes += bytes;
                self.lines_removed += lines;
            }
        }
    }

    /// True when some input or output failed.
    pub fn failed(&self) -> bool {
        !self.errors.is_empty()
    }
}
