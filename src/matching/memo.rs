//! [`Memo`]: the answers regexes gave on lines seen before.
//!
//! The pages of one site repeat their cruft: the same footer, menu and
//! copyright line on every page. Trying a regex on such a line again walks
//! lazy-DFA states that have gone cold since (see the `regexes` module),
//! thousands of cycles; looking the line up costs a hash. So each thread
//! keeps the candidate lines it has seen (up to [`MAX_LINE`] bytes: a
//! longer one is rarely repeated), byte for byte, with the answers each
//! regex gave on them, and forgets them all once they take more than
//! [`MAX_BYTES`] (their bytes and a fixed [`ENTRY_COST`] each): memory
//! stays bounded, and an answer from the memo is the regex's own.

use rustc_hash::FxHashMap;

/// Bytes a memo holds before it starts over.
const MAX_BYTES: usize = 1 << 18;
/// Longest line a memo keeps.
const MAX_LINE: usize = 512;
/// What an entry costs besides its line's bytes: the table slot, the
/// allocations and the first answers.
const ENTRY_COST: usize = 96;

/// Lines seen, and for each the `(regex entry, matched)` answers known.
#[derive(Debug, Default)]
pub(super) struct Memo {
    lines: FxHashMap<Box<[u8]>, Vec<(u32, bool)>>,
    bytes: usize,
}

impl Memo {
    /// What regex `entry` answered on `line`, if it was asked before.
    pub fn get(&self, line: &[u8], entry: u32) -> Option<bool> {
        let answers = self.lines.get(line)?;
        answers
            .iter()
            .find(|(e, _)| *e == entry)
            .map(|&(_, matched)| matched)
    }

    /// Notes that regex `entry` answered `matched` on `line` (unless the
    /// line is longer than [`MAX_LINE`]).
    pub fn insert(&mut self, line: &[u8], entry: u32, matched: bool) {
        if line.len() > MAX_LINE {
            return;
        }
        if let Some(answers) = self.lines.get_mut(line) {
            answers.push((entry, matched));
            return;
        }
        let cost = line.len() + ENTRY_COST;
        if self.bytes + cost > MAX_BYTES {
            self.clear();
        }
        self.bytes += cost;
        self.lines.insert(line.into(), vec![(entry, matched)]);
    }

    /// Forgets every line.
    pub fn clear(&mut self) {
        self.lines.clear();
        self.bytes = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_per_line_and_regex_and_the_memo_starts_over_when_full() {
        let mut memo = Memo::default();
        memo.insert(b"Copyright 2024", 3, true);
        memo.insert(b"Copyright 2024", 5, false);
        assert_eq!(memo.get(b"Copyright 2024", 3), Some(true));
        assert_eq!(memo.get(b"Copyright 2024", 5), Some(false));
        assert_eq!(memo.get(b"Copyright 2024", 4), None);
        assert_eq!(memo.get(b"Copyright 2025", 3), None);

        let long = vec![b'x'; MAX_LINE + 1];
        memo.insert(&long, 1, true);
        assert_eq!(memo.get(&long, 1), None, "too long to keep");
        assert_eq!(memo.get(b"Copyright 2024", 3), Some(true));

        for i in 0..MAX_BYTES / ENTRY_COST {
            memo.insert(format!("line {i}").as_bytes(), 1, true);
        }
        assert_eq!(memo.get(b"Copyright 2024", 3), None, "forgotten");
        assert!(memo.bytes <= MAX_BYTES);
    }
}
