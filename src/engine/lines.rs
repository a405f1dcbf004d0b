//! Splitting a document into lines that keep their own endings.

use std::ops::Range;

use wide::u8x16;

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
    each_newline(doc, |end| {
        out.push(start..end + 1);
        start = end + 1;
    });
    if start < doc.len() {
        out.push(start..doc.len());
    }
}

/// Calls `found` with the position of every `\n` in `doc`, in order.
///
/// Scraped lines are short (26 bytes on average on the bench corpus, half
/// of them blank), and a search per line (`memchr_iter`) pays its start-up,
/// about fifty instructions, on every one. This compares 64 bytes at a
/// time (four 16-byte compares, by `wide`: SSE2, NEON, wasm SIMD or plain
/// code) and reads the newlines off the mask's bits, over twice as fast on
/// such text.
pub(crate) fn each_newline(doc: &[u8], mut found: impl FnMut(usize)) {
    let mut each_bit = |mut mask: u64, base: usize| {
        while mask != 0 {
            found(base + mask.trailing_zeros() as usize);
            mask &= mask - 1;
        }
    };
    let (chunks, rest) = doc.as_chunks::<64>();
    for (i, chunk) in chunks.iter().enumerate() {
        each_bit(newline_mask(chunk), i * 64);
    }
    if !rest.is_empty() {
        let mut tail = [0; 64];
        tail[..rest.len()].copy_from_slice(rest);
        each_bit(newline_mask(&tail), chunks.len() * 64);
    }
}

/// Bit `i` is set when `chunk[i]` is `\n`.
fn newline_mask(chunk: &[u8; 64]) -> u64 {
    let newline = u8x16::splat(b'\n');
    let (parts, _) = chunk.as_chunks::<16>();
    parts.iter().enumerate().fold(0, |mask, (i, &part)| {
        let found = u8x16::new(part).simd_eq(newline).to_bitmask();
        mask | u64::from(found) << (16 * i)
    })
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
    use proptest::prelude::*;

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

    proptest! {
        /// Documents up to several 64-byte chunks long, with a tail, dense
        /// in newlines (half the bytes) or sparse (whole chunks without one).
        #[test]
        fn newlines_are_found_where_they_are(
            doc in prop_oneof![
                prop::collection::vec(prop_oneof![Just(b'\n'), any::<u8>()], 0..300),
                prop::collection::vec(prop_oneof![1 => Just(b'\n'), 40 => any::<u8>()], 0..400),
            ],
        ) {
            let mut found = Vec::new();
            each_newline(&doc, |at| found.push(at));
            let want: Vec<usize> = (0..doc.len()).filter(|&i| doc[i] == b'\n').collect();
            prop_assert_eq!(found, want);
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
