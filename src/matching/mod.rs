//! Compiled matchers: which matchers hit which lines of a document.
//!
//! All matcher specs of a rule set are compiled together, once:
//! - `line` literals go into hash maps keyed by the trimmed line (ASCII
//!   case-folded for `case = "insensitive"`), checked only for lines whose
//!   trimmed length some literal has;
//! - `contains` literals go into one aho-corasick automaton (two when some are
//!   case-insensitive), run once over the whole document;
//! - regexes (and non-ASCII case-insensitive literals) go into one
//!   `regex::bytes::RegexSet`, run on the trimmed lines.
//!
//! The result of [`Matchers::find`] is a sorted list of [`Hits`] that the
//! engine queries by matcher. Text helpers shared with tidy and learn live in
//! [`text`].

pub mod text;

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::bytes::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use rustc_hash::FxHashMap;

use crate::rules::{MatcherId, MatcherSpec, Pattern, PatternKind, RuleError, RuleErrors};

/// Lines longer than this (trimmed) never equal a `line` literal that short;
/// literal lengths up to it are tracked in a bitmap.
const LEN_BITMAP: usize = 512;
/// Size limit of a compiled regex, generous for rule packs of thousands of rules.
const REGEX_SIZE_LIMIT: usize = 64 << 20;

/// Every matcher of a rule set, compiled.
#[derive(Debug)]
pub struct Matchers {
    count: usize,
    lines_exact: LiteralLines,
    lines_folded: LiteralLines,
    contains_exact: Option<Automaton>,
    contains_folded: Option<Automaton>,
    regexes: Option<RegexGroup>,
}

#[derive(Debug, Default)]
struct LiteralLines {
    map: FxHashMap<Box<[u8]>, Vec<MatcherId>>,
    lengths: Vec<bool>,
    any_longer: bool,
}

impl LiteralLines {
    fn insert(&mut self, key: Vec<u8>, id: MatcherId) {
        if self.lengths.is_empty() {
            self.lengths = vec![false; LEN_BITMAP];
        }
        match self.lengths.get_mut(key.len()) {
            Some(slot) => *slot = true,
            None => self.any_longer = true,
        }
        let ids = self.map.entry(key.into_boxed_slice()).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }

    fn may_hold(&self, len: usize) -> bool {
        !self.map.is_empty() && self.lengths.get(len).copied().unwrap_or(self.any_longer)
    }
}

#[derive(Debug)]
struct Automaton {
    searcher: AhoCorasick,
    owners: Vec<Vec<MatcherId>>,
}

#[derive(Debug)]
struct RegexGroup {
    set: RegexSet,
    owners: Vec<MatcherId>,
}

/// Reusable per-thread buffers for [`Matchers::find`].
#[derive(Debug, Default)]
pub struct MatchScratch {
    folded: Vec<u8>,
}

/// Which matchers hit which lines of one document: sorted `(matcher, line)` pairs.
#[derive(Debug, Default)]
pub struct Hits {
    pairs: Vec<u64>,
}

impl Hits {
    fn push(&mut self, matcher: MatcherId, line: usize) {
        self.pairs.push(((matcher.0 as u64) << 32) | line as u64);
    }

    fn finish(&mut self) {
        self.pairs.sort_unstable();
        self.pairs.dedup();
    }

    /// Forgets every hit, keeping the allocation.
    pub fn clear(&mut self) {
        self.pairs.clear();
    }

    /// True when no matcher hit any line.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The lines `matcher` hits, in order.
    pub fn lines(&self, matcher: MatcherId) -> impl DoubleEndedIterator<Item = usize> + Clone + '_ {
        let lo = (matcher.0 as u64) << 32;
        let hi = lo + (1 << 32);
        let start = self.pairs.partition_point(|&p| p < lo);
        let end = self.pairs.partition_point(|&p| p < hi);
        self.pairs[start..end]
            .iter()
            .map(|&p| (p & 0xFFFF_FFFF) as usize)
    }

    /// True when `matcher` hits `line`.
    pub fn hits(&self, matcher: MatcherId, line: usize) -> bool {
        let key = ((matcher.0 as u64) << 32) | line as u64;
        self.pairs.binary_search(&key).is_ok()
    }

    /// The first line at or after `from` that `matcher` hits.
    pub fn next(&self, matcher: MatcherId, from: usize) -> Option<usize> {
        let key = ((matcher.0 as u64) << 32) | from as u64;
        let i = self.pairs.partition_point(|&p| p < key);
        let p = *self.pairs.get(i)?;
        ((p >> 32) as u32 == matcher.0).then_some((p & 0xFFFF_FFFF) as usize)
    }
}

impl Matchers {
    /// Compiles matcher specs; `MatcherId(i)` is `specs[i]`.
    ///
    /// # Errors
    /// A [`RuleError`] at the pattern's location for every regex that does not compile.
    pub fn compile(specs: &[MatcherSpec]) -> Result<Matchers, RuleErrors> {
        let mut lines_exact = LiteralLines::default();
        let mut lines_folded = LiteralLines::default();
        let mut contains: [Vec<(Vec<u8>, MatcherId)>; 2] = [Vec::new(), Vec::new()];
        let mut regexes: Vec<(String, MatcherId)> = Vec::new();
        let mut errors = Vec::new();
        for (i, spec) in specs.iter().enumerate() {
            let id = MatcherId(i as u32);
            for pattern in &spec.patterns {
                match (pattern.kind, pattern.fold, pattern.text.is_ascii()) {
                    (PatternKind::Line, false, _) => {
                        lines_exact.insert(pattern.text.as_bytes().to_vec(), id)
                    }
                    (PatternKind::Line, true, true) => {
                        lines_folded.insert(pattern.text.to_ascii_lowercase().into_bytes(), id)
                    }
                    (PatternKind::Contains, fold, ascii) if ascii || !fold => {
                        contains[fold as usize].push((pattern.text.as_bytes().to_vec(), id))
                    }
                    (PatternKind::Line, true, false) => {
                        regexes.push((format!("(?i)^{}$", regex::escape(&pattern.text)), id))
                    }
                    (PatternKind::Contains, _, _) => {
                        regexes.push((format!("(?i){}", regex::escape(&pattern.text)), id))
                    }
                    (PatternKind::Regex, fold, _) => match compile_regex(&pattern.text, fold) {
                        Ok(_) => regexes.push((
                            if fold {
                                format!("(?i:{})", pattern.text)
                            } else {
                                pattern.text.clone()
                            },
                            id,
                        )),
                        Err(err) => errors.push(regex_error(pattern, &err)),
                    },
                }
            }
        }
        if !errors.is_empty() {
            return Err(RuleErrors(errors));
        }
        let [exact, folded] = contains;
        let regexes = if regexes.is_empty() {
            None
        } else {
            let set = RegexSetBuilder::new(regexes.iter().map(|(src, _)| src))
                .size_limit(REGEX_SIZE_LIMIT)
                .dfa_size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|err| {
                    RuleErrors(vec![RuleError::in_file(
                        &"<rule set>".into(),
                        format!("the rule set's regexes are too large together: {err}"),
                    )])
                })?;
            Some(RegexGroup {
                set,
                owners: regexes.into_iter().map(|(_, id)| id).collect(),
            })
        };
        Ok(Matchers {
            count: specs.len(),
            lines_exact,
            lines_folded,
            contains_exact: automaton(exact, false),
            contains_folded: automaton(folded, true),
            regexes,
        })
    }

    /// How many matchers there are.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True when there are no matchers.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Finds every hit in `doc`, whose lines are `lines` (byte ranges with
    /// their endings), into `hits` (cleared first).
    pub fn find(
        &self,
        doc: &[u8],
        lines: &[Range<usize>],
        scratch: &mut MatchScratch,
        hits: &mut Hits,
    ) {
        hits.clear();
        let per_line = !self.lines_exact.map.is_empty()
            || !self.lines_folded.map.is_empty()
            || self.regexes.is_some();
        if per_line {
            for (index, range) in lines.iter().enumerate() {
                let line = text::trim(&doc[range.clone()]);
                if line.is_empty() {
                    continue;
                }
                self.find_in_line(line, index, scratch, hits);
            }
        }
        for automaton in [&self.contains_exact, &self.contains_folded]
            .into_iter()
            .flatten()
        {
            for m in automaton.searcher.find_overlapping_iter(doc) {
                let index = lines.partition_point(|r| r.end <= m.start());
                for &id in &automaton.owners[m.pattern().as_usize()] {
                    hits.push(id, index);
                }
            }
        }
        hits.finish();
    }

    fn find_in_line(&self, line: &[u8], index: usize, scratch: &mut MatchScratch, hits: &mut Hits) {
        if self.lines_exact.may_hold(line.len()) {
            if let Some(ids) = self.lines_exact.map.get(line) {
                ids.iter().for_each(|&id| hits.push(id, index));
            }
        }
        if self.lines_folded.may_hold(line.len()) {
            scratch.folded.clear();
            scratch
                .folded
                .extend(line.iter().map(u8::to_ascii_lowercase));
            if let Some(ids) = self.lines_folded.map.get(scratch.folded.as_slice()) {
                ids.iter().for_each(|&id| hits.push(id, index));
            }
        }
        if let Some(group) = &self.regexes {
            if group.set.is_match(line) {
                for i in group.set.matches(line).iter() {
                    hits.push(group.owners[i], index);
                }
            }
        }
    }
}

fn automaton(patterns: Vec<(Vec<u8>, MatcherId)>, fold: bool) -> Option<Automaton> {
    if patterns.is_empty() {
        return None;
    }
    let mut unique: Vec<Vec<u8>> = Vec::new();
    let mut owners: Vec<Vec<MatcherId>> = Vec::new();
    let mut index: FxHashMap<Vec<u8>, usize> = FxHashMap::default();
    for (text, id) in patterns {
        let key = if fold {
            text.to_ascii_lowercase()
        } else {
            text
        };
        let slot = *index.entry(key.clone()).or_insert_with(|| {
            unique.push(key);
            owners.push(Vec::new());
            unique.len() - 1
        });
        if !owners[slot].contains(&id) {
            owners[slot].push(id);
        }
    }
    let searcher = AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(fold)
        .build(&unique)
        .expect("literal patterns always build");
    Some(Automaton { searcher, owners })
}

/// Compiles one regex the way matchers use it (bytes, Unicode, optionally case-insensitive).
///
/// # Errors
/// The regex crate's error for a bad pattern.
pub fn compile_regex(source: &str, fold: bool) -> Result<Regex, regex::Error> {
    RegexBuilder::new(source)
        .case_insensitive(fold)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
}

/// A [`RuleError`] at the pattern for a regex that failed to compile.
pub fn regex_error(pattern: &Pattern, err: &regex::Error) -> RuleError {
    let detail = err.to_string();
    let last = detail.lines().last().unwrap_or("").trim().to_string();
    RuleError::at(
        &pattern.location,
        format!("bad regex `{}`: {last}", pattern.text),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Location;
    use std::sync::Arc;

    fn spec(patterns: &[(PatternKind, &str, bool)]) -> MatcherSpec {
        let file: Arc<str> = Arc::from("t.toml");
        MatcherSpec {
            patterns: patterns
                .iter()
                .map(|(kind, text, fold)| Pattern {
                    kind: *kind,
                    text: text.to_string(),
                    fold: *fold,
                    location: Location::at(&file, "", 0),
                })
                .collect(),
        }
    }

    fn lines_of(doc: &[u8]) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        crate::engine::lines::split(doc, &mut out);
        out
    }

    /// (patterns, document, lines hit)
    type Case<'a> = (&'a [(PatternKind, &'a str, bool)], &'a [u8], &'a [usize]);

    #[test]
    fn matcher_table() {
        use PatternKind::*;
        let cases: &[Case] = &[
            (
                &[(Line, "Sign in", false)],
                b"Sign in\n  Sign in \nSign in to comment\nsign in\n",
                &[0, 1],
            ),
            (
                &[(Line, "Sign in", true)],
                b"SIGN IN\nsign in\xC2\xA0\r\nSign in now\n",
                &[0, 1],
            ),
            (&[(Line, "Été", true)], b"\xC3\xA9T\xC3\xA9\nete\n", &[0]),
            (
                &[(Contains, "Disqus", false)],
                b"a\ncomments powered by Disqus\ndisqus\n",
                &[1],
            ),
            (
                &[(Contains, "disqus", true)],
                b"a\ncomments powered by DISQUS\n",
                &[1],
            ),
            (
                &[(Regex, r"^\d+ comments$", false)],
                b"12 comments\n 3 comments \nsee 3 comments\n",
                &[0, 1],
            ),
            (&[(Regex, r"^share$", true)], b"SHARE\n", &[0]),
            (
                &[(Line, "x", false), (Contains, "yy", false)],
                b"x\nayyb\nz\n",
                &[0, 1],
            ),
            (&[(Line, "\u{FFFD}", false)], b"\xFF\n", &[]),
        ];
        for (patterns, doc, want) in cases {
            let matchers = Matchers::compile(&[spec(patterns)]).unwrap();
            let mut hits = Hits::default();
            matchers.find(doc, &lines_of(doc), &mut MatchScratch::default(), &mut hits);
            let got: Vec<usize> = hits.lines(MatcherId(0)).collect();
            assert_eq!(
                &got,
                want,
                "patterns {patterns:?} on {:?}",
                String::from_utf8_lossy(doc)
            );
        }
    }

    #[test]
    fn hits_answer_queries_by_matcher() {
        let specs = [
            spec(&[(PatternKind::Line, "a", false)]),
            spec(&[(PatternKind::Line, "b", false)]),
        ];
        let matchers = Matchers::compile(&specs).unwrap();
        let doc = b"a\nb\na\nb\n";
        let mut hits = Hits::default();
        matchers.find(doc, &lines_of(doc), &mut MatchScratch::default(), &mut hits);
        assert!(hits.hits(MatcherId(1), 3));
        assert!(!hits.hits(MatcherId(1), 2));
        assert_eq!(hits.next(MatcherId(0), 1), Some(2));
        assert_eq!(hits.next(MatcherId(0), 3), None);
    }

    #[test]
    fn a_bad_regex_is_an_error_at_its_location() {
        let err = Matchers::compile(&[spec(&[(PatternKind::Regex, "a(", false)])]).unwrap_err();
        assert!(
            err.0[0]
                .to_string()
                .starts_with("t.toml:1:1: bad regex `a(`"),
            "{err}"
        );
    }
}
