//! Compiled matchers: which matchers hit which lines of a document.
//!
//! All matcher specs of a rule set are compiled together, once (a built-in
//! pack's regexes when a line first needs them, see `line_regex`):
//! - `line` literals go into hash maps keyed by the trimmed line (ASCII
//!   case-folded for `case = "insensitive"`), checked only for lines of the
//!   length and first and last bytes of some literal;
//! - `contains` literals and the factors of regexes go into one aho-corasick
//!   automaton, run once over the whole document (the `scan` module);
//! - regexes (and non-ASCII case-insensitive literals) are compiled one by
//!   one and run on the trimmed lines where they can match: see the `regexes` module
//!   for the literal factors and length bounds that pick those lines,
//!   the memo of answers on lines seen before (`memo`), and the batches
//!   of documents over which each regex runs in a row.
//!
//! The result of [`Matchers::find`] (one document) or [`Matchers::find_batch`]
//! (several) is a sorted list of [`Hits`] per document that the engine
//! queries by matcher. Text helpers shared with tidy and learn live in
//! [`text`].

mod bitmap;
mod hir_classes;
mod line_regex;
mod memo;
mod regexes;
mod scan;
pub mod text;

use std::ops::Range;

use rayon::prelude::*;
use regex::bytes::{Regex, RegexBuilder};
use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
use rustc_hash::FxHashMap;

use crate::rules::{MatcherId, MatcherSpec, Pattern, PatternKind, RuleError, RuleErrors};
use bitmap::Bitmap;
use line_regex::LineRegex;
use regexes::{RegexScratch, Regexes, Source};
use scan::{ScanScratch, Scanner, Target};

/// Size limit of a compiled regex, generous for rule packs of thousands of rules.
const REGEX_SIZE_LIMIT: usize = 64 << 20;

/// Every matcher of a rule set, compiled.
#[derive(Debug)]
pub struct Matchers {
    count: usize,
    lines_exact: LiteralLines,
    lines_folded: LiteralLines,
    scanner: Option<Scanner>,
    regexes: Regexes,
}

#[derive(Debug, Default)]
struct LiteralLines {
    map: FxHashMap<Box<[u8]>, Vec<MatcherId>>,
    /// Bit [`LiteralLines::shape`] of every literal: a line of another
    /// shape equals none of them and is not looked up.
    shapes: Bitmap,
}

impl LiteralLines {
    fn insert(&mut self, key: Vec<u8>, id: MatcherId) {
        self.shapes.set(Self::shape(&key));
        let ids = self.map.entry(key.into_boxed_slice()).or_default();
        if !ids.contains(&id) {
            ids.push(id);
        }
    }

    /// A line's length and its first and last bytes (ASCII lower-cased), hashed.
    fn shape(line: &[u8]) -> usize {
        let byte = |b: Option<&u8>| u64::from(b.copied().unwrap_or(0).to_ascii_lowercase());
        Bitmap::key((line.len() as u64) << 16 | byte(line.first()) << 8 | byte(line.last()))
    }

    /// False when no literal has the [`LiteralLines::shape`] `shape`.
    fn may_hold(&self, shape: usize) -> bool {
        !self.map.is_empty() && self.shapes.get(shape)
    }
}

/// Reusable per-thread buffers for [`Matchers::find`].
#[derive(Debug, Default)]
pub struct MatchScratch {
    folded: Vec<u8>,
    scan: ScanScratch,
    regexes: RegexScratch,
}

/// One document as [`Matchers::find_batch`] reads it: its bytes, its lines
/// (byte ranges with their endings) and the same trimmed of whitespace.
#[derive(Debug, Clone, Copy)]
pub struct DocLines<'a> {
    /// The document.
    pub doc: &'a [u8],
    /// Its lines, endings included.
    pub lines: &'a [Range<usize>],
    /// Its lines trimmed of whitespace.
    pub trimmed: &'a [Range<usize>],
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

    /// Every matcher that hit some line, in order, once each.
    pub fn matchers(&self) -> impl Iterator<Item = MatcherId> + '_ {
        let mut last = None;
        self.pairs.iter().filter_map(move |&p| {
            let matcher = (p >> 32) as u32;
            (last != Some(matcher)).then(|| {
                last = Some(matcher);
                MatcherId(matcher)
            })
        })
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
}

impl Matchers {
    /// Compiles matcher specs; `MatcherId(i)` is `specs[i]`.
    ///
    /// The regexes of the `on_demand` matchers (a `block`'s `end`, a `run`'s
    /// `while`: the engine asks about them only on a few lines after a hit
    /// of another) are not run by [`Matchers::find`]; [`Matchers::hits`]
    /// runs them on the lines asked about.
    ///
    /// # Errors
    /// A [`RuleError`] at the pattern's location for every regex that does
    /// not parse, and for every regex of a pack that is not built in that
    /// does not compile (a built-in pack's are compiled on first use, and
    /// tested to compile).
    pub fn compile(specs: &[MatcherSpec], on_demand: &[MatcherId]) -> Result<Matchers, RuleErrors> {
        let mut lines_exact = LiteralLines::default();
        let mut lines_folded = LiteralLines::default();
        let mut literals: Vec<(Vec<u8>, Target)> = Vec::new();
        // (pattern, case-insensitive, matcher, its spec, where it is written)
        let mut regexes: Vec<(String, bool, MatcherId, &MatcherSpec, &Pattern)> = Vec::new();
        for (i, spec) in specs.iter().enumerate() {
            let id = MatcherId(i as u32);
            for pattern in &spec.patterns {
                let ascii_folds = folds_like_ascii(&pattern.text);
                match (pattern.kind, pattern.fold, ascii_folds) {
                    (PatternKind::Line, false, _) => {
                        lines_exact.insert(pattern.text.as_bytes().to_vec(), id)
                    }
                    (PatternKind::Line, true, true) => {
                        lines_folded.insert(pattern.text.to_ascii_lowercase().into_bytes(), id)
                    }
                    (PatternKind::Contains, fold, ascii_folds) if ascii_folds || !fold => {
                        let text = pattern.text.as_bytes();
                        let target = Target::Contains {
                            matcher: id,
                            exact: (!fold).then(|| text.into()),
                        };
                        literals.push((text.to_vec(), target))
                    }
                    (PatternKind::Line, true, false) => {
                        let source = format!("^{}$", regex::escape(&pattern.text));
                        regexes.push((source, true, id, spec, pattern))
                    }
                    (PatternKind::Contains, _, _) => {
                        let source = regex::escape(&pattern.text);
                        regexes.push((source, true, id, spec, pattern))
                    }
                    (PatternKind::Regex, fold, _) => {
                        let source = pattern.text.clone();
                        regexes.push((source, fold, id, spec, pattern))
                    }
                }
            }
        }
        // parsing regexes, and compiling those of packs that are not built
        // in, is most of the time a rule set takes to load
        let compiled: Vec<Result<Source, RuleError>> = regexes
            .par_iter()
            .map(|(source, fold, id, spec, at)| regex_source(source, *fold, *id, spec.built_in, at))
            .collect();
        let mut sources = Vec::new();
        let mut errors = Vec::new();
        for result in compiled {
            match result {
                Ok(source) => sources.push(source),
                Err(err) => errors.push(err),
            }
        }
        if !errors.is_empty() {
            return Err(RuleErrors(errors));
        }
        let (regexes, scanner) = Regexes::new(sources, on_demand, |factors, fold_lossy| {
            literals.extend(factors);
            Scanner::new(literals, fold_lossy)
        });
        Ok(Matchers {
            count: specs.len(),
            lines_exact,
            lines_folded,
            scanner,
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
    /// their endings) and `trimmed` (the same trimmed of whitespace, see
    /// [`crate::engine::lines::trim_each`]), into `hits` (cleared first),
    /// but for the regexes of on-demand matchers ([`Matchers::hits`]).
    pub fn find(
        &self,
        doc: &[u8],
        lines: &[Range<usize>],
        trimmed: &[Range<usize>],
        scratch: &mut MatchScratch,
        hits: &mut Hits,
    ) {
        let docs = [DocLines {
            doc,
            lines,
            trimmed,
        }];
        self.find_batch(&docs, scratch, std::slice::from_mut(hits));
    }

    /// Finds every hit in each of `docs` into the `hits` of the same index
    /// (cleared first): the same hits as [`Matchers::find`] on each, but the
    /// regexes run one after the other over the whole batch, which keeps
    /// their lazy DFAs in the CPU caches (see the `regexes` module).
    ///
    /// # Panics
    /// When `hits` and `docs` differ in length.
    pub fn find_batch(&self, docs: &[DocLines<'_>], scratch: &mut MatchScratch, hits: &mut [Hits]) {
        assert_eq!(docs.len(), hits.len(), "one `Hits` per document");
        self.regexes.prepare(&mut scratch.regexes);
        let per_line = !self.lines_exact.map.is_empty()
            || !self.lines_folded.map.is_empty()
            || self.regexes.per_line();
        for (i, (doc, hits)) in docs.iter().zip(hits.iter_mut()).enumerate() {
            hits.clear();
            scratch.regexes.start_doc(i);
            if let Some(scanner) = &self.scanner {
                scanner.scan(
                    doc.doc,
                    doc.lines,
                    &mut scratch.scan,
                    hits,
                    &mut scratch.regexes,
                );
            }
            if per_line {
                for (index, range) in doc.trimmed.iter().enumerate() {
                    if !range.is_empty() {
                        self.find_in_line(&doc.doc[range.clone()], index, scratch, hits);
                    }
                }
            }
        }
        self.regexes
            .run_candidates(docs, &mut scratch.regexes, hits);
        hits.iter_mut().for_each(Hits::finish);
    }

    /// True when `matcher` hits the line `index` of a document whose hits
    /// [`Matchers::find`] found (`hits`) and whose trimmed line is `line`:
    /// its hit in `hits` or, for an on-demand matcher, one of its regexes
    /// run on the line now. A blank line is never hit.
    pub fn hits(
        &self,
        hits: &Hits,
        matcher: MatcherId,
        index: usize,
        line: &[u8],
        scratch: &mut MatchScratch,
    ) -> bool {
        hits.hits(matcher, index)
            || (!line.is_empty()
                && self
                    .regexes
                    .hits_on_demand(matcher, line, &mut scratch.regexes))
    }

    fn find_in_line(&self, line: &[u8], index: usize, scratch: &mut MatchScratch, hits: &mut Hits) {
        let shape = LiteralLines::shape(line);
        if self.lines_exact.may_hold(shape) {
            if let Some(ids) = self.lines_exact.map.get(line) {
                ids.iter().for_each(|&id| hits.push(id, index));
            }
        }
        if self.lines_folded.may_hold(shape) {
            scratch.folded.clear();
            scratch
                .folded
                .extend(line.iter().map(u8::to_ascii_lowercase));
            if let Some(ids) = self.lines_folded.map.get(scratch.folded.as_slice()) {
                ids.iter().for_each(|&id| hits.push(id, index));
            }
        }
        self.regexes
            .find_in_line(line, index, &mut scratch.regexes, hits);
    }
}

/// True when ignoring ASCII case is ignoring case for `text`: its non-ASCII
/// characters (`»`, `•`, `€`) have no other case. Such case-insensitive
/// literals are looked up like ASCII ones instead of running as regexes.
fn folds_like_ascii(text: &str) -> bool {
    text.chars().all(|c| {
        c.is_ascii() || {
            let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
            class.case_fold_simple();
            class.ranges() == [ClassUnicodeRange::new(c, c)]
        }
    })
}

/// Parses and compiles one regex matcher (a built-in one when first used),
/// or says why it does not compile.
fn regex_source(
    pattern: &str,
    fold: bool,
    owner: MatcherId,
    built_in: bool,
    at: &Pattern,
) -> Result<Source, RuleError> {
    let hir = regex_syntax::ParserBuilder::new()
        .utf8(false)
        .case_insensitive(fold)
        .build()
        .parse(pattern)
        .map_err(|err| regex_error(at, &err.to_string()))?;
    let regex = if built_in {
        LineRegex::on_first_use(&hir)
    } else {
        LineRegex::new(&hir).map_err(|err| regex_error(at, &err))?
    };
    Ok(Source { hir, regex, owner })
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

/// A [`RuleError`] at the pattern for a regex that failed to compile, from
/// the compiler's message.
pub fn regex_error(pattern: &Pattern, detail: &str) -> RuleError {
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
            built_in: false,
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

    /// Every hit of `matchers` in `doc`, found with `scratch`.
    fn find_all(matchers: &Matchers, doc: &[u8], scratch: &mut MatchScratch) -> Hits {
        let lines = lines_of(doc);
        let mut trimmed = Vec::new();
        crate::engine::lines::trim_each(doc, &lines, &mut trimmed);
        let mut hits = Hits::default();
        matchers.find(doc, &lines, &trimmed, scratch, &mut hits);
        hits
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
                &[(Line, "» More", true)],
                b"\xC2\xBB more\n\xC2\xBB\n",
                &[0],
            ),
            (
                &[(Contains, "€ off", true)],
                b"10 \xE2\x82\xAC OFF today\n",
                &[0],
            ),
            (&[(Contains, "étÉ", true)], b"l'\xC3\x89T\xC3\xA9\n", &[0]),
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
            let matchers = Matchers::compile(&[spec(patterns)], &[]).unwrap();
            let hits = find_all(&matchers, doc, &mut MatchScratch::default());
            let got: Vec<usize> = hits.lines(MatcherId(0)).collect();
            assert_eq!(
                &got,
                want,
                "patterns {patterns:?} on {:?}",
                String::from_utf8_lossy(doc)
            );
        }
    }

    /// Regexes found through factors and bounds hit exactly the lines that
    /// running every regex on every trimmed line hits.
    #[test]
    fn regex_hits_equal_every_regex_on_every_line() {
        let patterns: &[(&str, bool)] = &[
            (r"^comments powered by \w+\.?$", true),
            (r"^(sign|log) ?(in|on)$", true),
            (r"^\d+ (comments?|replies)$", false),
            (r"^.{1,12}$", false),
            (r"\bis a media partner\b", true),
            (r"^kelvin$", true),
            (r"^session$", true),
            (r"^Été$", true),
            (r"partner$", false),
            (r"^a\s+b$", false),
            (r"(?-u:\xFF)x", false),
            (r"^(copyright ?)?(©|\(c\)|copyright) ?(19|20)\d\d", true),
        ];
        let doc = "comments powered by Disqus\n  Comments Powered By X. \r\n\
            \u{a0}SIGN IN\u{a0}\nlogon\nlog\nin\n3 comments\n12 replies\nx 3 comments\n\
            short line\nthis line is longer than twelve\n\
            Acme is a media partner of the fair\nAcmeis a media partner\n\
            \u{212a}elvin\nKELVIN\n\u{17f}ession\nétÉ\nÉTÉ\n\
            a media partner\nthe partner \na\nb\na  b\n\n\
            Copyright © 2002-2019 Acme\n(c) 2001\ncopyright2019\n© 19\n";
        let mut bytes = doc.as_bytes().to_vec();
        bytes.extend_from_slice(b"\xFFx\n\xFF\nx\n");
        let specs: Vec<MatcherSpec> = patterns
            .iter()
            .map(|(p, fold)| spec(&[(PatternKind::Regex, p, *fold)]))
            .collect();
        let matchers = Matchers::compile(&specs, &[]).unwrap();
        let lines = lines_of(&bytes);
        let hits = find_all(&matchers, &bytes, &mut MatchScratch::default());
        for (i, (pattern, fold)) in patterns.iter().enumerate() {
            let regex = compile_regex(pattern, *fold).unwrap();
            let want: Vec<usize> = lines
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    let line = text::trim(&bytes[(*r).clone()]);
                    !line.is_empty() && regex.is_match(line)
                })
                .map(|(i, _)| i)
                .collect();
            assert!(!want.is_empty(), "{pattern} hits nothing: a useless case");
            let got: Vec<usize> = hits.lines(MatcherId(i as u32)).collect();
            assert_eq!(got, want, "{pattern}");
        }
    }

    type Compiled = (&'static [&'static str], Matchers, Vec<Regex>);

    /// The regexes of the property below, compiled once.
    fn property_matchers() -> &'static Compiled {
        static COMPILED: std::sync::OnceLock<Compiled> = std::sync::OnceLock::new();
        COMPILED.get_or_init(|| {
            let patterns: &'static [&'static str] = &[
                r"^comments powered by \w*$",
                r"^(sign|log) ?(in|on)\b",
                r"^\d+ (comments?|replies)$",
                r"\bis a media partner\b",
                r"^.{1,5}$",
                r"^(sign ?)?(in|©)? ?3",
            ];
            let specs: Vec<MatcherSpec> = patterns
                .iter()
                .map(|p| spec(&[(PatternKind::Regex, p, true)]))
                .collect();
            let regexes = patterns
                .iter()
                .map(|p| compile_regex(p, true).unwrap())
                .collect();
            (patterns, Matchers::compile(&specs, &[]).unwrap(), regexes)
        })
    }

    thread_local! {
        /// One scratch for every case of the property below, so the regexes'
        /// memo of lines seen before carries over from case to case.
        static SHARED: std::cell::RefCell<MatchScratch> = Default::default();
    }

    proptest::proptest! {
        /// The same, on batches of documents made of pieces of the patterns,
        /// case changes, whitespace, NBSP, `\r\n` and raw bytes, found with
        /// one scratch for all cases: neither the batch nor the answers
        /// remembered from earlier lines change a hit.
        #[test]
        fn regex_hits_equal_brute_force_on_arbitrary_lines(
            docs in proptest::collection::vec(proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(&b"comments powered by "[..]),
                    proptest::strategy::Just(&b"COMMENTS"[..]),
                    proptest::strategy::Just(&b"sign in"[..]),
                    proptest::strategy::Just(&b"\xC5\xBFign"[..]),
                    proptest::strategy::Just(&b" is a media partner"[..]),
                    proptest::strategy::Just(&b"3 replies"[..]),
                    proptest::strategy::Just(&b"\xC2\xA9"[..]),
                    proptest::strategy::Just(&b"\xC2\xA0"[..]),
                    proptest::strategy::Just(&b" "[..]),
                    proptest::strategy::Just(&b"\n"[..]),
                    proptest::strategy::Just(&b"\r\n"[..]),
                    proptest::strategy::Just(&b"x"[..]),
                    proptest::strategy::Just(&b"\xFF"[..]),
                ],
                0..30,
            ), 1..4)
        ) {
            let (patterns, matchers, regexes) = property_matchers();
            let docs: Vec<Vec<u8>> = docs.iter().map(|pieces| pieces.concat()).collect();
            let lines: Vec<_> = docs.iter().map(|doc| lines_of(doc)).collect();
            let trimmed: Vec<_> = docs
                .iter()
                .zip(&lines)
                .map(|(doc, lines)| {
                    let mut trimmed = Vec::new();
                    crate::engine::lines::trim_each(doc, lines, &mut trimmed);
                    trimmed
                })
                .collect();
            let batch: Vec<DocLines<'_>> = (0..docs.len())
                .map(|d| DocLines { doc: &docs[d], lines: &lines[d], trimmed: &trimmed[d] })
                .collect();
            let mut hits: Vec<Hits> = docs.iter().map(|_| Hits::default()).collect();
            SHARED.with(|scratch| matchers.find_batch(&batch, &mut scratch.borrow_mut(), &mut hits));
            for (d, doc) in docs.iter().enumerate() {
                for (i, (pattern, regex)) in patterns.iter().zip(regexes).enumerate() {
                    let want: Vec<usize> = lines[d]
                        .iter()
                        .enumerate()
                        .filter(|(_, r)| {
                            let line = text::trim(&doc[(*r).clone()]);
                            !line.is_empty() && regex.is_match(line)
                        })
                        .map(|(i, _)| i)
                        .collect();
                    let got: Vec<usize> = hits[d].lines(MatcherId(i as u32)).collect();
                    proptest::prop_assert_eq!(got, want, "{} in document {}", pattern, d);
                }
            }
        }
    }

    proptest::proptest! {
        /// `contains` literals, long and short, exact and ASCII
        /// case-insensitive, hit exactly the lines that hold them, whatever
        /// the prefilter flags.
        #[test]
        fn contains_hits_equal_brute_force_on_arbitrary_lines(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(&b"Powered by Disqus"[..]),
                    proptest::strategy::Just(&b"DISQUS"[..]),
                    proptest::strategy::Just(&b"by dis"[..]),
                    proptest::strategy::Just(&b"|"[..]),
                    proptest::strategy::Just(&b"\xC5\xBF"[..]),
                    proptest::strategy::Just(&b"q"[..]),
                    proptest::strategy::Just(&b" "[..]),
                    proptest::strategy::Just(&b"\n"[..]),
                    proptest::strategy::Just(&b"\r\n"[..]),
                ],
                0..30,
            )
        ) {
            use PatternKind::Contains;
            let patterns: &[(&str, bool)] =
                &[("Disqus", false), ("powered by disqus", true), ("|", true), ("ſ", false), ("s q", true)];
            let specs: Vec<MatcherSpec> = patterns
                .iter()
                .map(|(p, fold)| spec(&[(Contains, p, *fold)]))
                .collect();
            let matchers = Matchers::compile(&specs, &[]).unwrap();
            let doc: Vec<u8> = pieces.concat();
            let lines = lines_of(&doc);
            let hits = find_all(&matchers, &doc, &mut MatchScratch::default());
            for (i, (pattern, fold)) in patterns.iter().enumerate() {
                let want: Vec<usize> = lines
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| {
                        let line = &doc[(*r).clone()];
                        line.windows(pattern.len()).any(|w| {
                            if *fold { w.eq_ignore_ascii_case(pattern.as_bytes()) } else { w == pattern.as_bytes() }
                        })
                    })
                    .map(|(i, _)| i)
                    .collect();
                let got: Vec<usize> = hits.lines(MatcherId(i as u32)).collect();
                proptest::prop_assert_eq!(got, want, "{}", pattern);
            }
        }
    }

    #[test]
    fn on_demand_regexes_run_only_on_the_lines_asked_about() {
        let specs = [spec(&[
            (PatternKind::Regex, "^.{1,3}$", false),
            (PatternKind::Line, "a long line", false),
        ])];
        let matchers = Matchers::compile(&specs, &[MatcherId(0)]).unwrap();
        let doc = b"ab\n\n  x  \na long line\nyz and more\n";
        let mut scratch = MatchScratch::default();
        let hits = find_all(&matchers, doc, &mut scratch);
        // the literal is found with the others, the regex waits to be asked
        assert_eq!(hits.lines(MatcherId(0)).collect::<Vec<_>>(), [3]);
        let lines = lines_of(doc);
        let mut trimmed = Vec::new();
        crate::engine::lines::trim_each(doc, &lines, &mut trimmed);
        let asked: Vec<usize> = (0..lines.len())
            .filter(|&i| {
                let line = &doc[trimmed[i].clone()];
                matchers.hits(&hits, MatcherId(0), i, line, &mut scratch)
            })
            .collect();
        assert_eq!(asked, [0, 2, 3]);
    }

    #[test]
    fn one_scratch_serves_many_rule_sets() {
        let first =
            Matchers::compile(&[spec(&[(PatternKind::Regex, "^a+$", false)])], &[]).unwrap();
        let second = Matchers::compile(
            &[spec(&[(PatternKind::Regex, "^(b|c)[0-9]{1,5}$", true)])],
            &[],
        )
        .unwrap();
        let doc = b"aaa\nB12\nc3\n";
        let mut scratch = MatchScratch::default();
        for _ in 0..3 {
            let hits = find_all(&first, doc, &mut scratch);
            assert_eq!(hits.lines(MatcherId(0)).collect::<Vec<_>>(), [0]);
            let hits = find_all(&second, doc, &mut scratch);
            assert_eq!(hits.lines(MatcherId(0)).collect::<Vec<_>>(), [1, 2]);
        }
    }

    #[test]
    fn hits_answer_queries_by_matcher() {
        let specs = [
            spec(&[(PatternKind::Line, "a", false)]),
            spec(&[(PatternKind::Line, "b", false)]),
        ];
        let matchers = Matchers::compile(&specs, &[]).unwrap();
        let doc = b"a\nb\na\nb\n";
        let hits = find_all(&matchers, doc, &mut MatchScratch::default());
        assert!(hits.hits(MatcherId(1), 3));
        assert!(!hits.hits(MatcherId(1), 2));
        assert!(hits.hits(MatcherId(0), 2));
    }

    #[test]
    fn literal_lines_are_looked_up_only_for_lines_of_their_shape() {
        let mut folded = LiteralLines::default();
        folded.insert(b"sign in".to_vec(), MatcherId(0));
        let shape = LiteralLines::shape;
        assert!(folded.may_hold(shape(b"SIGN IN")));
        assert!(folded.may_hold(shape(b"Sign on")));
        assert!(!folded.may_hold(shape(b"Sign up")));
        assert!(!folded.may_hold(shape(b"Sign in now")));
        assert!(!LiteralLines::default().may_hold(shape(b"sign in")));
    }

    #[test]
    fn built_in_regexes_compile() {
        // they are compiled when first needed, where an error could not be
        // reported: compile each of them now, as a user's are at load
        let sources: Vec<_> = crate::rules::load::builtin_sources().collect();
        let mut defs = crate::rules::Definitions::parse(&sources).unwrap();
        assert!(defs.matchers.iter().all(|spec| spec.built_in));
        for spec in &mut defs.matchers {
            spec.built_in = false;
        }
        Matchers::compile(&defs.matchers, &[]).unwrap();
    }

    #[test]
    fn a_regex_over_the_size_limit_is_an_error_at_load() {
        let err = Matchers::compile(
            &[spec(&[(PatternKind::Regex, r"^(?:\w{1000}){60}$", false)])],
            &[],
        )
        .unwrap_err();
        assert!(err.0[0].to_string().contains("exceeded limit"), "{err}");
    }

    #[test]
    fn a_bad_regex_is_an_error_at_its_location() {
        let err =
            Matchers::compile(&[spec(&[(PatternKind::Regex, "a(", false)])], &[]).unwrap_err();
        assert!(
            err.0[0]
                .to_string()
                .starts_with("t.toml:1:1: bad regex `a(`"),
            "{err}"
        );
    }
}
