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
use serde_json::{json, Value};

use super::{statistics, DocReport, ErrorEntry, Reporter, RuleRef, TIDY};
use crate::corpus::{SkipReason, Summary};
use crate::ruleset::RuleSet;

/// Bytes as a JSON object: `{"text": ...}` or `{"bytes": base64}`.
pub fn data(bytes: &[u8]) -> Value {
    match std::str::from_utf8(bytes) {
        Ok(text) => json!({ "text": text }),
        Err(_) => json!({ "bytes": base64::engine::general_purpose::STANDARD.encode(bytes) }),
    }
}

fn rule_fields(rule: Option<&RuleRef>) -> [(&'static str, Value); 4] {
    match rule {
        Some(rule) => [
            ("rule", json!(rule.name)),
            ("pack", json!(rule.pack)),
            ("rule_file", json!(rule.file)),
            ("rule_line", json!(rule.line)),
        ],
        None => [
            ("rule", json!(TIDY)),
            ("pack", Value::Null),
            ("rule_file", Value::Null),
            ("rule_line", Value::Null),
        ],
    }
}

fn object(fields: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// The `document` object of one document.
pub fn document(doc: &DocReport) -> Value {
    let removals: Vec<Value> = doc
        .removals
        .iter()
        .map(|r| {
            let mut fields = rule_fields(r.rule.as_deref()).to_vec();
            fields.extend([
                ("first_line", json!(r.first_line)),
                ("last_line", json!(r.last_line)),
                ("removed", data(doc.removed_text(r))),
            ]);
            object(fields)
        })
        .collect();
    let edits: Vec<Value> = doc
        .edits
        .iter()
        .map(|e| {
            let mut fields = rule_fields(Some(&*e.rule)).to_vec();
            fields.extend([
                ("line", json!(e.line)),
                ("before", data(&e.before)),
                ("after", data(&e.after)),
            ]);
            object(fields)
        })
        .collect();
    let guard = doc.cleaned.guard.as_ref().map(|trip| {
        json!({
            "removed_share": trip.removed_share,
            "kept_words": trip.kept_words,
            "top_rule": doc.guard_rule,
        })
    });
    let over_limit = doc.over_limit.as_ref().map(|o| {
        json!({
            "max_removed": o.limit.max_removed,
            "min_kept": (o.limit.min_kept_words != usize::MAX).then_some(o.limit.min_kept_words),
            "removed_share": o.trip.removed_share,
            "kept_words": o.trip.kept_words,
            "top_rule": o.top_rule,
        })
    });
    json!({
        "type": "document",
        "path": doc.path,
        "lines": doc.cleaned.lines,
        "lines_removed": doc.cleaned.lines_removed(),
        "bytes_in": doc.input.len(),
        "bytes_out": doc.cleaned.text.len(),
        "removals": removals,
        "edits": edits,
        "guard": guard,
        "over_limit": over_limit,
    })
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

fn line(out: &mut dyn Write, value: &Value) -> io::Result<()> {
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
        let value = document(&doc);
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
        assert_eq!(data(b"ok"), json!({"text": "ok"}));
        assert_eq!(data(b"\xFFX\n"), json!({"bytes": "/1gK"}));
    }
}
