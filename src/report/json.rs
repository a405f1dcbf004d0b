//! JSON Lines: one JSON object per line, for `diff --format json` and
//! `check --format json`.
//!
//! Every object has a `type`:
//!
//! - `"document"`, one per document handed over (`diff`: every changed
//!   document and every document the over-strip guard stopped; `check`:
//!   every document with findings), in input order:
//!   - `path`: the path as given (`<stdin>` for standard input)
//!   - `lines`: the document's line count
//!   - `lines_removed`, `bytes_in`, `bytes_out`: numbers
//!   - `removals`: every run of removed lines, in line order, each with
//!     `rule` (`pack/id`, or `"tidy"` for blank lines squeezed by tidying),
//!     `pack`, `rule_file`, `rule_line` (where the rule is defined; `null`
//!     for tidy), `first_line` and `last_line` (1-based, inclusive) and
//!     `removed` (the removed bytes, line endings included, as *data*)
//!   - `edits`: lines rewritten by `replace` rules, each with `rule`,
//!     `pack`, `rule_file`, `rule_line`, `line` and `before`/`after` (data,
//!     without the line ending)
//!   - `guard`: `null`, or, when `clean`'s over-strip guard would leave the
//!     document unchanged (its `removals` are then empty), `removed_share`,
//!     `kept_words` and `top_rule`
//!   - `over_limit`: `null`, or, when the document is over `check
//!     --max-removed`, `max_removed`, `min_kept` (`null` unless given),
//!     `removed_share`, `kept_words` and `top_rule` (the rule that removed
//!     the most)
//! - `"skipped"`: `path` and `reason` (`"binary"`)
//! - `"error"`: `path` (an input or a rule file), `line` and `column`
//!   (`null` when unknown) and `message`; errors are always reported here,
//!   and make the exit code 2
//! - `"summary"`, last: `documents` (read and cleaned), `changed`,
//!   `lines_removed`, `bytes_in`, `bytes_out`, `skipped`, `errors`, and
//!   `rules`: per rule (tidy included) `rule`, `documents` and `lines`,
//!   most lines first
//!
//! *Data* is written as ripgrep's JSON printer does: `{"text": "..."}` when
//! the bytes are valid UTF-8, otherwise `{"bytes": "..."}` with the bytes in
//! standard base64, so nothing is ever decoded lossily.

use std::io::{self, Write};

use base64::Engine;
use serde::Serialize;
use serde_json::{json, Value};

use super::{statistics, DocReport, ErrorEntry, Reporter, RuleRef, TIDY};
use crate::corpus::{SkipReason, Summary};
use crate::ruleset::RuleSet;

/// Bytes as JSON: `{"text": ...}` when valid UTF-8, otherwise
/// `{"bytes": base64}`.
#[derive(Debug, Serialize, PartialEq)]
pub enum Data<'a> {
    /// Valid UTF-8.
    #[serde(rename = "text")]
    Text(&'a str),
    /// Anything else, in standard base64.
    #[serde(rename = "bytes")]
    Bytes(String),
}

/// `bytes` as [`Data`].
pub fn data(bytes: &[u8]) -> Data<'_> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Data::Text(text),
        Err(_) => Data::Bytes(base64::engine::general_purpose::STANDARD.encode(bytes)),
    }
}

// The objects of a `document` line, serialised straight from the report
// (no `Value` tree: a corpus has millions of removals), fields in order.

/// The `document` object of one document.
#[derive(Debug, Serialize)]
pub struct Document<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    path: &'a str,
    lines: usize,
    lines_removed: usize,
    bytes_in: usize,
    bytes_out: usize,
    removals: Vec<RemovalObject<'a>>,
    edits: Vec<EditObject<'a>>,
    guard: Option<GuardObject<'a>>,
    over_limit: Option<OverLimitObject<'a>>,
}

/// Which rule: `pack/id` with where it is defined, or tidy (the rest `null`).
#[derive(Debug, Serialize)]
struct RuleFields<'a> {
    rule: &'a str,
    pack: Option<&'a str>,
    rule_file: Option<&'a str>,
    rule_line: Option<usize>,
}

impl<'a> RuleFields<'a> {
    fn of(rule: Option<&'a RuleRef>) -> RuleFields<'a> {
        RuleFields {
            rule: rule.map_or(TIDY, |r| &r.name),
            pack: rule.map(|r| r.pack.as_str()),
            rule_file: rule.map(|r| r.file.as_str()),
            rule_line: rule.map(|r| r.line),
        }
    }
}

#[derive(Debug, Serialize)]
struct RemovalObject<'a> {
    #[serde(flatten)]
    rule: RuleFields<'a>,
    first_line: usize,
    last_line: usize,
    removed: Data<'a>,
}

#[derive(Debug, Serialize)]
struct EditObject<'a> {
    #[serde(flatten)]
    rule: RuleFields<'a>,
    line: usize,
    before: Data<'a>,
    after: Data<'a>,
}

#[derive(Debug, Serialize)]
struct GuardObject<'a> {
    removed_share: f64,
    kept_words: usize,
    top_rule: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct OverLimitObject<'a> {
    max_removed: f64,
    min_kept: Option<usize>,
    removed_share: f64,
    kept_words: usize,
    top_rule: Option<&'a str>,
}

/// The `document` object of one document.
pub fn document(doc: &DocReport) -> Document<'_> {
    Document {
        kind: "document",
        path: &doc.path,
        lines: doc.cleaned.lines,
        lines_removed: doc.cleaned.lines_removed(),
        bytes_in: doc.input.len(),
        bytes_out: doc.cleaned.text.len(),
        removals: doc
            .removals
            .iter()
            .map(|r| RemovalObject {
                rule: RuleFields::of(r.rule.as_deref()),
                first_line: r.first_line,
                last_line: r.last_line,
                removed: data(doc.removed_text(r)),
            })
            .collect(),
        edits: doc
            .edits
            .iter()
            .map(|e| EditObject {
                rule: RuleFields::of(Some(&e.rule)),
                line: e.line,
                before: data(&e.before),
                after: data(&e.after),
            })
            .collect(),
        guard: doc.cleaned.guard.as_ref().map(|trip| GuardObject {
            removed_share: trip.removed_share,
            kept_words: trip.kept_words,
            top_rule: doc.guard_rule.as_deref(),
        }),
        over_limit: doc.over_limit.as_ref().map(|o| OverLimitObject {
            max_removed: o.limit.max_removed,
            min_kept: (o.limit.min_kept_words != usize::MAX).then_some(o.limit.min_kept_words),
            removed_share: o.trip.removed_share,
            kept_words: o.trip.kept_words,
            top_rule: o.top_rule.as_deref(),
        }),
    }
}

/// The `error` object of one error.
pub fn error(error: &ErrorEntry) -> Value {
    json!({
        "type": "error",
        "path": error.path,
        "line": error.line,
        "column": error.column,
        "message": error.message,
    })
}

/// The `summary` object of a run.
pub fn summary(rules: &RuleSet, summary: &Summary) -> Value {
    let rows: Vec<Value> = statistics::rows(rules, summary, true)
        .iter()
        .map(|r| json!({ "rule": r.name, "documents": r.documents, "lines": r.lines }))
        .collect();
    json!({
        "type": "summary",
        "documents": summary.documents,
        "changed": summary.changed,
        "lines_removed": summary.lines_removed,
        "bytes_in": summary.bytes_in,
        "bytes_out": summary.bytes_out,
        "skipped": summary.skipped.len(),
        "errors": summary.errors.len(),
        "rules": rows,
    })
}

fn line(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// JSON Lines as a [`Reporter`].
#[derive(Debug)]
pub struct JsonLines<'r> {
    rules: &'r RuleSet,
    errors: usize,
}

impl<'r> JsonLines<'r> {
    /// A reporter naming rules from `rules`.
    pub fn new(rules: &'r RuleSet) -> JsonLines<'r> {
        JsonLines { rules, errors: 0 }
    }
}

impl Reporter for JsonLines<'_> {
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport) -> io::Result<()> {
        line(out, &document(doc))
    }

    fn skipped(&mut self, out: &mut dyn Write, path: &str, reason: SkipReason) -> io::Result<()> {
        let reason = match reason {
            SkipReason::Binary => "binary",
        };
        line(
            out,
            &json!({ "type": "skipped", "path": path, "reason": reason }),
        )
    }

    fn error(&mut self, out: &mut dyn Write, e: &ErrorEntry) -> io::Result<()> {
        self.errors += 1;
        line(out, &error(e))
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        let mut value = summary(self.rules, s);
        // every error passed through `error`, rule files' included
        value["errors"] = json!(self.errors);
        line(out, &value)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{report, rules};
    use super::*;

    #[test]
    fn a_document_lists_its_removals_with_their_rules() {
        let rules = rules();
        let doc = report(&rules, b"a\nX\n\n\nb RR\n");
        let value = serde_json::to_value(document(&doc)).unwrap();
        assert_eq!(value["removals"][0]["rule"], "t/x");
        assert_eq!(value["removals"][0]["rule_file"], "t.toml");
        assert_eq!(value["removals"][0]["rule_line"], 4);
        assert_eq!(value["removals"][0]["first_line"], 2);
        assert_eq!(value["removals"][0]["removed"], json!({"text": "X\n"}));
        assert_eq!(value["removals"][1]["rule"], "tidy");
        assert_eq!(value["removals"][1]["pack"], Value::Null);
        assert_eq!(value["edits"][0]["after"], json!({"text": "b r"}));
        assert_eq!(value["guard"], Value::Null);
    }

    #[test]
    fn invalid_utf8_is_base64_never_lossy() {
        let json = |bytes: &[u8]| serde_json::to_value(data(bytes)).unwrap();
        assert_eq!(json(b"ok"), json!({"text": "ok"}));
        assert_eq!(json(b"\xFFX\n"), json!({"bytes": "/1gK"}));
    }
}
