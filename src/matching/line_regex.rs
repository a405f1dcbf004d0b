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

use std::sync::OnceLock;

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
    /// The same, compiled from the regex when first searched with.
    OnFirstUse(Box<(Hir, OnceLock<Engines>)>),
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
                thompson::Config::new()
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
}

/// One thread's search state for one [`LineRegex`], made as searches need it.
#[derive(Debug, Default)]
pub(super) struct LineCache {
    dfa: Option<DfaCache>,
    pikevm: Option<PikeCache>,
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
        match char_count(hir) {
            Some((min, max)) => LineRegex::CharCount { min, max },
            None => LineRegex::OnFirstUse(Box::new((hir.clone(), OnceLock::new()))),
        }
    }

    /// True when the regex matches somewhere in `line`.
    pub fn is_match(&self, cache: &mut LineCache, line: &[u8]) -> bool {
        let Engines { dfa, pikevm } = match self {
            LineRegex::Automata(engines) => engines,
            LineRegex::OnFirstUse(lazy) => {
                let (hir, engines) = &**lazy;
                engines.get_or_init(|| {
                    Engines::new(hir).expect("built-in regexes compile: tests compile each")
                })
            }
            LineRegex::CharCount { min, max } => return has_chars(line, *min..=*max),
        };
        let input = Input::new(line).earliest(true);
        let dfa_cache = cache.dfa.get_or_insert_with(|| dfa.create_cache());
        match dfa.try_search_fwd(dfa_cache, &input) {
            Ok(found) => found.is_some(),
            Err(_) => {
                let pikevm_cache = cache.pikevm.get_or_insert_with(|| pikevm.create_cache());
                pikevm.is_match(pikevm_cache, input)
            }
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
        let regex = LineRegex::on_first_use(&parsed(r"^\w{1,20} comments$"));
        let compiled = |regex: &LineRegex| match regex {
            LineRegex::OnFirstUse(lazy) => lazy.1.get().is_some(),
            _ => panic!("not compiled on first use"),
        };
        assert!(!compiled(&regex));
        let mut cache = LineCache::default();
        assert!(regex.is_match(&mut cache, "12 comments".as_bytes()));
        assert!(compiled(&regex));
        assert!(!regex.is_match(&mut cache, b"no comments here"));
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
