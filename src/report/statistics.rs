//! The per-rule table, as `ruff check --statistics` prints it: one line per
//! rule with the lines it removed and the documents it hit, most lines first.
//!
//! ```text
//!  lines  documents  rule
//!     42          3  web-common/register-prompt
//! ```

use std::io::{self, Write};

use super::{owner_name, Style};
use crate::clean::Owner;
use crate::corpus::Summary;
use crate::ruleset::RuleSet;

/// One rule's totals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Who removed: a rule, or tidying.
    pub owner: Owner,
    /// `pack/id`, or `tidy`.
    pub name: String,
    /// Documents it removed at least one line from.
    pub documents: usize,
    /// Lines it removed.
    pub lines: usize,
    /// Bytes it removed.
    pub bytes: usize,
}

/// The rows of `summary`, most lines first (ties in load order); with
/// `tidy` false, tidying's row is left out.
pub fn rows(rules: &RuleSet, summary: &Summary, tidy: bool) -> Vec<Row> {
    let mut rows: Vec<Row> = summary
        .owners
        .iter()
        .filter(|(owner, _)| tidy || **owner != Owner::Tidy)
        .map(|(owner, count)| Row {
            owner: *owner,
            name: owner_name(rules, *owner),
            documents: count.documents,
            lines: count.lines,
            bytes: count.bytes,
        })
        .collect();
    rows.sort_by(|a, b| b.lines.cmp(&a.lines).then(a.owner.cmp(&b.owner)));
    rows
}

/// Writes the table; nothing when there are no rows.
///
/// # Errors
/// Writing failed.
pub fn write(out: &mut dyn Write, rows: &[Row], color: bool) -> io::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let style = Style::new(color);
    writeln!(out, "{} lines  documents  rule{}", style.bold, style.reset)?;
    for row in rows {
        writeln!(
            out,
            "{:>6}  {:>9}  {}{}{}",
            row.lines, row.documents, style.yellow, row.name, style.reset
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::{report, rules};
    use super::*;

    #[test]
    fn rules_are_listed_most_lines_first() {
        let rules = rules();
        let mut summary = Summary::default();
        for input in [&b"a\nX\nX\n\n\nb\n"[..], b"X\nb\n", b"c\n"] {
            let doc = report(&rules, input);
            summary.record(std::path::Path::new("x"), &doc.input, &doc.cleaned);
        }
        let mut out = Vec::new();
        write(&mut out, &rows(&rules, &summary, true), false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            " lines  documents  rule\n     3          2  t/x\n     1          1  tidy\n"
        );
        assert_eq!(rows(&rules, &summary, false).len(), 1);
    }
}
