//! [`LineRegex`]: a regex that only answers "does this line match".
//!
//! Matchers never need where a regex matches, only whether it does, so a
//! forward NFA without capture states is all that is compiled: a third of
//! what a full `regex::bytes::Regex` builds (no reverse NFA, no capture
//! engines), which is most of cruftless's start-up time. A lazy DFA answers;
//! where it gives up (a Unicode word boundary next to a non-ASCII byte), the
//! PikeVM on the same NFA does. Their caches belong to the caller
//! ([`LineCache`], one per thread), so a match takes no lock.
//!
//! A regex that only bounds the length of the line (`^.{1,110}$`, the usual
//! `while` of a run of short lines) is answered by counting characters.

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
    Automata(Box<(DFA, PikeVM)>),
    /// `^.{min,max}$`: a line of valid UTF-8 with `min` to `max` characters.
    CharCount { min: usize, max: usize },
}

/// One thread's search state for one [`LineRegex`].
#[derive(Debug)]
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
        if let Some((min, max)) = char_count(hir) {
            return Ok(LineRegex::CharCount { min, max });
        }
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
        Ok(LineRegex::Automata(Box::new((dfa, pikevm))))
    }

    /// A fresh cache for searches with this regex.
    pub fn create_cache(&self) -> LineCache {
        LineCache {
            dfa: match self {
                LineRegex::Automata(engines) => Some(engines.0.create_cache()),
                LineRegex::CharCount { .. } => None,
            },
            pikevm: None,
        }
    }

    /// True when the regex matches somewhere in `line`.
    pub fn is_match(&self, cache: &mut LineCache, line: &[u8]) -> bool {
        match self {
            LineRegex::Automata(engines) => {
                let (dfa, pikevm) = &**engines;
                let input = Input::new(line).earliest(true);
                let dfa_cache = cache.dfa.get_or_insert_with(|| dfa.create_cache());
                match dfa.try_search_fwd(dfa_cache, &input) {
                    Ok(found) => found.is_some(),
                    Err(_) => {
                        let pikevm_cache =
                            cache.pikevm.get_or_insert_with(|| pikevm.create_cache());
                        pikevm.is_match(pikevm_cache, input)
                    }
                }
            }
            LineRegex::CharCount { min, max } => {
                // characters are the bytes that do not continue one
                let ascii = line.is_ascii();
                let chars = if ascii {
                    line.len()
                } else {
                    line.iter().filter(|&&b| (b as i8) >= -0x40).count()
                };
                (*min..=*max).contains(&chars)
                    && memchr::memchr(b'\n', line).is_none()
                    && (ascii || std::str::from_utf8(line).is_ok())
            }
        }
    }
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
