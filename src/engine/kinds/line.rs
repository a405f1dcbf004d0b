//! `line`: drop every line the matcher hits.
//!
//! Safe because a `line` literal compares the whole trimmed line: "Sign in"
//! never matches "Sign in to read the report".
//!
//! ```toml
//! [[rule]]
//! id = "sign-in"
//! kind = "line"
//! match = { line = "Sign in", case = "insensitive" }
//! ```

use crate::engine::Ctx;
use crate::rules::MatcherId;
use crate::ruleset::RuleId;

pub(crate) fn apply(ctx: &mut Ctx<'_>, rule: RuleId, matcher: MatcherId) {
    let hits = ctx.hits;
    for i in hits.lines(matcher) {
        ctx.claim(i..i + 1, rule);
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::testing::check_table;

    const RULE: &str = "[[rule]]\nid = \"r\"\nkind = \"line\"\nmatch = { line = \"Sign in\" }\n";

    #[test]
    fn cases() {
        check_table(&[
            (RULE, "a|Sign in|b", "a|b"),
            (RULE, "a|  Sign in  |b", "a|b"),
            (
                RULE,
                "Please Sign in to read|Sign in now",
                "Please Sign in to read|Sign in now",
            ),
            (RULE, "sign in", "sign in"),
        ]);
    }
}
