//! Splitting a document into lines that keep their own endings.

use std::ops::Range;

/// Splits `doc` on `\n` into byte ranges, each including its `\n` (and a
/// `\r` before it); the last line has no ending when the document does not
/// end with `\n`. `out` is cleared first. An empty document has no lines.
pub fn split(doc: &[u8], out: &mut Vec<Range<usize>>) {
    out.clear();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', doc) {
        out.push(start..end + 1);
        start = end + 1;
    }
    if start < doc.len() {
        out.push(start..doc.len());
    }
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
    fn content_and_ending_split_a_line() {
        assert_eq!(
            (content(b"x\r\n"), ending(b"x\r\n")),
            (&b"x"[..], &b"\r\n"[..])
        );
        assert_eq!((content(b"x\r"), ending(b"x\r")), (&b"x\r"[..], &b""[..]));
        assert_eq!((content(b"\n"), ending(b"\n")), (&b""[..], &b"\n"[..]));
    }
}
