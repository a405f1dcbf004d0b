//! Invariants of cleaning, checked on arbitrary bytes (invalid UTF-8, `\r\n`,
//! NBSP and cruft lines mixed in) with the built-in packs.

use proptest::prelude::*;

use cruftless::corpus::jsonl::{self, JsonlOptions};
use cruftless::corpus::Summary;
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

/// A JSON value of any shape, written as JSON with arbitrary spacing.
fn json_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_string()),
        any::<bool>().prop_map(|b| b.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        Just("1.50e+3".to_string()),
        any::<String>().prop_map(|s| serde_json::to_string(&s).unwrap()),
        Just("\"\\u00e9\\n\\/\"".to_string()),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4)
                .prop_map(|v| format!("[{}]", v.join(" , "))),
            proptest::collection::vec(("[a-z]{1,6}", inner), 0..4).prop_map(|v| {
                let fields: Vec<String> = v.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
                format!("{{{}}}", fields.join(","))
            }),
        ]
    })
}

/// A record: other fields before and after the text field, as written
/// bytes, with JSON whitespace around colons and commas, and keys (the text
/// field's too) written with an escape now and then.
fn record() -> impl Strategy<Value = (String, String, String)> {
    let key = || (r"x[a-z]{1,8}", any::<bool>());
    let fields = || proptest::collection::vec((key(), json_value()), 0..5);
    (
        fields(),
        document(),
        fields(),
        prop_oneof![Just(""), Just(" "), Just("\t"), Just(" \r ")],
        any::<bool>(),
    )
        .prop_map(|(before, doc, after, space, escaped_text_key)| {
            // `\u0078` is `x`: the same key, written with an escape
            let key = |(name, escaped): &(String, bool)| match escaped {
                true => name.replacen('x', "\\u0078", 1),
                false => name.clone(),
            };
            let field =
                |(k, v): &((String, bool), String)| format!("\"{}\"{space}:{space}{v}", key(k));
            let mut prefix = String::from("{");
            for f in &before {
                prefix.push_str(&field(f));
                prefix.push_str(&format!("{space},{space}"));
            }
            let text_key = if escaped_text_key {
                "te\\u0078t"
            } else {
                "text"
            };
            prefix.push_str(&format!("\"{text_key}\"{space}:{space}"));
            let text = serde_json::to_string(&String::from_utf8_lossy(&doc)).unwrap();
            let mut suffix = String::new();
            for f in &after {
                suffix.push_str(&format!("{space},{space}"));
                suffix.push_str(&field(f));
            }
            suffix.push_str(&format!("{space}}}\n"));
            (prefix, text, suffix)
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
    fn a_batch_cleans_each_document_as_it_would_be_alone(
        docs in proptest::collection::vec((document(), any::<bool>()), 0..6)
    ) {
        let cleaner = Cleaner::new(rules());
        // some with a byte order mark, which the output keeps
        let docs: Vec<Vec<u8>> = docs
            .into_iter()
            .map(|(doc, bom)| if bom { [&b"\xEF\xBB\xBF"[..], &doc].concat() } else { doc })
            .collect();
        let paths: Vec<String> = (0..docs.len()).map(|i| format!("site/{i}.txt")).collect();
        let batch: Vec<(Option<&std::path::Path>, &[u8])> = paths
            .iter()
            .zip(&docs)
            .map(|(path, doc)| (Some(std::path::Path::new(path.as_str())), doc.as_slice()))
            .collect();
        let cleaned = cleaner.clean_batch(&batch);
        prop_assert_eq!(cleaned.len(), docs.len());
        for ((path, doc), cleaned) in batch.iter().zip(cleaned) {
            prop_assert_eq!(cleaned, cleaner.clean_path(*path, doc));
        }
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn jsonl_fields_other_than_the_text_pass_through_unchanged(records in proptest::collection::vec(record(), 1..8)) {
        let rules = rules();
        let cleaner = Cleaner::new(rules);
        let input: String = records.iter().map(|(p, t, s)| format!("{p}{t}{s}")).collect();
        let mut out = Vec::new();
        let mut summary = Summary::default();
        let records_cleaner = jsonl::RecordCleaner {
            cleaner,
            options: JsonlOptions::default(),
            threads: 2,
        };
        records_cleaner
            .stream(
                &mut input.as_bytes(),
                std::path::Path::new("p.jsonl"),
                &mut jsonl::GroupOrder::default(),
                &mut out,
                &mut summary,
            )
            .unwrap();
        prop_assert!(summary.errors.is_empty(), "{:?}", summary.errors);
        let out = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = out.split_inclusive('\n').collect();
        prop_assert_eq!(lines.len(), records.len());
        for (line, (prefix, text, suffix)) in lines.iter().zip(&records) {
            prop_assert!(line.starts_with(prefix.as_str()), "{} does not start with {}", line, prefix);
            prop_assert!(line.ends_with(suffix.as_str()), "{} does not end with {}", line, suffix);
            // and the text field holds exactly what cleaning the text alone gives
            let value = &line[prefix.len()..line.len() - suffix.len()];
            let got: String = serde_json::from_str(value).unwrap();
            let original: String = serde_json::from_str(text).unwrap();
            let want = cleaner.clean(original.as_bytes()).text;
            prop_assert_eq!(got.as_bytes(), &want[..]);
        }
    }
}
