//! The engine: which rule removes which line of a document.
//!
//! [`run_batch`] splits each document of a batch into lines ([`lines`]),
//! asks the compiled matchers which lines they hit (for the whole batch at
//! once, see [`crate::matching::Matchers::find_batch`]), then applies every
//! active rule to each document in three phases (see `Phase`), each kind in
//! its own file under `kinds/`. The first rule to claim a line owns it.
//! [`run`] is a batch of one. The results stay in the caller's [`Scratch`]
//! (`Scratch::result`): an owner per line and the edits of `replace` rules.
//! Tidying and assembling the output are left to [`crate::tidy`] and
//! [`crate::clean`].

mod kinds;
pub mod lines;
pub mod repeated;

use std::ops::Range;
use std::path::Path;

use crate::matching::{DocLines, Hits, MatchScratch};
use crate::rules::{MatcherId, RuleKind};
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

/// Which rules run: normally all; `cruftless test` runs one pack or one rule
/// alone, on examples that have no path of their own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Scope {
    /// Every rule of every pack whose `paths` match.
    #[default]
    All,
    /// Only the rules of this pack (index into [`RuleSet::packs`]), whatever
    /// its `paths`.
    Pack(usize),
    /// Only this rule, whatever its pack's `paths`.
    Rule(RuleId),
}

/// Reusable per-thread buffers, so cleaning allocates nothing per line.
///
/// The lines of all documents of a batch go in shared lists, one document
/// after the other, so those lists grow to the largest batch, not to the
/// largest document each slot of a batch has seen (the per-document hits,
/// edits and packs, much smaller, do keep each slot's largest).
#[derive(Debug, Default)]
pub struct Scratch {
    /// Every line of the batch, with its ending (ranges in its own document).
    lines: Vec<Range<usize>>,
    /// The same, trimmed of whitespace.
    trimmed: Vec<Range<usize>>,
    /// Each line's owner: a rule, [`FREE`] or [`TIDY`].
    owners: Vec<u32>,
    docs: Vec<DocSlot>,
    /// How many documents the last batch had.
    batch_len: usize,
    hits: Vec<Hits>,
    matching: MatchScratch,
    norm: Vec<u8>,
    marks: Vec<u8>,
    positions: Vec<usize>,
    line_rules: Vec<RuleId>,
    settled: Vec<u64>,
}

/// One document of a batch: where its lines are, its edits and the packs
/// that apply to it.
#[derive(Debug, Default)]
struct DocSlot {
    span: Range<usize>,
    edits: Vec<Edit>,
    active: Vec<bool>,
}

/// What the rules made of one document: its lines, their owners and the
/// edits of `replace` rules, in line order.
pub(crate) struct DocResult<'a> {
    /// Its lines, endings included.
    pub lines: &'a [Range<usize>],
    /// Its lines trimmed of whitespace.
    pub trimmed: &'a [Range<usize>],
    /// Each line's owner: a rule, [`FREE`] or [`TIDY`].
    pub owners: &'a mut [u32],
    /// The rewrites of `replace` rules.
    pub edits: &'a [Edit],
}

impl Scratch {
    /// The result for document `i` of the last batch.
    ///
    /// # Panics
    /// When the last batch had no document `i`.
    pub(crate) fn result(&mut self, i: usize) -> DocResult<'_> {
        assert!(i < self.batch_len, "no document {i} in the last batch");
        let slot = &self.docs[i];
        DocResult {
            lines: &self.lines[slot.span.clone()],
            trimmed: &self.trimmed[slot.span.clone()],
            owners: &mut self.owners[slot.span.clone()],
            edits: &slot.edits,
        }
    }
}

/// One document for [`run_batch`].
#[derive(Debug, Clone, Copy)]
pub struct Job<'a> {
    /// Its path relative to its input root, which selects the packs that apply.
    pub path: Option<&'a Path>,
    /// Its bytes.
    pub doc: &'a [u8],
    /// The corpus counts that `repeated` rules need and where the document
    /// sits in them (they remove nothing without them).
    pub repeated: Option<(&'a RepeatedSet, DocRef)>,
}

/// Applies the rules of `set` in `scope` that are active for `path` to
/// `doc`; its result is left in `scratch`, as the first of a batch of one.
pub fn run(
    set: &RuleSet,
    path: Option<&Path>,
    scope: Scope,
    doc: &[u8],
    repeated: Option<(&RepeatedSet, DocRef)>,
    scratch: &mut Scratch,
) {
    let job = Job {
        path,
        doc,
        repeated,
    };
    run_batch(set, scope, &[job], scratch);
}

/// [`run`] on each of `jobs`, whose results are left in `scratch` in the
/// same order. The result for a document does not depend on the others:
/// the batch only lets the matchers run each regex over all its documents
/// at once ([`crate::matching::Matchers::find_batch`]).
pub fn run_batch(set: &RuleSet, scope: Scope, jobs: &[Job<'_>], scratch: &mut Scratch) {
    let Scratch {
        lines: all_lines,
        trimmed: all_trimmed,
        owners: all_owners,
        docs,
        batch_len,
        hits,
        matching,
        norm,
        marks,
        positions,
        line_rules,
        settled,
    } = scratch;
    *batch_len = jobs.len();
    all_lines.clear();
    all_trimmed.clear();
    if docs.len() < jobs.len() {
        docs.resize_with(jobs.len(), DocSlot::default);
    }
    let mut matched = Vec::with_capacity(jobs.len());
    for (i, (job, slot)) in jobs.iter().zip(docs.iter_mut()).enumerate() {
        let start = all_lines.len();
        lines::split_onto(job.doc, all_lines);
        lines::trim_onto(job.doc, &all_lines[start..], all_trimmed);
        slot.span = start..all_lines.len();
        slot.edits.clear();
        set.active_packs(job.path, &mut slot.active);
        let only = match scope {
            Scope::All => None,
            Scope::Pack(pack) => Some(pack),
            Scope::Rule(id) => Some(set.rule(id).pack),
        };
        if let Some(only) = only {
            for (pack, active) in slot.active.iter_mut().enumerate() {
                *active = pack == only;
            }
        }
        if slot.active.iter().any(|a| *a) && !slot.span.is_empty() {
            matched.push(i);
        }
    }
    all_owners.clear();
    all_owners.resize(all_lines.len(), FREE);
    if matched.is_empty() {
        return;
    }
    if hits.len() < matched.len() {
        hits.resize_with(matched.len(), Hits::default);
    }
    let hits = &mut hits[..matched.len()];
    let batch: Vec<DocLines<'_>> = matched
        .iter()
        .map(|&i| DocLines {
            doc: jobs[i].doc,
            lines: &all_lines[docs[i].span.clone()],
            trimmed: &all_trimmed[docs[i].span.clone()],
        })
        .collect();
    set.matchers().find_batch(&batch, matching, hits);
    for (&i, hits) in matched.iter().zip(hits.iter()) {
        let slot = &mut docs[i];
        let span = slot.span.clone();
        let mut ctx = Ctx {
            set,
            doc: jobs[i].doc,
            lines: &all_lines[span.clone()],
            trimmed: &all_trimmed[span.clone()],
            hits,
            owners: &mut all_owners[span],
            edits: &mut slot.edits,
            repeated: jobs[i].repeated,
            matching,
            norm,
            marks,
            positions,
            changes: 0,
            claimed: 0,
        };
        apply_rules(&mut ctx, scope, &slot.active, line_rules, settled);
    }
}

/// Applies the rules in `scope` of the `active` packs to the document of
/// `ctx`, whose matcher hits are known. `line_rules` and `settled` are
/// buffers.
fn apply_rules(
    ctx: &mut Ctx<'_>,
    scope: Scope,
    active: &[bool],
    line_rules: &mut Vec<RuleId>,
    settled: &mut Vec<u64>,
) {
    let set = ctx.set;
    let runs = |id: RuleId, pack: usize| {
        active[pack]
            && match scope {
                Scope::Rule(only) => only == id,
                _ => true,
            }
    };
    // `line` rules only act on their matcher's hits: look up the rules of
    // the matchers that hit, instead of visiting every rule of the set.
    line_rules.clear();
    for matcher in ctx.hits.matchers() {
        line_rules.extend_from_slice(set.line_rules(matcher));
    }
    line_rules.sort_unstable();
    line_rules.dedup();
    for &id in line_rules.iter() {
        let rule = set.rule(id);
        if runs(id, rule.pack) {
            apply(set, id, &rule.kind, ctx);
        }
    }
    // `settled[k]`: the owner changes (`Ctx::changes`) right after the k-th
    // other rule last ran, if it would claim nothing more run again with
    // nothing changed since ([`settles`]); it is then skipped.
    settled.clear();
    settled.resize(set.other_rules().len(), u64::MAX);
    let apply_phase = |phase: Phase, ctx: &mut Ctx<'_>, first_round: bool, settled: &mut [u64]| {
        for (&id, settled) in set.other_rules().iter().zip(settled) {
            let rule = set.rule(id);
            let replace_again = !first_round && matches!(rule.kind, RuleKind::Replace { .. });
            if runs(id, rule.pack)
                && Phase::of(&rule.kind) == phase
                && !replace_again
                && *settled != ctx.changes
            {
                apply(set, id, &rule.kind, ctx);
                if settles(&rule.kind) {
                    *settled = ctx.changes;
                }
            }
        }
    };
    apply_phase(Phase::Lines, ctx, true, settled);
    // A structural rule can fit only once a later rule has removed lines in
    // its way (a block whose end comes within `max_lines` once a run and a
    // dedupe are gone); cleaning the output again would then remove more.
    // Repeating the later phases until they claim nothing new makes one pass
    // do it, so cleaning twice changes nothing. `replace` runs once only (its
    // edits would compound) and the rounds are bounded, so a hostile pack
    // cannot make a document cost more than `MAX_ROUNDS` passes.
    for round in 0..MAX_ROUNDS {
        let claimed = ctx.claimed;
        apply_phase(Phase::Structure, ctx, round == 0, settled);
        apply_phase(Phase::Neighbours, ctx, round == 0, settled);
        if ctx.claimed == claimed {
            break;
        }
    }
}

/// Most rounds of the structure and neighbour phases on one document.
const MAX_ROUNDS: usize = 8;

/// Whether a rule of this kind, run again on its own result with no other
/// change in between, always claims nothing more: then a later round need
/// not run it again unless another rule has claimed a line since.
///
/// - `dedupe`: no kept line equals the kept line before it any more;
/// - `run`: every open start line it met is now its own, so none is open;
/// - `truncate` without `max_share`: its cut line is its own, and the words
///   before every earlier marker are what they were; with `max_share`, the
///   cut shrinks the text after an earlier marker, whose share can then pass;
/// - `block`: a block it took can bring a start before it within
///   `max_lines` of its end, so no;
/// - `density`: no either: once short lines before the main text are gone,
///   a running sum can carry into it and merge it with a later prose block
///   into one stretch whose best part ends sooner, so more goes.
/// - `line` and `repeated` run once, `replace` in the first round only.
fn settles(kind: &RuleKind) -> bool {
    match kind {
        RuleKind::Dedupe | RuleKind::Run { .. } => true,
        RuleKind::Truncate { max_share, .. } => max_share.is_none(),
        RuleKind::Density { .. }
        | RuleKind::Block { .. }
        | RuleKind::Line { .. }
        | RuleKind::Repeated { .. }
        | RuleKind::Replace { .. } => false,
    }
}

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
    /// The matchers' caches, for on-demand matchers ([`Ctx::hit`]).
    matching: &'a mut MatchScratch,
    /// A buffer for normalising a line (`repeated`).
    norm: &'a mut Vec<u8>,
    /// The bytes normalising may change (`repeated`, see
    /// [`crate::text::mark_unnormal`]).
    marks: &'a mut Vec<u8>,
    /// A buffer for a list of lines (`density`).
    positions: &'a mut Vec<usize>,
    /// How many times a line's owner has changed.
    changes: u64,
    /// How many free lines have been claimed.
    claimed: u64,
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

    /// Whether `matcher` hits line `i`; the regexes of an on-demand matcher
    /// (a `block`'s `end`, a `run`'s `while`) run now, on this line only.
    fn hit(&mut self, matcher: MatcherId, i: usize) -> bool {
        let line = self.trimmed(i);
        self.set
            .matchers()
            .hits(self.hits, matcher, i, line, self.matching)
    }

    fn is_blank(&self, i: usize) -> bool {
        self.trimmed[i].is_empty()
    }

    fn is_free(&self, i: usize) -> bool {
        self.owners[i] == FREE
    }

    /// Claims every free line in `range` for `rule`.
    fn claim(&mut self, range: Range<usize>, rule: RuleId) {
        for owner in &mut self.owners[range] {
            if *owner == FREE {
                *owner = rule.0;
                self.changes += 1;
                self.claimed += 1;
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
                self.claimed += u64::from(self.owners[i] == FREE);
                self.owners[i] = rule.0;
                self.changes += 1;
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
            .result(0)
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
        let result = scratch.result(0);
        kept_lines(doc, result.lines, result.owners, result.edits)
    }

    /// Like [`kept`], but the pack's first rule alone runs, once, with no
    /// further rounds.
    pub fn kept_after_one_run(rules_toml: &str, doc: &str) -> String {
        let set = set(rules_toml);
        let bytes = doc.as_bytes();
        let (mut lines, mut trimmed) = (Vec::new(), Vec::new());
        lines::split(bytes, &mut lines);
        lines::trim_each(bytes, &lines, &mut trimmed);
        let (mut hits, mut matching) = (Hits::default(), MatchScratch::default());
        let matchers = set.matchers();
        matchers.find(bytes, &lines, &trimmed, &mut matching, &mut hits);
        let mut owners = vec![FREE; lines.len()];
        let mut edits = Vec::new();
        let mut ctx = Ctx {
            set: &set,
            doc: bytes,
            lines: &lines,
            trimmed: &trimmed,
            hits: &hits,
            owners: &mut owners,
            edits: &mut edits,
            repeated: None,
            matching: &mut matching,
            norm: &mut Vec::new(),
            marks: &mut Vec::new(),
            positions: &mut Vec::new(),
            changes: 0,
            claimed: 0,
        };
        apply(&set, RuleId(0), &set.rule(RuleId(0)).kind, &mut ctx);
        kept_lines(doc, &lines, &owners, &edits)
    }

    /// The free lines' contents (or their edits), joined by `|`.
    fn kept_lines(doc: &str, lines: &[Range<usize>], owners: &[u32], edits: &[Edit]) -> String {
        let mut out = Vec::new();
        for (i, range) in lines.iter().enumerate() {
            if owners[i] != FREE {
                continue;
            }
            let line = lines::content(&doc.as_bytes()[range.clone()]);
            match edits.iter().find(|e| e.line == i) {
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
    use super::testing::{check_table, kept};

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

    const BLOCK: &str = "[[rule]]\nid = \"b\"\nkind = \"block\"\nstart = { line = \"Start\" }\nend = { line = \"End\" }\nmax_lines = 3\n";

    const TRUNCATE_BY_SHARE: &str = "[[rule]]\nid = \"t\"\nkind = \"truncate\"\nat = { line = \"Comments\" }\nmax_share = 0.5\n";

    #[test]
    fn a_rule_that_can_claim_more_on_its_own_result_runs_again() {
        check_table(&[
            // the second block brings the first start within 3 lines of the end
            (BLOCK, "Start|a|b|Start|c|End|z", "z"),
            // the cut at the second marker leaves the first one under half the text
            (
                TRUNCATE_BY_SHARE,
                "aaaaaaaaaa|Comments|bb|Comments|ccccc",
                "aaaaaaaaaa",
            ),
        ]);
    }

    /// A block's end and a run's while, both regexes asked on demand.
    const BLOCK_AND_RUN: &str = "[[rule]]\nid = \"b\"\nkind = \"block\"\nstart = { line = \"abcdef\" }\nend = { regex = \"\" }\nmax_lines = 3\n[[rule]]\nid = \"r\"\nkind = \"run\"\nstart = { line = \"End\" }\nwhile = { regex = \"^end\\\\b\" }\nmax_lines = 1\n";

    #[test]
    fn each_matcher_asked_on_demand_answers_after_its_own_start() {
        // (the hits of the block's end once hid the run's start, and its
        // while never ran)
        check_table(&[(BLOCK_AND_RUN, "End|abcdef|q|end here|x", "x")]);
    }

    /// `n` bytes of prose ending in a full stop, from word `from` on.
    fn prose(n: usize, from: usize) -> String {
        let words = "the council met on tuesday evening to discuss plans for the old river bridge which has been closed since spring floods engineers said supports were sound";
        let words: Vec<&str> = words.split(' ').collect();
        let mut text = String::new();
        for word in words.iter().cycle().skip(from) {
            if text.len() >= n {
                break;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(word);
        }
        text.truncate(n - 1);
        text + "."
    }

    #[test]
    fn density_runs_again_when_its_own_cut_moves_the_main_text() {
        const DENSITY: &str = "[[rule]]\nid = \"d\"\nkind = \"density\"\nmin_bytes = 56\nkeep_before = 4\nkeep_after = 1\nmin_window = 300\nmin_kept_words = 50\n";
        // once "Riverton Gazette" is gone, the sentence above it carries the
        // running sum into the main text, which then ends at its first block
        let mut lines = vec![
            prose(100, 3),
            String::new(),
            "Riverton Gazette".into(),
            String::new(),
        ];
        lines.extend(
            [
                "Bridge repairs start next week on the river road X",
                "By Sam Jones, local democracy reporter, Riverton E",
                "Published Tuesday 3 May 2022, updated 4 May 2022 a",
                "Photo: the old river bridge seen from the north ab",
            ]
            .map(String::from),
        );
        lines.push(prose(456, 0));
        lines.extend((1..=8).map(|i| format!("Picture {i:02}")));
        lines.push("Follow us online".into());
        lines.push(prose(356, 7));
        lines.push("Riverton Town".into());
        let once = kept(DENSITY, &lines.join("\n"));
        assert!(once.ends_with("Picture 01"), "{once}");
        assert_eq!(kept(DENSITY, &once.replace('|', "\n")), once);
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

#[cfg(test)]
mod settling {
    //! The kinds that [`super::settles`] says settle claim nothing more when
    //! run again on their own result, on documents built from their markers.
    use super::testing::kept_after_one_run;
    use proptest::prelude::*;

    /// One rule of each settling kind, and the lines its documents are made of.
    const RULES: &[(&str, &[&str])] = &[
        (
            "kind = \"run\"\nstart = { line = \"Related\" }\nwhile = { regex = \"^.{1,5}$\" }\nmax_lines = 2\n",
            &["Related", "ab", "abcdef", "", "x"],
        ),
        (
            "kind = \"truncate\"\nat = { line = \"Comments\" }\nmin_kept_words = 3\n",
            &["Comments", "one two", "a", "", "three four five"],
        ),
        ("kind = \"dedupe\"\n", &["a", "b", " a ", ""]),
    ];

    proptest! {
        #[test]
        fn a_settling_rule_claims_nothing_more_on_its_own_result(
            which in 0..RULES.len(),
            picks in proptest::collection::vec(0..5usize, 0..14),
        ) {
            let (rule, vocabulary) = RULES[which];
            let rule = format!("[[rule]]\nid = \"r\"\n{rule}");
            let doc: Vec<&str> = picks.iter().map(|&p| vocabulary[p % vocabulary.len()]).collect();
            let once = kept_after_one_run(&rule, &doc.join("\n"));
            let twice = kept_after_one_run(&rule, &once.replace('|', "\n"));
            // the harness joins lines with `|`, so a blank last line is lost
            let non_blank = |kept: &str| kept.split('|').filter(|l| !l.is_empty()).collect::<Vec<_>>().join("|");
            prop_assert_eq!(non_blank(&once), non_blank(&twice));
        }
    }
}
