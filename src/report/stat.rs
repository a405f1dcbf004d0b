//! `diff --stat`: per file the lines and bytes cleaning would remove, then
//! the totals and the per-rule table of [`super::statistics`].
//!
//! ```text
//!  input/a.txt | 50 lines, 2419 bytes removed
//!  input/b.txt |  3 lines,   96 bytes removed, 1 line rewritten
//!  2 files changed: 53 lines, 2515 bytes removed
//!
//!  lines  documents  rule
//!     40          1  web-common/register-prompt
//! ```

use std::io::{self, Write};

use super::{plural, statistics, write_error_count, DocReport, ErrorEntry, Reporter, Style};
use crate::corpus::Summary;
use crate::ruleset::RuleSet;

/// One file's line in the stat.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileStat {
    path: String,
    lines: usize,
    bytes: usize,
    edits: usize,
}

/// The stat as a [`Reporter`]: collects the changed documents, writes
/// everything at the end. Errors are printed by the caller; the stat only
/// counts them, in its closing line.
#[derive(Debug)]
pub struct Stat<'r> {
    rules: &'r RuleSet,
    color: bool,
    files: Vec<FileStat>,
    /// Inputs that failed, named in the closing count.
    errors: usize,
}

impl<'r> Stat<'r> {
    /// A stat naming rules from `rules`.
    pub fn new(rules: &'r RuleSet, color: bool) -> Stat<'r> {
        Stat {
            rules,
            color,
            files: Vec::new(),
            errors: 0,
        }
    }
}

impl Reporter for Stat<'_> {
    fn document(&mut self, _out: &mut dyn Write, doc: &DocReport) -> io::Result<()> {
        if doc.changed() {
            self.files.push(FileStat {
                path: doc.path.clone(),
                lines: doc.cleaned.lines_removed(),
                bytes: doc.bytes_removed(),
                edits: doc.edits.len(),
            });
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
        let style = Style::new(self.color);
        let path_width = self.files.iter().map(|f| f.path.len()).max().unwrap_or(0);
        let lines_width = digits(self.files.iter().map(|f| f.lines).max().unwrap_or(0));
        let bytes_width = digits(self.files.iter().map(|f| f.bytes).max().unwrap_or(0));
        let (mut lines, mut bytes) = (0, 0);
        for f in &self.files {
            write!(
                out,
                " {:<path_width$} | {}{:>lines_width$}{} line{}, {:>bytes_width$} bytes removed",
                f.path,
                style.red,
                f.lines,
                style.reset,
                plural(f.lines),
                f.bytes,
            )?;
            if f.edits > 0 {
                write!(out, ", {} line{} rewritten", f.edits, plural(f.edits))?;
            }
            writeln!(out)?;
            lines += f.lines;
            bytes += f.bytes;
        }
        write!(
            out,
            " {} file{} changed: {lines} line{}, {bytes} bytes removed",
            self.files.len(),
            plural(self.files.len()),
            plural(lines),
        )?;
        write_error_count(out, self.errors)?;
        writeln!(out)?;
        let rows = statistics::rows(self.rules, summary, true);
        if !rows.is_empty() {
            writeln!(out)?;
            statistics::write(out, &rows, self.color)?;
        }
        Ok(())
    }
}

fn digits(n: usize) -> usize {
    n.to_string().len()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{report, rules};
    use super::*;

    #[test]
    fn files_then_totals_then_rules() {
        let rules = rules();
        let mut stat = Stat::new(&rules, false);
        let mut summary = Summary::default();
        let mut out = Vec::new();
        for input in [&b"a\nX\nX\nb RR\n"[..], b"unchanged\n"] {
            let doc = report(&rules, input);
            summary.record(std::path::Path::new("x"), &doc.input, &doc.cleaned);
            stat.document(&mut out, &doc).unwrap();
        }
        stat.finish(&mut out, &summary).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            " in/a.txt | 2 lines, 4 bytes removed, 1 line rewritten\n 1 file changed: 2 lines, 4 bytes removed\n\n lines  documents  rule\n     2          1  t/x\n"
        );
    }

    #[test]
    fn the_count_names_the_errors_and_a_stopped_run_prints_nothing() {
        let rules = rules();
        let error = ErrorEntry {
            path: "gone.txt".into(),
            line: None,
            column: None,
            message: "no such file or folder".into(),
        };
        let mut stat = Stat::new(&rules, false);
        let mut out = Vec::new();
        stat.error(&mut out, &error).unwrap();
        stat.error(&mut out, &error).unwrap();
        stat.finish(&mut out, &Summary::default()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            " 0 files changed: 0 lines, 0 bytes removed; 2 errors\n"
        );

        let mut stopped = Stat::new(&rules, false);
        let mut out = Vec::new();
        stopped.error(&mut out, &error).unwrap();
        stopped.abort(&mut out).unwrap();
        assert!(out.is_empty());
    }
}
