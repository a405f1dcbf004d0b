//! Splitting a document into lines that keep their own endings.

use std::ops::Range;

use crate::matching::text;

/// Splits `doc` on `\n` into byte ranges, each including its `\n` (and a
/// `\r` before it); the last line has no ending when the document does not
/// end with `\n`. `out` is cleared first. An empty document has no lines.
pub fn split(doc: &[u8], out: &mut Vec<Range<usize>>) {
    out.clear();
    split_onto(doc, out);
}

/// [`split`], appending to `out` (the lines of a batch of documents share one list).
pub fn split_onto(doc: &[u8], out: &mut Vec<Range<usize>>) {
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', doc) {
        out.push(start..end + 1);
        start = end + 1;
    }
    if start < doc.len() {
        out.push(start..doc.len());
    }
}

/// Writes each line's range trimmed of whitespace (as [`text::trim`] trims)
/// into `out`, which is cleared first: matching, the kinds, tidying and the
/// guard all look at trimmed lines, and trim each once.
pub fn trim_each(doc: &[u8], lines: &[Range<usize>], out: &mut Vec<Range<usize>>) {
    out.clear();
    trim_onto(doc, lines, out);
}

/// [`trim_each`], appending to `out`.
pub fn trim_onto(doc: &[u8], lines: &[Range<usize>], out: &mut Vec<Range<usize>>) {
    out.extend(lines.iter().map(|range| {
        let trimmed = text::trimmed_range(&doc[range.clone()]);
        range.start + trimmed.start..range.start + trimmed.end
    }));
}

/// The line without its ending (`\n` or `\r\n`).
pub fn content(line: &[u8]) -> &[u8] {
    match line {
        [rest @ .., b'\r', b'\n'] | [rest @ .., b'\n'] => rest,
        _ => line,
    }
}

/// The line's ending: `\r\n`, `\n`, or nothing.
pub fn ending(line: &[u8]) -> &[u8] {
    &line[content(line).len()..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_keep_their_endings() {
        let cases: &[(&[u8], &[&[u8]])] = &[
            (b"", &[]),
            (b"a", &[b"a"]),
            (b"a\n", &[b"a\n"]),
            (b"a\r\nb\n\nc", &[b"a\r\n", b"b\n", b"\n", b"c"]),
            (b"\n\n", &[b"\n", b"\n"]),
            (b"lone\rcr\n", &[b"lone\rcr\n"]),
        ];
        for (doc, want) in cases {
            let mut ranges = Vec::new();
            split(doc, &mut ranges);
            let got: Vec<&[u8]> = ranges.iter().map(|r| &doc[r.clone()]).collect();
            assert_eq!(&got, want);
        }
    }

    #[test]
    fn trimmed_ranges_are_where_the_trimmed_lines_lie() {
        let doc = b" a \r\n\n\xC2\xA0b\xC2\xA0\n\t";
        let (mut lines, mut trimmed) = (Vec::new(), Vec::new());
        split(doc, &mut lines);
        trim_each(doc, &lines, &mut trimmed);
        assert_eq!(trimmed, [1..2, 6..6, 8..9, 13..13]);
        for (line, range) in lines.iter().zip(&trimmed) {
            assert_eq!(&doc[range.clone()], text::trim(&doc[line.clone()]));
        }
    }

    #[test]
    fn content_and_ending_split_a_line() {
        assert_eq!(
            (content(b"x\r\n"), ending(b"x\r\n")),
            (&b"x"[..], &b"\r\n"[..])
        );
        assert_eq!((content(b"x\r"), ending(b"x\r")), (&b"x\r"[..], &b""[..]));
        assert_eq!((content(b"\n"), ending(b"\n")), (&b""[..], &b"\n"[..]));
    }
}
