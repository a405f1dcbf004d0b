//! `block`: drop from a `start` line through the next `end` line.
//!
//! Safe by default: when no `end` comes within `max_lines` non-blank lines
//! (counting both ends; lines other rules removed do not count), nothing is
//! dropped, so a stray start phrase never eats the rest of a page. A start
//! line removed by a `line` or `repeated` rule still starts one (the span takes
//! it over); a line a structural rule removed starts nothing.
//!
//! ```toml
//! [[rule]]
//! id = "register-prompt"
//! kind = "block"
//! start = { line = "Have you registered with us yet?" }
//! end = { line = "Sign in" }
//! max_lines = 12
//! ```

use crate::engine::Ctx;
use crate::rules::MatcherId;
use crate::ruleset::RuleId;

pub(crate) fn apply(
    ctx: &mut Ctx<'_>,
    rule: RuleId,
    start: MatcherId,
    end: MatcherId,
    max_lines: usize,
) {
    let hits = ctx.hits;
    let mut from = 0;
    for s in hits.lines(start) {
        if s < from || !ctx.is_open(s) {
            continue;
        }
        if let Some(e) = end_within(ctx, s, end, max_lines) {
            ctx.claim_span(s..e + 1, rule);
            from = e + 1;
        }
    }
}

/// The first line after `s` that `end` hits, when at most `max_lines`
/// non-blank free lines lie from `s` through it; `end` is only asked about
/// lines up to the first one too many.
fn end_within(ctx: &mut Ctx<'_>, s: usize, end: MatcherId, max_lines: usize) -> Option<usize> {
    let mut counted = 0;
    for i in s..ctx.len() {
        if ctx.is_free(i) && !ctx.is_blank(i) {
            counted += 1;
            if counted > max_lines {
                return None;
            }
        }
        if i > s && ctx.hit(end, i) {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::engine::testing::check_table;

    const RULE: &str = "[[rule]]\nid = \"r\"\nkind = \"block\"\nstart = { line = \"Start\" }\nend = { line = \"End\" }\nmax_lines = 3\n";

    /// The end is a regex, run only on the lines after a start.
    const REGEX_END: &str = "[[rule]]\nid = \"r\"\nkind = \"block\"\nstart = { line = \"Start\" }\nend = { regex = \"^end\\\\b\" }\nmax_lines = 3\n";

    const WITH_LINE: &str = "[[rule]]\nid = \"r\"\nkind = \"block\"\nstart = { line = \"Start\" }\nend = { line = \"End\" }\n[[rule]]\nid = \"x\"\nkind = \"line\"\nmatch = { line = \"x\" }\n";

    #[test]
    fn a_block_owns_the_lines_a_line_rule_matched_inside_it() {
        let set = crate::engine::testing::set(WITH_LINE);
        let owners = crate::engine::testing::owners(&set, "a|Start|x|End|x");
        assert_eq!(owners, [None, Some(0), Some(0), Some(0), Some(1)]);
    }

    #[test]
    fn cases() {
        check_table(&[
            (RULE, "a|Start|x||End|b", "a|b"),
            (RULE, "a|Start|x|y|End|b", "a|Start|x|y|End|b"),
            (RULE, "a|Start|x|||||End|b", "a|b"),
            (RULE, "a|Start|x|b", "a|Start|x|b"),
            (RULE, "End|Start|End|Start|x|End", "End"),
            (RULE, "a|Start|x|y|z|Start|End", "a|Start|x|y|z"),
            (REGEX_END, "end|Start|x|end here|b", "end|b"),
            (REGEX_END, "a|Start|x|y|end|Start|end", "a|Start|x|y|end"),
            (REGEX_END, "a|Start|x|y|ending|b", "a|Start|x|y|ending|b"),
        ]);
    }
}
