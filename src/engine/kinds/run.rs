//! `run`: drop a `start` line and the lines after it that match `while`.
//!
//! Related-story lists look like this: a heading ("Just published"), then
//! short headlines, image alt text and teasers ending in "...". The run takes
//! blank lines inside it and stops at the first line (not blank, not already
//! removed) that does not match `while`, or after `max_lines` lines. A start
//! line removed by a `line` or `repeated` rule still starts one (the span takes
//! it over); a line a structural rule removed starts nothing.
//!
//! ```toml
//! [[rule]]
//! id = "just-published"
//! kind = "run"
//! start = { line = "Just published" }
//! while = { regex = "^.{1,120}$" }
//! ```

use crate::engine::Ctx;
use crate::rules::MatcherId;
use crate::ruleset::RuleId;

pub(crate) fn apply(
    ctx: &mut Ctx<'_>,
    rule: RuleId,
    start: MatcherId,
    while_: MatcherId,
    max_lines: Option<usize>,
) {
    let hits = ctx.hits;
    let mut from = 0;
    for s in hits.lines(start) {
        if s < from || !ctx.is_open(s) {
            continue;
        }
        let mut last = s;
        let mut taken = 0;
        for i in s + 1..ctx.len() {
            if !ctx.is_free(i) || ctx.is_blank(i) {
                continue;
            }
            if max_lines.is_some_and(|max| taken >= max) || !ctx.hit(while_, i) {
                break;
            }
            taken += 1;
            last = i;
        }
        ctx.claim_span(s..last + 1, rule);
        from = last + 1;
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::testing::check_table;

    const RULE: &str = "[[rule]]\nid = \"r\"\nkind = \"run\"\nstart = { line = \"Related\" }\nwhile = { regex = \"^.{1,5}$\" }\n";
    const BOUNDED: &str = "[[rule]]\nid = \"r\"\nkind = \"run\"\nstart = { line = \"Related\" }\nwhile = { regex = \"^.{1,5}$\" }\nmax_lines = 1\n";

    #[test]
    fn cases() {
        check_table(&[
            (
                RULE,
                "a long line|Related|x||y|a long line|z",
                "a long line|a long line|z",
            ),
            (RULE, "Related", ""),
            (RULE, "a|Related|x|y", "a"),
            (BOUNDED, "Related|x|y", "y"),
            (RULE, "Related|a long line|Related|x", "a long line"),
        ]);
    }
}
