//! Tidying after the rules: blank-line runs squeezed to one, leading and
//! trailing blank lines removed. Those removals are owned by `tidy`, so every
//! removed line still has exactly one owner. The final-newline state is kept
//! by [`crate::clean`] when it assembles the output.

use std::ops::Range;

use crate::engine::{FREE, TIDY};

/// Marks as [`TIDY`] the kept blank lines that tidying removes; `trimmed`
/// are the document's lines trimmed of whitespace (blank ones are empty).
pub(crate) fn apply(trimmed: &[Range<usize>], owners: &mut [u32]) {
    let mut seen_text = false;
    let mut previous_blank = false;
    let mut last_text = None;
    for (i, range) in trimmed.iter().enumerate() {
        if owners[i] != FREE {
            continue;
        }
        if range.is_empty() {
            if !seen_text || previous_blank {
                owners[i] = TIDY;
            }
            previous_blank = true;
        } else {
            seen_text = true;
            previous_blank = false;
            last_text = Some(i);
        }
    }
    let trailing = last_text.map_or(0, |i| i + 1);
    for owner in &mut owners[trailing..] {
        if *owner == FREE {
            *owner = TIDY;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (input lines joined by '|', lines removed beforehand, expected kept lines)
    #[test]
    fn cases() {
        let cases: &[(&str, &[usize], &str)] = &[
            ("||a|||b|| ", &[], "a||b"),
            ("a|x||b", &[1], "a||b"),
            ("a||x||b", &[2], "a||b"),
            ("\u{a0}|a", &[], "a"),
            ("||", &[], ""),
            ("a", &[], "a"),
        ];
        for (input, removed, want) in cases {
            let doc = input.replace('|', "\n");
            let (mut lines, mut trimmed) = (Vec::new(), Vec::new());
            crate::engine::lines::split(doc.as_bytes(), &mut lines);
            crate::engine::lines::trim_each(doc.as_bytes(), &lines, &mut trimmed);
            let mut owners = vec![FREE; lines.len()];
            for &r in *removed {
                owners[r] = 0;
            }
            apply(&trimmed, &mut owners);
            let kept: Vec<&str> = lines
                .iter()
                .zip(&owners)
                .filter(|(_, o)| **o == FREE)
                .map(|(r, _)| doc[r.clone()].trim_end_matches('\n'))
                .collect();
            assert_eq!(kept.join("|"), *want, "input {input:?}");
        }
    }
}
