//! `dedupe`: drop a line equal (after trimming) to the previous kept non-blank line.
//!
//! Scrapers duplicate image captions and titles ("Caption\n\nCaption"). Only
//! neighbours are compared, so a phrase repeated later in an article stays.
//! Dedupe rules run after every other rule, so "previous kept line" means
//! kept by all of them, and cleaning twice changes nothing.
//!
//! ```toml
//! [[rule]]
//! id = "repeated-line"
//! kind = "dedupe"
//! ```

use crate::engine::Ctx;
use crate::ruleset::RuleId;

pub(crate) fn apply(ctx: &mut Ctx<'_>, rule: RuleId) {
    let mut previous: &[u8] = &[];
    for i in 0..ctx.len() {
        if !ctx.is_free(i) {
            continue;
        }
        let line = ctx.trimmed(i);
        if line.is_empty() {
            continue;
        }
        if line == previous {
            ctx.claim(i..i + 1, rule);
        } else {
            previous = line;
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::testing::check_table;

    const RULE: &str = "[[rule]]\nid = \"r\"\nkind = \"dedupe\"\n";
    const WITH_LINE: &str = "[[rule]]\nid = \"r\"\nkind = \"dedupe\"\n[[rule]]\nid = \"x\"\nkind = \"line\"\nmatch = { line = \"X\" }\n";

    #[test]
    fn cases() {
        check_table(&[
            (RULE, "a|a|b", "a|b"),
            (RULE, "a||  a |b", "a||b"),
            (RULE, "a|b|a", "a|b|a"),
            (RULE, "a|a|a", "a"),
            // runs after other rules, whatever the order
            (WITH_LINE, "a|X|a", "a"),
        ]);
    }
}
