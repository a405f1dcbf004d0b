//! cruftless strips web cruft from scraped plain-text pages with rule packs
//! that people can read and review.
//!
//! The one-document pipeline is layered: [`rules`] (pack format, loading,
//! validation) → [`matching`] (compiled matchers) → [`RuleSet`] → [`engine`]
//! (which rule removes which line) → [`tidy`] → [`Cleaner`]. On top sit
//! [`corpus`] (walking folders, parallel batches, writing outputs),
//! [`learn`] (what a site repeats, for the `repeated` rule kind) and
//! [`report`] (diffs and findings, every removal with its rule, in each format).
//!
//! ```
//! let rules = cruftless::RuleSet::builtin().unwrap();
//! let cleaner = cruftless::Cleaner::new(&rules);
//! let page = b"Prices rose again in March, the statistics office said on Tuesday.\n\nFollow Us:\n";
//! let out = cleaner.clean(page);
//! assert_eq!(out.text, b"Prices rose again in March, the statistics office said on Tuesday.\n");
//! // line 1 (blank) went to tidying, line 2 to a rule
//! assert_eq!(out.removals[1].lines, 2..3);
//! let cruftless::Owner::Rule(id) = out.removals[1].owner else { panic!() };
//! assert_eq!(rules.name(id), "web-common/follow-us");
//! ```
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod clean;
pub mod corpus;
pub mod engine;
pub mod learn;
pub mod matching;
pub mod report;
pub mod rules;
pub mod ruleset;
pub mod tidy;
pub mod verify;

pub use clean::{CleanOptions, Cleaned, Cleaner, Guard, GuardTrip, Owner, OwnerRemoved, Removal};
pub use matching::text;
pub use ruleset::{RuleId, RuleSet};
