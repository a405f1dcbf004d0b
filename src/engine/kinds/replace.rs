//! `replace`: rewrite inside kept lines with a regex and a replacement.
//!
//! The only kind that edits a line rather than dropping it; the line ending
//! is kept. A line that becomes blank is dropped, owned by the rule.
//!
//! ```toml
//! [[rule]]
//! id = "strip-advert-tag"
//! kind = "replace"
//! pattern = "\\s*\\[Advertisement\\]\\s*"
//! with = " "
//! ```

use regex::bytes::Regex;

use crate::engine::{lines, Ctx, Edit};
use crate::matching::text;
use crate::ruleset::RuleId;

pub(crate) fn apply(ctx: &mut Ctx<'_>, rule: RuleId, regex: &Regex, with: &[u8]) {
    for i in 0..ctx.len() {
        if !ctx.is_free(i) {
            continue;
        }
        let slot = ctx.edits.binary_search_by_key(&i, |e| e.line);
        let current = match slot {
            Ok(k) => &ctx.edits[k].text[..],
            Err(_) => lines::content(ctx.line(i)),
        };
        if !regex.is_match(current) {
            continue;
        }
        let replaced = regex.replace_all(current, with).into_owned();
        if text::is_blank(&replaced) {
            ctx.claim(i..i + 1, rule);
            if let Ok(k) = slot {
                ctx.edits.remove(k);
            }
            continue;
        }
        match slot {
            Ok(k) => ctx.edits[k].text = replaced,
            Err(k) => ctx.edits.insert(
                k,
                Edit {
                    line: i,
                    rule,
                    text: replaced,
                },
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::testing::check_table;

    const RULE: &str =
        "[[rule]]\nid = \"r\"\nkind = \"replace\"\npattern = \" ?\\\\[ad\\\\]\"\nwith = \"\"\n";
    const TWO: &str = "[[rule]]\nid = \"a\"\nkind = \"replace\"\npattern = \"a\"\nwith = \"b\"\n[[rule]]\nid = \"b\"\nkind = \"replace\"\npattern = \"b\"\nwith = \"c\"\n";

    #[test]
    fn cases() {
        check_table(&[
            (RULE, "text [ad] more|[ad]|x", "text more|x"),
            (RULE, "nothing here", "nothing here"),
            (TWO, "a|b|x", "c|c|x"),
        ]);
    }
}
