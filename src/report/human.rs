//! `check`'s listing for people: one line per finding, then a count, as a
//! linter prints them.
//!
//! ```text
//! input/a.txt:24-31: web-common/register-prompt: Registration wall under the article
//! input/b.txt: over --max-removed 0.6: cleaning would remove 97 % of its text; most removed by greedy/all
//! Found 2 removals by 1 rule in 1 of 2 documents; 1 document over --max-removed.
//! ```
//!
//! With `statistics`, the per-rule table replaces the listing; with
//! `quiet`, there is no closing count. Tidying's
//! blank lines are not findings. Errors are left to the caller (stderr);
//! the closing count says how many there were, so that it never reads
//! "All clean" beside them.

use std::io::{self, Write};

use super::github::limit_text;
use super::{
    plural, push_line_range, statistics, write_error_count, DocReport, ErrorEntry, Reporter, Style,
};
use crate::corpus::Summary;
use crate::ruleset::RuleSet;

/// How the human listing looks.
#[derive(Debug, Clone, Copy, Default)]
pub struct HumanOptions {
    /// Colour the output.
    pub color: bool,
    /// A per-rule table instead of one line per finding.
    pub statistics: bool,
    /// No closing count.
    pub quiet: bool,
}

/// The human listing as a [`Reporter`].
#[derive(Debug)]
pub struct Human<'r> {
    rules: &'r RuleSet,
    options: HumanOptions,
    findings: usize,
    documents: usize,
    over_limit: usize,
    errors: usize,
    /// Which rules have a finding (by rule index).
    named: Vec<bool>,
    /// One finding's line, reused.
    line: Vec<u8>,
}

impl<'r> Human<'r> {
    /// A listing naming rules from `rules`.
    pub fn new(rules: &'r RuleSet, options: HumanOptions) -> Human<'r> {
        Human {
            rules,
            options,
            findings: 0,
            documents: 0,
            over_limit: 0,
            errors: 0,
            named: vec![false; rules.rules().len()],
            line: Vec::new(),
        }
    }
}

impl Reporter for Human<'_> {
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport) -> io::Result<()> {
        let style = Style::new(self.options.color);
        let show = !self.options.statistics;
        self.documents += 1;
        if let Some(over) = &doc.over_limit {
            self.over_limit += 1;
            if show {
                writeln!(
                    out,
                    "{}{}{}: {}over {}{}: cleaning would remove {:.0} % of its text; most removed by {}",
                    style.bold,
                    doc.path,
                    style.reset,
                    style.red,
                    limit_text(over.limit.max_removed, over.limit.min_kept_words),
                    style.reset,
                    over.trip.removed_share * 100.0,
                    over.top_rule.as_deref().unwrap_or("-"),
                )?;
            }
        }
        let edits = doc.edits.iter().map(|e| (e.line, e.line, &e.rule));
        let removals = doc
            .findings()
            .filter_map(|r| Some((r.first_line, r.last_line, r.rule.as_ref()?)));
        let mut all: Vec<_> = removals.chain(edits).collect();
        all.sort_by_key(|(first, _, _)| *first);
        for (first, last, rule) in all {
            self.findings += 1;
            self.named[rule.id.0 as usize] = true;
            if show {
                // put together by hand: formatting machinery for each of a
                // million findings was a quarter of `check`
                let line = &mut self.line;
                line.clear();
                for piece in [style.bold, &doc.path, style.reset, ":"] {
                    line.extend_from_slice(piece.as_bytes());
                }
                push_line_range(line, first, last);
                for piece in [": ", style.yellow, &rule.name, style.reset] {
                    line.extend_from_slice(piece.as_bytes());
                }
                if !rule.why.is_empty() {
                    line.extend_from_slice(b": ");
                    line.extend_from_slice(rule.why.as_bytes());
                }
                line.push(b'\n');
                out.write_all(line)?;
            }
        }
        Ok(())
    }

    fn error(&mut self, _out: &mut dyn Write, _error: &ErrorEntry) -> io::Result<()> {
        self.errors += 1;
        Ok(())
    }

    fn abort(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        if self.options.statistics {
            let rows = statistics::rows(self.rules, summary, false);
            statistics::write(out, &rows, self.options.color)?;
        }
        if self.options.quiet {
            return Ok(());
        }
        if self.documents == 0 {
            let nothing = if self.errors == 0 {
                "All clean: nothing"
            } else {
                "Nothing"
            };
            write!(
                out,
                "{nothing} to remove in {} document{}",
                summary.documents,
                plural(summary.documents)
            )?;
            return self.end(out);
        }
        let rules = self.named.iter().filter(|&&named| named).count();
        write!(
            out,
            "Found {} removal{} by {} rule{} in {} of {} document{}",
            self.findings,
            plural(self.findings),
            rules,
            plural(rules),
            self.documents,
            summary.documents,
            plural(summary.documents),
        )?;
        if self.over_limit > 0 {
            write!(
                out,
                "; {} document{} over --max-removed",
                self.over_limit,
                plural(self.over_limit)
            )?;
        }
        self.end(out)
    }
}

impl Human<'_> {
    /// The end of the closing count: the number of errors (reported on
    /// stderr), if any, and a full stop.
    fn end(&self, out: &mut dyn Write) -> io::Result<()> {
        write_error_count(out, self.errors)?;
        writeln!(out, ".")
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{report, rules};
    use super::*;

    #[test]
    fn one_line_per_finding_then_a_count() {
        let rules = rules();
        let mut human = Human::new(&rules, HumanOptions::default());
        let mut summary = Summary::default();
        let mut out = Vec::new();
        for input in [&b"a\nX\nX\n\n\nb\n"[..], b"c\n"] {
            let doc = report(&rules, input);
            summary.record(std::path::Path::new("x"), &doc.input, &doc.cleaned);
            if doc.has_findings() {
                human.document(&mut out, &doc).unwrap();
            }
        }
        human.finish(&mut out, &summary).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "in/a.txt:2-3: t/x: Cruft\nFound 1 removal by 1 rule in 1 of 2 documents.\n"
        );
    }

    #[test]
    fn the_count_names_the_errors_and_is_never_all_clean_beside_them() {
        let rules = rules();
        let error = ErrorEntry {
            path: "in/b.txt".to_string(),
            line: None,
            column: None,
            message: "not readable".to_string(),
        };
        let closing = |documents: &[&[u8]], errors: usize| {
            let mut human = Human::new(&rules, HumanOptions::default());
            let (mut summary, mut out) = (Summary::default(), Vec::new());
            for &input in documents {
                let doc = report(&rules, input);
                summary.record(std::path::Path::new("x"), &doc.input, &doc.cleaned);
                if doc.has_findings() {
                    human.document(&mut out, &doc).unwrap();
                }
            }
            for _ in 0..errors {
                human.error(&mut out, &error).unwrap();
            }
            human.finish(&mut out, &summary).unwrap();
            let out = String::from_utf8(out).unwrap();
            out.lines().last().unwrap().to_string()
        };
        let clean: &[u8] = b"c\n";
        assert_eq!(
            closing(&[clean], 0),
            "All clean: nothing to remove in 1 document."
        );
        assert_eq!(
            closing(&[clean], 1),
            "Nothing to remove in 1 document; 1 error."
        );
        assert_eq!(
            closing(&[b"a\nX\n", clean], 2),
            "Found 1 removal by 1 rule in 1 of 2 documents; 2 errors."
        );

        // a run stopped before any document has no count
        let options = HumanOptions {
            statistics: true,
            ..HumanOptions::default()
        };
        let mut stopped = Human::new(&rules, options);
        let mut out = Vec::new();
        stopped.error(&mut out, &error).unwrap();
        stopped.abort(&mut out).unwrap();
        assert!(out.is_empty(), "{}", String::from_utf8_lossy(&out));
    }
}
