//! Counting: per group, how many documents hold each normalised line and each
//! pair of consecutive non-blank lines.
//!
//! Only 64-bit [`fingerprint`](crate::text::fingerprint)s and counts are
//! stored, never text, so memory grows with the number of distinct lines,
//! not with the corpus. Counting for the cleaning pass
//! ([`Counts::count_lines`]) also keeps each document's line fingerprints
//! in order, up to [`KEPT_BYTES`] of them, so that cleaning does not make
//! them a second time. Counts of disjoint shards merge exactly
//! ([`Counts::merge`]): counting a corpus in pieces on many machines and
//! merging gives the counts of the whole.
//!
//! Pairs, not longer blocks: a run of lines that always occur together is
//! found by chaining pairs whose count equals the count of both their lines
//! (see [`super::candidates`]), which covers blocks of any length with one
//! map.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::LearnError;
use crate::corpus::{self, Document, Entry, InputError};
use crate::engine::lines;
use crate::engine::repeated::{KeptLines, LineStat, RepeatedSet};
use crate::matching::text::{self, Normalize};

/// How documents are grouped into sites.
#[derive(Debug, Clone)]
pub enum Grouping {
    /// By the parent folder of the relative path (the default).
    Parent,
    /// The whole corpus is one group.
    None,
    /// By a regex on the relative path (`/`-separated): its first capture
    /// group, or the whole match when it has none, names the group;
    /// documents it does not match form the group named `""`.
    Regex(Regex),
}

impl Grouping {
    /// Parses `parent`, `none` or a regex.
    ///
    /// # Errors
    /// A regex that does not compile.
    pub fn parse(spec: &str) -> Result<Grouping, LearnError> {
        match spec {
            "parent" => Ok(Grouping::Parent),
            "none" => Ok(Grouping::None),
            _ => Regex::new(spec)
                .map(Grouping::Regex)
                .map_err(|err| LearnError::Grouping(err.to_string())),
        }
    }

    /// The name of the group of the document at relative path `rel`.
    pub fn group_of(&self, rel: &Path) -> String {
        match self {
            Grouping::Parent => rel.parent().map(path_key).unwrap_or_default(),
            Grouping::None => String::new(),
            Grouping::Regex(re) => {
                let path = path_key(rel);
                re.captures(&path)
                    .and_then(|c| c.get(1).or_else(|| c.get(0)))
                    .map(|m| m.as_str().to_string())
                    .unwrap_or_default()
            }
        }
    }

    /// How it is written on the command line and in saved counts.
    pub fn spec(&self) -> String {
        match self {
            Grouping::Parent => "parent".to_string(),
            Grouping::None => "none".to_string(),
            Grouping::Regex(re) => re.as_str().to_string(),
        }
    }
}

/// A relative path as a `/`-separated string, the key of a document in counts.
pub fn path_key(path: &Path) -> String {
    let parts: Vec<_> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

/// How a line or a pair occurs in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Documents that hold it (each counted once).
    pub docs: u32,
    /// Position, in the group's order, of the first document that holds it.
    pub first: u32,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        self.docs += other.docs;
        self.first = self.first.min(other.first);
    }
}

/// The documents of a group, whose order gives the `first` of tallies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Members {
    /// Files: their relative paths, sorted; a position is an index in this list.
    Paths(Vec<String>),
    /// JSON Lines records: how many; a position is a record's rank in input
    /// order among the group's records (no key is kept per record).
    Records(u32),
}

impl Members {
    /// Number of documents.
    pub fn len(&self) -> u32 {
        match self {
            Members::Paths(paths) => paths.len() as u32,
            Members::Records(n) => *n,
        }
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The counts of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupCounts {
    /// Its documents.
    pub members: Members,
    /// Per line fingerprint.
    pub lines: FxHashMap<u64, Tally>,
    /// Per fingerprint of two consecutive non-blank lines.
    pub pairs: FxHashMap<u64, Tally>,
    /// By position: the fingerprints of a document's non-blank lines that
    /// [`Counts::count_lines`] kept (within [`KEPT_BYTES`]) for the cleaning
    /// pass, which then need not make them again. Never saved: counts that
    /// hold some are not equal to themselves saved and loaded.
    pub kept: FxHashMap<u32, KeptLines>,
}

impl GroupCounts {
    /// A group of `members` with nothing counted yet.
    pub fn new(members: Members) -> GroupCounts {
        GroupCounts {
            members,
            lines: FxHashMap::default(),
            pairs: FxHashMap::default(),
            kept: FxHashMap::default(),
        }
    }

    /// Number of documents in the group.
    pub fn docs(&self) -> u32 {
        self.members.len()
    }

    /// Counts the document at position `index` of the group.
    pub(super) fn add(&mut self, doc: DocHashes, index: u32) {
        for (map, hashes) in [(&mut self.lines, &doc.lines), (&mut self.pairs, &doc.pairs)] {
            for &hash in hashes {
                map.entry(hash)
                    .or_insert(Tally {
                        docs: 0,
                        first: index,
                    })
                    .add(Tally {
                        docs: 1,
                        first: index,
                    });
            }
        }
        if let Some(kept) = doc.kept {
            self.kept.insert(index, kept);
        }
    }
}

/// Per-group counts of a corpus, as counted or loaded from a saved file.
#[derive(Debug, Clone, PartialEq)]
pub struct Counts {
    /// How lines were normalised.
    pub normalize: Normalize,
    /// How documents were grouped ([`Grouping::spec`]).
    pub group_by: String,
    /// Groups by name.
    pub groups: BTreeMap<String, GroupCounts>,
}

/// What one document contributes: its distinct line and pair fingerprints,
/// and those of all its non-blank lines in order when they are kept.
pub(super) struct DocHashes {
    lines: Vec<u64>,
    pairs: Vec<u64>,
    kept: Option<KeptLines>,
}

/// Most memory, in all, that the fingerprints [`Counts::count_lines`]
/// keeps for the cleaning pass may take (a quarter of what `clean
/// --repeated` is allowed on a 200 MiB corpus), each document's share
/// counted with [`KEPT_OVERHEAD`]; the documents counted once it is used
/// up are fingerprinted again when cleaned.
pub const KEPT_BYTES: usize = 64 << 20;

/// Fewest non-blank lines of a document whose fingerprints are kept:
/// keeping them costs about what making those of eight lines again does
/// (the document's fingerprint, twice, and an entry in its group's map).
pub(super) const KEPT_MIN_LINES: usize = 8;

/// What keeping a document's fingerprints costs beyond eight bytes a
/// line: its allocation, the document's fingerprint, its entry in the
/// group's map.
const KEPT_OVERHEAD: usize = 64;

/// What is left of [`KEPT_BYTES`] in one count (nothing for counts that
/// keep no fingerprints).
pub(super) struct KeptBudget(AtomicUsize);

impl KeptBudget {
    /// The budget of a count of `what`: only line counts, which are for the
    /// cleaning pass, keep fingerprints.
    pub(super) fn new(what: Counted) -> KeptBudget {
        let bytes = match what {
            Counted::Lines => KEPT_BYTES,
            Counted::LinesAndPairs => 0,
        };
        KeptBudget(AtomicUsize::new(bytes))
    }

    /// Takes the room of a document's `n` fingerprints; false when not that
    /// much is left.
    fn take(&self, n: usize) -> bool {
        let bytes = n * std::mem::size_of::<u64>() + KEPT_OVERHEAD;
        self.0
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
                left.checked_sub(bytes)
            })
            .is_ok()
    }
}

/// The fingerprint of two consecutive normalised lines.
pub fn pair_fingerprint(first: u64, second: u64) -> u64 {
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&first.to_le_bytes());
    bytes[8..].copy_from_slice(&second.to_le_bytes());
    text::fingerprint(&bytes)
}

thread_local! {
    /// [`line_fingerprints`]' buffers (a normalised line, the document's
    /// marks), kept by each thread from document to document.
    static BUFFERS: RefCell<(Vec<u8>, Vec<u8>)> = RefCell::default();
}

/// The fingerprints of a document's non-blank lines, in order (one per line;
/// blank lines are skipped).
pub fn line_fingerprints(doc: &[u8], normalize: Normalize, out: &mut Vec<u64>) {
    out.clear();
    BUFFERS.with_borrow_mut(|(norm, marks)| {
        text::mark_unnormal(doc, normalize, marks);
        let mut start = 0;
        let mut line = |end: usize| {
            let trimmed = text::trimmed_range(&doc[start..end]);
            let trimmed = start + trimmed.start..start + trimmed.end;
            start = end + 1;
            if !trimmed.is_empty() {
                out.push(text::normalized_fingerprint(
                    &doc[trimmed.clone()],
                    &marks[trimmed],
                    normalize,
                    norm,
                ));
            }
        };
        lines::each_newline(doc, &mut line);
        line(doc.len());
    });
}

/// What a count keeps of each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Counted {
    /// Line fingerprints: what `repeated` rules look up.
    Lines,
    /// Line fingerprints and those of pairs of consecutive lines, which
    /// `learn` chains into blocks.
    LinesAndPairs,
}

/// The distinct fingerprints of a document's lines, and of its pairs when
/// `what` asks for them, and all its line fingerprints when `kept` has room
/// for them and the document has [`KEPT_MIN_LINES`] non-blank lines or
/// more; a byte order mark is not part of the document, as when it is
/// cleaned.
pub(super) fn hashes(
    doc: &[u8],
    normalize: Normalize,
    what: Counted,
    kept: &KeptBudget,
) -> DocHashes {
    let doc = text::strip_bom(doc);
    DISTINCT.with_borrow_mut(|(all, seen)| {
        line_fingerprints(doc, normalize, all);
        let pairs = match what {
            Counted::Lines => Vec::new(),
            Counted::LinesAndPairs => {
                distinct(all.windows(2).map(|w| pair_fingerprint(w[0], w[1])), seen)
            }
        };
        let lines = distinct(all.iter().copied(), seen);
        let worth_it = all.len() >= KEPT_MIN_LINES;
        let kept = (worth_it && kept.take(all.len())).then(|| KeptLines {
            document: text::fingerprint(doc),
            lines: all.as_slice().into(),
        });
        DocHashes { lines, pairs, kept }
    })
}

thread_local! {
    /// [`hashes`]' buffers (every line fingerprint of a document, the set
    /// of those seen), kept by each thread from document to document: a
    /// document then costs one allocation per list it returns.
    static DISTINCT: RefCell<(Vec<u64>, FxHashSet<u64>)> = RefCell::default();
}

/// `hashes` without repeats, in order of first occurrence; `seen` is a buffer.
fn distinct(hashes: impl ExactSizeIterator<Item = u64>, seen: &mut FxHashSet<u64>) -> Vec<u64> {
    seen.clear();
    let mut out = Vec::with_capacity(hashes.len());
    out.extend(hashes.filter(|&h| seen.insert(h)));
    out
}

/// Each entry's group name and its position in the group's sorted paths.
pub(super) fn positions(entries: &[Entry], grouping: &Grouping) -> Vec<(String, u32)> {
    let mut by_group: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
    for (i, entry) in entries.iter().enumerate() {
        by_group
            .entry(grouping.group_of(&entry.rel))
            .or_default()
            .push((path_key(&entry.rel), i));
    }
    let mut out = vec![(String::new(), 0); entries.len()];
    for (group, mut docs) in by_group {
        docs.sort();
        for (pos, (_, i)) in docs.into_iter().enumerate() {
            out[i] = (group.clone(), pos as u32);
        }
    }
    out
}

/// What hashing one document gives: its fingerprints and its position in
/// the group, nothing (standard input, a binary file), or the error of the
/// entry at that index.
type Hashed = Result<Option<(DocHashes, u32)>, (usize, InputError)>;

/// One group counted: its counts (`None` when no document was counted) and
/// the errors met, each with its entry's index.
type GroupCounted = (Option<GroupCounts>, Vec<(usize, InputError)>);

/// Documents of one group hashed at a time, at least: enough to keep a few
/// threads busy (more threads get four documents each).
const GROUP_CHUNK: usize = 64;

/// Counts the documents of one group (entry index and position, in entry
/// order), hashed with `hash` by `threads` workers.
///
/// Groups are counted in parallel, and within a group the documents of
/// one chunk are hashed in parallel while this thread adds those of the last
/// chunk, in entry order: no thread waits on one that tallies the corpus.
fn count_group(
    docs: &[(usize, u32)],
    threads: usize,
    hash: &(impl Fn(&(usize, u32)) -> Hashed + Sync),
) -> GroupCounted {
    let mut group: Option<GroupCounts> = None;
    let mut errors = Vec::new();
    let mut add = |hashed: Vec<Hashed>| {
        for doc in hashed {
            match doc {
                Ok(Some((doc, pos))) => group
                    .get_or_insert_with(|| GroupCounts::new(Members::Paths(Vec::new())))
                    .add(doc, pos),
                Ok(None) => {}
                Err(err) => errors.push(err),
            }
        }
    };
    let hash_chunk =
        |chunk: &[(usize, u32)]| -> Vec<Hashed> { chunk.par_iter().map(hash).collect() };
    let mut chunks = docs.chunks(GROUP_CHUNK.max(4 * threads));
    let mut ready = chunks.next().map(hash_chunk).unwrap_or_default();
    loop {
        let next = chunks.next();
        let ((), hashed) = rayon::join(|| add(std::mem::take(&mut ready)), || next.map(hash_chunk));
        match hashed {
            Some(hashed) => ready = hashed,
            None => break,
        }
    }
    (group, errors)
}

/// The lines of `lines` that two documents or more hold.
fn repeated_lines(lines: FxHashMap<u64, Tally>) -> FxHashMap<u64, LineStat> {
    lines
        .into_iter()
        .filter(|(_, tally)| tally.docs >= 2)
        .map(|(hash, Tally { docs, first })| (hash, LineStat { docs, first }))
        .collect()
}

impl Counts {
    /// Empty counts.
    pub fn new(normalize: Normalize, grouping: &Grouping) -> Counts {
        Counts {
            normalize,
            group_by: grouping.spec(),
            groups: BTreeMap::new(),
        }
    }

    /// Counts `entries` with `threads` workers (0: one per core): groups
    /// are counted in parallel, and a group's documents are read and
    /// fingerprinted in parallel, then tallied in entry order.
    /// Unreadable documents are returned beside the counts; binary ones are
    /// skipped (the clean pass reports them), and so is standard input, which
    /// can be read only once (the cleaning pass needs it).
    pub fn count(
        entries: &[Entry],
        normalize: Normalize,
        grouping: &Grouping,
        threads: usize,
    ) -> (Counts, Vec<InputError>) {
        Counts::count_what(
            entries,
            normalize,
            grouping,
            threads,
            Counted::LinesAndPairs,
        )
    }

    /// [`Counts::count`] without the pairs: all that
    /// [`Counts::into_repeated_set`] reads, in about half the time and memory.
    /// Such counts are not for saving: `learn` finds blocks in the pairs.
    pub fn count_lines(
        entries: &[Entry],
        normalize: Normalize,
        grouping: &Grouping,
        threads: usize,
    ) -> (Counts, Vec<InputError>) {
        Counts::count_what(entries, normalize, grouping, threads, Counted::Lines)
    }

    fn count_what(
        entries: &[Entry],
        normalize: Normalize,
        grouping: &Grouping,
        threads: usize,
        what: Counted,
    ) -> (Counts, Vec<InputError>) {
        let positions = positions(entries, grouping);
        let index_of: FxHashMap<&Path, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.path.as_path(), i))
            .collect();
        // each group's documents, in entry order: (entry index, position);
        // a path listed twice (an input given twice) takes the position of
        // its last listing, the one the repeated set finds it by
        let mut by_group: BTreeMap<&str, Vec<(usize, u32)>> = BTreeMap::new();
        for (i, entry) in entries.iter().enumerate() {
            let (group, pos) = &positions[index_of[entry.path.as_path()]];
            by_group.entry(group).or_default().push((i, *pos));
        }
        let kept = KeptBudget::new(what);
        let hash = |&(i, pos): &(usize, u32)| {
            let entry = &entries[i];
            let hashed = if entry.is_stdin() {
                Ok(None)
            } else {
                match corpus::read(entry) {
                    Ok(Document::Text(bytes)) => Ok(Some(hashes(&bytes, normalize, what, &kept))),
                    Ok(Document::Skipped(_)) => Ok(None),
                    Err(err) => Err((i, err)),
                }
            };
            hashed.map(|doc| doc.map(|doc| (doc, pos)))
        };
        let pool = corpus::Pool::new(threads);
        let workers = pool.threads();
        let counted: Vec<GroupCounted> = pool.install(|| {
            by_group
                .par_iter()
                .map(|(_, docs)| count_group(docs, workers, &hash))
                .collect()
        });
        let mut counts = Counts::new(normalize, grouping);
        let mut errors = Vec::new();
        for ((name, _), (group, group_errors)) in by_group.iter().zip(counted) {
            if let Some(group) = group {
                counts.groups.insert(name.to_string(), group);
            }
            errors.extend(group_errors);
        }
        errors.sort_by_key(|(i, _)| *i);
        // paths: every document of the group, in sorted order
        let mut paths: BTreeMap<&str, Vec<(u32, String)>> = BTreeMap::new();
        for (entry, (group, pos)) in entries.iter().zip(&positions) {
            paths
                .entry(group.as_str())
                .or_default()
                .push((*pos, path_key(&entry.rel)));
        }
        for (group, mut list) in paths {
            if let Some(group_counts) = counts.groups.get_mut(group) {
                list.sort();
                group_counts.members = Members::Paths(list.into_iter().map(|(_, p)| p).collect());
            }
        }
        (counts, errors.into_iter().map(|(_, err)| err).collect())
    }

    /// Adds the counts of another shard (disjoint documents, same settings).
    /// Files are ordered by path, so shards of files merge in any order;
    /// records are ordered by input, so the records of `other` come after
    /// these: merge shards of records in input order.
    ///
    /// # Errors
    /// Counts normalised or grouped differently, or of files and of records.
    pub fn merge(&mut self, other: Counts) -> Result<(), LearnError> {
        if other.normalize != self.normalize || other.group_by != self.group_by {
            return Err(LearnError::Mismatch(format!(
                "{:?} grouped by `{}` vs {:?} grouped by `{}`",
                self.normalize, self.group_by, other.normalize, other.group_by
            )));
        }
        for (name, theirs) in other.groups {
            let Some(ours) = self.groups.get_mut(&name) else {
                self.groups.insert(name, theirs);
                continue;
            };
            let (members, map_ours, map_theirs) = match (&ours.members, &theirs.members) {
                (Members::Paths(a), Members::Paths(b)) => {
                    let mut paths: Vec<String> = a.iter().chain(b).cloned().collect();
                    paths.sort();
                    paths.dedup();
                    let remap = |old: &[String]| -> Remap {
                        Remap::Table(
                            old.iter()
                                .map(|p| paths.binary_search(p).map_or(0, |i| i as u32))
                                .collect(),
                        )
                    };
                    let maps = (remap(a), remap(b));
                    (Members::Paths(paths), maps.0, maps.1)
                }
                (Members::Records(a), Members::Records(b)) => {
                    (Members::Records(a + b), Remap::Shift(0), Remap::Shift(*a))
                }
                _ => {
                    return Err(LearnError::Mismatch(format!(
                        "group `{name}` holds files in one and JSON Lines records in the other"
                    )))
                }
            };
            for (map, their_map) in [
                (&mut ours.lines, theirs.lines),
                (&mut ours.pairs, theirs.pairs),
            ] {
                for tally in map.values_mut() {
                    tally.first = map_ours.apply(tally.first);
                }
                for (hash, mut tally) in their_map {
                    tally.first = map_theirs.apply(tally.first);
                    map.entry(hash)
                        .and_modify(|t| t.add(tally))
                        .or_insert(tally);
                }
            }
            let kept = std::mem::take(&mut ours.kept);
            ours.kept = kept
                .into_iter()
                .map(|(pos, k)| (map_ours.apply(pos), k))
                .chain(
                    theirs
                        .kept
                        .into_iter()
                        .map(|(pos, k)| (map_theirs.apply(pos), k)),
                )
                .collect();
            ours.members = members;
        }
        Ok(())
    }

    /// True for counts of JSON Lines records (grouped by `jsonl` or
    /// `jsonl:FIELD`), false for counts of files.
    pub fn of_records(&self) -> bool {
        self.group_by == "jsonl" || self.group_by.starts_with("jsonl:")
    }

    /// Documents counted, over every group.
    pub fn documents(&self) -> u64 {
        self.groups.values().map(|g| u64::from(g.docs())).sum()
    }

    /// The counts the `repeated` rule kind needs: lines held by two documents
    /// or more, where each document sits in its group, and the fingerprints
    /// kept of its lines. The groups are sifted, and their counts freed, by
    /// `threads` workers (0: one per core).
    pub fn into_repeated_set(self, threads: usize) -> RepeatedSet {
        let normalize = self.normalize;
        let groups = self.groups;
        let sifted: Vec<(String, GroupCounts, FxHashMap<u64, LineStat>)> =
            corpus::Pool::new(threads).install(|| {
                groups
                    .into_par_iter()
                    .map(|(name, mut group)| {
                        let lines = repeated_lines(std::mem::take(&mut group.lines));
                        group.pairs = FxHashMap::default();
                        (name, group, lines)
                    })
                    .collect()
            });
        let mut set = RepeatedSet::new(normalize);
        for (name, group, lines) in sifted {
            let id = set.add_group_lines(&name, group.docs(), lines);
            if let Members::Paths(paths) = group.members {
                for (index, path) in paths.into_iter().enumerate() {
                    set.add_document(PathBuf::from(path), id, index as u32);
                }
            }
            set.add_kept_lines(id, group.kept);
        }
        set
    }

    /// Writes the counts as JSON (see [`Saved`] for the fields).
    ///
    /// # Errors
    /// The writer's.
    pub fn save(&self, out: &mut dyn std::io::Write) -> Result<(), LearnError> {
        let saved = Saved::from(self);
        serde_json::to_writer(&mut *out, &saved).map_err(|e| LearnError::Format(e.to_string()))?;
        out.write_all(b"\n")
            .map_err(|e| LearnError::Format(e.to_string()))
    }

    /// Reads counts written by [`Counts::save`].
    ///
    /// # Errors
    /// Bytes that are not a counts file of this version.
    pub fn load(bytes: &[u8]) -> Result<Counts, LearnError> {
        // format and version first, so that another version's layout gets
        // this message rather than a parse error
        #[derive(Deserialize)]
        struct Header {
            format: String,
            version: u32,
        }
        let header: Header =
            serde_json::from_slice(bytes).map_err(|e| LearnError::Format(e.to_string()))?;
        if header.format != FORMAT {
            return Err(LearnError::Format(format!(
                "not a cruftless counts file (format `{}`)",
                header.format
            )));
        }
        if header.version != VERSION {
            return Err(LearnError::Format(format!(
                "version {}, but this cruftless reads version {VERSION}: \
                 count again (`cruftless learn --save-counts`)",
                header.version
            )));
        }
        let saved: Saved =
            serde_json::from_slice(bytes).map_err(|e| LearnError::Format(e.to_string()))?;
        saved.try_into()
    }
}

/// How positions of one shard become positions of the merged counts.
enum Remap {
    /// Position `i` becomes the `i`th value.
    Table(Vec<u32>),
    /// Positions move on by this much.
    Shift(u32),
}

impl Remap {
    fn apply(&self, position: u32) -> u32 {
        match self {
            Remap::Table(table) => table.get(position as usize).copied().unwrap_or(0),
            Remap::Shift(by) => position + by,
        }
    }
}

const FORMAT: &str = "cruftless-counts";
/// Version 2: fingerprints are XXH3-64 (version 1's were FNV-1a).
const VERSION: u32 = 2;

/// The JSON form of [`Counts`], one object:
/// - `format`: `"cruftless-counts"`, `version`: 2;
/// - `normalize`: `{"fold_case": bool, "fold_digits": bool}`;
/// - `group_by`: for files `parent`, `none` or the grouping regex; for JSON
///   Lines records `jsonl:FIELD` (grouped by FIELD) or `jsonl` (one group);
/// - `groups`: one object per group, sorted by `name`, with `paths` (files:
///   their relative paths, sorted) or `records` (JSON Lines: how many),
///   then `lines` and `pairs`: arrays of `[fingerprint, documents, first]`
///   sorted by fingerprint, where `first` is the position of the first
///   document holding it (an index in `paths`, or a record's rank in input
///   order among the group's records).
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Saved {
    format: String,
    version: u32,
    normalize: Normalize,
    group_by: String,
    groups: Vec<SavedGroup>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedGroup {
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    paths: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    records: Option<u32>,
    lines: Vec<(u64, u32, u32)>,
    pairs: Vec<(u64, u32, u32)>,
}

fn sorted(map: &FxHashMap<u64, Tally>) -> Vec<(u64, u32, u32)> {
    let mut out: Vec<_> = map.iter().map(|(h, t)| (*h, t.docs, t.first)).collect();
    out.sort_unstable();
    out
}

fn unsorted(list: Vec<(u64, u32, u32)>) -> FxHashMap<u64, Tally> {
    list.into_iter()
        .map(|(h, docs, first)| (h, Tally { docs, first }))
        .collect()
}

impl From<&Counts> for Saved {
    fn from(counts: &Counts) -> Saved {
        Saved {
            format: FORMAT.to_string(),
            version: VERSION,
            normalize: counts.normalize,
            group_by: counts.group_by.clone(),
            groups: counts
                .groups
                .iter()
                .map(|(name, g)| SavedGroup {
                    name: name.clone(),
                    paths: match &g.members {
                        Members::Paths(paths) => Some(paths.clone()),
                        Members::Records(_) => None,
                    },
                    records: match g.members {
                        Members::Paths(_) => None,
                        Members::Records(n) => Some(n),
                    },
                    lines: sorted(&g.lines),
                    pairs: sorted(&g.pairs),
                })
                .collect(),
        }
    }
}

impl TryFrom<Saved> for Counts {
    type Error = LearnError;

    fn try_from(saved: Saved) -> Result<Counts, LearnError> {
        let mut groups = BTreeMap::new();
        for g in saved.groups {
            let members = match (g.paths, g.records) {
                (Some(paths), None) => Members::Paths(paths),
                (None, Some(n)) => Members::Records(n),
                _ => {
                    return Err(LearnError::Format(format!(
                        "group `{}` needs exactly one of `paths` and `records`",
                        g.name
                    )))
                }
            };
            let counts = GroupCounts {
                members,
                lines: unsorted(g.lines),
                pairs: unsorted(g.pairs),
                kept: FxHashMap::default(),
            };
            groups.insert(g.name, counts);
        }
        Ok(Counts {
            normalize: saved.normalize,
            group_by: saved.group_by,
            groups,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A corpus in a temp folder: `(relative path, text)`.
    fn corpus(files: &[(&str, &str)]) -> (tempfile::TempDir, Vec<Entry>) {
        let dir = tempfile::tempdir().unwrap();
        for (path, body) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, body).unwrap();
        }
        let (entries, errors) = corpus::walk(&[dir.path().to_path_buf()], &Default::default());
        assert!(errors.is_empty());
        (dir, entries)
    }

    /// (documents, first)
    type Pair = (u32, u32);

    const FILES: &[(&str, &str)] = &[
        ("a/1.txt", "Home\n\nStory one.\nFollow Us:\nHome\n"),
        ("a/2.txt", "Home\n\nStory two.\nFollow  Us:\n"),
        ("a/3.txt", "home\nStory 3.\nFollow Us:\n"),
        ("b/1.txt", "Home\nOther site.\n"),
        ("b/2.txt", "Menu\nOther site.\n"),
    ];

    fn tally(counts: &Counts, group: &str, line: &str, how: Normalize) -> Option<Tally> {
        let mut norm = Vec::new();
        text::normalize(line.as_bytes(), how, &mut norm);
        counts.groups[group]
            .lines
            .get(&text::fingerprint(&norm))
            .copied()
    }

    proptest::proptest! {
        /// Fingerprinting a document's lines equals normalising each
        /// non-blank line and fingerprinting the result, whatever bytes the
        /// lines hold and however they are normalised.
        #[test]
        fn line_fingerprints_are_those_of_the_normalised_lines(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    &b" "[..], b"  ", b"\t", b"\r", b"\n", b"\n", b"\r\n", b"\x0B", b"\x0C",
                    b"\xC2\xA0", b"\xC2", b"\xA0", b"\xFF", b"ab", b"AB", b"Home", b"7",
                    b"2024", "\u{c9}t\u{e9}".as_bytes(), "\u{130}".as_bytes(),
                ]),
                0..40,
            ),
            fold_case: bool,
            fold_digits: bool,
        ) {
            let doc = pieces.concat();
            let how = Normalize { fold_case, fold_digits };
            let mut got = Vec::new();
            line_fingerprints(&doc, how, &mut got);
            let mut norm = Vec::new();
            let want: Vec<u64> = doc
                .split(|&b| b == b'\n')
                .filter(|line| !text::is_blank(line))
                .map(|line| {
                    text::normalize(line, how, &mut norm);
                    text::fingerprint(&norm)
                })
                .collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn counting_lines_only_counts_the_same_lines_and_no_pairs() {
        // with a page long enough for its line fingerprints to be kept
        let long: String = (1..=KEPT_MIN_LINES)
            .map(|n| format!("Line {n}.\n"))
            .collect();
        let files: Vec<(&str, &str)> = FILES
            .iter()
            .copied()
            .chain([("a/4.txt", &long[..])])
            .collect();
        let (_dir, entries) = corpus(&files);
        let how = Normalize::default();
        let (full, _) = Counts::count(&entries, how, &Grouping::Parent, 2);
        let (lines, errors) = Counts::count_lines(&entries, how, &Grouping::Parent, 2);
        assert!(errors.is_empty());
        assert!(full.groups.values().any(|g| !g.pairs.is_empty()));
        assert_eq!(
            lines.groups.keys().collect::<Vec<_>>(),
            full.groups.keys().collect::<Vec<_>>()
        );
        for (name, group) in &lines.groups {
            assert!(group.pairs.is_empty(), "{name}");
            assert_eq!(group.lines, full.groups[name].lines, "{name}");
            assert_eq!(group.members, full.groups[name].members, "{name}");
            assert!(full.groups[name].kept.is_empty(), "{name}");
        }
        // counting lines keeps the line fingerprints of each document long
        // enough, by position, for the cleaning pass; the repeated set has
        // them too, for the text they were made from only
        let set = lines.clone().into_repeated_set(1);
        for (entry, (group, pos)) in entries.iter().zip(positions(&entries, &Grouping::Parent)) {
            let bytes = std::fs::read(&entry.path).unwrap();
            let mut want = Vec::new();
            line_fingerprints(&bytes, how, &mut want);
            let doc = set.document(&entry.rel).unwrap();
            let name = entry.rel.display();
            if want.len() < KEPT_MIN_LINES {
                assert!(!lines.groups[&group].kept.contains_key(&pos), "{name}");
                assert_eq!(set.kept_lines(doc, &bytes), None, "{name}");
                continue;
            }
            let kept = &lines.groups[&group].kept[&pos];
            assert_eq!(&kept.lines[..], &want[..], "{name}");
            assert_eq!(set.kept_lines(doc, &bytes), Some(&want[..]));
            assert_eq!(set.kept_lines(doc, b"Home\nAnother text\n"), None);
        }
        assert_eq!(lines.groups["a"].kept.len(), 1);
    }

    #[test]
    fn kept_fingerprints_fit_the_budget_and_only_documents_long_enough() {
        let how = Normalize::default();
        // a byte order mark, CRLF, a blank line, NBSP, a byte of invalid
        // UTF-8, and as many non-blank lines as a kept document needs
        let mut long = b"\xEF\xBB\xBFa\r\n\n b\xC2\xA0\nc\xFF\n".to_vec();
        (4..=KEPT_MIN_LINES).for_each(|n| long.extend(format!("line {n}\n").bytes()));
        let text = text::strip_bom(&long);
        let mut want = Vec::new();
        line_fingerprints(text, how, &mut want);
        assert_eq!(want.len(), KEPT_MIN_LINES);
        let short = &text[..text.len() - b"line 8\n".len()];
        // room for the long document twice, less one byte
        let room = KEPT_MIN_LINES * 8 + KEPT_OVERHEAD;
        let budget = KeptBudget(AtomicUsize::new(2 * room - 1));
        let kept = hashes(&long, how, Counted::Lines, &budget).kept.unwrap();
        assert_eq!(&kept.lines[..], &want[..]);
        assert_eq!(kept.document, text::fingerprint(text));
        // a line fewer: not worth keeping, and nothing is paid for it
        assert!(hashes(short, how, Counted::Lines, &budget).kept.is_none());
        assert!(hashes(&long, how, Counted::Lines, &budget).kept.is_none());
        assert_eq!(budget.0.load(Ordering::Relaxed), room - 1);
        // counts with pairs (for saving, for `learn`) keep none
        let pairs = KeptBudget::new(Counted::LinesAndPairs);
        assert!(hashes(&long, how, Counted::LinesAndPairs, &pairs)
            .kept
            .is_none());
    }

    #[test]
    fn lines_are_counted_once_per_document_per_group() {
        let (_dir, entries) = corpus(FILES);
        let how = Normalize::default();
        let (counts, errors) = Counts::count(&entries, how, &Grouping::Parent, 2);
        assert!(errors.is_empty());
        let paths = ["a/1.txt", "a/2.txt", "a/3.txt"].map(String::from).to_vec();
        assert_eq!(counts.groups["a"].members, Members::Paths(paths));
        let cases: &[(&str, &str, Option<Pair>)] = &[
            ("a", "Home", Some((2, 0))),
            ("a", "Follow Us:", Some((3, 0))),
            ("a", "home", Some((1, 2))),
            ("a", "Story one.", Some((1, 0))),
            ("b", "Other site.", Some((2, 0))),
            ("b", "Menu", Some((1, 1))),
            ("b", "Follow Us:", None),
        ];
        for (group, line, want) in cases {
            let got = tally(&counts, group, line, how).map(|t| (t.docs, t.first));
            assert_eq!(got, *want, "{group}: {line}");
        }
        // case folding makes "home" and "Home" one line
        let how = Normalize {
            fold_case: true,
            fold_digits: false,
        };
        let (counts, _) = Counts::count(&entries, how, &Grouping::Parent, 1);
        assert_eq!(tally(&counts, "a", "HOME", how).map(|t| t.docs), Some(3));
        // one group for the whole corpus
        let (counts, _) = Counts::count(&entries, how, &Grouping::None, 1);
        assert_eq!(tally(&counts, "", "home", how).map(|t| t.docs), Some(4));
    }

    #[test]
    fn counts_and_errors_equal_a_serial_count_at_any_thread_count() {
        // grouped by the parity of the page number: the groups' documents
        // interleave in entry order, and the odd pages (group "") are more
        // than are hashed at a time
        let mut files = Vec::new();
        for site in 0..3 {
            for page in 0..GROUP_CHUNK + 20 {
                let body = format!(
                    "Site {site} menu\nPage {page}.\nFooter {}\n\nFooter {}\n",
                    page % 3,
                    page % 2
                );
                files.push((format!("s{site}/p{page:03}.txt"), body));
            }
        }
        files.push(("s2/p050.txt".into(), "binary\0page\n".into()));
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(p, b)| (p.as_str(), b.as_str()))
            .collect();
        let (dir, entries) = corpus(&files);
        // two documents vanish after the walk: the first in entry order is
        // in the later group
        for gone in ["s0/p008.txt", "s1/p000.txt"] {
            std::fs::remove_file(dir.path().join(gone)).unwrap();
        }
        let grouping = Grouping::parse(r"p\d\d([02468])").unwrap();
        let how = Normalize::default();
        // the reference: each document read, hashed and added in turn
        let no_kept = KeptBudget::new(Counted::LinesAndPairs);
        let mut want: BTreeMap<String, GroupCounts> = BTreeMap::new();
        let mut want_errors = Vec::new();
        for (entry, (group, pos)) in entries.iter().zip(positions(&entries, &grouping)) {
            match corpus::read(entry) {
                Ok(Document::Text(bytes)) => want
                    .entry(group)
                    .or_insert_with(|| GroupCounts::new(Members::Paths(Vec::new())))
                    .add(hashes(&bytes, how, Counted::LinesAndPairs, &no_kept), pos),
                Ok(Document::Skipped(_)) => {}
                Err(err) => want_errors.push(err),
            }
        }
        assert_eq!(want_errors.len(), 2);
        assert!(want[""].lines.len() > 3);
        for threads in [1, 2, 4] {
            let (got, errors) = Counts::count(&entries, how, &grouping, threads);
            assert_eq!(errors, want_errors, "{threads} threads");
            let names: Vec<&String> = got.groups.keys().collect();
            assert_eq!(names, want.keys().collect::<Vec<_>>(), "{threads} threads");
            for (name, group) in &want {
                assert_eq!(
                    got.groups[name].lines, group.lines,
                    "{name}, {threads} threads"
                );
                assert_eq!(
                    got.groups[name].pairs, group.pairs,
                    "{name}, {threads} threads"
                );
            }
        }
    }

    #[test]
    fn groups_follow_the_grouping() {
        let regex = Grouping::parse(r"^([^/]+)/").unwrap();
        let whole = Grouping::parse(r"^[^/]+").unwrap();
        let cases: &[(&Grouping, &str, &str)] = &[
            (&Grouping::Parent, "site/x/a.txt", "site/x"),
            (&Grouping::Parent, "a.txt", ""),
            (&Grouping::None, "site/a.txt", ""),
            (&regex, "site/x/a.txt", "site"),
            (&regex, "a.txt", ""),
            (&whole, "site/x/a.txt", "site"),
        ];
        for (grouping, path, want) in cases {
            assert_eq!(grouping.group_of(Path::new(path)), *want, "{path}");
        }
        assert!(Grouping::parse("(").is_err());
    }

    #[test]
    fn merging_two_halves_equals_counting_the_whole() {
        let (_dir, entries) = corpus(FILES);
        let how = Normalize::default();
        // with pairs, and with lines and their kept fingerprints
        for count in [Counts::count, Counts::count_lines] {
            let (whole, _) = count(&entries, how, &Grouping::Parent, 2);
            for split in 0..=entries.len() {
                let (mut left, _) = count(&entries[..split], how, &Grouping::Parent, 1);
                let (right, _) = count(&entries[split..], how, &Grouping::Parent, 1);
                left.merge(right).unwrap();
                assert_eq!(left, whole, "split at {split}");
            }
            // interleaved shards too: the first copy is found in path order
            let odd: Vec<Entry> = entries.iter().step_by(2).cloned().collect();
            let even: Vec<Entry> = entries.iter().skip(1).step_by(2).cloned().collect();
            let (mut merged, _) = count(&even, how, &Grouping::Parent, 1);
            merged
                .merge(count(&odd, how, &Grouping::Parent, 1).0)
                .unwrap();
            assert_eq!(merged, whole);
        }
    }

    #[test]
    fn counts_survive_saving_and_refuse_mismatched_merges() {
        let (_dir, entries) = corpus(FILES);
        let (counts, _) = Counts::count(&entries, Normalize::default(), &Grouping::Parent, 1);
        let mut saved = Vec::new();
        counts.save(&mut saved).unwrap();
        assert_eq!(Counts::load(&saved).unwrap(), counts);
        assert!(Counts::load(b"{\"format\":\"x\"}").is_err());
        // a file of another version is refused with what to do
        let text = String::from_utf8(saved.clone()).unwrap();
        let old = text.replacen(&format!("\"version\":{VERSION}"), "\"version\":1", 1);
        // (and whatever else a version 1 file holds)
        let old = old.replacen("\"groups\"", "\"sites\"", 1);
        assert_ne!(old, text);
        let err = Counts::load(old.as_bytes()).unwrap_err().to_string();
        assert!(
            err.contains("version 1") && err.contains("cruftless learn"),
            "{err}"
        );
        let mut other = counts.clone();
        other.normalize.fold_digits = true;
        assert!(other.merge(counts).is_err());
    }

    #[test]
    fn the_repeated_set_knows_groups_documents_and_repeats() {
        let (_dir, entries) = corpus(FILES);
        let (counts, _) = Counts::count(&entries, Normalize::default(), &Grouping::Parent, 1);
        let set = counts.into_repeated_set(1);
        assert_eq!(set.groups(), 2);
        let doc = set.document(Path::new("a/3.txt")).unwrap();
        assert_eq!(doc.index, 2);
        assert_eq!(set.group_size(doc), 3);
        let follow = set.stat(doc, text::fingerprint(b"Follow Us:")).unwrap();
        assert_eq!((follow.docs, follow.first), (3, 0));
        // a line held by one document is not stored
        assert!(set.stat(doc, text::fingerprint(b"Story 3.")).is_none());
    }
}
