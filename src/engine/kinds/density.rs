//! `density`: drop the short lines outside a document's main text.
//!
//! Scraped pages put the article in one dense stretch of long lines (prose)
//! and surround it with short ones: menus, share bars, headline lists,
//! footers. In the spirit of Finn et al.'s body text extraction, each free
//! non-blank line scores its trimmed length minus `min_bytes` (so prose
//! scores high and a menu item below zero); the locally best stretches of
//! lines (maximum sums) that score at least `min_window` are prose blocks,
//! and the main text runs from the first to the last of them. Kept:
//! - every line of the main text, short or not (subheadings, captions, tables);
//! - `keep_before` lines before it (headline, byline, date) and `keep_after`
//!   lines after it;
//! - lines that read like sentences ([`is_sentence_like`]) before it (an
//!   intro or a standfirst that a short line cut off).
//!
//! Everything else that is free goes: short lines before the main text and
//! any line after it. When no stretch scores `min_window`, or the main text
//! holds fewer than `min_kept_words` words, the page has no article to find
//! and nothing is dropped. Run it after the rules that remove known cruft and
//! repeats, so they are not counted.
//!
//! Run again on its own result, it mostly cuts nothing more: the main text's
//! stretches merge and grow, so it starts and ends where it did, and
//! validation asks `min_window` to be at least `keep_before` × `min_bytes`
//! so the lines kept before it cannot start a stretch of their own. Not
//! always, though: once short lines before the main text are gone, a
//! sentence above them can carry the running sum into the main text and
//! merge it with a later prose block into one stretch whose best part ends
//! sooner. So the engine runs it again in the next round (it does not
//! settle, see `engine::settles`), and cleaning twice changes nothing.
//!
//! ```toml
//! [[rule]]
//! id = "outside-main-text"
//! kind = "density"
//! min_bytes = 56
//! keep_before = 4
//! keep_after = 1
//! min_window = 300
//! min_kept_words = 50
//! ```

use crate::engine::Ctx;
use crate::matching::text::{self, is_sentence_like};
use crate::ruleset::RuleId;

/// The parameters of a `density` rule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Params {
    pub min_bytes: usize,
    pub keep_before: usize,
    pub keep_after: usize,
    pub min_window: usize,
    pub min_kept_words: usize,
}

/// A stretch of free non-blank lines (positions in the list of such lines) and its score.
#[derive(Debug, Clone, Copy)]
struct Stretch {
    score: i64,
    start: usize,
    end: usize,
}

pub(crate) fn apply(ctx: &mut Ctx<'_>, rule: RuleId, params: Params) {
    let mut lines = std::mem::take(ctx.positions);
    lines.clear();
    lines.extend((0..ctx.len()).filter(|&i| ctx.is_free(i) && !ctx.is_blank(i)));
    apply_to(ctx, rule, params, &lines);
    *ctx.positions = lines;
}

/// [`apply`] to the free non-blank `lines`.
fn apply_to(ctx: &mut Ctx<'_>, rule: RuleId, params: Params, lines: &[usize]) {
    let scores = lines
        .iter()
        .map(|&i| ctx.trimmed[i].len() as i64 - params.min_bytes as i64);
    // the main text: from the first prose block to the last
    let mut main: Option<(usize, usize)> = None;
    stretches(scores, |s| {
        if s.score >= params.min_window as i64 {
            main = Some((main.map_or(s.start, |(start, _)| start), s.end));
        }
    });
    let Some((first, last)) = main else {
        return;
    };
    let start = first.saturating_sub(params.keep_before);
    let end = (last + params.keep_after).min(lines.len() - 1);
    // counting stops at `min_kept_words`: the main text is most of the page
    let mut kept_words = 0;
    for &i in &lines[start..=end] {
        if kept_words >= params.min_kept_words {
            break;
        }
        kept_words += text::count_words_until(ctx.trimmed(i), params.min_kept_words - kept_words);
    }
    if kept_words < params.min_kept_words {
        return;
    }
    for &i in &lines[..start] {
        if !is_sentence_like(ctx.line(i)) {
            ctx.claim(i..i + 1, rule);
        }
    }
    for &i in &lines[end + 1..] {
        ctx.claim(i..i + 1, rule);
    }
}

/// Every locally best stretch, in order, to `each`: the maximum-sum
/// stretch of each run that a running sum (reset when it drops to zero or
/// below) goes through.
fn stretches(scores: impl Iterator<Item = i64>, mut each: impl FnMut(Stretch)) {
    let mut sum = 0;
    let mut start = 0;
    let mut best: Option<Stretch> = None;
    for (j, score) in scores.enumerate() {
        if sum <= 0 {
            if let Some(stretch) = best.take() {
                each(stretch);
            }
            sum = score;
            start = j;
        } else {
            sum += score;
        }
        if sum > 0 && best.is_none_or(|b| sum > b.score) {
            best = Some(Stretch {
                score: sum,
                start,
                end: j,
            });
        }
    }
    if let Some(stretch) = best {
        each(stretch);
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::testing::{check_table, kept};

    const RULE: &str = "[[rule]]\nid = \"r\"\nkind = \"density\"\nmin_bytes = 20\nkeep_before = 1\nkeep_after = 0\nmin_window = 60\nmin_kept_words = 5\n";
    const PROSE: &str = "The council approved the budget on Tuesday after a long debate.";
    const MORE: &str = "Residents asked whether the library would stay open all winter.";
    const COMMENT: &str = "I think the council should have spent the money on the roads instead.";

    #[test]
    fn cases() {
        let doc = |parts: &[&str]| parts.join("|");
        check_table(&[
            // menus before, headline kept, list after dropped
            (
                RULE,
                &doc(&[
                    "Home",
                    "News",
                    "Headline",
                    PROSE,
                    "Sub",
                    MORE,
                    "Most read",
                    "Storm",
                    "Rain",
                ]),
                &doc(&["Headline", PROSE, "Sub", MORE]),
            ),
            // prose after the main text (a short comment) goes, prose before stays
            (
                RULE,
                &doc(&[
                    MORE, "Menu", "Menu", "Menu", "Menu", "Menu", "Head", PROSE, PROSE, PROSE,
                    "By Sam", "a", "b", "c", "d", "e", COMMENT,
                ]),
                &doc(&[MORE, "Head", PROSE, PROSE, PROSE]),
            ),
            // the main text runs from the first prose block to the last
            (
                RULE,
                &doc(&[PROSE, MORE, "a", "b", "c", "d", "e", "f", PROSE, MORE, "x"]),
                &doc(&[PROSE, MORE, "a", "b", "c", "d", "e", "f", PROSE, MORE]),
            ),
            // no main text: nothing goes
            (
                RULE,
                &doc(&["Home", "News", "Sport"]),
                &doc(&["Home", "News", "Sport"]),
            ),
        ]);
    }

    #[test]
    fn a_second_pass_removes_nothing_more() {
        let lines = [
            PROSE,
            MORE,
            COMMENT,
            "Home",
            "a",
            "Most read",
            "Storm closes schools",
        ];
        // every document of up to six lines drawn from `lines`
        for n in 1..=6usize {
            for seed in 0..lines.len().pow(n as u32).min(500) {
                let mut k = seed;
                let doc: Vec<&str> = (0..n)
                    .map(|_| {
                        let line = lines[k % lines.len()];
                        k /= lines.len();
                        line
                    })
                    .collect();
                let once = kept(RULE, &doc.join("\n"));
                let twice = kept(RULE, &once.replace('|', "\n"));
                assert_eq!(once, twice, "{doc:?}");
            }
        }
    }
}
