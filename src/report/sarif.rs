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
//! (absolute paths become `file://` URIs). The whole log is written at the
//! end of the run.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{line_range, DocReport, ErrorEntry, Reporter};
use crate::corpus::Summary;
use crate::ruleset::RuleSet;

/// The `$schema` written in the log.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The id of the result for a document over `--max-removed`.
pub const MAX_REMOVED: &str = "cruftless/max-removed";

/// A SARIF log being built; [`Reporter::finish`] writes it.
#[derive(Debug)]
pub struct Sarif<'r> {
    rules: &'r RuleSet,
    results: Vec<Value>,
    notifications: Vec<Value>,
}

impl<'r> Sarif<'r> {
    /// An empty log describing the rules of `rules`.
    pub fn new(rules: &'r RuleSet) -> Sarif<'r> {
        Sarif {
            rules,
            results: Vec::new(),
            notifications: Vec::new(),
        }
    }

    /// The log as JSON.
    pub fn to_value(&self) -> Value {
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
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": {
                    "driver": {
                        "name": "cruftless",
                        "version": env!("CARGO_PKG_VERSION"),
                        "rules": descriptors,
                    }
                },
                "invocations": [{
                    "executionSuccessful": self.notifications.is_empty(),
                    "toolExecutionNotifications": self.notifications,
                }],
                "results": self.results,
            }]
        })
    }

    fn result(&mut self, rule: usize, level: &str, text: String, uri: &str, lines: (usize, usize)) {
        self.results.push(json!({
            "ruleId": self.rule_id(rule),
            "ruleIndex": rule,
            "level": level,
            "message": { "text": text },
            "locations": [location(uri, Some(lines.0), Some(lines.1), None)],
        }));
    }

    fn rule_id(&self, index: usize) -> String {
        if index == self.rules.rules().len() {
            MAX_REMOVED.to_string()
        } else {
            self.rules.name(crate::RuleId(index as u32))
        }
    }
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
    fn document(&mut self, _out: &mut dyn Write, doc: &DocReport) -> io::Result<()> {
        let file = uri(&doc.path);
        if let Some(over) = &doc.over_limit {
            let text = format!(
                "Cleaning would remove {:.0} % of the text, over {}; most removed by {}.",
                over.trip.removed_share * 100.0,
                super::github::limit_text(over.limit.max_removed, over.limit.min_kept_words),
                over.top_rule.as_deref().unwrap_or("-"),
            );
            let last = doc.cleaned.lines.max(1);
            self.result(self.rules.rules().len(), "error", text, &file, (1, last));
        }
        for removal in doc.findings() {
            let Some(rule) = &removal.rule else { continue };
            let text = format!(
                "{} would remove line{} {}.",
                rule.name,
                if removal.lines() == 1 { "" } else { "s" },
                line_range(removal.first_line, removal.last_line)
            );
            self.result(
                rule.id.0 as usize,
                "warning",
                text,
                &file,
                (removal.first_line, removal.last_line),
            );
        }
        for edit in &doc.edits {
            let text = format!("{} would rewrite line {}.", edit.rule.name, edit.line);
            self.result(
                edit.rule.id.0 as usize,
                "warning",
                text,
                &file,
                (edit.line, edit.line),
            );
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
        serde_json::to_writer_pretty(&mut *out, &self.to_value())?;
        out.write_all(b"\n")
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{report, rules};
    use super::*;

    #[test]
    fn results_point_at_the_removed_lines_and_name_the_rule() {
        let rules = rules();
        let mut sarif = Sarif::new(&rules);
        let doc = report(&rules, b"a\nX\nX\nb\n");
        sarif.document(&mut Vec::new(), &doc).unwrap();
        let log = sarif.to_value();
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
