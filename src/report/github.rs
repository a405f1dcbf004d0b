//! GitHub Actions workflow commands, so findings show up as annotations on
//! the pull request (`check --format github`).
//!
//! ```text
//! ::warning file=input/a.txt,line=24,endLine=31,title=web-common/register-prompt::would remove lines 24-31: Registration wall under the article (rule at rules/web-common.toml:5)
//! ::error file=input/b.txt,line=1,title=cruftless/max-removed::cleaning would remove 97 % of the text, over --max-removed 0.6; most removed by greedy/all
//! ::error file=rules/broken.toml,line=3,col=1,title=cruftless::unknown key `kin`
//! ```
//!
//! One `warning` per run of lines a rule would remove and per line it would
//! rewrite (tidying's blank lines are not findings); an `error` per document
//! over `--max-removed` and per unreadable input or broken rule file.
//! Values are escaped as the runner expects (`%`, CR, LF, and in properties
//! `:` and `,`).

use std::io::{self, Write};

use super::{line_range, DocReport, ErrorEntry, Reporter};

/// Escapes a command's message.
fn message(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value.
fn property(s: &str) -> String {
    message(s).replace(':', "%3A").replace(',', "%2C")
}

/// The share limit and, if set, the word limit, as a user wrote them.
pub(crate) fn limit_text(max_removed: f64, min_kept: usize) -> String {
    if min_kept == usize::MAX {
        format!("--max-removed {max_removed}")
    } else {
        format!("--max-removed {max_removed} with --min-kept {min_kept}")
    }
}

/// Writes the annotations of one document.
///
/// # Errors
/// Writing failed.
pub fn write_document(out: &mut dyn Write, doc: &DocReport) -> io::Result<()> {
    let file = property(&doc.path);
    if let Some(over) = &doc.over_limit {
        let text = format!(
            "cleaning would remove {:.0} % of the text, over {}; most removed by {}",
            over.trip.removed_share * 100.0,
            limit_text(over.limit.max_removed, over.limit.min_kept_words),
            over.top_rule.as_deref().unwrap_or("-"),
        );
        writeln!(
            out,
            "::error file={file},line=1,title=cruftless/max-removed::{}",
            message(&text)
        )?;
    }
    for removal in doc.findings() {
        let Some(rule) = &removal.rule else { continue };
        let lines = line_range(removal.first_line, removal.last_line);
        let what = if removal.first_line == removal.last_line {
            format!("would remove line {lines}")
        } else {
            format!("would remove lines {lines}")
        };
        writeln!(
            out,
            "::warning file={file},line={},endLine={},title={}::{}",
            removal.first_line,
            removal.last_line,
            property(&rule.name),
            message(&format!(
                "{what}{} (rule at {}:{})",
                because(&rule.why),
                rule.file,
                rule.line
            )),
        )?;
    }
    for edit in &doc.edits {
        writeln!(
            out,
            "::warning file={file},line={},endLine={},title={}::{}",
            edit.line,
            edit.line,
            property(&edit.rule.name),
            message(&format!(
                "would rewrite line {}{} (rule at {}:{})",
                edit.line,
                because(&edit.rule.why),
                edit.rule.file,
                edit.rule.line
            )),
        )?;
    }
    Ok(())
}

/// `: why`, or nothing when the rule gives no reason.
fn because(why: &str) -> String {
    if why.is_empty() {
        String::new()
    } else {
        format!(": {why}")
    }
}

/// Writes the annotation of one error.
///
/// # Errors
/// Writing failed.
pub fn write_error(out: &mut dyn Write, error: &ErrorEntry) -> io::Result<()> {
    write!(out, "::error file={}", property(&error.path))?;
    if let Some(line) = error.line {
        write!(out, ",line={line}")?;
    }
    if let Some(col) = error.column {
        write!(out, ",col={col}")?;
    }
    writeln!(out, ",title=cruftless::{}", message(&error.message))
}

/// Workflow commands as a [`Reporter`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Github;

impl Reporter for Github {
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport) -> io::Result<()> {
        write_document(out, doc)
    }

    fn error(&mut self, out: &mut dyn Write, error: &ErrorEntry) -> io::Result<()> {
        write_error(out, error)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{report, rules};
    use super::*;

    #[test]
    fn findings_become_warnings_and_errors_errors() {
        let rules = rules();
        let mut doc = report(&rules, b"a\nX\nX\n\n\nb RR\n");
        doc.path = "in/a,b.txt".into();
        let mut out = Vec::new();
        write_document(&mut out, &doc).unwrap();
        write_error(
            &mut out,
            &ErrorEntry {
                path: "r.toml".into(),
                line: Some(3),
                column: Some(1),
                message: "bad: 50%\nfix it".into(),
            },
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::warning file=in/a%2Cb.txt,line=2,endLine=3,title=t/x::would remove lines 2-3: Cruft (rule at t.toml:4)\n\
             ::warning file=in/a%2Cb.txt,line=6,endLine=6,title=t/r::would rewrite line 6 (rule at t.toml:10)\n\
             ::error file=r.toml,line=3,col=1,title=cruftless::bad: 50%25%0Afix it\n"
        );
    }
}
