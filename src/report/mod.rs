//! Reports: what cleaning would do to each document, and which rule is
//! behind every removed line, rendered in one format per file.
//!
//! A [`DocReport`] is built once per document from its path, its bytes and
//! its [`Cleaned`] result, with every removal resolved to its rule (name,
//! pack, rule file and line). Every format reads the same `DocReport`s and
//! the same [`ErrorEntry`]s through the [`Reporter`] trait:
//!
//! | format | module | for |
//! |---|---|---|
//! | unified diff | [`diff`] | `cruftless diff`, applies with `patch -p0` |
//! | stat | [`stat`] | `cruftless diff --stat` |
//! | human | [`human`] | `cruftless check` |
//! | JSON Lines | [`json`] | `diff --format json`, `check --format json` |
//! | GitHub workflow commands | [`github`] | `check --format github` |
//! | SARIF 2.1.0 | [`sarif`] | `check --format sarif` |
//! | per-rule table | [`statistics`] | `--stat`, `check --statistics` |
//! | HTML review page | [`html`] | `cruftless report` |
//!
//! Walking, reading and cleaning are left to [`crate::corpus`]; choosing a
//! format, colour and the exit code to the command line. Nothing here
//! prints: renderers write to a `&mut dyn Write` from the caller.

pub mod diff;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod sarif;
pub mod stat;
pub mod statistics;

use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::clean::{Cleaned, Guard, GuardTrip, Owner};
use crate::corpus::{InputError, SkipReason, Summary};
use crate::engine::lines;
use crate::rules::RuleError;
use crate::ruleset::{RuleId, RuleSet};

/// The name reports give to tidying's removals.
pub const TIDY: &str = "tidy";

/// The rule behind a removal or an edit, resolved for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRef {
    /// Its index in the rule set.
    pub id: RuleId,
    /// Its stable name, `pack/id`.
    pub name: String,
    /// Its pack's name.
    pub pack: String,
    /// The rule file, as shown to users (`rules/web-common.toml` for built-ins).
    pub file: String,
    /// The line of its `[[rule]]` table in that file.
    pub line: usize,
    /// Why the rule exists.
    pub why: String,
}

impl RuleRef {
    /// Resolves `id` in `rules`.
    pub fn new(rules: &RuleSet, id: RuleId) -> RuleRef {
        let rule = rules.rule(id);
        RuleRef {
            id,
            name: rules.name(id),
            pack: rules.packs()[rule.pack].name.clone(),
            file: rule.location.file.to_string(),
            line: rule.location.line,
            why: rule.why.clone(),
        }
    }
}

/// Every rule of a rule set resolved once, so the reports of a corpus share
/// them instead of copying names and reasons into every removal.
#[derive(Debug, Clone)]
pub struct RuleRefs(Vec<Arc<RuleRef>>);

impl RuleRefs {
    /// Resolves every rule of `rules`.
    pub fn new(rules: &RuleSet) -> RuleRefs {
        RuleRefs(
            (0..rules.rules().len())
                .map(|i| Arc::new(RuleRef::new(rules, RuleId(i as u32))))
                .collect(),
        )
    }

    /// The rule `id`.
    pub fn get(&self, id: RuleId) -> Arc<RuleRef> {
        Arc::clone(&self.0[id.0 as usize])
    }
}

/// A run of removed lines with the rule that removed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    /// The rule, or `None` for tidying (blank lines).
    pub rule: Option<Arc<RuleRef>>,
    /// 1-based number of the first removed line.
    pub first_line: usize,
    /// 1-based number of the last removed line.
    pub last_line: usize,
    /// The removed bytes' range in the input, line endings included.
    pub bytes: Range<usize>,
}

impl Explained {
    /// The rule's name, or [`TIDY`].
    pub fn name(&self) -> &str {
        self.rule.as_ref().map_or(TIDY, |r| r.name.as_str())
    }

    /// Number of removed lines.
    pub fn lines(&self) -> usize {
        self.last_line + 1 - self.first_line
    }
}

/// A line rewritten by a `replace` rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditReport {
    /// The rule.
    pub rule: Arc<RuleRef>,
    /// 1-based line number.
    pub line: usize,
    /// The line's content before, without its ending.
    pub before: Vec<u8>,
    /// The line's content after, without its ending.
    pub after: Vec<u8>,
}

/// A document over a limit on how much cleaning may remove (`check
/// --max-removed`): the limit and what tripped it.
#[derive(Debug, Clone, PartialEq)]
pub struct OverLimit {
    /// The limit (`min_kept_words` is `usize::MAX` when only a share was given).
    pub limit: Guard,
    /// The share removed, the words kept and the rule that removed the most.
    pub trip: GuardTrip,
    /// The name of the rule that removed the most.
    pub top_rule: Option<String>,
}

/// Everything reports say about one document.
#[derive(Debug, Clone)]
pub struct DocReport {
    /// The path as given on the command line (`<stdin>` for standard input).
    pub path: String,
    /// The original bytes.
    pub input: Vec<u8>,
    /// The cleaning result (its `text` is the output).
    pub cleaned: Cleaned,
    /// Every removal with its rule, in line order.
    pub removals: Vec<Explained>,
    /// Every rewritten line, in line order.
    pub edits: Vec<EditReport>,
    /// The rule that removed the most, when the over-strip guard of `clean`
    /// left the document unchanged (`cleaned.guard`).
    pub guard_rule: Option<String>,
    /// Set when the document is over a `check --max-removed` limit; the
    /// removals are then what the rules would remove.
    pub over_limit: Option<OverLimit>,
}

impl DocReport {
    /// Explains `cleaned`, the result of cleaning `input`, found at `path`,
    /// with the rules of `rules`.
    pub fn new(rules: &RuleRefs, path: &str, input: Vec<u8>, cleaned: Cleaned) -> DocReport {
        let removals = cleaned
            .removals
            .iter()
            .map(|r| Explained {
                rule: match r.owner {
                    Owner::Rule(id) => Some(rules.get(id)),
                    Owner::Tidy => None,
                },
                first_line: r.lines.start + 1,
                last_line: r.lines.end,
                bytes: r.bytes.clone(),
            })
            .collect();
        let mut line_ranges = Vec::new();
        if !cleaned.edits.is_empty() {
            lines::split(&input, &mut line_ranges);
        }
        let bom = usize::from(input.starts_with(b"\xEF\xBB\xBF")) * 3;
        let edits = cleaned
            .edits
            .iter()
            .map(|e| {
                let range = line_ranges[e.line].clone();
                let mut before = lines::content(&input[range]).to_vec();
                if e.line == 0 {
                    before.drain(..bom.min(before.len()));
                }
                EditReport {
                    rule: rules.get(e.rule),
                    line: e.line + 1,
                    before,
                    after: e.text.clone(),
                }
            })
            .collect();
        let guard_rule = cleaned
            .guard
            .as_ref()
            .and_then(|t| t.top_rule)
            .map(|id| rules.get(id).name.clone());
        DocReport {
            path: path.to_string(),
            input,
            cleaned,
            removals,
            edits,
            guard_rule,
            over_limit: None,
        }
    }

    /// The bytes a removal took out, line endings included.
    pub fn removed_text(&self, removal: &Explained) -> &[u8] {
        &self.input[removal.bytes.clone()]
    }

    /// True when the output differs from the input.
    pub fn changed(&self) -> bool {
        self.cleaned.text != self.input
    }

    /// True when a rule (not tidying) would remove or rewrite something, or
    /// the document is over a limit: what `check` reports.
    pub fn has_findings(&self) -> bool {
        self.over_limit.is_some()
            || !self.edits.is_empty()
            || self.removals.iter().any(|r| r.rule.is_some())
    }

    /// The removals made by rules, tidying left out.
    pub fn findings(&self) -> impl Iterator<Item = &Explained> {
        self.removals.iter().filter(|r| r.rule.is_some())
    }

    /// Bytes removed by whole-line removals.
    pub fn bytes_removed(&self) -> usize {
        self.removals.iter().map(|r| r.bytes.len()).sum()
    }
}

/// The name reports show for a document read from `path`: the path as
/// given, or `<stdin>` for `-`.
pub fn display_path(path: &Path) -> String {
    if path.as_os_str() == "-" {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    }
}

/// An error as every format shows it: an unreadable input or a broken rule
/// file, with the position when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorEntry {
    /// The file concerned (an input or a rule file).
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What went wrong.
    pub message: String,
}

impl From<&InputError> for ErrorEntry {
    fn from(err: &InputError) -> ErrorEntry {
        ErrorEntry {
            path: display_path(&err.path),
            line: None,
            column: None,
            message: err.message.clone(),
        }
    }
}

impl From<&RuleError> for ErrorEntry {
    fn from(err: &RuleError) -> ErrorEntry {
        ErrorEntry {
            path: err.file.to_string(),
            line: err.position.map(|(line, _)| line),
            column: err.position.map(|(_, col)| col),
            message: err.message.clone(),
        }
    }
}

impl std::fmt::Display for ErrorEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.path)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": {}", self.message)
    }
}

/// One output format: it receives the documents, skipped files and errors of
/// a run in input order, then the run's totals.
///
/// The caller chooses which documents to hand over (`diff`: the changed
/// ones; `check`: those with findings).
pub trait Reporter {
    /// One document.
    ///
    /// # Errors
    /// Writing failed.
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport) -> io::Result<()>;

    /// A file that was not processed.
    ///
    /// # Errors
    /// Writing failed.
    fn skipped(&mut self, out: &mut dyn Write, path: &str, reason: SkipReason) -> io::Result<()> {
        let _ = (out, path, reason);
        Ok(())
    }

    /// An unreadable input or a broken rule file.
    ///
    /// # Errors
    /// Writing failed.
    fn error(&mut self, out: &mut dyn Write, error: &ErrorEntry) -> io::Result<()>;

    /// The end of the run, with its totals.
    ///
    /// # Errors
    /// Writing failed.
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let _ = (out, summary);
        Ok(())
    }

    /// The end of a run stopped before any document was cleaned (broken
    /// rules, lines that could not be counted), after its errors: machine
    /// formats close their document as [`Reporter::finish`] with no totals
    /// would; formats for people print nothing, since there are no totals.
    ///
    /// # Errors
    /// Writing failed.
    fn abort(&mut self, out: &mut dyn Write) -> io::Result<()> {
        self.finish(out, &Summary::default())
    }
}

/// ANSI styles for the coloured formats; all empty when colour is off.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub bold: &'static str,
    pub dim: &'static str,
    pub red: &'static str,
    pub green: &'static str,
    pub cyan: &'static str,
    pub yellow: &'static str,
    pub reset: &'static str,
}

impl Style {
    pub(crate) fn new(color: bool) -> Style {
        if color {
            Style {
                bold: "\x1b[1m",
                dim: "\x1b[2m",
                red: "\x1b[31m",
                green: "\x1b[32m",
                cyan: "\x1b[36m",
                yellow: "\x1b[33m",
                reset: "\x1b[0m",
            }
        } else {
            Style {
                bold: "",
                dim: "",
                red: "",
                green: "",
                cyan: "",
                yellow: "",
                reset: "",
            }
        }
    }
}

/// `s` when `n` is not 1.
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The end of a closing count that names the inputs that failed: `; 2
/// errors` when there were any, nothing otherwise.
pub(crate) fn write_error_count(out: &mut dyn Write, errors: usize) -> io::Result<()> {
    if errors > 0 {
        write!(out, "; {errors} error{}", plural(errors))?;
    }
    Ok(())
}

/// A rule name for an owner.
pub(crate) fn owner_name(rules: &RuleSet, owner: Owner) -> String {
    match owner {
        Owner::Rule(id) => rules.name(id),
        Owner::Tidy => TIDY.to_string(),
    }
}

/// A line range as `24` or `24-31`.
pub(crate) fn line_range(first: usize, last: usize) -> String {
    if first == last {
        first.to_string()
    } else {
        format!("{first}-{last}")
    }
}

/// [`line_range`], appended to `out`.
pub(crate) fn push_line_range(out: &mut Vec<u8>, first: usize, last: usize) {
    let mut number = itoa::Buffer::new();
    out.extend_from_slice(number.format(first).as_bytes());
    if first != last {
        out.push(b'-');
        out.extend_from_slice(number.format(last).as_bytes());
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::rules::Source;
    use crate::{CleanOptions, Cleaner};

    /// A small rule set: a line rule `t/x` removing `X`, and a replace rule `t/r`.
    pub(crate) fn rules() -> RuleSet {
        let text = "[pack]\nname = \"t\"\n\n[[rule]]\nid = \"x\"\nkind = \"line\"\nmatch = { line = \"X\" }\nwhy = \"Cruft\"\n\n[[rule]]\nid = \"r\"\nkind = \"replace\"\npattern = \"RR\"\nwith = \"r\"\n";
        RuleSet::from_sources(&[Source::new("t.toml", text.to_string())]).unwrap()
    }

    /// The report of cleaning `input` with [`rules`], no guard.
    pub(crate) fn report(rules: &RuleSet, input: &[u8]) -> DocReport {
        let options = CleanOptions {
            guard: None,
            ..CleanOptions::default()
        };
        let cleaned = Cleaner::with_options(rules, options).clean(input);
        DocReport::new(&RuleRefs::new(rules), "in/a.txt", input.to_vec(), cleaned)
    }

    #[test]
    fn removals_and_edits_are_explained_with_their_rule() {
        let rules = rules();
        let doc = report(&rules, b"a\nX\nX\n\n\nb RR\n");
        let names: Vec<(&str, usize, usize)> = doc
            .removals
            .iter()
            .map(|r| (r.name(), r.first_line, r.last_line))
            .collect();
        assert_eq!(names, [("t/x", 2, 3), ("tidy", 5, 5)]);
        assert_eq!(doc.removed_text(&doc.removals[0]), b"X\nX\n");
        let rule = doc.removals[0].rule.as_ref().unwrap();
        assert_eq!(
            (rule.pack.as_str(), rule.file.as_str(), rule.line),
            ("t", "t.toml", 4)
        );
        assert_eq!(doc.edits.len(), 1);
        assert_eq!(
            (
                doc.edits[0].line,
                &doc.edits[0].before[..],
                &doc.edits[0].after[..]
            ),
            (6, &b"b RR"[..], &b"b r"[..])
        );
        assert!(doc.has_findings());
    }

    #[test]
    fn tidying_alone_is_a_change_but_not_a_finding() {
        let rules = rules();
        let doc = report(&rules, b"a\n\n\nb\n");
        assert!(doc.changed());
        assert!(!doc.has_findings());
    }

    #[test]
    fn errors_read_the_same_from_inputs_and_rule_files() {
        let input = InputError::new(Path::new("in/a.txt"), "permission denied".into());
        assert_eq!(
            ErrorEntry::from(&input).to_string(),
            "in/a.txt: permission denied"
        );
        let file: std::sync::Arc<str> = "r.toml".into();
        let location = crate::rules::Location {
            file,
            line: 3,
            col: 7,
        };
        let rule = RuleError::at(&location, "unknown key");
        assert_eq!(
            ErrorEntry::from(&rule).to_string(),
            "r.toml:3:7: unknown key"
        );
    }
}
