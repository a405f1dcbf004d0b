//! Regex matchers, found without running every regex on every line.
//!
//! Each regex keeps its exact per-line meaning (it runs on the trimmed line,
//! so `^` and `$` anchor the trimmed line), but it only runs on lines that
//! can match:
//! - **prefixes**: a regex anchored at the start of the line (`^…`, most
//!   cruft patterns) can only match a line that starts with one of its prefix
//!   literals (from regex-syntax's literal extractor); all of them go into
//!   one anchored, ASCII-case-insensitive aho-corasick automaton that reads
//!   just the first few bytes of each line.
//! - **factors**: for the other regexes, from the syntax tree come *required literals*, a
//!   set of strings of which every match contains one (the prefix literals
//!   of some part of the pattern that every match goes through). All factors
//!   of all regexes join the `contains` literals in the one
//!   ASCII-case-insensitive pass over the whole document (the `scan`
//!   module); a regex then runs only on the lines where one of its factors
//!   occurs. This only ever widens the set of lines tried (literals are
//!   lower-cased, matched ignoring ASCII case), never narrows it, so the
//!   result is exactly that of running every regex on every line.
//! - **ſ and K**: case-insensitive `s` and `k` also match `ſ` (U+017F) and
//!   the Kelvin sign `K` (U+212A); literals leave those spellings out (they
//!   would multiply the literals of a pattern 2ⁿ-fold), and the scan instead
//!   tries every regex that lost them on the lines that hold either letter.
//! - **length bounds**: a line shorter than the shortest match is skipped,
//!   and so is a line longer than the longest match of a regex anchored at
//!   both ends.
//! - **batches**: a regex's lazy DFA builds its states as lines need them,
//!   and a counted repetition (`[^.]{0,80}`) makes many; run on one line of
//!   one page, they have left the CPU caches since the last page it ran on,
//!   and a search costs ten times what it does warm. So the candidates of
//!   prefixes and factors are only noted while a batch of documents is
//!   looked at, then run regex by regex over the whole batch.
//! - **memo**: a candidate line seen before (a site's footer, on every one
//!   of its pages) gets the answer the regex gave then (the `memo` module).
//! - **on demand**: a matcher that the engine asks about only a few lines
//!   after another matcher's hit (a `block`'s `end`, a `run`'s `while`)
//!   runs its regexes only on the lines it is asked about, when asked.
//!
//! A regex with no usable factor (`^.{1,130}$`) runs on every non-blank line
//! within its length bounds.

use std::sync::atomic::{AtomicU64, Ordering};

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous;
use aho_corasick::{Anchored, MatchKind};
use rayon::prelude::*;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{
    Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look,
};
use rustc_hash::FxHashMap;

use super::bitmap::Bitmap;
use super::hir_classes::map_classes;
use super::line_regex::{LineCache, LineRegex};
use super::memo::Memo;
use super::scan::Target;
use super::{DocLines, Hits};
use crate::rules::MatcherId;

/// The non-ASCII letters that case-insensitive matching folds to ASCII ones
/// (`ſ` to `s`, the Kelvin sign to `k`), left out of literals.
pub(super) const FOLDS_TO_ASCII: [char; 2] = ['\u{17F}', '\u{212A}'];

/// One compiled regex and what is known about where it can match.
#[derive(Debug)]
struct Entry {
    regex: LineRegex,
    owner: MatcherId,
    min_len: usize,
    max_len: Option<usize>,
}

/// A regex as matchers use it: parsed (with its case setting) and compiled.
#[derive(Debug)]
pub(super) struct Source {
    /// The parsed regex.
    pub hir: Hir,
    /// The compiled regex.
    pub regex: LineRegex,
    /// The matcher it belongs to.
    pub owner: MatcherId,
}

/// Every regex of a rule set, with its factors, and those run on demand.
#[derive(Debug, Default)]
pub(super) struct Regexes {
    /// Unique per compiled set: a scratch holds caches for one set only.
    id: u64,
    entries: Vec<Entry>,
    /// Entry indices of eager regexes with no prefix or factor: tried on every line.
    always: Vec<u32>,
    /// The prefixes of eager regexes anchored at the line start.
    prefixes: Option<Prefixes>,
    /// The entries of matchers asked about on demand, by matcher.
    on_demand: Vec<(MatcherId, u32)>,
}

/// A regex to try on one line of one document of a batch, packed as
/// `entry << 64 | doc << 32 | line` so that sorting a batch's candidates
/// sorts numbers. The order (regex first) is the order they run in: each
/// regex over the whole batch at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Candidate(u128);

impl Candidate {
    fn new(entry: u32, doc: u32, line: u32) -> Candidate {
        Candidate((u128::from(entry) << 64) | (u128::from(doc) << 32) | u128::from(line))
    }

    fn entry(self) -> u32 {
        (self.0 >> 64) as u32
    }

    fn doc(self) -> usize {
        (self.0 >> 32) as u32 as usize
    }

    fn line(self) -> usize {
        self.0 as u32 as usize
    }
}

/// Sorts `candidates` of regexes below `entries` by regex, then document,
/// then line; `buffers` are reused. Candidates are noted document by
/// document, and in each by the scan and then line by line, so each regex's
/// already come in order but where the scan and the prefixes both note one
/// (a line with `ſ` or `K`): a counting sort by regex, which keeps that
/// order, sorts them in two passes, and a full sort runs only when a check
/// finds them still out of order. Comparison sorting a batch's thousands of
/// candidates cost about as much as trying them.
fn sort_candidates(
    candidates: &mut Vec<Candidate>,
    (sorted, starts): &mut (Vec<Candidate>, Vec<usize>),
    entries: usize,
) {
    starts.clear();
    starts.resize(entries + 1, 0);
    for c in candidates.iter() {
        starts[c.entry() as usize + 1] += 1;
    }
    for e in 1..=entries {
        starts[e] += starts[e - 1];
    }
    sorted.clear();
    sorted.resize(candidates.len(), Candidate(0));
    for &c in candidates.iter() {
        let at = &mut starts[c.entry() as usize];
        sorted[*at] = c;
        *at += 1;
    }
    std::mem::swap(candidates, sorted);
    if !candidates.is_sorted() {
        candidates.sort_unstable();
    }
}

/// Reusable per-thread state: the candidates of a batch and each regex's
/// search cache, made on first use.
#[derive(Debug, Default)]
pub(super) struct RegexScratch {
    candidates: Vec<Candidate>,
    /// Buffers of [`sort_candidates`].
    sorting: (Vec<Candidate>, Vec<usize>),
    /// The document of the batch that candidates are noted for now.
    doc: u32,
    caches: Vec<LineCache>,
    /// The answers of candidates on lines seen before.
    memo: Memo,
    /// The [`Regexes::id`] the caches and the memo belong to.
    owner: u64,
}

impl RegexScratch {
    /// Notes candidates for document `doc` of the batch from now on.
    pub fn start_doc(&mut self, doc: usize) {
        self.doc = doc as u32;
    }

    /// Notes that regex `entry` must be tried on `line` of the current document.
    pub fn push(&mut self, line: usize, entry: u32) {
        self.candidates
            .push(Candidate::new(entry, self.doc, line as u32));
    }
}

impl Regexes {
    /// Groups compiled regexes; those of the `on_demand` matchers run only
    /// when asked ([`Regexes::hits_on_demand`]). The document scan is built
    /// by `scan` from the factor literals of the other regexes that have
    /// some and the entries whose literals leave out `ſ`/`K` spellings, in
    /// parallel with the prefix automaton; both are returned.
    pub fn new<S: Send>(
        sources: Vec<Source>,
        on_demand: &[MatcherId],
        scan: impl FnOnce(Vec<(Vec<u8>, Target)>, Vec<u32>) -> S + Send,
    ) -> (Regexes, S) {
        static NEXT_ID: AtomicU64 = AtomicU64::new(1);
        let mut out = Regexes {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            ..Regexes::default()
        };
        // each regex's literals come from its syntax alone: worked out in
        // parallel, they are a good part of what loading a rule set takes
        // (and the parsed regexes, no longer needed, are dropped there too)
        let analysed: Vec<(Analysis, LineRegex, MatcherId)> = sources
            .into_par_iter()
            .map(|source| {
                let analysis = Analysis::of(&source.hir, on_demand.contains(&source.owner));
                (analysis, source.regex, source.owner)
            })
            .collect();
        let mut prefix_literals = Literals::default();
        let mut factor_literals = Vec::new();
        // entries with prefixes or factors that leave out `ſ`/`K` spellings
        let mut fold_lossy = Vec::new();
        for (analysis, regex, owner) in analysed {
            let index = out.entries.len() as u32;
            let literals_found = match analysis.found {
                Found::OnDemand => {
                    out.on_demand.push((owner, index));
                    false
                }
                Found::Prefixes(found) => {
                    prefix_literals.add(found, index);
                    true
                }
                Found::Factors(found) => {
                    factor_literals.extend(found.into_iter().map(|l| (l, Target::Factor(index))));
                    true
                }
                Found::Nothing => {
                    out.always.push(index);
                    false
                }
            };
            if literals_found && analysis.lossy {
                fold_lossy.push(index);
            }
            out.entries.push(Entry {
                regex,
                owner,
                min_len: analysis.min_len,
                max_len: analysis.max_len,
            });
        }
        out.on_demand.sort_unstable();
        let (prefixes, scanner) = rayon::join(
            || prefix_literals.build(),
            || scan(factor_literals, fold_lossy),
        );
        out.prefixes = prefixes;
        (out, scanner)
    }

    /// Readies `scratch` for searches with these regexes, dropping caches
    /// that another set made.
    pub fn prepare(&self, scratch: &mut RegexScratch) {
        if scratch.owner != self.id {
            scratch.caches.clear();
            scratch
                .caches
                .resize_with(self.entries.len(), LineCache::default);
            scratch.memo.clear();
            scratch.owner = self.id;
        }
    }

    /// False when the trimmed `line` is too short or too long for regex `e`.
    fn fits(&self, e: u32, line: &[u8]) -> bool {
        let entry = &self.entries[e as usize];
        line.len() >= entry.min_len && entry.max_len.is_none_or(|max| line.len() <= max)
    }

    /// True when regex `e` matches the trimmed `line`; `scratch` must be
    /// [prepared](Regexes::prepare).
    fn is_match(&self, e: u32, line: &[u8], scratch: &mut RegexScratch) -> bool {
        self.fits(e, line) && self.search(e, line, scratch)
    }

    /// Runs regex `e` on a `line` that [fits](Regexes::fits) it.
    fn search(&self, e: u32, line: &[u8], scratch: &mut RegexScratch) -> bool {
        let entry = &self.entries[e as usize];
        let cache = &mut scratch.caches[e as usize];
        entry.regex.is_match(cache, line)
    }

    /// True when some eager regex must be tried line by line.
    pub fn per_line(&self) -> bool {
        !self.always.is_empty() || self.prefixes.is_some()
    }

    /// Notes the eager regexes anchored at the line start whose prefix
    /// starts the line as candidates, and tries those with no prefix or
    /// factor (they run on every line, so they stay warm), on one trimmed,
    /// non-blank line.
    pub fn find_in_line(
        &self,
        line: &[u8],
        index: usize,
        scratch: &mut RegexScratch,
        hits: &mut Hits,
    ) {
        if let Some(prefixes) = self.prefixes.as_ref().filter(|p| p.starts.may_start(line)) {
            prefixes.each_start(line, |e| scratch.push(index, e));
        }
        for &e in &self.always {
            if self.is_match(e, line, scratch) {
                hits.push(self.entries[e as usize].owner, index);
            }
        }
    }

    /// Tries each candidate regex on its line, trimmed, one regex after the
    /// other over the whole batch (`docs` are the batch's documents; the
    /// candidates are used up). A hit goes to its document's `hits`.
    pub fn run_candidates(
        &self,
        docs: &[DocLines<'_>],
        scratch: &mut RegexScratch,
        hits: &mut [Hits],
    ) {
        let mut candidates = std::mem::take(&mut scratch.candidates);
        sort_candidates(&mut candidates, &mut scratch.sorting, self.entries.len());
        candidates.dedup();
        for &c in &candidates {
            let (doc, index) = (c.doc(), c.line());
            let DocLines {
                doc: text, trimmed, ..
            } = docs[doc];
            let line = &text[trimmed[index].clone()];
            if !self.fits(c.entry(), line) {
                continue;
            }
            let matched = match scratch.memo.get(line, c.entry()) {
                Some(matched) => matched,
                None => {
                    let matched = self.search(c.entry(), line, scratch);
                    scratch.memo.insert(line, c.entry(), matched);
                    matched
                }
            };
            if matched {
                hits[doc].push(self.entries[c.entry() as usize].owner, index);
            }
        }
        candidates.clear();
        scratch.candidates = candidates;
    }

    /// True when a regex of the on-demand `matcher` matches the trimmed,
    /// non-blank `line`.
    pub fn hits_on_demand(
        &self,
        matcher: MatcherId,
        line: &[u8],
        scratch: &mut RegexScratch,
    ) -> bool {
        self.prepare(scratch);
        let from = self.on_demand.partition_point(|&(m, _)| m < matcher);
        self.on_demand[from..]
            .iter()
            .take_while(|&&(m, _)| m == matcher)
            .any(|&(_, e)| self.is_match(e, line, scratch))
    }
}

/// What the syntax of one regex tells about the lines it can match.
struct Analysis {
    min_len: usize,
    max_len: Option<usize>,
    /// Its literals leave out `ſ`/`K` spellings.
    lossy: bool,
    found: Found,
}

/// Which literals a regex is found by.
enum Found {
    /// None: it runs only when the engine asks (an on-demand matcher's).
    OnDemand,
    /// Prefix literals, for a regex anchored at the line start.
    Prefixes(Vec<Vec<u8>>),
    /// Required literals found anywhere in the line.
    Factors(Vec<Vec<u8>>),
    /// No usable literal: it runs on every line.
    Nothing,
}

impl Analysis {
    /// The analysis of `hir`; an `on_demand` regex gets no literals.
    fn of(hir: &Hir, on_demand: bool) -> Analysis {
        let (min_len, max_len) = bounds(hir);
        let mut lossy = false;
        let found = if on_demand {
            Found::OnDemand
        } else {
            let hir = ascii_folded(hir, &mut lossy);
            let anchored = hir.properties().look_set_prefix().contains(Look::Start);
            match anchored.then(|| prefixes(&hir)).flatten() {
                Some(found) => Found::Prefixes(found),
                None => factors(&hir).map_or(Found::Nothing, Found::Factors),
            }
        };
        Analysis {
            min_len,
            max_len,
            lossy,
            found,
        }
    }
}

/// Literals and the entries each belongs to, deduplicated.
#[derive(Default)]
struct Literals {
    literals: Vec<Vec<u8>>,
    owners: Vec<Vec<u32>>,
    slots: FxHashMap<Vec<u8>, usize>,
}

impl Literals {
    fn add(&mut self, literals: Vec<Vec<u8>>, entry: u32) {
        for literal in literals {
            let slot = *self.slots.entry(literal.clone()).or_insert_with(|| {
                self.literals.push(literal);
                self.owners.push(Vec::new());
                self.owners.len() - 1
            });
            self.owners[slot].push(entry);
        }
    }

    /// One ASCII-case-insensitive automaton of the literals, stepped from
    /// its anchored start ([`Prefixes::each_start`]).
    fn build(self) -> Option<Prefixes> {
        if self.literals.is_empty() {
            return None;
        }
        let starts = Starts::new(&self.literals);
        let automaton = contiguous::Builder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .prefilter(false)
            .build(&self.literals)
            .expect("regex literals always build");
        Some(Prefixes {
            automaton,
            owners: self.owners,
            starts,
        })
    }
}

/// The prefix literals of the regexes anchored at the line start: an
/// anchored automaton, the entries each literal belongs to, and what their
/// first bytes are, so most lines are passed over without running the
/// automaton.
#[derive(Debug)]
struct Prefixes {
    automaton: contiguous::NFA,
    owners: Vec<Vec<u32>>,
    starts: Starts,
}

impl Prefixes {
    /// Calls `found` with each entry one of whose prefix literals starts
    /// `line`. The automaton is stepped byte by byte from its anchored
    /// start (what an anchored overlapping search does, without the
    /// search's state kept between calls) until it dies or the line ends.
    fn each_start(&self, line: &[u8], mut found: impl FnMut(u32)) {
        let automaton = &self.automaton;
        let mut report = |state| {
            for i in 0..automaton.match_len(state) {
                let literal = automaton.match_pattern(state, i).as_usize();
                self.owners[literal].iter().for_each(|&e| found(e));
            }
        };
        let Ok(mut state) = automaton.start_state(Anchored::Yes) else {
            return;
        };
        if automaton.is_match(state) {
            report(state);
        }
        for &byte in line {
            state = automaton.next_state(Anchored::Yes, state, byte);
            if automaton.is_special(state) {
                if automaton.is_dead(state) {
                    return;
                }
                if automaton.is_match(state) {
                    report(state);
                }
            }
        }
    }
}

/// What a set of literals starts with, ASCII lower-cased, in bitmaps that
/// tell most lines that start with none of them from their first bytes.
#[derive(Debug)]
struct Starts {
    /// Bit `pair(a, b)`: some literal starts with `a b` (or is `a`).
    pairs: Bitmap,
    /// Bit `pair(a, b)`: some literal is `a b` or `a`.
    short: Bitmap,
    /// Bit `head(…)`: some literal is these three bytes or starts with
    /// these four.
    heads: Bitmap,
}

impl Starts {
    fn new(literals: &[Vec<u8>]) -> Starts {
        let mut pairs = Bitmap::default();
        let mut short = Bitmap::default();
        let mut heads = Bitmap::default();
        for literal in literals {
            match literal[..] {
                [] => unreachable!("prefix literals are not empty"),
                [first] => (0..=255).for_each(|second| {
                    pairs.set(Self::pair(first, second));
                    short.set(Self::pair(first, second));
                }),
                [first, second] => {
                    pairs.set(Self::pair(first, second));
                    short.set(Self::pair(first, second));
                }
                [first, second, third] => {
                    pairs.set(Self::pair(first, second));
                    heads.set(Self::head([first, second, third, 0], 3));
                }
                [first, second, third, fourth, ..] => {
                    pairs.set(Self::pair(first, second));
                    heads.set(Self::head([first, second, third, fourth], 4));
                }
            }
        }
        Starts {
            pairs,
            short,
            heads,
        }
    }

    /// Two bytes, lower-cased: one bit each pair.
    fn pair(first: u8, second: u8) -> usize {
        (usize::from(first.to_ascii_lowercase()) << 8) | usize::from(second.to_ascii_lowercase())
    }

    /// A hash of the first `len` (three or four) of `bytes`, lower-cased.
    fn head(bytes: [u8; 4], len: u64) -> usize {
        let mut bytes = bytes.map(|b| b.to_ascii_lowercase());
        bytes[3] &= if len == 4 { 0xFF } else { 0 };
        Bitmap::key(u64::from(u32::from_le_bytes(bytes)) | (len << 32))
    }

    /// False when no literal can start `line` (non-empty): its first two
    /// bytes start none; or none is a start of it of up to two bytes, and
    /// none has its first three bytes or starts with its first four. A
    /// one-byte line reads as its byte and a zero.
    fn may_start(&self, line: &[u8]) -> bool {
        let pair = Self::pair(line[0], line.get(1).copied().unwrap_or(0));
        if !self.pairs.get(pair) {
            return false;
        }
        if self.short.get(pair) {
            return true;
        }
        match *line {
            [a, b, c] => self.heads.get(Self::head([a, b, c, 0], 3)),
            [a, b, c, d, ..] => {
                self.heads.get(Self::head([a, b, c, d], 3))
                    || self.heads.get(Self::head([a, b, c, d], 4))
            }
            _ => false,
        }
    }
}

/// `hir` with every upper-case ASCII letter dropped from classes that also
/// hold its lower-case form, and `ſ`/`K` from classes that hold `s`/`k`
/// (`[Ss\u{17F}]` becomes `[s]`; `lossy` is set). Its literals, matched
/// ignoring ASCII case, find every match of `hir` on lines without `ſ` or
/// `K`, and case-insensitive patterns no longer multiply into 2ⁿ literals.
fn ascii_folded(hir: &Hir, lossy: &mut bool) -> Hir {
    map_classes(hir, &mut |class, _| match class {
        Class::Unicode(class) => {
            let has = |x: char| {
                class
                    .ranges()
                    .iter()
                    .any(|r| r.start() <= x && x <= r.end())
            };
            let upper = (b'A'..=b'Z')
                .map(char::from)
                .filter(|&c| has(c) && has(c.to_ascii_lowercase()));
            let folded = FOLDS_TO_ASCII
                .into_iter()
                .zip(['s', 'k'])
                .filter(|&(letter, ascii)| has(letter) && has(ascii))
                .map(|(letter, _)| letter)
                .collect::<Vec<_>>();
            *lossy |= !folded.is_empty();
            let mut drop =
                ClassUnicode::new(upper.chain(folded).map(|c| ClassUnicodeRange::new(c, c)));
            drop.negate();
            let mut kept = class.clone();
            kept.intersect(&drop);
            Class::Unicode(kept)
        }
        Class::Bytes(class) => {
            let upper = (b'A'..=b'Z').filter(|&c| {
                let has = |x: u8| {
                    class
                        .ranges()
                        .iter()
                        .any(|r| r.start() <= x && x <= r.end())
                };
                has(c) && has(c.to_ascii_lowercase())
            });
            let mut drop = ClassBytes::new(upper.map(|c| ClassBytesRange::new(c, c)));
            drop.negate();
            let mut kept = class.clone();
            kept.intersect(&drop);
            Class::Bytes(kept)
        }
    })
}

/// The shortest match in bytes, and the longest for a regex anchored at both
/// ends of the line (whose match is then the whole line).
fn bounds(hir: &Hir) -> (usize, Option<usize>) {
    let props = hir.properties();
    let anchored = props.look_set_prefix().contains(Look::Start)
        && props.look_set_suffix().contains(Look::End);
    (
        props.minimum_len().unwrap_or(0),
        if anchored { props.maximum_len() } else { None },
    )
}

/// Required literals of `hir`: strings, ASCII lower-cased, one of which
/// every match contains (`None` when no good set is known).
///
/// Candidates: the prefix literals of `hir` itself; for a concatenation,
/// the prefix literals of every tail of it and the factors of every part;
/// for an alternation, the union of its branches' factors; for a group or a
/// repetition of at least one, those of its body. The best candidate has the
/// longest shortest literal, then the fewest literals.
fn factors(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let mut best = prefixes(hir);
    let mut consider = |candidate: Option<Vec<Vec<u8>>>| {
        if quality(&candidate) > quality(&best) {
            best = candidate;
        }
    };
    match hir.kind() {
        HirKind::Concat(parts) => {
            for i in 0..parts.len() {
                consider(prefixes(&Hir::concat(parts[i..].to_vec())));
                consider(factors(&parts[i]));
            }
        }
        HirKind::Alternation(branches) => {
            let mut union = Vec::new();
            for branch in branches {
                match factors(branch) {
                    Some(found) => union.extend(found),
                    None => {
                        union.clear();
                        break;
                    }
                }
            }
            if !union.is_empty() {
                consider(Some(minimal(union, |literal, kept| {
                    memchr::memmem::find(literal, kept).is_some()
                })));
            }
        }
        HirKind::Capture(group) => consider(factors(&group.sub)),
        HirKind::Repetition(rep) if rep.min > 0 => consider(factors(&rep.sub)),
        _ => {}
    }
    best
}

/// The prefix literals of `hir`, lower-cased, without one that another
/// starts, when finite and non-empty. Every match starts with one of them,
/// so they serve as factors too.
fn prefixes(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.iter().any(|l| l.as_bytes().is_empty()) {
        return None;
    }
    Some(minimal(
        literals
            .iter()
            .map(|l| l.as_bytes().to_ascii_lowercase())
            .collect(),
        |literal, kept| literal.starts_with(kept),
    ))
}

/// The literals without duplicates and without any that `covers` says a
/// shorter one finds already (it starts with it, for prefixes; it contains
/// it, for factors).
fn minimal(mut literals: Vec<Vec<u8>>, covers: impl Fn(&[u8], &[u8]) -> bool) -> Vec<Vec<u8>> {
    literals.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    literals.dedup();
    let mut out: Vec<Vec<u8>> = Vec::new();
    for literal in literals {
        if !out.iter().any(|kept| covers(&literal, kept)) {
            out.push(literal);
        }
    }
    out.sort();
    out
}

/// Weight past which a literal counts as rare enough: then fewer literals
/// are better than longer ones (one ` partner` beats 150 spellings of ` is
/// a media partner`).
const RARE_ENOUGH: usize = 8;

/// How selective a factor set is: the weight of its lightest literal (up to
/// [`RARE_ENOUGH`]), then fewer literals.
fn quality(found: &Option<Vec<Vec<u8>>>) -> (usize, isize) {
    match found {
        None => (0, 0),
        Some(literals) => (
            literals
                .iter()
                .map(|l| weight(l))
                .min()
                .unwrap_or(0)
                .min(RARE_ENOUGH),
            -(literals.len() as isize),
        ),
    }
}

/// How rarely a literal occurs in text, roughly: ASCII letters, digits and
/// spaces, which prose is made of, weigh 1 each; bytes of other characters
/// (`é`, `©`) 2; ASCII punctuation (`|`) 4.
fn weight(literal: &[u8]) -> usize {
    literal
        .iter()
        .map(|&b| match b {
            b' ' => 1,
            _ if b.is_ascii_alphanumeric() => 1,
            _ if !b.is_ascii() => 2,
            _ => 4,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn factors_of(pattern: &str, fold: bool) -> Option<Vec<String>> {
        let hir = regex_syntax::ParserBuilder::new()
            .utf8(false)
            .case_insensitive(fold)
            .build()
            .parse(pattern)
            .unwrap();
        factors(&ascii_folded(&hir, &mut false)).map(|found| {
            found
                .into_iter()
                .map(|l| String::from_utf8_lossy(&l).into_owned())
                .collect()
        })
    }

    #[test]
    fn factors_are_required_literals() {
        let cases: &[(&str, bool, Option<&[&str]>)] = &[
            (
                r"^comments powered by \w+\.?$",
                true,
                Some(&["comments powered by "]),
            ),
            (
                r"^(sign|log) ?(in|on)$",
                false,
                Some(&[
                    "log in", "log on", "login", "logon", "sign in", "sign on", "signin", "signon",
                ]),
            ),
            (
                r"^\d+ (comments?|replies)$",
                false,
                Some(&[" comment", " replies"]),
            ),
            (r"^.{1,130}$", false, None),
            (
                r"^.{0,80}\bis a media partner\b.*$",
                true,
                Some(&["is a media partner"]),
            ),
            (r"^Été$", true, Some(&["ÉtÉ", "Été", "étÉ", "été"])),
            (r"^$", false, None),
        ];
        for (pattern, fold, want) in cases {
            let want = want.map(|w| w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            assert_eq!(factors_of(pattern, *fold), want, "{pattern}");
        }
    }

    #[test]
    fn candidates_sort_by_regex_then_document_then_line() {
        let mut candidates = [
            Candidate::new(2, 0, 1),
            Candidate::new(1, 3, u32::MAX),
            Candidate::new(1, 3, 0),
            Candidate::new(1, 0, 9),
            Candidate::new(u32::MAX, u32::MAX, 7),
        ];
        candidates.sort_unstable();
        let fields: Vec<(u32, usize, usize)> = candidates
            .iter()
            .map(|c| (c.entry(), c.doc(), c.line()))
            .collect();
        let max = u32::MAX as usize;
        assert_eq!(
            fields,
            [
                (1, 0, 9),
                (1, 3, 0),
                (1, 3, max),
                (2, 0, 1),
                (u32::MAX, max, 7)
            ]
        );
    }

    #[test]
    fn bounds_are_known_for_lines_anchored_at_both_ends() {
        let cases: &[(&str, (usize, Option<usize>))] = &[
            (r"^.{1,3}$", (1, Some(12))),
            (r"^ab", (2, None)),
            (r"ab$", (2, None)),
            (r"x+", (1, None)),
        ];
        for (pattern, want) in cases {
            let hir = regex_syntax::Parser::new().parse(pattern).unwrap();
            assert_eq!(bounds(&hir), *want, "{pattern}");
        }
    }

    fn starts_of(literals: &[&[u8]]) -> Starts {
        Starts::new(&literals.iter().map(|l| l.to_vec()).collect::<Vec<_>>())
    }

    #[test]
    fn starts_pass_over_lines_no_literal_starts() {
        let starts = starts_of(&[b"sign in", b"pin", b"x", "\u{a9}".as_bytes()]);
        let cases: &[(&[u8], bool)] = &[
            (b"Sign in now", true),
            (b"PIN", true),
            (b"pinned", true),
            (b"Xylophone", true),
            (b"x", true),
            ("\u{a9} 2020".as_bytes(), true),
            (b"Sigh", false),
            (b"pi", false),
            (b"piN", true),
            (b"Home", false),
            (b"s", false),
        ];
        for (line, want) in cases {
            assert_eq!(
                starts.may_start(line),
                *want,
                "{:?}",
                String::from_utf8_lossy(line)
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn starts_never_pass_over_a_line_a_literal_starts(
            literals in proptest::collection::vec(
                proptest::collection::vec(proptest::sample::select(&b"aAbB \xC2\xA9"[..]), 1..6),
                1..8,
            ),
            line in proptest::collection::vec(proptest::sample::select(&b"aAbB \xC2\xA9"[..]), 1..8),
        ) {
            let refs: Vec<&[u8]> = literals.iter().map(Vec::as_slice).collect();
            let starts = starts_of(&refs);
            let starts_line = |l: &&[u8]| {
                line.len() >= l.len() && line[..l.len()].eq_ignore_ascii_case(l)
            };
            if refs.iter().any(starts_line) {
                proptest::prop_assert!(starts.may_start(&line));
            }
        }

        /// Candidates noted in any order, mostly in order per regex (as
        /// they are) or not, come out as fully sorted.
        #[test]
        fn candidates_come_out_sorted(
            noted in proptest::collection::vec((0..4u32, 0..3u32, 0..6u32), 0..40),
            in_order in proptest::bool::ANY,
        ) {
            let mut noted = noted;
            if in_order {
                noted.sort_by_key(|&(_, doc, line)| (doc, line));
            }
            let mut candidates: Vec<Candidate> =
                noted.iter().map(|&(e, doc, line)| Candidate::new(e, doc, line)).collect();
            let mut want = candidates.clone();
            want.sort_unstable();
            sort_candidates(&mut candidates, &mut Default::default(), 4);
            proptest::prop_assert_eq!(candidates, want);
        }
    }
}
