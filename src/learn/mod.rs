//! Corpus learning: what each site repeats.
//!
//! [`Counts::count`] makes one parallel pass over a corpus and counts, per
//! group (a site: by default the document's parent folder, see
//! [`Grouping`]), how many documents hold each normalised line and each pair
//! of consecutive lines; [`Counts::count_records`] does the same for JSON
//! Lines records, grouped by a field. Counts save to JSON and merge
//! ([`Counts::merge`]), so a sharded corpus is counted map-reduce style.
//! From counts come the engine's
//! [`RepeatedSet`](crate::engine::repeated::RepeatedSet)
//! ([`Counts::into_repeated_set`], for `clean --repeated`) and candidate rules for
//! people to review ([`candidates`], [`record_candidates`], [`render_pack`],
//! for `cruftless learn`).
//!
//! # Example
//! ```
//! use cruftless::learn::{Counts, Grouping};
//! let dir = tempfile::tempdir().unwrap();
//! for (name, story) in [("a.txt", "Story one."), ("b.txt", "Story two.")] {
//!     std::fs::write(dir.path().join(name), format!("Home\n{story}\nFollow Us:\n")).unwrap();
//! }
//! let (entries, _) = cruftless::corpus::walk(&[dir.path().into()], &Default::default());
//! // the `repeated` pack's rule maps digits to 0: count the same way
//! let how = cruftless::text::Normalize { fold_case: false, fold_digits: true };
//! let (counts, errors) = Counts::count(&entries, how, &Grouping::Parent, 0);
//! assert!(errors.is_empty());
//! let set = counts.into_repeated_set(0);
//! let rules = cruftless::RuleSet::from_sources(&[cruftless::rules::Source::new(
//!     cruftless::rules::REPEATED_PACK.0,
//!     cruftless::rules::REPEATED_PACK.1.to_string(),
//! )])
//! .unwrap();
//! let cleaner = cruftless::Cleaner::new(&rules).with_repeated(&set);
//! let out = cleaner.clean_path(Some(std::path::Path::new("a.txt")), b"Home\nStory one.\nFollow Us:\n");
//! assert_eq!(out.text, b"Story one.\n");
//! ```

mod candidates;
mod count;
mod records;

pub use candidates::{candidates, render_pack, Candidate};
pub use count::{path_key, Counts, GroupCounts, Grouping, Members, Saved, Tally, KEPT_BYTES};
pub use records::record_candidates;

/// A problem with counts or grouping.
#[derive(Debug, Clone, thiserror::Error)]
pub enum LearnError {
    /// The `--group-by` regex does not compile.
    #[error("bad --group-by regex: {0}")]
    Grouping(String),
    /// Counts that cannot be merged.
    #[error("counts were made with different settings and cannot be merged: {0}")]
    Mismatch(String),
    /// A counts file that cannot be read or written.
    #[error("counts file: {0}")]
    Format(String),
}
