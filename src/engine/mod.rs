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

use std::ops::Range;
use std::path::Path;

use crate::matching::{text, Hits, MatchScratch};
use crate::rules::RuleKind;
use crate::ruleset::{RuleId, RuleSet};

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
    pub(crate) owners: Vec<u32>,
    pub(crate) edits: Vec<Edit>,
    hits: Hits,
    matching: MatchScratch,
    active: Vec<bool>,
    line_rules: Vec<RuleId>,
}

/// Applies the rules of `set` in `scope` that are active for `path` to
/// `doc`; the owners of its lines and the edits are left in `scratch`.
pub fn run(set: &RuleSet, path: Option<&Path>, scope: Scope, doc: &[u8], scratch: &mut Scratch) {
    lines::split(doc, &mut scratch.lines);
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
        &mut scratch.matching,
        &mut scratch.hits,
    );
    let mut ctx = Ctx {
        doc,
        lines: &scratch.lines,
        hits: &scratch.hits,
        owners: &mut scratch.owners,
        edits: &mut scratch.edits,
    };
    let runs = |id: RuleId, pack: usize| {
        scratch.active[pack]
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
    for phase in [Phase::Structure, Phase::Neighbours] {
        for &id in set.other_rules() {
            let rule = set.rule(id);
            if runs(id, rule.pack) && Phase::of(&rule.kind) == phase {
                apply(set, id, &rule.kind, &mut ctx);
            }
        }
    }
}

/// Rules run in three phases, each in load order: `line` rules first, so the
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
            RuleKind::Line { .. } => Phase::Lines,
            RuleKind::Block { .. }
            | RuleKind::Run { .. }
            | RuleKind::Truncate { .. }
            | RuleKind::Replace { .. } => Phase::Structure,
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
    doc: &'a [u8],
    lines: &'a [Range<usize>],
    hits: &'a Hits,
    owners: &'a mut [u32],
    edits: &'a mut Vec<Edit>,
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
        text::trim(self.line(i))
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
}

#[cfg(test)]
pub(crate) mod testing {
    //! A small harness for the per-kind case tables.
    use super::*;

    /// Cleans `doc` with a pack made of `rules_toml` (engine only, no tidy) and
    /// returns the kept lines' contents joined by `|`.
    pub fn kept(rules_toml: &str, doc: &str) -> String {
        let text = format!("[pack]\nname = \"t\"\n{rules_toml}");
        let set = RuleSet::from_sources(&[crate::rules::Source::new("t.toml", text)])
            .unwrap_or_else(|e| panic!("{e}"));
        let mut scratch = Scratch::default();
        run(&set, None, Scope::All, doc.as_bytes(), &mut scratch);
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
