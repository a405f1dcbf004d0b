//! One pass over a whole document for every literal that may occur anywhere
//! in a line: `contains` literals, the factors of regexes (see the
//! `regexes` module) and the two non-ASCII letters that fold to ASCII ones.
//!
//! All of them go into one ASCII-case-insensitive aho-corasick DFA, which
//! finds every occurrence, overlapping ones too, but reads one byte at a
//! time. So a prefilter runs first: over a lower-cased copy of the document,
//! a SIMD (Teddy) search for an *anchor* of each literal (up to eight bytes
//! that start with its rarest three) and a `memchr` for the first byte of
//! literals too short for Teddy flag the lines that may hold a literal; the
//! DFA then reads only those lines. Every line holding a literal holds its
//! anchor, and the search reports at least one anchor in every such line,
//! so the hits are the same as the DFA's over the whole document. Where no
//! prefilter can be built (over 128 anchors, too many short literals), the DFA
//! reads everything. Case-sensitive `contains` literals are checked against
//! the bytes found.

use std::ops::Range;

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind, Span};
use rustc_hash::FxHashMap;

use super::regexes::{RegexScratch, FOLDS_TO_ASCII};
use super::Hits;
use crate::rules::MatcherId;

/// What finding one literal means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// A `contains` literal of a matcher hits the line; `exact` holds the
    /// literal when its case must match too.
    Contains {
        matcher: MatcherId,
        exact: Option<Box<[u8]>>,
    },
    /// A factor of a regex entry: the regex must be tried on the line.
    Factor(u32),
    /// `ſ` or `K`, which regexes' literals leave out: the entries in
    /// `fold_lossy` must be tried on the line.
    FoldsToAscii,
}

/// The compiled literals and what each one means.
#[derive(Debug)]
pub(super) struct Scanner {
    searcher: AhoCorasick,
    targets: Vec<Vec<Target>>,
    /// Regex entries whose literals miss `ſ`/`K` spellings of `s`/`k`.
    fold_lossy: Vec<u32>,
    prefilter: Option<Prefilter>,
}

/// Finds the lines that may hold a literal (see the module docs).
#[derive(Debug)]
struct Prefilter {
    /// Anchors of the literals of three bytes or more, lower-cased.
    anchors: packed::Searcher,
    /// First bytes of the shorter literals (at most three).
    short: Vec<u8>,
}

/// Reusable per-thread buffers of the scan.
#[derive(Debug, Default)]
pub(super) struct ScanScratch {
    lower: Vec<u8>,
    flagged: Vec<usize>,
}

impl Scanner {
    /// Compiles `literals` (matched ignoring ASCII case); `fold_lossy`
    /// lists the regex entries to try on lines holding `ſ` or `K`.
    /// `None` when there is nothing to look for.
    pub fn new(mut literals: Vec<(Vec<u8>, Target)>, fold_lossy: Vec<u32>) -> Option<Scanner> {
        if !fold_lossy.is_empty() {
            for letter in FOLDS_TO_ASCII {
                let mut utf8 = [0; 4];
                let bytes = letter.encode_utf8(&mut utf8).as_bytes().to_vec();
                literals.push((bytes, Target::FoldsToAscii));
            }
        }
        if literals.is_empty() {
            return None;
        }
        let mut unique: Vec<Vec<u8>> = Vec::new();
        let mut targets: Vec<Vec<Target>> = Vec::new();
        let mut slots: FxHashMap<Vec<u8>, usize> = FxHashMap::default();
        for (literal, target) in literals {
            let key = literal.to_ascii_lowercase();
            let slot = *slots.entry(key.clone()).or_insert_with(|| {
                unique.push(key);
                targets.push(Vec::new());
                targets.len() - 1
            });
            if !targets[slot].contains(&target) {
                targets[slot].push(target);
            }
        }
        let searcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&unique)
            .expect("literal patterns always build");
        Some(Scanner {
            searcher,
            targets,
            fold_lossy,
            prefilter: Prefilter::new(&unique),
        })
    }

    /// Finds every literal in `doc`, whose lines are `lines`: `contains`
    /// hits go to `hits`, regexes to try to `candidates`. A literal counts
    /// for the line that holds all of it.
    pub fn scan(
        &self,
        doc: &[u8],
        lines: &[Range<usize>],
        scratch: &mut ScanScratch,
        hits: &mut Hits,
        candidates: &mut RegexScratch,
    ) {
        let Some(prefilter) = &self.prefilter else {
            return self.scan_span(doc, 0..doc.len(), lines, hits, candidates);
        };
        prefilter.flag(doc, lines, scratch);
        for &line in &scratch.flagged {
            self.scan_span(doc, lines[line].clone(), lines, hits, candidates);
        }
    }

    /// Runs the DFA over `doc[span]`.
    fn scan_span(
        &self,
        doc: &[u8],
        span: Range<usize>,
        lines: &[Range<usize>],
        hits: &mut Hits,
        candidates: &mut RegexScratch,
    ) {
        let input = aho_corasick::Input::new(doc).span(span);
        for m in self.searcher.find_overlapping_iter(input) {
            let line = lines.partition_point(|r| r.end <= m.start());
            if line == lines.len() || m.end() > lines[line].end {
                continue;
            }
            for target in &self.targets[m.pattern().as_usize()] {
                match target {
                    Target::Contains { matcher, exact } => {
                        if exact.as_deref().is_none_or(|text| text == &doc[m.range()]) {
                            hits.push(*matcher, line);
                        }
                    }
                    Target::Factor(entry) => candidates.push(line, *entry),
                    Target::FoldsToAscii => {
                        for &entry in &self.fold_lossy {
                            candidates.push(line, entry);
                        }
                    }
                }
            }
        }
    }
}

impl Prefilter {
    /// A prefilter for `literals` (lower-cased), when one can be built.
    fn new(literals: &[Vec<u8>]) -> Option<Prefilter> {
        let mut short: Vec<u8> = literals
            .iter()
            .filter(|l| l.len() < 3)
            .map(|l| l[0])
            .collect();
        short.sort_unstable();
        short.dedup();
        if short.len() > 3 {
            return None;
        }
        let anchors = anchor_set(literals.iter().filter(|l| l.len() >= 3).map(|l| anchor(l)));
        let anchors = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(anchors)
            .build()?;
        Some(Prefilter { anchors, short })
    }

    /// Puts the lines of `doc` that may hold a literal into `scratch.flagged`, in order.
    fn flag(&self, doc: &[u8], lines: &[Range<usize>], scratch: &mut ScanScratch) {
        let ScanScratch { lower, flagged } = scratch;
        lower.clear();
        lower.extend(doc.iter().map(u8::to_ascii_lowercase));
        flagged.clear();
        let mut at = 0;
        while let Some(m) = self.anchors.find_in(&lower, Span::from(at..lower.len())) {
            // one anchor is enough: go on from the next line
            let line = lines.partition_point(|r| r.end <= m.start());
            flagged.push(line);
            at = lines[line].end;
        }
        let mut flag_byte = |pos: usize| {
            let line = lines.partition_point(|r| r.end <= pos);
            flagged.push(line);
        };
        match self.short[..] {
            [] => {}
            [a] => memchr::memchr_iter(a, lower).for_each(&mut flag_byte),
            [a, b] => memchr::memchr2_iter(a, b, lower).for_each(&mut flag_byte),
            [a, b, c] => memchr::memchr3_iter(a, b, c, lower).for_each(&mut flag_byte),
            _ => unreachable!("at most three short first bytes"),
        }
        flagged.sort_unstable();
        flagged.dedup();
    }
}

/// The anchors to search for, sorted, without any that a shorter one
/// starts: a line holding it holds the shorter one, which flags it.
fn anchor_set<'a>(anchors: impl Iterator<Item = &'a [u8]>) -> Vec<&'a [u8]> {
    let mut sorted: Vec<&[u8]> = anchors.collect();
    sorted.sort_unstable();
    let mut set: Vec<&[u8]> = Vec::with_capacity(sorted.len());
    for anchor in sorted {
        if set.last().is_none_or(|last| !anchor.starts_with(last)) {
            set.push(anchor);
        }
    }
    set
}

/// Longest anchor: longer ones would rarely flag fewer lines, and shorter
/// ones are shared by more literals (Teddy takes at most 128).
const ANCHOR_LEN: usize = 8;

/// The piece of `literal` (three bytes or more, at most [`ANCHOR_LEN`]) that
/// starts with its rarest three bytes, by a rough frequency of bytes in
/// English text.
fn anchor(literal: &[u8]) -> &[u8] {
    let start = (0..=literal.len() - 3)
        .min_by_key(|&i| {
            literal[i..i + 3]
                .iter()
                .map(|&b| commonness(b))
                .sum::<u32>()
        })
        .unwrap_or(0);
    &literal[start..literal.len().min(start + ANCHOR_LEN)]
}

/// How common a (lower-cased) byte is in text: space and `e` most, then the
/// other letters by their frequency in English, then everything else.
fn commonness(byte: u8) -> u32 {
    const BY_FREQUENCY: &[u8] = b" etaoinshrdlcumwfgypbvkjxqz";
    match BY_FREQUENCY.iter().position(|&b| b == byte) {
        Some(rank) => (BY_FREQUENCY.len() - rank) as u32 + 4,
        None if byte.is_ascii_digit() => 4,
        None => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_sets_drop_anchors_a_shorter_one_starts() {
        let set = anchor_set(
            ["omments", "omment", "okies", "omment o", "okies"]
                .map(str::as_bytes)
                .into_iter(),
        );
        assert_eq!(set, [&b"okies"[..], b"omment"]);
    }

    #[test]
    fn anchors_start_at_rare_bytes() {
        assert_eq!(anchor(b"read our rules for commenting"), b"rules fo");
        assert_eq!(anchor(b"abc"), b"abc");
        assert_eq!(anchor(b" use of cookies"), b"okies");
    }

    /// With and without a prefilter (four short literals leave it out), the
    /// scan finds the same lines.
    #[test]
    fn the_scan_finds_the_same_lines_with_or_without_a_prefilter() {
        let doc = b"a|b\nnothing here\nsee ab\nxy and Disqus\n\xC5\xBF\n";
        let mut lines = Vec::new();
        crate::engine::lines::split(doc, &mut lines);
        let found = |literals: &[&str]| {
            let targets = literals
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let target = Target::Contains {
                        matcher: MatcherId(i as u32),
                        exact: None,
                    };
                    (l.as_bytes().to_vec(), target)
                })
                .collect();
            let scanner = Scanner::new(targets, Vec::new()).unwrap();
            let mut hits = Hits::default();
            let mut scratch = ScanScratch::default();
            let mut candidates = RegexScratch::default();
            scanner.scan(doc, &lines, &mut scratch, &mut hits, &mut candidates);
            hits.finish();
            let by_literal: Vec<Vec<usize>> = (0..literals.len())
                .map(|i| hits.lines(MatcherId(i as u32)).collect())
                .collect();
            (scanner.prefilter.is_some(), by_literal)
        };
        let with = found(&["|", "disqus", "ab"]);
        let without = found(&["|", "disqus", "ab", "xy", "\u{17f}"]);
        assert!(with.0 && !without.0);
        assert_eq!(with.1, [vec![0], vec![3], vec![2]]);
        assert_eq!(without.1[..3], with.1[..]);
        assert_eq!(without.1[3..], [vec![3], vec![4]]);
    }
}
