//! [`Cleaner`]: one document in, its cleaned bytes and the removals that
//! explain them out. Runs the engine, then tidy, then the over-strip guard,
//! then copies the kept lines.

use std::cell::RefCell;
use std::ops::Range;
use std::path::Path;

use crate::engine::repeated::{DocRef, RepeatedSet};
use crate::engine::{self, lines, DocResult, Edit, Job, Scope, Scratch, FREE, TIDY};
use crate::matching::text;
use crate::ruleset::{RuleId, RuleSet};
use crate::tidy;

/// Who removed a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Owner {
    /// A rule of the rule set.
    Rule(RuleId),
    /// Tidying: squeezed, leading or trailing blank lines.
    Tidy,
}

/// A run of consecutive input lines removed by one owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removal {
    /// 0-based input line indices, end exclusive.
    pub lines: Range<usize>,
    /// The removed bytes' range in the input, line endings included.
    pub bytes: Range<usize>,
    /// Who removed them.
    pub owner: Owner,
}

/// Lines and bytes one owner removed from one document, over all its runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OwnerRemoved {
    /// The rule, or tidying.
    pub owner: Owner,
    /// Lines it removed.
    pub lines: usize,
    /// Bytes it removed, line endings included.
    pub bytes: usize,
}

/// The over-strip guard: a document trips it when cleaning would remove more
/// than `max_removed` of its text *and* keep fewer than `min_kept_words` words.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guard {
    /// Largest share of the text (trimmed bytes of non-blank lines) that may go.
    pub max_removed: f64,
    /// Fewest words a document must keep for a larger removal to be trusted.
    pub min_kept_words: usize,
}

impl Default for Guard {
    /// 0.9 and 30 words: see README, "Usage" (`--max-removed`, `--min-kept`).
    fn default() -> Self {
        Guard {
            max_removed: 0.9,
            min_kept_words: 30,
        }
    }
}

/// Why a document was left unchanged by the guard.
#[derive(Debug, Clone, PartialEq)]
pub struct GuardTrip {
    /// Share of the text cleaning would have removed.
    pub removed_share: f64,
    /// Words cleaning would have kept.
    pub kept_words: usize,
    /// The rule that would have removed the most text.
    pub top_rule: Option<RuleId>,
}

/// How a [`Cleaner`] cleans.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CleanOptions {
    /// Squeeze blank runs and drop leading and trailing blank lines.
    pub tidy: bool,
    /// The over-strip guard; `None` obeys the rules whatever they remove.
    pub guard: Option<Guard>,
    /// Which rules run.
    pub scope: Scope,
    /// List every removed run in [`Cleaned::removals`]. Without it only
    /// [`Cleaned::removed`], the sums by owner, is filled: all that a
    /// corpus summary needs, where a page's list holds a couple of hundred
    /// runs (each blank line that tidying drops between two removed lines
    /// is one).
    pub list_removals: bool,
}

impl Default for CleanOptions {
    fn default() -> Self {
        CleanOptions {
            tidy: true,
            guard: Some(Guard::default()),
            scope: Scope::All,
            list_removals: true,
        }
    }
}

/// A cleaned document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cleaned {
    /// The output bytes.
    pub text: Vec<u8>,
    /// Removed line runs in line order (empty when the guard tripped, or
    /// when [`CleanOptions::list_removals`] is off).
    pub removals: Vec<Removal>,
    /// What each owner removed, in the order owners first remove a line
    /// (empty when the guard tripped).
    pub removed: Vec<OwnerRemoved>,
    /// Lines rewritten by `replace` rules, in line order.
    pub edits: Vec<Edit>,
    /// Set when the over-strip guard left the document unchanged.
    pub guard: Option<GuardTrip>,
    /// Number of input lines.
    pub lines: usize,
}

impl Cleaned {
    /// Number of removed lines.
    pub fn lines_removed(&self) -> usize {
        self.removed.iter().map(|r| r.lines).sum()
    }
}

/// Cleans documents with a [`RuleSet`].
///
/// # Example
/// ```
/// let rules = cruftless::RuleSet::builtin().unwrap();
/// let cleaner = cruftless::Cleaner::new(&rules);
/// let out = cleaner.clean(b"A real sentence of the article, long enough to keep.\n\nFollow Us:\n");
/// assert_eq!(out.text, b"A real sentence of the article, long enough to keep.\n");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Cleaner<'r> {
    rules: &'r RuleSet,
    options: CleanOptions,
    repeated: Option<&'r RepeatedSet>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl<'r> Cleaner<'r> {
    /// A cleaner with the default options (tidy on, default guard).
    pub fn new(rules: &'r RuleSet) -> Cleaner<'r> {
        Cleaner::with_options(rules, CleanOptions::default())
    }

    /// A cleaner with explicit options.
    pub fn with_options(rules: &'r RuleSet, options: CleanOptions) -> Cleaner<'r> {
        Cleaner {
            rules,
            options,
            repeated: None,
        }
    }

    /// The same cleaner with corpus counts for its `repeated` rules; documents
    /// are looked up in `repeated` by the path given to [`Cleaner::clean_path`],
    /// records by the group and position given to [`Cleaner::clean_members`].
    pub fn with_repeated(self, repeated: &'r RepeatedSet) -> Cleaner<'r> {
        Cleaner {
            repeated: Some(repeated),
            ..self
        }
    }

    /// The rule set it cleans with.
    pub fn rules(&self) -> &'r RuleSet {
        self.rules
    }

    /// Cleans a document that has no path (every pack applies).
    pub fn clean(&self, input: &[u8]) -> Cleaned {
        self.clean_path(None, input)
    }

    /// Cleans a document; `path` (relative to its input root) selects the
    /// packs whose `paths` scope it.
    pub fn clean_path(&self, path: Option<&Path>, input: &[u8]) -> Cleaned {
        self.clean_batch(&[(path, input)])
            .pop()
            .expect("one document in, one out")
    }

    /// Cleans several documents, each `(path, input)` as
    /// [`Cleaner::clean_path`] does, into their [`Cleaned`] in the same
    /// order. Each result is the same as cleaning the document alone; a batch
    /// of a few dozen pages is faster, because each regex then runs on the
    /// candidate lines of all of them at once, while its states are in the
    /// CPU caches.
    pub fn clean_batch(&self, docs: &[(Option<&Path>, &[u8])]) -> Vec<Cleaned> {
        let docs: Vec<Input<'_>> = docs
            .iter()
            .map(|&(path, input)| {
                let counts = self
                    .repeated
                    .zip(path)
                    .and_then(|(set, path)| Some((set, set.document(path)?)));
                Input::new(path, counts, input)
            })
            .collect();
        self.clean_inputs(&docs)
    }

    /// Cleans documents that have no path but a place in the counts of the
    /// `repeated` rules (JSON Lines records), each given as `(group, index,
    /// text)`: document `index`, in input order, of the group named `group`.
    /// Every pack applies. As [`Cleaner::clean_batch`], each result is the
    /// same as cleaning the document alone.
    pub fn clean_members(&self, docs: &[(&str, u32, &[u8])]) -> Vec<Cleaned> {
        let docs: Vec<Input<'_>> = docs
            .iter()
            .map(|&(group, index, input)| {
                let counts = self
                    .repeated
                    .and_then(|set| Some((set, set.member(group, index)?)));
                Input::new(None, counts, input)
            })
            .collect();
        self.clean_inputs(&docs)
    }

    fn clean_inputs(&self, inputs: &[Input<'_>]) -> Vec<Cleaned> {
        SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
            Ok(mut scratch) => self.clean_with(inputs, &mut scratch),
            Err(_) => self.clean_with(inputs, &mut Scratch::default()),
        })
    }

    fn clean_with(&self, inputs: &[Input<'_>], scratch: &mut Scratch) -> Vec<Cleaned> {
        let jobs: Vec<Job<'_>> = inputs.iter().map(|input| input.job).collect();
        engine::run_batch(self.rules, self.options.scope, &jobs, scratch);
        inputs
            .iter()
            .enumerate()
            .map(|(i, input)| self.assemble(input, scratch.result(i)))
            .collect()
    }

    /// Tidies the engine's result for one document, applies the guard and
    /// copies the kept lines.
    fn assemble(&self, input: &Input<'_>, result: DocResult<'_>) -> Cleaned {
        let (bom, doc) = (input.bom, input.job.doc);
        if self.options.tidy {
            tidy::apply(result.trimmed, result.owners);
        }
        let lines = result.lines;
        let owners = &*result.owners;
        if let Some(guard) = self.options.guard {
            if let Some(trip) = check_guard(guard, doc, result.trimmed, owners, result.edits) {
                return Cleaned {
                    text: input.bytes.to_vec(),
                    removals: Vec::new(),
                    removed: Vec::new(),
                    edits: Vec::new(),
                    guard: Some(trip),
                    lines: lines.len(),
                };
            }
        }
        let text = kept_text(bom, doc, lines, owners, result.edits);
        let removals = if self.options.list_removals {
            removals(owners, lines, bom.len())
        } else {
            Vec::new()
        };
        Cleaned {
            text,
            removals,
            removed: removed_by_owner(owners, lines),
            edits: result
                .edits
                .iter()
                .filter(|e| owners[e.line] == FREE)
                .cloned()
                .collect(),
            guard: None,
            lines: lines.len(),
        }
    }
}

/// One document to clean: its bytes, and the engine's job for them
/// without a leading byte order mark (kept in the output).
struct Input<'a> {
    bytes: &'a [u8],
    bom: &'a [u8],
    job: Job<'a>,
}

impl<'a> Input<'a> {
    fn new(
        path: Option<&'a Path>,
        repeated: Option<(&'a RepeatedSet, DocRef)>,
        bytes: &'a [u8],
    ) -> Input<'a> {
        let doc = text::strip_bom(bytes);
        let bom = &bytes[..bytes.len() - doc.len()];
        Input {
            bytes,
            bom,
            job: Job {
                path,
                doc,
                repeated,
            },
        }
    }
}

/// The output: `bom`, then `doc`'s kept lines (owned by no rule), edited
/// ones rewritten, and a final line ending only where `doc` has one;
/// nothing at all when no line is kept.
fn kept_text(
    bom: &[u8],
    doc: &[u8],
    lines: &[Range<usize>],
    owners: &[u32],
    edits: &[Edit],
) -> Vec<u8> {
    let mut text = Vec::with_capacity(bom.len() + doc.len());
    text.extend_from_slice(bom);
    let mut edits = edits.iter().peekable();
    let mut last_kept = None;
    // each run of kept lines is copied at once, but for its edited lines
    for (_, run) in owner_runs(owners).filter(|&(owner, _)| owner == FREE) {
        let mut from = run.start;
        // edits of lines a later rule removed are not applied
        while edits.next_if(|e| e.line < from).is_some() {}
        while let Some(edit) = edits.next_if(|e| e.line < run.end) {
            text.extend_from_slice(&doc[lines[from].start..lines[edit.line].start]);
            text.extend_from_slice(&edit.text);
            text.extend_from_slice(lines::ending(&doc[lines[edit.line].clone()]));
            from = edit.line + 1;
        }
        if from < run.end {
            text.extend_from_slice(&doc[lines[from].start..lines[run.end - 1].end]);
        }
        last_kept = Some(&doc[lines[run.end - 1].clone()]);
    }
    match last_kept {
        Some(line) if !doc.ends_with(b"\n") => {
            text.truncate(text.len() - lines::ending(line).len());
        }
        Some(_) => {}
        None => text.clear(),
    }
    text
}

/// The removed lines' runs of equal owners, in line order.
fn removals(owners: &[u32], lines: &[Range<usize>], offset: usize) -> Vec<Removal> {
    removed_runs(owners)
        .map(|(owner, run)| Removal {
            bytes: lines[run.start].start + offset..lines[run.end - 1].end + offset,
            owner,
            lines: run,
        })
        .collect()
}

/// What each owner removed, summed over its runs, in the order owners
/// first remove a line: a page's removals have few owners, so a short
/// list gathers them faster than a map.
fn removed_by_owner(owners: &[u32], lines: &[Range<usize>]) -> Vec<OwnerRemoved> {
    // summed by owner code (a compare of two numbers), named at the end
    let mut sums: Vec<(u32, usize, usize)> = Vec::new();
    for (code, run) in owner_runs(owners).filter(|&(code, _)| code != FREE) {
        let bytes = lines[run.end - 1].end - lines[run.start].start;
        match sums.iter_mut().find(|sum| sum.0 == code) {
            Some(sum) => {
                sum.1 += run.len();
                sum.2 += bytes;
            }
            None => sums.push((code, run.len(), bytes)),
        }
    }
    sums.into_iter()
        .map(|(code, lines, bytes)| OwnerRemoved {
            owner: owner_of(code),
            lines,
            bytes,
        })
        .collect()
}

/// The maximal runs of removed lines with one owner, in line order.
fn removed_runs(owners: &[u32]) -> impl Iterator<Item = (Owner, Range<usize>)> + '_ {
    owner_runs(owners)
        .filter(|&(code, _)| code != FREE)
        .map(|(code, run)| (owner_of(code), run))
}

/// The owner whose code (in the engine's owners) is `code`, not free.
fn owner_of(code: u32) -> Owner {
    if code == TIDY {
        Owner::Tidy
    } else {
        Owner::Rule(RuleId(code))
    }
}

/// The maximal runs of lines with one owner, in line order: `(owner,
/// lines)`. A run is found by one tight scan, not line by line: most of
/// a page is a few long runs of kept lines.
fn owner_runs(owners: &[u32]) -> impl Iterator<Item = (u32, Range<usize>)> + '_ {
    let mut start = 0;
    std::iter::from_fn(move || {
        let &owner = owners.get(start)?;
        let rest = &owners[start..];
        let len = rest.iter().position(|&o| o != owner).unwrap_or(rest.len());
        let run = start..start + len;
        start = run.end;
        Some((owner, run))
    })
}

fn check_guard(
    guard: Guard,
    doc: &[u8],
    trimmed: &[Range<usize>],
    owners: &[u32],
    edits: &[Edit],
) -> Option<GuardTrip> {
    let removed_by_rules = |i: usize| owners[i] != FREE && owners[i] != TIDY;
    let mut total = 0usize;
    let mut removed = 0usize;
    for (i, range) in trimmed.iter().enumerate() {
        total += range.len();
        if removed_by_rules(i) {
            removed += range.len();
        }
    }
    if total == 0 || (removed as f64) <= guard.max_removed * total as f64 {
        return None;
    }
    let kept_words: usize = trimmed
        .iter()
        .enumerate()
        .filter(|(i, _)| owners[*i] == FREE)
        .map(|(i, range)| match edits.iter().find(|e| e.line == i) {
            Some(edit) => text::count_words(&edit.text),
            None => text::count_words(&doc[range.clone()]),
        })
        .sum();
    if kept_words >= guard.min_kept_words {
        return None;
    }
    // the rule that removed the most text, looked for only when the guard trips
    let mut by_rule: Vec<(u32, usize)> = Vec::new();
    for (i, range) in trimmed.iter().enumerate() {
        if removed_by_rules(i) && !range.is_empty() {
            match by_rule.iter_mut().find(|(o, _)| *o == owners[i]) {
                Some((_, n)) => *n += range.len(),
                None => by_rule.push((owners[i], range.len())),
            }
        }
    }
    let top_rule = by_rule
        .iter()
        .max_by_key(|(owner, n)| (*n, std::cmp::Reverse(*owner)))
        .map(|(owner, _)| RuleId(*owner));
    Some(GuardTrip {
        removed_share: removed as f64 / total as f64,
        kept_words,
        top_rule,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Source;

    fn set(rules: &str) -> RuleSet {
        let text = format!("[pack]\nname = \"t\"\n{rules}");
        RuleSet::from_sources(&[Source::new("t.toml", text)]).unwrap()
    }

    const X: &str = "[[rule]]\nid = \"x\"\nkind = \"line\"\nmatch = { line = \"X\" }\n";

    /// Cleans each input of `cases` with `rules` (no guard) and checks the output.
    fn check_outputs(rules: &str, cases: &[(&[u8], &[u8])]) {
        let rules = set(rules);
        let options = CleanOptions {
            guard: None,
            ..CleanOptions::default()
        };
        let cleaner = Cleaner::with_options(&rules, options);
        for (input, want) in cases {
            assert_eq!(cleaner.clean(input).text, *want, "input {input:?}");
        }
    }

    #[test]
    fn final_newline_state_follows_the_original() {
        check_outputs(
            X,
            &[
                (b"a\nX", b"a"),
                (b"a\nX\n", b"a\n"),
                (b"a\r\n\r\nX", b"a"),
                (b"a\r\nX\r\n", b"a\r\n"),
                (b"X\n", b""),
                (b"", b""),
                (b"\xEF\xBB\xBFX\na\n", b"\xEF\xBB\xBFa\n"),
                (b"\xFFa\xFE\nX\n", b"\xFFa\xFE\n"),
            ],
        );
    }

    #[test]
    fn kept_text_skips_the_edits_of_removed_lines_and_copies_runs_whole() {
        let doc = b"a\nb\nc\nd\ne";
        let mut lines = Vec::new();
        lines::split(doc, &mut lines);
        let edit = |line: usize, text: &[u8]| Edit {
            line,
            rule: RuleId(0),
            text: text.to_vec(),
        };
        // b was edited, then removed by rule 7: its edit is not applied
        let edits = [edit(1, b"B"), edit(2, b"C"), edit(4, b"E")];
        let text = |owners: &[u32]| kept_text(b"", doc, &lines, owners, &edits);
        assert_eq!(text(&[FREE, 7, FREE, FREE, FREE]), b"a\nC\nd\nE");
        assert_eq!(text(&[7, 7, FREE, FREE, 7]), b"C\nd");
        assert_eq!(text(&[FREE, FREE, 7, 7, 7]), b"a\nB");
        assert_eq!(text(&[7, TIDY, 7, 7, 7]), b"");
        assert_eq!(
            kept_text(b"\xEF\xBB\xBF", doc, &lines, &[FREE; 5], &[]),
            b"\xEF\xBB\xBFa\nb\nc\nd\ne"
        );
    }

    #[test]
    fn kept_lines_and_rewritten_lines_come_out_in_order() {
        let ad =
            "[[rule]]\nid = \"ad\"\nkind = \"replace\"\npattern = \" \\\\[ad\\\\]\"\nwith = \"\"\n";
        let drop = "[[rule]]\nid = \"drop\"\nkind = \"line\"\nmatch = { contains = \"drop\" }\n";
        check_outputs(
            &format!("{X}{ad}{drop}"),
            &[
                (b"a\nb [ad]\nc\n", b"a\nb\nc\n"),
                // a rewritten line that another rule removes stays removed
                (b"a\ndrop [ad]\nb [ad]\nX\nc [ad]\n", b"a\nb\nc\n"),
                (b"drop [ad]\nX [ad]\nb\n", b"X\nb\n"),
                (b"a\r\nb [ad]\r\nX\r\nc\r\nd", b"a\r\nb\r\nc\r\nd"),
                (b"b [ad]\nc [ad]\nX\nX\ne\nf\n", b"b\nc\ne\nf\n"),
                (b"a\nb\nX\nc [ad]", b"a\nb\nc"),
                (b"X\nX\n", b""),
            ],
        );
    }

    #[test]
    fn a_batch_applies_each_document_its_own_packs_and_counts() {
        use crate::engine::repeated::{LineStat, RepeatedSet};
        use crate::matching::text::{self, Normalize};
        // pack 0 only for site-a, pack 1 only for site-b, pack 2 everywhere
        let pack = |name: &str, paths: &str, line: &str, kind: &str| {
            let text = format!(
                "[pack]\nname = \"{name}\"\n{paths}\n[[rule]]\nid = \"r\"\nkind = \"{kind}\"\n{line}\n"
            );
            Source::new(format!("{name}.toml").as_str(), text)
        };
        let rules = RuleSet::from_sources(&[
            pack(
                "a",
                "paths = [\"site-a/**\"]",
                "match = { regex = \"^(A|Both)$\" }",
                "line",
            ),
            pack(
                "b",
                "paths = [\"site-b/**\"]",
                "match = { regex = \"^(B|Both)$\" }",
                "line",
            ),
            pack("r", "", "min_docs = 2\nmin_share = 0.1", "repeated"),
        ])
        .unwrap();
        let mut counts = RepeatedSet::new(Normalize::default());
        let group = counts.add_group("site-a", 2);
        let mut norm = Vec::new();
        text::normalize(b"Site menu", Normalize::default(), &mut norm);
        counts.add_line(
            group,
            text::fingerprint(&norm),
            LineStat { docs: 2, first: 0 },
        );
        counts.add_document("site-a/1.txt".into(), group, 0);
        let doc = &b"A\nB\nBoth\nSite menu\nStory.\n"[..];
        let paths = [
            "site-a/1.txt",
            "site-b/1.txt",
            "site-c/1.txt",
            "site-a/2.txt",
        ];
        let docs: Vec<(Option<&Path>, &[u8])> =
            paths.iter().map(|p| (Some(Path::new(*p)), doc)).collect();
        let scopes = [Scope::All, Scope::Pack(0), Scope::Pack(1), Scope::Pack(2)];
        for scope in scopes {
            let options = CleanOptions {
                guard: None,
                scope,
                ..CleanOptions::default()
            };
            let cleaner = Cleaner::with_options(&rules, options).with_repeated(&counts);
            let batch = cleaner.clean_batch(&docs);
            for (&(path, input), cleaned) in docs.iter().zip(&batch) {
                assert_eq!(
                    *cleaned,
                    cleaner.clean_path(path, input),
                    "{path:?} {scope:?}"
                );
            }
            if scope == Scope::All {
                let texts: Vec<&[u8]> = batch.iter().map(|c| c.text.as_slice()).collect();
                let want: [&[u8]; 4] = [
                    b"B\nStory.\n",
                    b"A\nSite menu\nStory.\n",
                    b"A\nB\nBoth\nSite menu\nStory.\n",
                    b"B\nSite menu\nStory.\n",
                ];
                assert_eq!(texts, want);
            }
        }
    }

    #[test]
    fn removals_name_their_owner() {
        let rules = set(X);
        let out = Cleaner::new(&rules).clean(b"\na\nX\nX\n\n\nb\n");
        assert_eq!(
            out.removals,
            vec![
                Removal {
                    lines: 0..1,
                    bytes: 0..1,
                    owner: Owner::Tidy
                },
                Removal {
                    lines: 2..4,
                    bytes: 3..7,
                    owner: Owner::Rule(RuleId(0))
                },
                Removal {
                    lines: 5..6,
                    bytes: 8..9,
                    owner: Owner::Tidy
                },
            ]
        );
        // summed by owner, in the order they first remove a line, listed or not
        let removed = |owner, lines, bytes| OwnerRemoved {
            owner,
            lines,
            bytes,
        };
        let want = [
            removed(Owner::Tidy, 2, 2),
            removed(Owner::Rule(RuleId(0)), 2, 4),
        ];
        assert_eq!(out.removed, want);
        assert_eq!(out.lines_removed(), 4);
        let options = CleanOptions {
            list_removals: false,
            ..CleanOptions::default()
        };
        let unlisted = Cleaner::with_options(&rules, options).clean(b"\na\nX\nX\n\n\nb\n");
        assert_eq!((unlisted.text, unlisted.removed), (out.text, out.removed));
        assert!(unlisted.removals.is_empty());
    }

    #[test]
    fn no_tidy_removes_only_what_rules_claim() {
        let rules = set(X);
        let options = CleanOptions {
            tidy: false,
            guard: None,
            ..CleanOptions::default()
        };
        let out = Cleaner::with_options(&rules, options).clean(b"\na\nX\n\n\nb");
        assert_eq!(out.text, b"\na\n\n\nb");
    }

    #[test]
    fn the_guard_stops_a_rule_that_eats_a_short_page_and_spares_heavy_cleaning() {
        let greedy = "[[rule]]\nid = \"all\"\nkind = \"line\"\nmatch = { regex = \".\" }\n";
        let rules = set(greedy);
        let out = Cleaner::new(&rules).clean(b"one two three\nfour five\n");
        let trip = out.guard.expect("tripped");
        assert_eq!(trip.top_rule, Some(RuleId(0)));
        assert_eq!(out.text, b"one two three\nfour five\n");
        assert!(out.removals.is_empty());

        // 95 % removed but a real article kept: heavy cleaning, not a trip
        let rules = set(X);
        let article = "word ".repeat(40);
        let doc = format!("{article}\n{}", "X\n".repeat(2000));
        let out = Cleaner::new(&rules).clean(doc.as_bytes());
        assert!(out.guard.is_none());
        assert_eq!(out.text, format!("{article}\n").as_bytes());
    }
}
