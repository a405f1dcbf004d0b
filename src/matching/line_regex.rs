//! [`LineRegex`]: a regex that only answers "does this line match".
//!
//! Matchers never need where a regex matches, only whether it does, so a
//! forward NFA without capture states is all that is compiled: a third of
//! what a full `regex::bytes::Regex` builds (no reverse NFA, no capture
//! engines). A lazy DFA answers; where it gives up (a Unicode word boundary
//! next to a non-ASCII byte), the PikeVM on the same NFA does. Their caches
//! belong to the caller ([`LineCache`], one per thread), so a match takes
//! no lock.
//!
//! A regex that only bounds the length of the line (`^.{1,110}$`, the usual
//! `while` of a run of short lines) is answered by counting characters.
//!
//! Compiling was most of cruftless's start-up (the counted Unicode classes of
//! the built-in packs: `[\w .&'-]{1,60}` is sixty UTF-8 automata), and a
//! small job needs few of the regexes, or none: the built-in packs' regexes
//! are compiled when a line first needs them ([`LineRegex::on_first_use`];
//! the test suite compiles each of them, so none can fail there). A user's
//! regexes are compiled at load, where one over the size limit is an error
//! at its location.
//!
//! Most of that compiling was a few counted classes of `\w`, which no line
//! of the corpus needed: a built-in regex with such a class is compiled
//! [widened](Widened), its big classes taking any non-ASCII character, which
//! answers alone on the lines whose characters are ASCII, common signs
//! (typography, arrows, emoji) or in every widened class (letters, for
//! `\w`); the exact regex is compiled only for a line with other characters
//! that the widened one matches.

use std::sync::OnceLock;

use super::hir_classes::{any_class, map_classes};
use super::REGEX_SIZE_LIMIT;
use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::pikevm::{Cache as PikeCache, PikeVM};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::Input;
use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};

/// A compiled line regex.
#[derive(Debug)]
pub(super) enum LineRegex {
    /// A lazy DFA, and the PikeVM for where it gives up.
    Automata(Box<Engines>),
    /// The same, compiled when first searched with.
    OnFirstUse(Box<Deferred>),
    /// A regex with counted big classes, in two forms compiled when first
    /// searched with: see [`Widened`].
    Widened(Box<Widened>),
    /// `^.{min,max}$`: a line of valid UTF-8 with `min` to `max` characters.
    CharCount { min: usize, max: usize },
}

/// A lazy DFA, and the PikeVM on the same NFA for where it gives up.
#[derive(Debug)]
pub(super) struct Engines {
    dfa: DFA,
    pikevm: PikeVM,
}

impl Engines {
    /// Compiles a parsed regex.
    fn new(hir: &Hir) -> Result<Engines, String> {
        let nfa = thompson::Compiler::new()
            .configure(
                // `utf8(false)`: an empty match may end inside a character, as
                // with `regex::bytes` (and only then does a wider class always
                // match more)
                thompson::Config::new()
                    .utf8(false)
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(Some(REGEX_SIZE_LIMIT)),
            )
            .build_from_hir(hir)
            .map_err(|err| err.to_string())?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .unicode_word_boundary(true)
                    .skip_cache_capacity_check(true),
            )
            .build_from_nfa(nfa.clone())
            .map_err(|err| err.to_string())?;
        let pikevm = PikeVM::new_from_nfa(nfa).map_err(|err| err.to_string())?;
        Ok(Engines { dfa, pikevm })
    }

    /// True when the regex matches somewhere in `line`.
    fn is_match(&self, cache: &mut EnginesCache, line: &[u8]) -> bool {
        let input = Input::new(line).earliest(true);
        let dfa_cache = cache.dfa.get_or_insert_with(|| self.dfa.create_cache());
        match self.dfa.try_search_fwd(dfa_cache, &input) {
            Ok(found) => found.is_some(),
            Err(_) => {
                let pikevm = &self.pikevm;
                let pikevm_cache = cache.pikevm.get_or_insert_with(|| pikevm.create_cache());
                pikevm.is_match(pikevm_cache, input)
            }
        }
    }
}

/// A parsed built-in regex, compiled when first searched with.
#[derive(Debug)]
pub(super) struct Deferred {
    hir: Hir,
    engines: OnceLock<Engines>,
}

impl Deferred {
    fn new(hir: Hir) -> Deferred {
        Deferred {
            hir,
            engines: OnceLock::new(),
        }
    }

    fn engines(&self) -> &Engines {
        self.engines.get_or_init(|| {
            Engines::new(&self.hir).expect("built-in regexes compile: tests compile each")
        })
    }
}

/// One thread's search state for one [`LineRegex`], made as searches need it.
#[derive(Debug, Default)]
pub(super) struct LineCache {
    exact: EnginesCache,
    /// For the widened form of a [`Widened`] regex.
    wide: EnginesCache,
}

/// One thread's search state for one [`Engines`].
#[derive(Debug, Default)]
struct EnginesCache {
    dfa: Option<DfaCache>,
    pikevm: Option<PikeCache>,
}

/// A regex with big Unicode classes (`\w`) counted many times, in two forms.
///
/// In `wide`, each such class also takes every non-ASCII character but the
/// [`TYPOGRAPHY`] ones: it matches every line `exact` matches, and means
/// the same on a line whose characters are all ASCII, typography or in
/// every widened class (`é`, `ß`, `日` for `\w`): there the two forms step
/// alike, and `wide` answers alone. `exact` decides the other lines that
/// `wide` matches (a rare sign such as `§`), so it is rarely needed, and
/// compiling it (sixty UTF-8 automata for `[\w .&'-]{1,60}`, twenty times
/// what `wide` costs) is paid for only then.
#[derive(Debug)]
pub(super) struct Widened {
    wide: Deferred,
    exact: Deferred,
    /// The characters every widened class held before widening.
    common: ClassUnicode,
}

/// Non-ASCII characters common in scraped text, which a widened class does
/// not take in (unless it held them already): no-break and thin spaces,
/// quotes, dashes, bullets, signs, and whole blocks of arrows, shapes,
/// dingbats and emoji (menus and share bars are full of them: `Read more
/// ➔`, `▶ Play`, `★★★★☆`).
const TYPOGRAPHY: [(char, char); 22] = [
    ('\u{A0}', '\u{A0}'),
    ('\u{A3}', '\u{A3}'),
    ('\u{A9}', '\u{A9}'),
    ('\u{AB}', '\u{AB}'),
    ('\u{AE}', '\u{AE}'),
    ('\u{B0}', '\u{B0}'),
    ('\u{B7}', '\u{B7}'),
    ('\u{BB}', '\u{BB}'),
    ('\u{2009}', '\u{200B}'),
    ('\u{2013}', '\u{2014}'),
    ('\u{2018}', '\u{2019}'),
    ('\u{201C}', '\u{201D}'),
    ('\u{2022}', '\u{2022}'),
    ('\u{2026}', '\u{2026}'),
    ('\u{2039}', '\u{203A}'),
    ('\u{20AC}', '\u{20AC}'),
    ('\u{2122}', '\u{2122}'),
    // arrows; technical signs; box drawing, shapes, symbols, dingbats;
    // more arrows and symbols; emoji: none is in `\w` or `\d`, so a line
    // holding them is decided by the widened form of such classes alone
    ('\u{2190}', '\u{21FF}'),
    ('\u{2300}', '\u{23FF}'),
    ('\u{2500}', '\u{27BF}'),
    ('\u{2B00}', '\u{2BFF}'),
    ('\u{1F300}', '\u{1FAFF}'),
];

/// True when every character of `line` is ASCII, [`TYPOGRAPHY`] or in
/// `common` (the characters of every widened class): where a widened regex
/// means the same as its exact form.
fn wide_means_exact(line: &[u8], common: &ClassUnicode) -> bool {
    let typographic = |c: char| TYPOGRAPHY.iter().any(|&(lo, hi)| (lo..=hi).contains(&c));
    let in_common = |c: char| {
        let ranges = common.ranges();
        let at = ranges.partition_point(|r| r.end() < c);
        ranges.get(at).is_some_and(|r| r.start() <= c)
    };
    line.is_ascii()
        || std::str::from_utf8(line).is_ok_and(|text| {
            text.chars()
                .all(|c| c.is_ascii() || typographic(c) || in_common(c))
        })
}

/// A class with more non-ASCII ranges than this is big.
const BIG_CLASS: usize = 16;
/// A big class is widened where the regex holds more copies of it than this
/// (`{1,30}` is thirty copies of its UTF-8 automaton).
const BIG_COUNT: u32 = 8;

/// `hir` with each big class widened ([`Widened`]), and the characters
/// all of those classes held; `None` when it has no big class.
fn widened(hir: &Hir) -> Option<(Hir, ClassUnicode)> {
    let is_big = |class: &ClassUnicode, copies: u32| {
        copies > BIG_COUNT && class.ranges().iter().filter(|r| r.end() > '\x7F').count() > BIG_CLASS
    };
    // most regexes have no big class: they are not rebuilt to find out
    let has_big = any_class(
        hir,
        &mut |class, copies| matches!(class, Class::Unicode(class) if is_big(class, copies)),
    );
    if !has_big {
        return None;
    }
    // what a widened class takes in besides its own characters
    let mut others = ClassUnicode::new([ClassUnicodeRange::new('\u{80}', '\u{10FFFF}')]);
    others.difference(&ClassUnicode::new(
        TYPOGRAPHY.map(|(lo, hi)| ClassUnicodeRange::new(lo, hi)),
    ));
    let mut common: Option<ClassUnicode> = None;
    let wide = map_classes(hir, &mut |class, copies| match class {
        Class::Unicode(class) if is_big(class, copies) => {
            match &mut common {
                Some(common) => common.intersect(class),
                None => common = Some(class.clone()),
            }
            let mut wide = class.clone();
            wide.union(&others);
            Class::Unicode(wide)
        }
        _ => class.clone(),
    });
    common.map(|common| (wide, common))
}

impl LineRegex {
    /// Compiles a parsed regex.
    ///
    /// # Errors
    /// The compiler's message, for a regex over the size limit.
    pub fn new(hir: &Hir) -> Result<LineRegex, String> {
        Ok(match char_count(hir) {
            Some((min, max)) => LineRegex::CharCount { min, max },
            None => LineRegex::Automata(Box::new(Engines::new(hir)?)),
        })
    }

    /// A parsed regex, to be compiled when first searched with: one that
    /// is known to compile (a built-in pack's).
    pub fn on_first_use(hir: &Hir) -> LineRegex {
        if let Some((min, max)) = char_count(hir) {
            return LineRegex::CharCount { min, max };
        }
        match widened(hir) {
            Some((wide, common)) => LineRegex::Widened(Box::new(Widened {
                wide: Deferred::new(wide),
                exact: Deferred::new(hir.clone()),
                common,
            })),
            None => LineRegex::OnFirstUse(Box::new(Deferred::new(hir.clone()))),
        }
    }

    /// True when the regex matches somewhere in `line`.
    pub fn is_match(&self, cache: &mut LineCache, line: &[u8]) -> bool {
        match self {
            LineRegex::Automata(engines) => engines.is_match(&mut cache.exact, line),
            LineRegex::OnFirstUse(regex) => regex.engines().is_match(&mut cache.exact, line),
            LineRegex::Widened(regex) => {
                regex.wide.engines().is_match(&mut cache.wide, line)
                    && (wide_means_exact(line, &regex.common)
                        || regex.exact.engines().is_match(&mut cache.exact, line))
            }
            LineRegex::CharCount { min, max } => has_chars(line, *min..=*max),
        }
    }
}

/// True when `line` is valid UTF-8 without `\n`, of `count` characters.
fn has_chars(line: &[u8], count: std::ops::RangeInclusive<usize>) -> bool {
    // characters are the bytes that do not continue one
    let ascii = line.is_ascii();
    let chars = if ascii {
        line.len()
    } else {
        line.iter().filter(|&&b| (b as i8) >= -0x40).count()
    };
    count.contains(&chars)
        && memchr::memchr(b'\n', line).is_none()
        && (ascii || std::str::from_utf8(line).is_ok())
}

/// `(min, max)` when `hir` is `^.{min,max}$`: any character but `\n`,
/// between `min` and `max` times, anchored at both ends of the line.
fn char_count(hir: &Hir) -> Option<(usize, usize)> {
    let HirKind::Concat(parts) = hir.kind() else {
        return None;
    };
    let [start, repeated, end] = parts.as_slice() else {
        return None;
    };
    let anchors = matches!(start.kind(), HirKind::Look(Look::Start))
        && matches!(end.kind(), HirKind::Look(Look::End));
    let HirKind::Repetition(rep) = repeated.kind() else {
        return None;
    };
    let sub = match rep.sub.kind() {
        HirKind::Capture(group) => &group.sub,
        _ => &rep.sub,
    };
    let any_but_newline = ClassUnicode::new([
        ClassUnicodeRange::new('\0', '\t'),
        ClassUnicodeRange::new('\x0B', '\u{10FFFF}'),
    ]);
    let is_dot =
        matches!(sub.kind(), HirKind::Class(Class::Unicode(class)) if *class == any_but_newline);
    (anchors && is_dot).then_some((rep.min as usize, rep.max? as usize))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(pattern: &str) -> Hir {
        regex_syntax::ParserBuilder::new()
            .utf8(false)
            .build()
            .parse(pattern)
            .unwrap()
    }

    #[test]
    fn a_regex_for_first_use_compiles_when_first_searched_with() {
        let regex = LineRegex::on_first_use(&parsed(r"^\w+ comments$"));
        let compiled = |regex: &LineRegex| match regex {
            LineRegex::OnFirstUse(regex) => regex.engines.get().is_some(),
            _ => panic!("not compiled on first use"),
        };
        assert!(!compiled(&regex));
        let mut cache = LineCache::default();
        assert!(regex.is_match(&mut cache, "12 comments".as_bytes()));
        assert!(compiled(&regex));
        assert!(!regex.is_match(&mut cache, b"no comments here"));
    }

    #[test]
    fn only_big_classes_counted_many_times_are_widened() {
        for (pattern, widens) in [
            (r"^more from [\w .'&-]{1,30}$", true),
            (r"^(x[\w ]{0,3}){4}$", true),
            (r"^\d{2,12}$", true),
            (r"^\w+ comments$", false),
            (r"^\w{1,8}$", false),
            (r"^[^.]{1,60}$", false),
            (r"^[a-zé]{1,60}$", false),
            (r"(?-u:\w){1,60}", false),
        ] {
            assert_eq!(widened(&parsed(pattern)).is_some(), widens, "{pattern}");
        }
    }

    #[test]
    fn a_widened_regex_compiles_its_exact_form_only_for_lines_that_need_it() {
        let regex = LineRegex::on_first_use(&parsed(r"(?i)^more from [\w ]{1,30}$"));
        let LineRegex::Widened(widened) = &regex else {
            panic!("not widened");
        };
        let mut cache = LineCache::default();
        let exact_compiled = || widened.exact.engines.get().is_some();
        assert!(regex.is_match(&mut cache, b"More from The Times"));
        assert!(!regex.is_match(&mut cache, b"More from The Times, daily"));
        // typography, arrows and emoji are left out of the widened class
        assert!(!regex.is_match(&mut cache, "more from Ann\u{2019}s".as_bytes()));
        assert!(!regex.is_match(&mut cache, "more from Ann \u{2192}".as_bytes()));
        assert!(!regex.is_match(&mut cache, "More from us \u{2794}".as_bytes()));
        assert!(!regex.is_match(&mut cache, "more from \u{1F600}".as_bytes()));
        // letters of other alphabets are in `\w`, as in its widened form
        assert!(regex.is_match(&mut cache, "more from Soci\u{e9}t\u{e9}".as_bytes()));
        assert!(regex.is_match(&mut cache, "more from \u{65E5}\u{672C}".as_bytes()));
        assert!(!exact_compiled());
        // a sign that is neither: the exact form decides
        assert!(!regex.is_match(&mut cache, "more from \u{A7} 2".as_bytes()));
        assert!(exact_compiled());
        assert!(!regex.is_match(&mut cache, "more from Soci\u{e9}t\u{e9} \u{A7}".as_bytes()));
    }

    #[test]
    fn a_line_decided_by_the_widened_form_has_only_characters_of_every_big_class() {
        let (_, common) = widened(&parsed(r"^[\w ]{1,20} and [\d ]{1,20}$")).unwrap();
        let arabic_three = "\u{663}";
        for (line, alone) in [
            ("plain ascii and 12", true),
            ("\u{201c}quoted\u{201d} and 12", true),
            (arabic_three, true),
            ("smile \u{1F600} \u{2794} and 12", true),
            ("caf\u{e9} and 12", false),
            ("section \u{A7} and 12", false),
        ] {
            assert_eq!(wide_means_exact(line.as_bytes(), &common), alone, "{line}");
        }
        assert!(!wide_means_exact(b"\xFF and 12", &common));
    }

    #[test]
    fn every_built_in_regex_compiles_in_each_form() {
        let sources: Vec<_> = crate::rules::load::builtin_sources().collect();
        let defs = crate::rules::Definitions::parse(&sources).unwrap();
        let mut widened_count = 0;
        for pattern in defs.matchers.iter().flat_map(|spec| &spec.patterns) {
            if pattern.kind != crate::rules::PatternKind::Regex {
                continue;
            }
            let hir = regex_syntax::ParserBuilder::new()
                .utf8(false)
                .case_insensitive(pattern.fold)
                .build()
                .parse(&pattern.text)
                .unwrap();
            if let Some((wide, _)) = widened(&hir) {
                widened_count += 1;
                Engines::new(&wide).unwrap_or_else(|err| panic!("{}: {err}", pattern.text));
            }
        }
        // the exact forms: `Matchers`' own test compiles every built-in regex
        assert!(widened_count > 0, "no built-in regex is widened");
    }

    /// Counted big classes, as packs write them, with `\b` and `\d`.
    const WIDENED: [&str; 6] = [
        r"(?i)^(more from|also on) [\w .'&-]{1,12}:?$",
        r"(?i)^powered by [\w.+ -]{1,10}\.?$",
        r"(?i)^[\w .&'-]{1,16} (is|are) a\b",
        r"\b\d{2,10} comments",
        // two kinds of widened class: a line is decided by the widened
        // form alone only with characters that both hold
        r"^[\w ]{1,12} and [\d ]{1,12}$",
        // a class that holds a sign the widening leaves out
        r"^[\w \u{2605}]{1,12}$",
    ];

    thread_local! {
        /// One cache for every case below, as a thread keeps one per regex.
        static CACHES: std::cell::RefCell<Vec<LineCache>> = Default::default();
    }

    proptest::proptest! {
        /// A widened regex answers as the regex crate does on lines of
        /// ASCII, accented and other letters, typography, emoji, other
        /// signs and raw bytes.
        #[test]
        fn widened_regexes_match_what_the_regex_means(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("more from ".as_bytes()),
                    proptest::strategy::Just("Powered by ".as_bytes()),
                    proptest::strategy::Just(" is a ".as_bytes()),
                    proptest::strategy::Just("12 comments".as_bytes()),
                    proptest::strategy::Just("Ann".as_bytes()),
                    proptest::strategy::Just(" ".as_bytes()),
                    proptest::strategy::Just(".".as_bytes()),
                    proptest::strategy::Just("\u{e9}".as_bytes()),
                    proptest::strategy::Just("\u{663}".as_bytes()),
                    proptest::strategy::Just("\u{65E5}".as_bytes()),
                    proptest::strategy::Just("\u{2019}".as_bytes()),
                    proptest::strategy::Just("\u{A0}".as_bytes()),
                    proptest::strategy::Just("\u{2192}".as_bytes()),
                    proptest::strategy::Just("\u{1F600}".as_bytes()),
                    proptest::strategy::Just("\u{A7}".as_bytes()),
                    proptest::strategy::Just("\u{2605}".as_bytes()),
                    proptest::strategy::Just(" and ".as_bytes()),
                    proptest::strategy::Just(&b"\xFF"[..]),
                ],
                0..12,
            )
        ) {
            let line = pieces.concat();
            CACHES.with(|caches| {
                let mut caches = caches.borrow_mut();
                caches.resize_with(WIDENED.len(), LineCache::default);
                for (pattern, cache) in WIDENED.iter().zip(caches.iter_mut()) {
                    let regex = LineRegex::on_first_use(&parsed(pattern));
                    proptest::prop_assert!(matches!(regex, LineRegex::Widened(_)));
                    let want = regex::bytes::Regex::new(pattern).unwrap().is_match(&line);
                    proptest::prop_assert_eq!(
                        regex.is_match(cache, &line),
                        want,
                        "{} on {:?}",
                        pattern,
                        String::from_utf8_lossy(&line)
                    );
                }
                Ok(())
            })?;
        }
    }

    #[test]
    fn an_empty_match_may_end_inside_a_character() {
        // as with `regex::bytes`; in UTF-8 mode the widened regex's first
        // (empty) match would split `é`, be dropped, and hide the exact match
        let mut cache = LineCache::default();
        for (pattern, line) in [
            (r"^(?:\d{1,10}|\u{e9}(?-u:\x80))|^$", &b"\xC3\xA9\x80"[..]),
            (r"^\W*", &b"\x80x"[..]),
        ] {
            assert!(regex::bytes::Regex::new(pattern).unwrap().is_match(line));
            let regex = LineRegex::on_first_use(&parsed(pattern));
            assert!(regex.is_match(&mut cache, line), "{pattern}");
            assert!(LineRegex::new(&parsed(pattern))
                .unwrap()
                .is_match(&mut cache, line));
            cache = LineCache::default();
        }
    }

    #[test]
    fn a_line_length_regex_counts_characters() {
        let regex = LineRegex::on_first_use(&parsed(r"^.{1,3}$"));
        assert!(matches!(regex, LineRegex::CharCount { min: 1, max: 3 }));
        let mut cache = LineCache::default();
        assert!(regex.is_match(&mut cache, "\u{e9}t\u{e9}".as_bytes()));
        assert!(!regex.is_match(&mut cache, b"four"));
        assert!(!regex.is_match(&mut cache, b"\xFF"));
    }
}
