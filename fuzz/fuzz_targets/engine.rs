//! Arbitrary rules × arbitrary input: a small pack is built from the
//! fuzzer's bytes and a document cleaned with it. Cleaning never panics;
//! without tidying, the guard and `replace` rules, the output is exactly the
//! input minus the lines the removals name, kept lines byte for byte.
#![no_main]

use arbitrary::Arbitrary;
use cruftless::engine::lines;
use cruftless::rules::Source;
use cruftless::{CleanOptions, Cleaner, RuleSet};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Matcher {
    Line(String),
    Contains(String),
    Regex(String),
    Any(Vec<(u8, String)>),
}

#[derive(Arbitrary, Debug)]
struct RuleSpec {
    kind: u8,
    a: Matcher,
    b: Matcher,
    max: u8,
    fold: bool,
}

#[derive(Arbitrary, Debug)]
struct Case {
    rules: Vec<RuleSpec>,
    input: Vec<u8>,
    tidy: bool,
    guard: bool,
}

fn quote(s: &str) -> String {
    // JSON string escapes are a subset of TOML basic-string escapes
    serde_json::to_string(s).unwrap()
}

fn pattern(kind: u8, text: &str) -> String {
    let key = ["line", "contains", "regex"][usize::from(kind % 3)];
    format!("{{ {key} = {} }}", quote(text))
}

fn matcher(m: &Matcher, fold: bool) -> String {
    let body = match m {
        Matcher::Line(s) => pattern(0, s),
        Matcher::Contains(s) => pattern(1, s),
        Matcher::Regex(s) => pattern(2, s),
        Matcher::Any(list) => {
            let items: Vec<String> = list.iter().take(4).map(|(k, s)| pattern(*k, s)).collect();
            format!("{{ any = [{}] }}", items.join(", "))
        }
    };
    if fold {
        format!("{}, case = \"insensitive\" }}", &body[..body.len() - 2])
    } else {
        body
    }
}

fn text_of(m: &Matcher) -> &str {
    match m {
        Matcher::Line(s) | Matcher::Contains(s) | Matcher::Regex(s) => s,
        Matcher::Any(list) => list.first().map_or("", |(_, s)| s),
    }
}

fn pack(specs: &[RuleSpec]) -> String {
    let mut text = String::from("[pack]\nname = \"fuzz\"\n");
    for (i, r) in specs.iter().take(8).enumerate() {
        text.push_str(&format!("[[rule]]\nid = \"r{i}\"\n"));
        let (a, b) = (matcher(&r.a, r.fold), matcher(&r.b, r.fold));
        let max = r.max.max(1);
        let body = match r.kind % 6 {
            0 => format!("kind = \"line\"\nmatch = {a}\n"),
            1 => format!("kind = \"block\"\nstart = {a}\nend = {b}\nmax_lines = {max}\n"),
            2 => format!("kind = \"run\"\nstart = {a}\nwhile = {b}\nmax_lines = {max}\n"),
            3 => format!(
                "kind = \"truncate\"\nat = {a}\nmax_share = {}\n",
                f64::from(r.max) / 255.0
            ),
            4 => "kind = \"dedupe\"\n".to_string(),
            _ => format!(
                "kind = \"replace\"\npattern = {}\nwith = {}\n",
                quote(text_of(&r.a)),
                quote(text_of(&r.b))
            ),
        };
        text.push_str(&body);
    }
    text
}

fuzz_target!(|case: Case| {
    let text = pack(&case.rules);
    let Ok(rules) = RuleSet::from_sources(&[Source::new("fuzz.toml", text)]) else {
        return;
    };
    let options = CleanOptions {
        tidy: case.tidy,
        guard: case.guard.then(Default::default),
        ..CleanOptions::default()
    };
    let cleaned = Cleaner::with_options(&rules, options).clean(&case.input);
    let has_replace = case.rules.iter().take(8).any(|r| r.kind % 6 == 5);
    if case.tidy || case.guard || has_replace {
        return;
    }
    // without tidy, guard and replace: output = input minus removed lines
    let doc = case
        .input
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&case.input);
    let mut ranges = Vec::new();
    lines::split(doc, &mut ranges);
    let mut expected = case.input[..case.input.len() - doc.len()].to_vec();
    let mut last_kept = None;
    for (i, range) in ranges.iter().enumerate() {
        if !cleaned.removals.iter().any(|r| r.lines.contains(&i)) {
            expected.extend_from_slice(&doc[range.clone()]);
            last_kept = Some(&doc[range.clone()]);
        }
    }
    match last_kept {
        Some(line) if !doc.ends_with(b"\n") => {
            expected.truncate(expected.len() - lines::ending(line).len());
        }
        None => expected.clear(),
        _ => {}
    }
    assert_eq!(cleaned.text, expected);
});
