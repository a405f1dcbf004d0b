//! [`Memo`]: the answers regexes gave on lines seen before.
//!
//! The pages of one site repeat their cruft: the same footer, menu and
//! copyright line on every page. Trying a regex on such a line again walks
//! lazy-DFA states that have gone cold since (see the `regexes` module),
//! thousands of cycles; looking the line up costs a hash. So each thread
//! keeps the candidate lines it has seen (up to [`MAX_LINE`] bytes: a
//! longer one is rarely repeated), byte for byte, with the answers each
//! regex gave on them, and forgets them all once they take more than
//! [`MAX_BYTES`] (their bytes and a fixed [`ENTRY_COST`] per answer):
//! memory stays bounded, and an answer from the memo is the regex's own.

use std::hash::{Hash, Hasher};

use hashbrown::HashTable;
use rustc_hash::FxHasher;

/// Bytes a memo holds before it starts over: about 10,000 answers, many
/// sites' worth of cruft, so a thread seldom starts over inside a site
/// (a quarter of this started over every few hundred pages, and each new
/// start tried every footer and menu line again).
const MAX_BYTES: usize = 1 << 20;
/// Longest line a memo keeps.
const MAX_LINE: usize = 512;
/// What an answer costs besides its line's bytes: its table slot, with the
/// table's spare room.
const ENTRY_COST: usize = 48;

/// The answers regexes gave, each with its line. The lines' bytes go one
/// after the other in one buffer, so noting an answer allocates nothing
/// once the buffer and the table have grown.
#[derive(Debug, Default)]
pub(super) struct Memo {
    /// The lines of the answers.
    text: Vec<u8>,
    answers: HashTable<Answer>,
}

/// What regex `entry` answered on the line at `text[start..start + len]`.
#[derive(Debug, Clone, Copy)]
struct Answer {
    hash: u64,
    start: u32,
    len: u32,
    entry: u32,
    matched: bool,
}

impl Memo {
    /// What regex `entry` answered on `line`, if it was asked before.
    pub fn get(&self, line: &[u8], entry: u32) -> Option<bool> {
        let found = self.answers.find(key(line, entry), |answer| {
            answer.entry == entry && self.line(answer) == line
        })?;
        Some(found.matched)
    }

    /// Notes that regex `entry` answered `matched` on `line` (unless the
    /// line is longer than [`MAX_LINE`]).
    pub fn insert(&mut self, line: &[u8], entry: u32, matched: bool) {
        if line.len() > MAX_LINE {
            return;
        }
        if self.bytes() + line.len() + ENTRY_COST > MAX_BYTES {
            self.clear();
        }
        let answer = Answer {
            hash: key(line, entry),
            start: self.text.len() as u32,
            len: line.len() as u32,
            entry,
            matched,
        };
        self.text.extend_from_slice(line);
        self.answers
            .insert_unique(answer.hash, answer, |answer| answer.hash);
    }

    /// Forgets every line.
    pub fn clear(&mut self) {
        self.text.clear();
        self.answers.clear();
    }

    /// What the memo holds: its lines' bytes and [`ENTRY_COST`] per answer.
    fn bytes(&self) -> usize {
        self.text.len() + self.answers.len() * ENTRY_COST
    }

    fn line(&self, answer: &Answer) -> &[u8] {
        let start = answer.start as usize;
        &self.text[start..start + answer.len as usize]
    }
}

/// The table key of regex `entry`'s answer on `line`.
fn key(line: &[u8], entry: u32) -> u64 {
    let mut hasher = FxHasher::default();
    entry.hash(&mut hasher);
    line.hash(&mut hasher);
    hasher.finish()
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
        assert!(memo.bytes() <= MAX_BYTES);
    }
}
