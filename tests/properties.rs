//! Invariants of cleaning, checked on arbitrary bytes (invalid UTF-8, `\r\n`,
//! NBSP and cruft lines mixed in) with the built-in packs.

use proptest::prelude::*;

use cruftless::engine::lines;
use cruftless::{CleanOptions, Cleaner, Owner, RuleSet};

fn rules() -> &'static RuleSet {
    static RULES: std::sync::OnceLock<RuleSet> = std::sync::OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().unwrap())
}

/// Lines drawn from cruft the built-in packs know, article-like text, blanks and raw bytes.
fn line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(b"Sign in".to_vec()),
        Just(b"Follow Us:".to_vec()),
        Just(b"Ads by Google".to_vec()),
        Just(b"Have you registered with us yet?".to_vec()),
        Just(b"Just published".to_vec()),
        Just(b"comments powered by Disqus".to_vec()),
        Just(b"A caption".to_vec()),
        Just(b"".to_vec()),
        Just(b"\xC2\xA0 ".to_vec()),
        "[a-zA-Z ,.]{0,120}".prop_map(String::into_bytes),
        proptest::collection::vec(
            any::<u8>().prop_filter("no newline", |b| *b != b'\n'),
            0..40
        ),
    ]
}

fn document() -> impl Strategy<Value = Vec<u8>> {
    (
        proptest::collection::vec((line(), any::<bool>()), 0..40),
        any::<bool>(),
    )
        .prop_map(|(lines, final_newline)| {
            let mut doc = Vec::new();
            for (i, (line, crlf)) in lines.iter().enumerate() {
                doc.extend_from_slice(line);
                if i + 1 < lines.len() || final_newline {
                    doc.extend_from_slice(if *crlf { b"\r\n" } else { b"\n" });
                }
            }
            doc
        })
}

fn split(doc: &[u8]) -> Vec<&[u8]> {
    let mut ranges = Vec::new();
    lines::split(doc, &mut ranges);
    ranges.into_iter().map(|r| &doc[r]).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn cleaning_twice_changes_nothing(doc in document()) {
        let rules = rules();
        let cleaner = Cleaner::new(rules);
        let once = cleaner.clean(&doc).text;
        let twice = cleaner.clean(&once).text;
        prop_assert_eq!(once, twice);
    }

    #[test]
    fn kept_lines_are_input_lines_in_order(doc in document()) {
        let rules = rules();
        let out = Cleaner::new(rules).clean(&doc).text;
        let input = split(&doc);
        let mut next = 0;
        for kept in split(&out) {
            let content = lines::content(kept);
            let found = input[next..]
                .iter()
                .position(|line| *line == kept || lines::content(line) == content);
            prop_assert!(found.is_some(), "kept line {:?} is not a later input line", kept);
            next += found.unwrap() + 1;
        }
    }

    #[test]
    fn without_tidy_the_output_is_the_input_minus_removed_lines(doc in document()) {
        let rules = rules();
        let options = CleanOptions { tidy: false, guard: None, ..CleanOptions::default() };
        let cleaned = Cleaner::with_options(rules, options).clean(&doc);
        let mut expected = Vec::new();
        let input = split(&doc);
        for (i, line) in input.iter().enumerate() {
            if !cleaned.removals.iter().any(|r| r.lines.contains(&i)) {
                expected.extend_from_slice(line);
            }
        }
        if !doc.ends_with(b"\n") && expected.ends_with(b"\n") {
            expected.pop();
            if expected.ends_with(b"\r") && input.iter().rev().find(|l| {
                let i = input.iter().position(|x| std::ptr::eq(*x, **l)).unwrap();
                !cleaned.removals.iter().any(|r| r.lines.contains(&i))
            }).is_some_and(|l| l.ends_with(b"\r\n")) {
                expected.pop();
            }
        }
        prop_assert_eq!(cleaned.text, expected);
        prop_assert!(cleaned.removals.iter().all(|r| r.owner != Owner::Tidy));
    }
}
