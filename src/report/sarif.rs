//! SARIF 2.1.0, the log format code-scanning dashboards read
//! (`check --format sarif`).
//!
//! One run, whose tool driver lists every loaded rule (`id` = `pack/id`,
//! `shortDescription` = its `why`, `properties` = pack, kind, rule file and
//! line), then a `cruftless/max-removed` rule for documents over
//! `--max-removed`. Each run of lines a rule would remove, and each line it
//! would rewrite, is a `warning` result whose region spans those lines; a
//! document over the limit is an `error` result naming the rule that removed
//! the most. Unreadable inputs and broken rule files are error
//! notifications under `invocations[0].toolExecutionNotifications`, and make
//! `executionSuccessful` false. Paths are relative URI references as given
//! (absolute paths become `file://` URIs).
//!
//! The log is written as the run goes, pretty-printed as `serde_json`
//! prints it: the tool and each result as soon as its document is
//! reported, the invocation (after the results) at the end. A run over a
//! whole corpus has hundreds of thousands of results; held until the end,
//! they took gigabytes.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{line_range, DocReport, ErrorEntry, Reporter};
use crate::corpus::Summary;
use crate::ruleset::RuleSet;

/// The `$schema` written in the log.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The id of the result for a document over `--max-removed`.
pub const MAX_REMOVED: &str = "cruftless/max-removed";

/// A SARIF log being written.
#[derive(Debug)]
pub struct Sarif<'r> {
    rules: &'r RuleSet,
    /// The log's start (up to its results) is written.
    started: bool,
    /// Results written so far.
    results: usize,
    notifications: Vec<Value>,
}

/// Indentation of the tool and the invocations (members of the run).
const RUN_MEMBER: usize = 6;
/// Indentation of a result (an element of the run's `results`).
const RESULT: usize = 8;

impl<'r> Sarif<'r> {
    /// A log describing the rules of `rules`.
    pub fn new(rules: &'r RuleSet) -> Sarif<'r> {
        Sarif {
            rules,
            started: false,
            results: 0,
            notifications: Vec::new(),
        }
    }

    /// The tool: cruftless and every rule.
    fn tool(&self) -> Value {
        let mut descriptors: Vec<Value> = self
            .rules
            .rules()
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let name = self.rules.name(crate::RuleId(i as u32));
                let why = if rule.why.is_empty() {
                    name.clone()
                } else {
                    rule.why.clone()
                };
                json!({
                    "id": name,
                    "shortDescription": { "text": why },
                    "defaultConfiguration": { "level": "warning" },
                    "properties": {
                        "pack": self.rules.packs()[rule.pack].name,
                        "kind": rule.kind.name(),
                        "file": rule.location.file.to_string(),
                        "line": rule.location.line,
                    },
                })
            })
            .collect();
        descriptors.push(json!({
            "id": MAX_REMOVED,
            "shortDescription": { "text": "Cleaning would remove more of the document than --max-removed allows: a rule may be too broad" },
            "defaultConfiguration": { "level": "error" },
        }));
        json!({
            "driver": {
                "name": "cruftless",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": descriptors,
            }
        })
    }

    /// Writes the log up to its first result, once.
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        write!(
            out,
            "{{\n  \"$schema\": {},\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": ",
            Value::from(SCHEMA)
        )?;
        write_indented(out, &self.tool(), RUN_MEMBER)?;
        out.write_all(b",\n      \"results\": [")
    }

    /// Writes one result.
    fn result(
        &mut self,
        out: &mut dyn Write,
        rule: usize,
        level: &str,
        text: String,
        uri: &str,
        lines: (usize, usize),
    ) -> io::Result<()> {
        self.start(out)?;
        let result = json!({
            "ruleId": self.rule_id(rule),
            "ruleIndex": rule,
            "level": level,
            "message": { "text": text },
            "locations": [location(uri, Some(lines.0), Some(lines.1), None)],
        });
        let separator = if self.results == 0 { "" } else { "," };
        write!(out, "{separator}\n{:RESULT$}", "")?;
        write_indented(out, &result, RESULT)?;
        self.results += 1;
        Ok(())
    }

    fn rule_id(&self, index: usize) -> String {
        if index == self.rules.rules().len() {
            MAX_REMOVED.to_string()
        } else {
            self.rules.name(crate::RuleId(index as u32))
        }
    }
}

/// Writes `value` pretty-printed, its lines after the first indented by
/// `indent` spaces, as it reads nested that deep in the log. (JSON strings
/// hold no raw line breaks, so every line break is the printer's.)
fn write_indented(out: &mut dyn Write, value: &Value, indent: usize) -> io::Result<()> {
    let pretty = serde_json::to_vec_pretty(value)?;
    for (i, line) in pretty.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            write!(out, "\n{:indent$}", "")?;
        }
        out.write_all(line)?;
    }
    Ok(())
}

fn location(uri: &str, start: Option<usize>, end: Option<usize>, column: Option<usize>) -> Value {
    let mut physical = json!({ "artifactLocation": { "uri": uri } });
    if let Some(start) = start {
        let mut region = json!({ "startLine": start });
        if let Some(end) = end {
            region["endLine"] = json!(end);
        }
        if let Some(column) = column {
            region["startColumn"] = json!(column);
        }
        physical["region"] = region;
    }
    json!({ "physicalLocation": physical })
}

/// A path as a URI reference: `/` separators, reserved and non-ASCII bytes
/// percent-encoded; an absolute path becomes a `file://` URI.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for &b in path.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Reporter for Sarif<'_> {
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport) -> io::Result<()> {
        let file = uri(&doc.path);
        if let Some(over) = &doc.over_limit {
            let text = format!(
                "Cleaning would remove {:.0} % of the text, over {}; most removed by {}.",
                over.trip.removed_share * 100.0,
                super::github::limit_text(over.limit.max_removed, over.limit.min_kept_words),
                over.top_rule.as_deref().unwrap_or("-"),
            );
            let last = doc.cleaned.lines.max(1);
            let rule = self.rules.rules().len();
            self.result(out, rule, "error", text, &file, (1, last))?;
        }
        for removal in doc.findings() {
            let Some(rule) = &removal.rule else { continue };
            let text = format!(
                "{} would remove line{} {}.",
                rule.name,
                if removal.lines() == 1 { "" } else { "s" },
                line_range(removal.first_line, removal.last_line)
            );
            let lines = (removal.first_line, removal.last_line);
            self.result(out, rule.id.0 as usize, "warning", text, &file, lines)?;
        }
        for edit in &doc.edits {
            let text = format!("{} would rewrite line {}.", edit.rule.name, edit.line);
            let lines = (edit.line, edit.line);
            self.result(out, edit.rule.id.0 as usize, "warning", text, &file, lines)?;
        }
        Ok(())
    }

    fn error(&mut self, _out: &mut dyn Write, error: &ErrorEntry) -> io::Result<()> {
        self.notifications.push(json!({
            "level": "error",
            "message": { "text": error.message },
            "locations": [location(&uri(&error.path), error.line, None, error.column)],
        }));
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        self.start(out)?;
        if self.results > 0 {
            write!(out, "\n{:RUN_MEMBER$}", "")?;
        }
        out.write_all(b"],\n      \"invocations\": ")?;
        let invocations = json!([{
            "executionSuccessful": self.notifications.is_empty(),
            "toolExecutionNotifications": self.notifications,
        }]);
        write_indented(out, &invocations, RUN_MEMBER)?;
        out.write_all(b"\n    }\n  ]\n}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{report, rules};
    use super::*;
    use crate::corpus::Summary;

    /// The log written for `docs` (inputs) and `errors`, as text.
    fn log(docs: &[&[u8]], errors: &[&str]) -> String {
        let rules = rules();
        let mut sarif = Sarif::new(&rules);
        let mut out = Vec::new();
        for input in docs {
            sarif.document(&mut out, &report(&rules, input)).unwrap();
        }
        for message in errors {
            let error = ErrorEntry {
                path: "in/b.txt".into(),
                line: None,
                column: None,
                message: message.to_string(),
            };
            sarif.error(&mut out, &error).unwrap();
        }
        sarif.finish(&mut out, &Summary::default()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn results_point_at_the_removed_lines_and_name_the_rule() {
        let log: Value = serde_json::from_str(&log(&[b"a\nX\nX\nb\n"], &[])).unwrap();
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["rules"][0]["id"], "t/x");
        let result = &run["results"][0];
        assert_eq!(result["ruleId"], "t/x");
        assert_eq!(result["ruleIndex"], 0);
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert_eq!(
            (region["startLine"].as_u64(), region["endLine"].as_u64()),
            (Some(2), Some(3))
        );
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    }

    #[test]
    fn the_streamed_log_reads_as_serde_json_prints_it() {
        let cases: &[(&[&[u8]], &[&str])] = &[
            (&[], &[]),
            (&[b"a\nX\nb\n", b"clean\n", b"X\nRR\nX\n"], &[]),
            (&[b"a\n"], &["cannot read: denied"]),
        ];
        for (docs, errors) in cases {
            let text = log(docs, errors);
            let value: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(text, serde_json::to_string_pretty(&value).unwrap() + "\n");
            let results = value["runs"][0]["results"].as_array().unwrap();
            let findings: usize = docs
                .iter()
                .map(|d| {
                    d.split(|&b| b == b'\n')
                        .filter(|l| *l == b"X" || *l == b"RR")
                        .count()
                })
                .sum();
            assert_eq!(results.len(), findings, "{text}");
            assert_eq!(
                value["runs"][0]["invocations"][0]["executionSuccessful"],
                errors.is_empty()
            );
        }
    }

    #[test]
    fn paths_become_uri_references() {
        let cases = [
            ("input/a.txt", "input/a.txt"),
            ("my docs/ü.txt", "my%20docs/%C3%BC.txt"),
            ("/abs/100%.txt", "file:///abs/100%25.txt"),
        ];
        for (path, want) in cases {
            assert_eq!(uri(path), want);
        }
    }
}
