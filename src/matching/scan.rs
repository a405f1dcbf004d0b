//! One pass over a whole document for every literal that may occur anywhere
//! in a line: `contains` literals, the factors of regexes (see the
//! `regexes` module) and the two non-ASCII letters that fold to ASCII ones.
//!
//! All of them go into one ASCII-case-insensitive aho-corasick DFA, which
//! finds every occurrence, overlapping ones too, but reads one byte at a
//! time. So a prefilter runs first: over a lower-cased copy of the document,
//! a SIMD (Teddy) search for *anchors* that every literal of four bytes or
//! more holds (four to eight bytes of a literal, from its rarest four on;
//! literals holding a shorter literal's anchor get none of their own), a
//! substring search for each literal of three bytes (one three-byte anchor
//! would cut the bytes Teddy tests at each position to three, which halves
//! its speed) and a `memchr` for the first byte of shorter literals flag
//! the lines that may hold a literal; the DFA then reads only those lines.
//! Every line holding a literal holds an anchor (or the literal, or its
//! first byte), and each search reports at least one in every such line, so
//! the hits are the same as the DFA's over the whole document. Where no
//! prefilter can be built (over 64 anchors, too many short literals), the
//! DFA reads everything. Case-sensitive `contains` literals are checked
//! against the bytes found.

use std::ops::Range;

use aho_corasick::automaton::Automaton;
use aho_corasick::{dfa, packed};
use aho_corasick::{Anchored, MatchKind, Span};
use memchr::memmem;
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
    searcher: dfa::DFA,
    targets: Vec<Vec<Target>>,
    /// Regex entries whose literals miss `ſ`/`K` spellings of `s`/`k`.
    fold_lossy: Vec<u32>,
    prefilter: Option<Prefilter>,
}

/// Finds the lines that may hold a literal (see the module docs).
#[derive(Debug)]
struct Prefilter {
    /// Anchors that every literal of four bytes or more holds, lower-cased
    /// (and those of three bytes, when there are more than
    /// [`MAX_TRIPLES`]; see [`anchor_set`]).
    anchors: Option<packed::Searcher>,
    /// The literals of three bytes, lower-cased, when there are at most
    /// [`MAX_TRIPLES`]: each is searched for on its own.
    triples: Vec<memmem::Finder<'static>>,
    /// First bytes of the shorter literals (at most three).
    short: Vec<u8>,
}

/// Most literals of three bytes searched for one by one: each is one more
/// pass over the document, where putting them among Teddy's anchors slows
/// every position it tests.
const MAX_TRIPLES: usize = 3;

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
        let searcher = dfa::Builder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .prefilter(false)
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
            return self.scan_lines(doc, lines, 0..lines.len(), hits, candidates);
        };
        prefilter.flag(doc, lines, scratch);
        for &line in &scratch.flagged {
            self.scan_lines(doc, lines, line..line + 1, hits, candidates);
        }
    }

    /// Finds every literal in the lines `span` of `doc`: the DFA is stepped
    /// byte by byte from its unanchored start, reporting every match (what
    /// an overlapping search does, without the search's set-up on each
    /// flagged line, which cost as much as reading a short line).
    fn scan_lines(
        &self,
        doc: &[u8],
        lines: &[Range<usize>],
        span: Range<usize>,
        hits: &mut Hits,
        candidates: &mut RegexScratch,
    ) {
        let in_span = &lines[span.clone()];
        let (Some(first), Some(last)) = (in_span.first(), in_span.last()) else {
            return;
        };
        let from = first.start;
        let dfa = &self.searcher;
        let Ok(mut state) = dfa.start_state(Anchored::No) else {
            return;
        };
        // the line holding the last byte of a match: match ends only grow
        let mut line = span.start;
        for (at, &byte) in doc[from..last.end].iter().enumerate() {
            state = dfa.next_state(Anchored::No, state, byte);
            if !dfa.is_special(state) || !dfa.is_match(state) {
                continue;
            }
            let end = from + at + 1;
            while lines[line].end < end {
                line += 1;
            }
            for i in 0..dfa.match_len(state) {
                let pattern = dfa.match_pattern(state, i);
                let start = end - dfa.pattern_len(pattern);
                // a literal counts for the line that holds all of it
                if start >= lines[line].start {
                    self.found(&doc[start..end], pattern.as_usize(), line, hits, candidates);
                }
            }
        }
    }

    /// Acts on finding literal `pattern` (`text` in the document) in `line`.
    fn found(
        &self,
        text: &[u8],
        pattern: usize,
        line: usize,
        hits: &mut Hits,
        candidates: &mut RegexScratch,
    ) {
        for target in &self.targets[pattern] {
            match target {
                Target::Contains { matcher, exact } => {
                    if exact.as_deref().is_none_or(|exact| exact == text) {
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
        let triples: Vec<&[u8]> = literals
            .iter()
            .filter(|l| l.len() == 3)
            .map(Vec::as_slice)
            .collect();
        let apart = triples.len() <= MAX_TRIPLES;
        let anchors = anchor_set(
            literals
                .iter()
                .filter(|l| l.len() > 3 || (l.len() == 3 && !apart))
                .map(Vec::as_slice),
        )?;
        let anchors = if anchors.is_empty() {
            None
        } else {
            let searcher = packed::Config::new()
                .match_kind(packed::MatchKind::LeftmostFirst)
                .only_teddy_fat(fat_teddy(anchors.len()))
                .builder()
                .extend(anchors)
                .build()?;
            Some(searcher)
        };
        let triples = if apart {
            triples
                .into_iter()
                .map(|t| memmem::Finder::new(t).into_owned())
                .collect()
        } else {
            Vec::new()
        };
        Some(Prefilter {
            anchors,
            triples,
            short,
        })
    }

    /// Puts the lines of `doc` that may hold a literal into `scratch.flagged`, in order.
    fn flag(&self, doc: &[u8], lines: &[Range<usize>], scratch: &mut ScanScratch) {
        let ScanScratch { lower, flagged } = scratch;
        lower.clear();
        lower.extend(doc.iter().map(u8::to_ascii_lowercase));
        flagged.clear();
        let lower = lower.as_slice();
        if let Some(anchors) = &self.anchors {
            flag_lines(lines, flagged, |at| {
                anchors
                    .find_in(lower, Span::from(at..lower.len()))
                    .map(|m| m.start())
            });
        }
        for triple in &self.triples {
            flag_lines(lines, flagged, |at| {
                triple.find(&lower[at..]).map(|i| at + i)
            });
        }
        if !self.short.is_empty() {
            flag_lines(lines, flagged, |at| {
                let rest = &lower[at..];
                let found = match self.short[..] {
                    [a] => memchr::memchr(a, rest),
                    [a, b] => memchr::memchr2(a, b, rest),
                    [a, b, c] => memchr::memchr3(a, b, c, rest),
                    _ => unreachable!("one to three short first bytes"),
                };
                found.map(|i| at + i)
            });
        }
        flagged.sort_unstable();
        flagged.dedup();
    }
}

/// Flags the line of each position `find` gives (the first at or after the
/// position it is given), asking again from the end of that line: one hit
/// is enough for a line.
fn flag_lines(
    lines: &[Range<usize>],
    flagged: &mut Vec<usize>,
    mut find: impl FnMut(usize) -> Option<usize>,
) {
    let mut at = 0;
    while let Some(pos) = find(at) {
        let line = lines.partition_point(|r| r.end <= pos);
        flagged.push(line);
        at = lines[line].end;
    }
}

/// The anchors to search for: each literal's [`anchor`], but for literals
/// that hold a shorter literal's anchor (or one as short), since a line
/// holding such a literal holds that anchor, which flags it. The lines
/// flagged are those the anchors of all literals would flag, or fewer.
/// `None` when there are more than Teddy takes.
fn anchor_set<'a>(literals: impl Iterator<Item = &'a [u8]>) -> Option<Vec<&'a [u8]>> {
    let mut by_anchor: Vec<(&[u8], &[u8])> = literals.map(|l| (anchor(l), l)).collect();
    by_anchor.sort_unstable_by_key(|&(anchor, _)| (anchor.len(), anchor));
    let mut set: Vec<&[u8]> = Vec::with_capacity(MAX_ANCHORS);
    for (anchor, literal) in by_anchor {
        if !set.iter().any(|a| memmem::find(literal, a).is_some()) {
            if set.len() == MAX_ANCHORS {
                return None;
            }
            set.push(anchor);
        }
    }
    Some(set)
}

/// Most anchors Teddy takes (aho-corasick's limit, beyond which it would
/// spend its time checking candidates).
const MAX_ANCHORS: usize = 64;

/// Asks for Teddy's fat form (16 buckets, 16 bytes a step) where it has
/// one, when there are more anchors than the slim form's 8 buckets
/// (32 bytes a step): on text, buckets that share anchors flag so many
/// more positions to check that the slim form's longer step loses (on the
/// built-in packs' 28 anchors, when they were chosen: a candidate every
/// 190 bytes of the bench corpus instead of every 85, and 14 % more
/// throughput in the engine bench).
fn fat_teddy(anchors: usize) -> Option<bool> {
    #[cfg(target_arch = "x86_64")]
    let has_fat = std::arch::is_x86_feature_detected!("avx2");
    #[cfg(not(target_arch = "x86_64"))]
    let has_fat = false;
    (has_fat && anchors > 8).then_some(true)
}

/// Longest anchor: longer ones would rarely flag fewer lines, and shorter
/// ones are shared by more literals (Teddy takes at most [`MAX_ANCHORS`]).
const ANCHOR_LEN: usize = 8;

/// The piece of `literal` (three bytes or more) that starts with its
/// rarest four bytes (all three of a three-byte literal), by a rough
/// frequency of bytes in English text, at most [`ANCHOR_LEN`] long. Teddy
/// tests the first four bytes of each anchor at every position, so those
/// four decide how often it stops to check one: scored by three bytes,
/// `reactions` was anchored at `ctions`, which `actions` and `sections`
/// hold too.
fn anchor(literal: &[u8]) -> &[u8] {
    let width = literal.len().min(4);
    let start = (0..=literal.len() - width)
        .min_by_key(|&i| {
            literal[i..i + width]
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
    fn anchor_sets_leave_out_literals_that_hold_a_shorter_anchor() {
        let set = anchor_set(
            [
                "notify me of follow-up comments",
                "comment",
                " use of cookies",
                "comments are moderated",
                "cookies",
                "said: on ",
                " on ",
            ]
            .map(str::as_bytes)
            .into_iter(),
        );
        // alone, "follow-up comments" would be anchored at "w-up com",
        // "comments are moderated" at "comments" and "said: on " at
        // "aid: on "
        assert_eq!(set, Some(vec![&b" on "[..], b"comment", b"cookies"]));
    }

    /// Beyond the anchors Teddy takes there is no prefilter, and the scan
    /// still finds every literal.
    #[test]
    fn too_many_anchors_leave_the_prefilter_out() {
        let literals: Vec<String> = (0..=MAX_ANCHORS).map(|i| format!("{i:04}")).collect();
        let bytes = |n: usize| literals[..n].iter().map(|l| l.as_bytes());
        assert_eq!(
            anchor_set(bytes(MAX_ANCHORS)).map(|s| s.len()),
            Some(MAX_ANCHORS)
        );
        assert_eq!(anchor_set(bytes(MAX_ANCHORS + 1)), None);
        let doc = format!("x {} y\nnone\n{}\n", literals[3], literals[MAX_ANCHORS]);
        let literals: Vec<&[u8]> = literals.iter().map(|l| l.as_bytes()).collect();
        let (prefiltered, found) = scanned(doc.as_bytes(), &literals);
        assert!(!prefiltered);
        assert_eq!(found[3], [0]);
        assert_eq!(found[MAX_ANCHORS], [2]);
        assert!(found[4].is_empty());
    }

    #[test]
    fn anchors_start_at_the_rarest_four_bytes() {
        assert_eq!(anchor(b"read our rules for commenting"), b"commenti");
        assert_eq!(anchor(b" use of cookies"), b"cookies");
        // not `ctions`, which `actions` and `sections` hold
        assert_eq!(anchor(b"reactions"), b"reaction");
        assert_eq!(anchor(b"abqzx"), b"bqzx");
        assert_eq!(anchor(b"abc"), b"abc");
    }

    /// The lines each literal is found on, by the scanner (`.0`: whether
    /// it built a prefilter) for `contains` literals matched ignoring case.
    fn scanned(doc: &[u8], literals: &[&[u8]]) -> (bool, Vec<Vec<usize>>) {
        let mut lines = Vec::new();
        crate::engine::lines::split(doc, &mut lines);
        let targets = literals
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let target = Target::Contains {
                    matcher: MatcherId(i as u32),
                    exact: None,
                };
                (l.to_vec(), target)
            })
            .collect();
        let scanner = Scanner::new(targets, Vec::new()).unwrap();
        let mut hits = Hits::default();
        let mut scratch = ScanScratch::default();
        let mut candidates = RegexScratch::default();
        scanner.scan(doc, &lines, &mut scratch, &mut hits, &mut candidates);
        hits.finish();
        let by_literal = (0..literals.len())
            .map(|i| hits.lines(MatcherId(i as u32)).collect())
            .collect();
        (scanner.prefilter.is_some(), by_literal)
    }

    proptest::proptest! {
        /// Whatever the mix of literal lengths (three-byte ones searched
        /// apart or among the anchors, short ones by first byte), a literal
        /// is found on exactly the lines that hold it, ignoring ASCII case.
        #[test]
        fn the_scan_finds_each_literal_on_the_lines_that_hold_it(
            pieces in proptest::collection::vec(
                proptest::sample::select(vec![
                    &b"ads"[..], b"ADS", b"Sign in", b"sign", b"in", b" ", b"\n", b"\r\n",
                    "\u{212a}".as_bytes(), "\u{17f}".as_bytes(), b"|", b"Disqus",
                    b"powered by", b"xyz", b"ab", b"\xE2", b"cookies", b"Comments",
                    b"said on ", b"Share this", b"follow us", b"reply",
                ]),
                0..60,
            ),
            literals in proptest::collection::vec(
                proptest::sample::select(vec![
                    &b"ads"[..], b"sig", b"xyz", "\u{212a}".as_bytes(), b"n i", b"|",
                    "\u{17f}".as_bytes(), b"ab", b"disqus", b"sign in", b"powered",
                    b"s in", b"kies", b"q", b"comment", b"said on", b"aid o", b"share",
                    b"this", b"follow", b"llow u", b"reply", b"re th",
                ]),
                1..16,
            ),
        ) {
            let doc = pieces.concat();
            let mut literals = literals;
            literals.sort();
            literals.dedup();
            let mut lines = Vec::new();
            crate::engine::lines::split(&doc, &mut lines);
            let want: Vec<Vec<usize>> = literals
                .iter()
                .map(|literal| {
                    lines
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| {
                            let line = doc[(*r).clone()].to_ascii_lowercase();
                            memmem::find(&line, literal).is_some()
                        })
                        .map(|(i, _)| i)
                        .collect()
                })
                .collect();
            let (_, got) = scanned(&doc, &literals);
            proptest::prop_assert_eq!(got, want);
        }
    }

    /// The fat form is asked for past slim Teddy's 8 buckets, and only
    /// where the CPU has it.
    #[test]
    fn fat_teddy_takes_more_than_eight_anchors_where_the_cpu_has_it() {
        assert_eq!(fat_teddy(8), None);
        #[cfg(target_arch = "x86_64")]
        let expected = std::arch::is_x86_feature_detected!("avx2").then_some(true);
        #[cfg(not(target_arch = "x86_64"))]
        let expected = None;
        assert_eq!(fat_teddy(9), expected);
    }

    /// The built-in packs' scan keeps its prefilter, and Teddy tests four
    /// bytes at each position (the Kelvin sign, three bytes, is searched
    /// for apart): a pack change that loses either slows every document.
    #[test]
    fn the_built_in_packs_scan_with_four_byte_anchors() {
        let rules = crate::ruleset::RuleSet::builtin().unwrap();
        let scanner = rules.matchers().scanner.as_ref().unwrap();
        let prefilter = scanner.prefilter.as_ref().expect("a prefilter");
        let anchors = prefilter.anchors.as_ref().expect("Teddy anchors");
        assert!(anchors.minimum_len() >= 4);
        assert!(!prefilter.triples.is_empty());
    }

    /// With more anchors than slim Teddy has buckets (so the fat form where
    /// the CPU has it), each literal is found on the lines that hold it.
    #[test]
    fn the_scan_finds_every_one_of_many_literals() {
        let literals = [
            "disqus",
            "powered by",
            "sign in",
            "cookies",
            "comment",
            "share this",
            "follow us",
            "reply",
            "newsletter",
            "subscribe",
            "advertisement",
            "related stories",
            "trending",
            "just published",
            "read more",
        ];
        let mut doc = String::new();
        for (i, literal) in literals.iter().enumerate() {
            // each literal on a line of its own, upper-cased on odd lines,
            // between lines that hold none
            let literal = match i % 2 {
                0 => literal.to_string(),
                _ => literal.to_uppercase(),
            };
            doc.push_str(&format!("an article line\nsee {literal} here\n"));
        }
        let literals: Vec<&[u8]> = literals.iter().map(|l| l.as_bytes()).collect();
        let (prefiltered, found) = scanned(doc.as_bytes(), &literals);
        assert!(prefiltered);
        let want: Vec<Vec<usize>> = (0..literals.len()).map(|i| vec![2 * i + 1]).collect();
        assert_eq!(found, want);
    }

    /// With and without a prefilter (four short literals leave it out), the
    /// scan finds the same lines; a literal across a line break (the whole
    /// document is scanned at once without a prefilter) is in no line.
    #[test]
    fn the_scan_finds_the_same_lines_with_or_without_a_prefilter() {
        let doc = b"a|b\nnothing here\nsee ab\nxy and Disqus\n\xC5\xBF\n";
        let found = |literals: &[&str]| {
            let literals: Vec<&[u8]> = literals.iter().map(|l| l.as_bytes()).collect();
            scanned(doc, &literals)
        };
        let with = found(&["|", "disqus", "ab", "b\nnothing"]);
        let without = found(&["|", "disqus", "ab", "b\nnothing", "xy", "\u{17f}"]);
        assert!(with.0 && !without.0);
        assert_eq!(with.1, [vec![0], vec![3], vec![2], vec![]]);
        assert_eq!(without.1[..4], with.1[..]);
        assert_eq!(without.1[4..], [vec![3], vec![4]]);
    }
}
