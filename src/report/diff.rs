//! The unified diff of a document against its cleaned output, each hunk
//! tagged with the rules behind its removals.
//!
//! ```text
//! --- input/a.txt
//! +++ input/a.txt
//! @@ -24,9 +24,1 @@ web-common/register-prompt
//! ```
//!
//! Both headers name the path as given (quoted git-style, see
//! `header_name`), so `patch -p0` (or `git apply -p0`)
//! run in the same folder turns the originals into the cleaned files, byte
//! for byte: lines are written with their own endings (`\r\n` stays), and a
//! last line without one is followed by `\ No newline at end of file`. The
//! rule names after the second `@@` are ignored by `patch` and `git apply`
//! (they read the text there as a section heading). Tidying's blank lines are
//! tagged `tidy` only in a hunk that no rule touched.
//!
//! The diff is built from the removals themselves, not by searching for a
//! shortest edit script: each removed line is a deletion, each kept line is
//! paired with its output line (a rewritten line is a replacement), so a
//! repeated line is shown removed exactly where its rule removed it.
//! [`similar`] groups the operations into hunks with three lines of context.

use std::io::{self, Write};
use std::ops::Range;

use similar::udiff::UnifiedHunkHeader;
use similar::DiffOp;

use super::{DocReport, ErrorEntry, Reporter, Style, TIDY};
use crate::engine::lines;

/// Lines of context around each change.
const CONTEXT: usize = 3;

/// Writes the diff of one document; nothing when it is unchanged.
///
/// # Errors
/// Writing failed.
pub fn write(out: &mut dyn Write, doc: &DocReport, color: bool) -> io::Result<()> {
    if !doc.changed() {
        return Ok(());
    }
    let style = Style::new(color);
    let old = split(&doc.input);
    let new = split(&doc.cleaned.text);
    let groups = similar::group_diff_ops(ops(doc, &old, &new), CONTEXT);
    let name = header_name(&doc.path);
    writeln!(out, "{}--- {name}{}", style.bold, style.reset)?;
    writeln!(out, "{}+++ {name}{}", style.bold, style.reset)?;
    for group in &groups {
        let tags = tags(doc, group);
        write!(
            out,
            "{}{}{}",
            style.cyan,
            UnifiedHunkHeader::new(group),
            style.reset
        )?;
        if !tags.is_empty() {
            write!(out, " {}{}{}", style.dim, tags.join(", "), style.reset)?;
        }
        writeln!(out)?;
        for op in group {
            for i in op.old_range() {
                if !matches!(op, DiffOp::Equal { .. }) {
                    line(out, &style, b'-', style.red, &doc.input[old[i].clone()])?;
                } else {
                    line(out, &style, b' ', "", &doc.input[old[i].clone()])?;
                }
            }
            if !matches!(op, DiffOp::Equal { .. }) {
                for i in op.new_range() {
                    line(
                        out,
                        &style,
                        b'+',
                        style.green,
                        &doc.cleaned.text[new[i].clone()],
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// A path as the `---` and `+++` headers name it, git-style: in double
/// quotes with C escapes when it holds a quote, a backslash or a control
/// character, and followed by a tab when it holds a space, so that `patch`
/// reads the whole name; else as it is. Unlike git, other non-ASCII
/// characters are written as they are (both `patch` and `git apply` read
/// them). A name that is not valid UTF-8 reaches reports converted (with
/// U+FFFD), and its diff does not apply.
fn header_name(path: &str) -> String {
    let mut name = if path
        .chars()
        .any(|c| c == '"' || c == '\\' || c.is_control())
    {
        let mut quoted = String::from('"');
        for c in path.chars() {
            match c {
                '"' => quoted.push_str("\\\""),
                '\\' => quoted.push_str("\\\\"),
                '\t' => quoted.push_str("\\t"),
                '\n' => quoted.push_str("\\n"),
                c if c.is_control() => {
                    let mut utf8 = [0; 4];
                    for byte in c.encode_utf8(&mut utf8).bytes() {
                        quoted.push_str(&format!("\\{byte:03o}"));
                    }
                }
                c => quoted.push(c),
            }
        }
        quoted.push('"');
        quoted
    } else {
        path.to_string()
    };
    if path.contains(' ') {
        name.push('\t');
    }
    name
}

fn split(text: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    lines::split(text, &mut out);
    out
}

/// One diff line, its own ending kept; a line without one gets the marker.
fn line(
    out: &mut dyn Write,
    style: &Style,
    prefix: u8,
    color: &str,
    text: &[u8],
) -> io::Result<()> {
    let content = lines::content(text);
    out.write_all(color.as_bytes())?;
    out.write_all(&[prefix])?;
    out.write_all(content)?;
    if !color.is_empty() {
        out.write_all(style.reset.as_bytes())?;
    }
    let ending = lines::ending(text);
    if ending.is_empty() {
        out.write_all(b"\n\\ No newline at end of file\n")
    } else {
        out.write_all(ending)
    }
}

/// The edit script: removed lines deleted, kept lines paired in order with
/// the output's lines (equal, or replaced when rewritten).
fn ops(doc: &DocReport, old: &[Range<usize>], new: &[Range<usize>]) -> Vec<DiffOp> {
    let mut removed = vec![false; old.len()];
    for removal in &doc.removals {
        for flag in &mut removed[removal.first_line - 1..removal.last_line] {
            *flag = true;
        }
    }
    let mut out: Vec<DiffOp> = Vec::new();
    let mut j = 0;
    for (i, range) in old.iter().enumerate() {
        let op = if removed[i] || j == new.len() {
            DiffOp::Delete {
                old_index: i,
                old_len: 1,
                new_index: j,
            }
        } else {
            j += 1;
            if doc.input[range.clone()] == doc.cleaned.text[new[j - 1].clone()] {
                DiffOp::Equal {
                    old_index: i,
                    new_index: j - 1,
                    len: 1,
                }
            } else {
                DiffOp::Replace {
                    old_index: i,
                    old_len: 1,
                    new_index: j - 1,
                    new_len: 1,
                }
            }
        };
        push(&mut out, op);
    }
    if j < new.len() {
        push(
            &mut out,
            DiffOp::Insert {
                old_index: old.len(),
                new_index: j,
                new_len: new.len() - j,
            },
        );
    }
    out
}

/// Appends `op`, merging it into the previous one when both are equal runs
/// or both deletions.
fn push(ops: &mut Vec<DiffOp>, op: DiffOp) {
    match (ops.last_mut(), op) {
        (Some(DiffOp::Equal { len, .. }), DiffOp::Equal { len: more, .. }) => *len += more,
        (Some(DiffOp::Delete { old_len, .. }), DiffOp::Delete { old_len: more, .. }) => {
            *old_len += more
        }
        _ => ops.push(op),
    }
}

/// The rules whose removals or edits fall in the hunk, in order of first
/// appearance; `tidy` only when no rule is there.
fn tags(doc: &DocReport, group: &[DiffOp]) -> Vec<String> {
    let (Some(first), Some(last)) = (group.first(), group.last()) else {
        return Vec::new();
    };
    // 1-based, inclusive
    let lo = first.old_range().start + 1;
    let hi = last.old_range().end;
    let mut rules: Vec<(usize, &str)> = Vec::new();
    let mut tidy = false;
    for removal in &doc.removals {
        if removal.last_line < lo || removal.first_line > hi {
            continue;
        }
        match &removal.rule {
            Some(rule) => rules.push((removal.first_line, &rule.name)),
            None => tidy = true,
        }
    }
    for edit in &doc.edits {
        if (lo..=hi).contains(&edit.line) {
            rules.push((edit.line, &edit.rule.name));
        }
    }
    rules.sort_by_key(|(line, _)| *line);
    let mut names: Vec<String> = Vec::new();
    for (_, name) in rules {
        if !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    if names.is_empty() && tidy {
        names.push(TIDY.to_string());
    }
    names
}

/// The unified diff as a [`Reporter`]: one patch per changed document.
/// Errors are left to the caller (they go to stderr, not into the patch).
#[derive(Debug, Clone, Copy)]
pub struct Unified {
    /// Colour the output.
    pub color: bool,
}

impl Reporter for Unified {
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport) -> io::Result<()> {
        write(out, doc, self.color)
    }

    fn error(&mut self, _out: &mut dyn Write, _error: &ErrorEntry) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{report, rules};
    use super::*;

    fn diff(input: &[u8]) -> String {
        let rules = rules();
        let doc = report(&rules, input);
        let mut out = Vec::new();
        write(&mut out, &doc, false).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn hunks_carry_the_rules_of_their_removals() {
        let input = b"a\nb\nc\nd\nX\ne\nf\ng\nh\ni\nj\nk\nl\n\n\n\nm\n";
        assert_eq!(
            diff(input),
            "--- in/a.txt\n+++ in/a.txt\n@@ -2,7 +2,6 @@ t/x\n b\n c\n d\n-X\n e\n f\n g\n@@ -12,6 +11,4 @@ tidy\n k\n l\n \n-\n-\n m\n"
        );
    }

    #[test]
    fn a_last_line_losing_its_newline_is_marked() {
        assert_eq!(
            diff(b"a\nX"),
            "--- in/a.txt\n+++ in/a.txt\n@@ -1,2 +1 @@ t/x\n-a\n+a\n\\ No newline at end of file\n-X\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn colour_wraps_lines_but_keeps_their_endings() {
        let rules = rules();
        let doc = report(&rules, b"a\r\nX\r\n");
        let mut out = Vec::new();
        write(&mut out, &doc, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("\x1b[31m-X\x1b[0m\r\n"), "{text:?}");
        assert!(text.contains("\x1b[2mt/x\x1b[0m"), "{text:?}");
    }
}
