//! [`RepeatedSet`]: what the `repeated` rule kind knows about a corpus.
//!
//! The engine cleans one document at a time; which lines a site repeats is a
//! property of the corpus. Something above the engine (the `learn` layer)
//! counts the corpus and hands the counts over as a `RepeatedSet`: per group
//! (a site, by default the document's parent folder), how many documents
//! hold each normalised line, identified by its
//! [`fingerprint`](crate::text::fingerprint), and which document of the group
//! holds it first in the group's order (path order for files, input order
//! for JSON Lines records). The engine never counts and never imports
//! `learn`.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use crate::matching::text::{self, Normalize};

/// Share of its group a sentence-like line must recur in to count as a repeat.
pub const SENTENCE_SHARE: f64 = 0.9;
/// Fewest documents a sentence-like line must recur in to count as a repeat.
pub const SENTENCE_MIN_DOCS: u32 = 4;

/// Thresholds that make a line a repeat: the `repeated` rule kind's `min_docs`
/// and `min_share`, plus the sentence guard every repeat decision applies.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Fewest documents of the group that must hold the line.
    pub min_docs: usize,
    /// Smallest share of the group's documents that must hold the line.
    pub min_share: f64,
}

impl Thresholds {
    /// True when `line`, held by `docs` of the `group` documents of its
    /// group, is a repeat: it passes `min_docs` and `min_share` and, when it
    /// reads like a sentence ([`text::is_sentence_like`]), it also recurs in
    /// at least [`SENTENCE_SHARE`] of a group of at least
    /// [`SENTENCE_MIN_DOCS`] documents — so a quote that two articles share,
    /// or an article a site carries twice, is not a repeat.
    pub fn is_repeat(&self, docs: u32, group: u32, line: &[u8]) -> bool {
        let share = f64::from(docs);
        let group = f64::from(group);
        if (docs as usize) < self.min_docs || share < self.min_share * group {
            return false;
        }
        !text::is_sentence_like(line)
            || (docs >= SENTENCE_MIN_DOCS && share >= SENTENCE_SHARE * group)
    }
}

/// Where a document sits in a [`RepeatedSet`]: its group and its position in
/// the group's order (path order for files, input order for records).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocRef {
    /// Index of the group.
    pub group: u32,
    /// 0-based position of the document in its group's order.
    pub index: u32,
}

/// How often one normalised line occurs in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineStat {
    /// Documents of the group that hold the line (each counted once).
    pub docs: u32,
    /// Position (in the group's order) of the first document that holds it.
    pub first: u32,
}

#[derive(Debug, Default)]
struct Group {
    docs: u32,
    lines: FxHashMap<u64, LineStat>,
    /// By position: what the counting pass kept of a document's lines.
    kept: FxHashMap<u32, KeptLines>,
}

/// The fingerprints of a document's non-blank lines, in order, as the
/// counting pass made them, with the fingerprint of the whole document
/// (without a byte order mark) they were made from: they stand for the
/// lines of that text only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptLines {
    /// [`text::fingerprint`] of the document's bytes.
    pub document: u64,
    /// One per non-blank line, in order, normalised as the set's lines are.
    pub lines: Box<[u64]>,
}

/// Per-group document counts of normalised lines, ready for the `repeated`
/// rule kind.
///
/// Only lines held by two documents or more need to be stored: a line seen
/// once is never a repeat.
///
/// # Example
/// ```
/// use cruftless::engine::repeated::{RepeatedSet, LineStat};
/// use cruftless::text::{fingerprint, Normalize};
/// let mut set = RepeatedSet::new(Normalize::default());
/// let site = set.add_group("example.com", 10);
/// set.add_line(site, fingerprint(b"Follow Us:"), LineStat { docs: 10, first: 0 });
/// set.add_document("site/a.txt".into(), site, 0);
/// let doc = set.document(std::path::Path::new("site/a.txt")).unwrap();
/// assert_eq!(set.stat(doc, fingerprint(b"Follow Us:")).unwrap().docs, 10);
/// // a record has no path: it is found by its group and its position in it
/// let record = set.member("example.com", 3).unwrap();
/// assert_eq!(set.group_size(record), 10);
/// ```
#[derive(Debug, Default)]
pub struct RepeatedSet {
    normalize: Normalize,
    groups: Vec<Group>,
    names: FxHashMap<String, u32>,
    docs: FxHashMap<PathBuf, DocRef>,
}

impl RepeatedSet {
    /// An empty set whose lines were normalised with `normalize`.
    pub fn new(normalize: Normalize) -> RepeatedSet {
        RepeatedSet {
            normalize,
            ..RepeatedSet::default()
        }
    }

    /// How its lines were normalised; a `repeated` rule with other settings finds nothing here.
    pub fn normalize(&self) -> Normalize {
        self.normalize
    }

    /// Adds the group named `name`, of `docs` documents, and returns its index.
    pub fn add_group(&mut self, name: &str, docs: u32) -> u32 {
        self.add_group_lines(name, docs, FxHashMap::default())
    }

    /// [`RepeatedSet::add_group`] with the group's lines (fingerprint and
    /// how often it occurs) at once.
    pub fn add_group_lines(
        &mut self,
        name: &str,
        docs: u32,
        lines: FxHashMap<u64, LineStat>,
    ) -> u32 {
        self.groups.push(Group {
            docs,
            lines,
            kept: FxHashMap::default(),
        });
        let id = (self.groups.len() - 1) as u32;
        self.names.insert(name.to_string(), id);
        id
    }

    /// Records how often the line with fingerprint `hash` occurs in `group`.
    ///
    /// # Panics
    /// If `group` was not returned by [`RepeatedSet::add_group`] or
    /// [`RepeatedSet::add_group_lines`].
    pub fn add_line(&mut self, group: u32, hash: u64, stat: LineStat) {
        self.groups[group as usize].lines.insert(hash, stat);
    }

    /// Records that the document at relative path `path` is document `index` of `group`.
    pub fn add_document(&mut self, path: PathBuf, group: u32, index: u32) {
        self.docs.insert(path, DocRef { group, index });
    }

    /// The group and position of the document at relative path `path`, if counted.
    pub fn document(&self, path: &Path) -> Option<DocRef> {
        self.docs.get(path).copied()
    }

    /// Document `index` (its position in input order) of the group named
    /// `group`, if that group was counted: how records, which have no path,
    /// are found.
    pub fn member(&self, group: &str, index: u32) -> Option<DocRef> {
        let group = *self.names.get(group)?;
        Some(DocRef { group, index })
    }

    /// Number of documents in the document's group.
    pub fn group_size(&self, doc: DocRef) -> u32 {
        self.groups.get(doc.group as usize).map_or(0, |g| g.docs)
    }

    /// How often the line with fingerprint `hash` occurs in the document's group.
    pub fn stat(&self, doc: DocRef, hash: u64) -> Option<LineStat> {
        self.groups
            .get(doc.group as usize)
            .and_then(|g| g.lines.get(&hash))
            .copied()
    }

    /// Keeps the counting pass's fingerprints of the lines of documents of
    /// `group`, by their position in it, for the `repeated` rule kind to
    /// read instead of fingerprinting the lines again.
    ///
    /// # Panics
    /// If `group` was not returned by [`RepeatedSet::add_group`] or
    /// [`RepeatedSet::add_group_lines`].
    pub fn add_kept_lines(&mut self, group: u32, kept: FxHashMap<u32, KeptLines>) {
        let group = &mut self.groups[group as usize].kept;
        // a group's whole map moves in, unless it holds some already
        if group.is_empty() {
            *group = kept;
        } else {
            group.extend(kept);
        }
    }

    /// The kept fingerprints of the non-blank lines of `text`, the document
    /// `doc` (without a byte order mark), in order: only if they were made
    /// from this very text. Another text under the same name (a file
    /// edited since it was counted, two inputs holding the same relative
    /// path) gets none.
    pub fn kept_lines(&self, doc: DocRef, text: &[u8]) -> Option<&[u64]> {
        let kept = self.groups.get(doc.group as usize)?.kept.get(&doc.index)?;
        (kept.document == text::fingerprint(text)).then_some(&kept.lines[..])
    }

    /// Number of groups.
    pub fn groups(&self) -> usize {
        self.groups.len()
    }
}
