//! [`Summary`]: the totals of a batch, from which the CLI prints its report
//! and picks its exit code.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use super::{InputError, SkipReason};
use crate::clean::{Cleaned, GuardTrip, Owner, OwnerRemoved};

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
    /// What each owner removed, summed over the document's removals.
    pub removed: Vec<OwnerRemoved>,
}

impl Tally {
    /// The tally of `cleaned`, cleaned from `input`, taking its guard trip
    /// and what each owner removed (its text and edits stay).
    pub fn take(input: &[u8], cleaned: &mut Cleaned) -> Tally {
        Tally {
            bytes_in: input.len(),
            bytes_out: cleaned.text.len(),
            changed: cleaned.text != input,
            guard: cleaned.guard.take(),
            removed: std::mem::take(&mut cleaned.removed),
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
        let path = || path.to_path_buf();
        self.count(path, sizes, cleaned.guard.as_ref(), &cleaned.removed);
    }

    /// Adds one cleaned document by its [`Tally`].
    pub fn add(&mut self, path: &std::path::Path, tally: Tally) {
        self.add_named(|| path.to_path_buf(), tally);
    }

    /// [`Summary::add`] for a document whose name is made by `path` only
    /// when the summary keeps it (the guard tripped on it): a JSON Lines
    /// record, named `stream:line`.
    pub fn add_named(&mut self, path: impl FnOnce() -> PathBuf, tally: Tally) {
        let sizes = (tally.bytes_in, tally.bytes_out, tally.changed);
        self.count(path, sizes, tally.guard.as_ref(), &tally.removed);
    }

    /// Adds a document of `(bytes in, bytes out, changed)` with its guard
    /// trip and what each owner removed from it; `path` names it.
    fn count(
        &mut self,
        path: impl FnOnce() -> PathBuf,
        (bytes_in, bytes_out, changed): (usize, usize, bool),
        guard: Option<&GuardTrip>,
        removed: &[OwnerRemoved],
    ) {
        self.documents += 1;
        self.bytes_in += bytes_in as u64;
        self.bytes_out += bytes_out as u64;
        if changed {
            self.changed += 1;
        }
        if let Some(trip) = guard {
            self.tripped.push((path(), trip.clone()));
        }
        for removed in removed {
            let count = self.owners.entry(removed.owner).or_default();
            count.documents += 1;
            count.lines += removed.lines;
            count.bytes += removed.bytes;
            self.lines_removed += removed.lines;
        }
    }

    /// True when some input or output failed.
    pub fn failed(&self) -> bool {
        !self.errors.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::RuleId;
    use std::path::Path;

    #[test]
    fn owners_count_each_document_once_and_every_line_and_byte() {
        let removed = |owner, lines, bytes| OwnerRemoved {
            owner,
            lines,
            bytes,
        };
        let (a, b) = (Owner::Rule(RuleId(1)), Owner::Rule(RuleId(0)));
        let mut summary = Summary::default();
        let tally = |removed: Vec<OwnerRemoved>| Tally {
            bytes_in: 100,
            bytes_out: 50,
            changed: true,
            guard: None,
            removed,
        };
        summary.add(
            Path::new("p1"),
            tally(vec![
                removed(a, 3, 15),
                removed(Owner::Tidy, 1, 1),
                removed(b, 3, 10),
            ]),
        );
        summary.add(Path::new("p2"), tally(vec![removed(b, 1, 3)]));
        let count = |documents, lines, bytes| OwnerCount {
            documents,
            lines,
            bytes,
        };
        assert_eq!(summary.owners[&a], count(1, 3, 15));
        assert_eq!(summary.owners[&b], count(2, 4, 13));
        assert_eq!(summary.owners[&Owner::Tidy], count(1, 1, 1));
        assert_eq!(summary.lines_removed, 8);
        assert_eq!((summary.documents, summary.changed), (2, 2));
    }
}
