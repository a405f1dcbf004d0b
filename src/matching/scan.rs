//! One pass over a whole document for every literal that may occur anywhere
//! in a line: `contains` literals, the factors of regexes (see the
//! `regexes` module) and the two non-ASCII letters that fold to ASCII ones.
//!
//! All of them go into one ASCII-case-insensitive aho-corasick DFA, so a
//! document is read once however many such literals a rule set has.
//! Case-sensitive `contains` literals are checked against the bytes found.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
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
        })
    }

    /// Finds every literal in `doc`, whose lines are `lines`: `contains`
    /// hits go to `hits`, regexes to try to `candidates`. A literal counts
    /// for the line that holds all of it.
    pub fn scan(
        &self,
        doc: &[u8],
        lines: &[Range<usize>],
        hits: &mut Hits,
        candidates: &mut RegexScratch,
    ) {
        for m in self.searcher.find_overlapping_iter(doc) {
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
