//! Text helpers on raw bytes, shared by matching, tidy and learn.
//!
//! cruftless never decodes a document: these helpers work on `&[u8]` and
//! treat ASCII whitespace and the UTF-8 no-break space (U+00A0) as blank,
//! so invalid UTF-8 simply passes through.

const NBSP: [u8; 2] = [0xC2, 0xA0];

/// Strips ASCII whitespace and NBSP from both ends of a line.
///
/// # Example
/// ```
/// assert_eq!(cruftless::text::trim(b"\xC2\xA0 Sign in \r"), b"Sign in");
/// ```
pub fn trim(mut s: &[u8]) -> &[u8] {
    loop {
        match s {
            [c, rest @ ..] if c.is_ascii_whitespace() => s = rest,
            [0xC2, 0xA0, rest @ ..] => s = rest,
            _ => break,
        }
    }
    loop {
        match s {
            [rest @ .., c] if c.is_ascii_whitespace() => s = rest,
            [rest @ .., 0xC2, 0xA0] => s = rest,
            _ => break,
        }
    }
    s
}

/// True when a line holds only whitespace (spaces, tabs, NBSP, line endings).
pub fn is_blank(s: &[u8]) -> bool {
    trim(s).is_empty()
}

/// Counts words: maximal runs of bytes that are neither ASCII whitespace nor NBSP.
pub fn count_words(s: &[u8]) -> usize {
    let mut words = 0;
    let mut in_word = false;
    let mut i = 0;
    while i < s.len() {
        let space = if s[i..].starts_with(&NBSP) {
            i += 1;
            true
        } else {
            s[i].is_ascii_whitespace()
        };
        if !space && !in_word {
            words += 1;
        }
        in_word = !space;
        i += 1;
    }
    words
}

/// Writes `s` with every run of whitespace (ASCII or NBSP) folded to one
/// space into `out`, which is cleared first. `s` should be trimmed.
pub fn fold_whitespace(s: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let mut i = 0;
    let mut pending_space = false;
    while i < s.len() {
        let width = if s[i..].starts_with(&NBSP) {
            2
        } else if s[i].is_ascii_whitespace() {
            1
        } else {
            0
        };
        if width > 0 {
            pending_space = true;
            i += width;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(b' ');
        }
        pending_space = false;
        out.push(s[i]);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trim_strips_ascii_space_and_nbsp_only() {
        let cases: &[(&[u8], &[u8])] = &[
            (b"  a b  ", b"a b"),
            (b"\xC2\xA0\xC2\xA0x\xC2\xA0", b"x"),
            (b"\t\r\n", b""),
            (b"\xC2\xA1x", b"\xC2\xA1x"),
            (b"\xFFx\xFF", b"\xFFx\xFF"),
            (b"x\xC2", b"x\xC2"),
        ];
        for (input, want) in cases {
            assert_eq!(trim(input), *want, "input {input:?}");
        }
    }

    #[test]
    fn words_are_counted_across_nbsp() {
        assert_eq!(count_words(b""), 0);
        assert_eq!(count_words(b"  one two\xC2\xA0three  "), 3);
        assert_eq!(count_words(b"\xFF\xFE"), 1);
    }

    #[test]
    fn whitespace_folds_to_single_spaces() {
        let mut out = Vec::new();
        fold_whitespace(b"a \t b\xC2\xA0\xC2\xA0c", &mut out);
        assert_eq!(out, b"a b c");
    }
}
