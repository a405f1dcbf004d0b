//! [`LineRegex`]: a regex that only answers "does this line match".
//!
//! Matchers never need where a regex matches, only whether it does, so a
//! forward NFA without capture states is all that is compiled: a third of
//! what a full `regex::bytes::Regex` builds (no reverse NFA, no capture
//! engines), which is most of cruftless's start-up time. A lazy DFA answers;
//! where it gives up (a Unicode word boundary next to a non-ASCII byte), the
//! PikeVM on the same NFA does. Their caches belong to the caller
//! ([`LineCache`], one per thread), so a match takes no lock.

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::pikevm::{Cache as PikeCache, PikeVM};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::Input;
use regex_syntax::hir::Hir;

/// Size limit of a compiled regex, generous for rule packs of thousands of rules.
const SIZE_LIMIT: usize = 64 << 20;

/// A compiled line regex.
#[derive(Debug)]
pub(super) struct LineRegex {
    dfa: DFA,
    pikevm: PikeVM,
}

/// One thread's search state for one [`LineRegex`].
#[derive(Debug)]
pub(super) struct LineCache {
    dfa: DfaCache,
    pikevm: Option<PikeCache>,
}

impl LineRegex {
    /// Compiles a parsed regex.
    ///
    /// # Errors
    /// The compiler's message, for a regex over the size limit.
    pub fn new(hir: &Hir) -> Result<LineRegex, String> {
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(Some(SIZE_LIMIT)),
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
        Ok(LineRegex { dfa, pikevm })
    }

    /// A fresh cache for searches with this regex.
    pub fn create_cache(&self) -> LineCache {
        LineCache {
            dfa: self.dfa.create_cache(),
            pikevm: None,
        }
    }

    /// True when the regex matches somewhere in `line`.
    pub fn is_match(&self, cache: &mut LineCache, line: &[u8]) -> bool {
        let input = Input::new(line).earliest(true);
        match self.dfa.try_search_fwd(&mut cache.dfa, &input) {
            Ok(found) => found.is_some(),
            Err(_) => {
                let pikevm = cache
                    .pikevm
                    .get_or_insert_with(|| self.pikevm.create_cache());
                self.pikevm.is_match(pikevm, input)
            }
        }
    }
}
