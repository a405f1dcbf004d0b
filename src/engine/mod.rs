//! The engine: which rule removes which line of one document.
//!
//! [`run`] splits the document into lines ([`lines`]), asks the compiled
//! matchers which lines they hit, then applies every active rule in three
//! phases (see `Phase`), each kind in its own file under `kinds/`. The first
//! rule to claim a line owns it. The result stays in the caller's [`Scratch`]: an owner per
//! line and the edits of `replace` rules. Tidying and assembling the output are
//! left to [`crate::tidy`] and [`crate::clean`].

mod kinds;
pub mod lines;
pub mod repeated;

use std::ops::Range;
use std::path::Path;

use crate::matching::{Hits, MatchScratch};
use crate::rules::RuleKind;
use crate::ruleset::{RuleId, RuleSet};
use repeated::{DocRef, RepeatedSet};

/// Owner value of a line no rule has claimed.
pub(crate) const FREE: u32 = u32::MAX;
/// Owner value of a line removed by tidying.
pub(crate) const TIDY: u32 = u32::MAX - 1;

/// A rewrite of one kept line by a `replace` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The line's index in the input.
    pub line: usize,
    /// The first `replace` rule that rewrote it.
    pub rule: RuleId,
    /// The new content, without the line ending (which is kept).
    pub text: Vec<u8>,
}

/// Which rules run: normally all; `cruftless test` runs one pack or one rule alone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scope {
    /// Every rule of every pack whose `paths` match.
    #[default]
    All,
    /// Only the rules of this pack (index into [`RuleSet::packs`]).
    Pack(usize),
    /// Only this rule.
    Rule(RuleId),
}

/// Reusable per-thread buffers, so cleaning allocates nothing per line.
#[derive(Debug, Default)]
pub struct Scratch {
    pub(crate) lines: Vec<Range<usize>>,
    /// Each line's range trimmed of whitespace.
    pub(crate) trimmed: Vec<Range<usize>>,
    pub(crate) owners: Vec<u32>,
    pub(crate) edits: Vec<Edit>,
    hits: Hits,
    matching: MatchScratch,
    active: Vec<bool>,
    norm: Vec<u8>,
    line_rules: Vec<RuleId>,
}

/// Applies the rules of `set` in `scope` that are active for `path` to
/// `doc`; the owners of its lines and the edits are left in `scratch`.
/// `repeated` holds the corpus counts that `repeated` rules need and where
/// the document sits in them (they remove nothing without them).
pub fn run(
    set: &RuleSet,
    path: Option<&Path>,
    scope: Scope,
    doc: &[u8],
    repeated: Option<(&RepeatedSet, DocRef)>,
    scratch: &mut Scratch,
) {
    lines::split(doc, &mut scratch.lines);
    lines::trim_each(doc, &scratch.lines, &mut scratch.trimmed);
    set.active_packs(path, &mut scratch.active);
    if let Scope::Pack(pack) = scope {
        for (i, active) in scratch.active.iter_mut().enumerate() {
            *active &= i == pack;
        }
    }
    scratch.owners.clear();
    scratch.owners.resize(scratch.lines.len(), FREE);
    scratch.edits.clear();
    if !scratch.active.iter().any(|a| *a) || scratch.lines.is_empty() {
        return;
    }
    set.matchers().find(
        doc,
        &scratch.lines,
        &scratch.trimmed,
        &mut scratch.matching,
        &mut scratch.hits,
    );
    let mut ctx = Ctx {
        set,
        doc,
        lines: &scratch.lines,
        trimmed: &scratch.trimmed,
        hits: &scratch.hits,
        owners: &mut scratch.owners,
        edits: &mut scratch.edits,
        repeated,
        norm: &mut scratch.norm,
    };
    let active = &scratch.active;
    let runs = |id: RuleId, pack: usize| {
        active[pack]
            && match scope {
                Scope::Rule(only) => only == id,
                _ => true,
            }
    };
    // `line` rules only act on their matcher's hits: look up the rules of
    // the matchers that hit, instead of visiting every rule of the set.
    let line_rules = &mut scratch.line_rules;
    line_rules.clear();
    for matcher in scratch.hits.matchers() {
        line_rules.extend_from_slice(set.line_rules(matcher));
    }
    line_rules.sort_unstable();
    line_rules.dedup();
    for &id in line_rules.iter() {
        let rule = set.rule(id);
        if runs(id, rule.pack) {
            apply(set, id, &rule.kind, &mut ctx);
        }
    }
    let apply_phase = |phase: Phase, ctx: &mut Ctx<'_>, first_round: bool| {
        for &id in set.other_rules() {
            let rule = set.rule(id);
            let replace_again = !first_round && matches!(rule.kind, RuleKind::Replace { .. });
            if runs(id, rule.pack) && Phase::of(&rule.kind) == phase && !replace_again {
                apply(set, id, &rule.kind, ctx);
            }
        }
    };
    apply_phase(Phase::Lines, &mut ctx, true);
    // A structural rule can fit only once a later rule has removed lines in
    // its way (a block whose end comes within `max_lines` once a run and a
    // dedupe are gone); cleaning the output again would then remove more.
    // Repeating the later phases until they claim nothing new makes one pass
    // do it, so cleaning twice changes nothing. `replace` runs once only (its
    // edits would compound) and the rounds are bounded, so a hostile pack
    // cannot make a document cost more than `MAX_ROUNDS` passes.
    for round in 0..MAX_ROUNDS {
        let free = ctx.owners.iter().filter(|o| **o == FREE).count();
        apply_phase(Phase::Structure, &mut ctx, round == 0);
        apply_phase(Phase::Neighbours, &mut ctx, round == 0);
        if ctx.owners.iter().filter(|o| **o == FREE).count() == free {
            break;
        }
    }
}

/// Most rounds of the structure and neighbour phases on one document.
const MAX_ROUNDS: usize = 8;

/// Rules run in three phases, each in load order: `line` and `repeated` rules first, so the
/// structural kinds see past the lines they remove (cleaning twice then
/// changes nothing); then `block`, `run`, `truncate` and `replace`; then
/// `dedupe`, which compares a line with what every other rule keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Lines,
    Structure,
    Neighbours,
}

impl Phase {
    fn of(kind: &RuleKind) -> Phase {
        match kind {
            RuleKind::Line { .. } | RuleKind::Repeated { .. } => Phase::Lines,
            RuleKind::Block { .. }
            | RuleKind::Run { .. }
            | RuleKind::Truncate { .. }
            | RuleKind::Replace { .. }
            | RuleKind::Density { .. } => Phase::Structure,
            RuleKind::Dedupe => Phase::Neighbours,
        }
    }
}

fn apply(set: &RuleSet, id: RuleId, kind: &RuleKind, ctx: &mut Ctx<'_>) {
    match kind {
        RuleKind::Line { matcher } => kinds::line::apply(ctx, id, *matcher),
        RuleKind::Block {
            start,
            end,
            max_lines,
        } => kinds::block::apply(ctx, id, *start, *end, *max_lines),
        RuleKind::Run {
            start,
            while_,
            max_lines,
        } => kinds::run::apply(ctx, id, *start, *while_, *max_lines),
        RuleKind::Truncate {
            at,
            max_share,
            min_kept_words,
        } => kinds::truncate::apply(ctx, id, *at, *max_share, *min_kept_words),
        RuleKind::Dedupe => kinds::dedupe::apply(ctx, id),
        RuleKind::Repeated {
            min_docs,
            min_share,
            drop,
            normalize,
        } => kinds::repeated::apply(ctx, id, *min_docs, *min_share, *drop, *normalize),
        RuleKind::Density {
            min_bytes,
            keep_before,
            keep_after,
            min_window,
            min_kept_words,
        } => {
            let params = kinds::density::Params {
                min_bytes: *min_bytes,
                keep_before: *keep_before,
                keep_after: *keep_after,
                min_window: *min_window,
                min_kept_words: *min_kept_words,
            };
            kinds::density::apply(ctx, id, params);
        }
        RuleKind::Replace { with, .. } => {
            if let Some(regex) = set.replacer(id) {
                kinds::replace::apply(ctx, id, regex, with.as_bytes());
            }
        }
    }
}

/// What a rule kind sees of the document: its lines, the matcher hits, and
/// the owners so far.
pub(crate) struct Ctx<'a> {
    set: &'a RuleSet,
    doc: &'a [u8],
    lines: &'a [Range<usize>],
    trimmed: &'a [Range<usize>],
    hits: &'a Hits,
    owners: &'a mut [u32],
    edits: &'a mut Vec<Edit>,
    repeated: Option<(&'a RepeatedSet, DocRef)>,
    norm: &'a mut Vec<u8>,
}

impl<'a> Ctx<'a> {
    fn len(&self) -> usize {
        self.lines.len()
    }

    /// The line with its ending.
    fn line(&self, i: usize) -> &'a [u8] {
        &self.doc[self.lines[i].clone()]
    }

    /// The line trimmed of whitespace.
    fn trimmed(&self, i: usize) -> &'a [u8] {
        &self.doc[self.trimmed[i].clone()]
    }

    fn is_blank(&self, i: usize) -> bool {
        self.trimmed(i).is_empty()
    }

    fn is_free(&self, i: usize) -> bool {
        self.owners[i] == FREE
    }

    /// Claims every free line in `range` for `rule`.
    fn claim(&mut self, range: Range<usize>, rule: RuleId) {
        for owner in &mut self.owners[range] {
            if *owner == FREE {
                *owner = rule.0;
            }
        }
    }

    /// Whether line `i` is free or was removed in the first phase (by a
    /// `line` or a `repeated` rule): such a line can still start a block, a
    /// run or a truncation, and a structural span takes it over. A line that
    /// a structural rule owns is neither (a run does not restart from its own
    /// start line in the next round).
    fn is_open(&self, i: usize) -> bool {
        let owner = self.owners[i];
        owner == FREE
            || (owner != TIDY && Phase::of(&self.set.rule(RuleId(owner)).kind) == Phase::Lines)
    }

    /// Claims `range` for a structural `rule`: free lines, and lines the
    /// first phase removed ([`Ctx::is_open`]), so a block or a run owns every
    /// line inside it; lines of other structural rules keep their owner.
    fn claim_span(&mut self, range: Range<usize>, rule: RuleId) {
        for i in range {
            if self.is_open(i) {
                self.owners[i] = rule.0;
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! A small harness for the per-kind case tables.
    use super::*;

    /// A rule set of one pack made of `rules_toml`.
    pub fn set(rules_toml: &str) -> RuleSet {
        let text = format!("[pack]\nname = \"t\"\n{rules_toml}");
        RuleSet::from_sources(&[crate::rules::Source::new("t.toml", text)])
            .unwrap_or_else(|e| panic!("{e}"))
    }

    /// The owner (rule index) of each line of `input` (lines joined by `|`).
    pub fn owners(set: &RuleSet, input: &str) -> Vec<Option<u32>> {
        let doc = input.replace('|', "\n");
        let mut scratch = Scratch::default();
        run(set, None, Scope::All, doc.as_bytes(), None, &mut scratch);
        scratch
            .owners
            .iter()
            .map(|&o| (o != FREE).then_some(o))
            .collect()
    }

    /// Cleans `doc` with a pack made of `rules_toml` (engine only, no tidy) and
    /// returns the kept lines' contents joined by `|`.
    pub fn kept(rules_toml: &str, doc: &str) -> String {
        let set = set(rules_toml);
        let mut scratch = Scratch::default();
        run(&set, None, Scope::All, doc.as_bytes(), None, &mut scratch);
        let mut out = Vec::new();
        for (i, range) in scratch.lines.iter().enumerate() {
            if scratch.owners[i] != FREE {
                continue;
            }
            let line = lines::content(&doc.as_bytes()[range.clone()]);
            match scratch.edits.iter().find(|e| e.line == i) {
                Some(edit) => out.push(String::from_utf8_lossy(&edit.text).into_owned()),
                None => out.push(String::from_utf8_lossy(line).into_owned()),
            }
        }
        out.join("|")
    }

    /// Runs a table of `(rule TOML, input with lines joined by '|', expected kept lines)`.
    pub fn check_table(cases: &[(&str, &str, &str)]) {
        for (rules, input, want) in cases {
            let doc = input.replace('|', "\n");
            assert_eq!(kept(rules, &doc), *want, "rule:\n{rules}\ninput: {input}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::check_table;

    const BLOCK_THEN_DEDUPE: &str = "[[rule]]\nid = \"b\"\nkind = \"block\"\nstart = { line = \"Start\" }\nend = { line = \"End\" }\nmax_lines = 3\n[[rule]]\nid = \"d\"\nkind = \"dedupe\"\n";

    const LINE_THEN_STRUCTURE: &str = "[[rule]]\nid = \"l\"\nkind = \"line\"\nmatch = { any = [{ line = \"Most read\" }, { line = \"Comments\" }] }\n[[rule]]\nid = \"r\"\nkind = \"run\"\nstart = { line = \"Most read\" }\nwhile = { regex = \"^.{1,5}$\" }\n[[rule]]\nid = \"t\"\nkind = \"truncate\"\nat = { line = \"Comments\" }\nmin_kept_words = 2\n";

    #[test]
    fn a_line_a_line_rule_removed_still_starts_a_run_or_a_cut() {
        check_table(&[
            (
                LINE_THEN_STRUCTURE,
                "a b|Most read|x|y|long line",
                "a b|long line",
            ),
            (LINE_THEN_STRUCTURE, "a b c|Comments|nice|thanks", "a b c"),
            // the guard still holds: too few words before the marker
            (LINE_THEN_STRUCTURE, "a|Comments|nice", "a|nice"),
        ]);
    }

    #[test]
    fn a_block_that_fits_once_later_rules_ran_is_removed_in_one_pass() {
        check_table(&[
            (BLOCK_THEN_DEDUPE, "a|Start|x|x|x|End|b", "a|b"),
            (
                BLOCK_THEN_DEDUPE,
                "a|Start|x|y|x|End|b",
                "a|Start|x|y|x|End|b",
            ),
        ]);
    }
}
