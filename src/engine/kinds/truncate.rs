//! `truncate`: drop everything from an `at` line to the end of the document.
//!
//! Comment threads and "More stories" sections trail the article. A marker
//! phrase can also be quoted inside an article, so the cut is guarded: it
//! starts at the first `at` line (free, or removed by a `line` or `repeated`
//! rule: a comment counter that a line rule drops still marks the thread)
//! where the dropped part is at most
//! `max_share` of the document's text and, with `min_kept_words`, at least
//! that many words are kept before it. Lines other rules removed count for
//! neither side. If no `at` line passes, nothing is dropped.
//!
//! ```toml
//! [[rule]]
//! id = "comments-section"
//! kind = "truncate"
//! at = { regex = "^\\d+ comments?$", case = "insensitive" }
//! min_kept_words = 80
//! ```

use crate::engine::Ctx;
use crate::matching::text;
use crate::rules::MatcherId;
use crate::ruleset::RuleId;

pub(crate) fn apply(
    ctx: &mut Ctx<'_>,
    rule: RuleId,
    at: MatcherId,
    max_share: Option<f64>,
    min_kept_words: Option<usize>,
) {
    let hits = ctx.hits;
    let mut candidates = hits.lines(at).filter(|&i| ctx.is_open(i)).peekable();
    if candidates.peek().is_none() {
        return;
    }
    let free_text = |i: usize| {
        if ctx.is_free(i) {
            ctx.trimmed(i)
        } else {
            &[][..]
        }
    };
    // the text's bytes weigh the share a cut drops, when there is a limit
    let total: usize = match max_share {
        Some(_) => (0..ctx.len()).map(|i| free_text(i).len()).sum(),
        None => 0,
    };
    let mut kept_bytes = 0;
    let mut kept_words = 0;
    let mut next_line = 0;
    let mut cut = None;
    for a in candidates {
        for i in next_line..a {
            kept_bytes += free_text(i).len();
            // counting stops once the words needed are there
            if let Some(min) = min_kept_words.filter(|&min| kept_words < min) {
                kept_words += text::count_words_until(free_text(i), min - kept_words);
            }
        }
        next_line = a;
        let share_ok =
            max_share.is_none_or(|max| (total - kept_bytes) as f64 <= max * total as f64);
        let words_ok = min_kept_words.is_none_or(|min| kept_words >= min);
        if share_ok && words_ok {
            cut = Some(a);
            break;
        }
    }
    if let Some(a) = cut {
        let end = ctx.len();
        ctx.claim_span(a..end, rule);
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::testing::check_table;

    const SHARE: &str = "[[rule]]\nid = \"r\"\nkind = \"truncate\"\nat = { line = \"Comments\" }\n";
    const WORDS: &str = "[[rule]]\nid = \"r\"\nkind = \"truncate\"\nat = { line = \"Comments\" }\nmin_kept_words = 3\n";

    #[test]
    fn cases() {
        check_table(&[
            // default guard: at most half the text may go
            (SHARE, "one two three four|Comments|x", "one two three four"),
            (
                SHARE,
                "a|Comments|a long comment thread",
                "a|Comments|a long comment thread",
            ),
            // the first marker that passes the guard cuts
            (
                SHARE,
                "ab|Comments|abcdefghijkl|Comments|x",
                "ab|Comments|abcdefghijkl",
            ),
            // min_kept_words alone: a long tail is fine when the article before it is real
            (
                WORDS,
                "one two three|Comments|a very long comment thread indeed, longer than the article",
                "one two three",
            ),
            (WORDS, "one two|Comments|x", "one two|Comments|x"),
            (
                WORDS,
                "Comments|one two three|Comments|x",
                "Comments|one two three",
            ),
        ]);
    }
}
