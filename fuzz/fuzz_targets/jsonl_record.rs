//! Arbitrary bytes as a line of JSON Lines. Parsing never panics and agrees
//! with serde_json's own reading of the line (the last `text` key's string,
//! or an error when there is none); the span a rewrite replaces is exactly
//! that JSON string, quote to quote, no blank around it; and a record
//! rewritten with a new text and an annotation reads back with that text.
#![no_main]

use cruftless::corpus::jsonl::Record;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|line: &[u8]| {
    if line.contains(&b'\n') {
        return;
    }
    let parsed = Record::parse_grouped(line, "text", Some("url"));
    let json = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    // serde_json reads the whole line (numbers too, which a record leaves raw)
    let value: Option<serde_json::Value> = serde_json::from_slice(json).ok();
    let want = value.as_ref().and_then(|v| v.get("text")?.as_str());
    let Ok(record) = parsed else {
        assert_eq!(want, None, "refused a record with a text");
        return;
    };
    if value.is_some() {
        assert_eq!(Some(record.text()), want);
    }
    let span = &line[record.text_span()];
    assert!(span.len() >= 2 && span[0] == b'"' && span[span.len() - 1] == b'"');
    let decoded: String = serde_json::from_slice(span).expect("the span is a JSON string");
    assert_eq!(decoded, record.text());
    assert_eq!(record.rewrite(record.text(), None), line);
    let new = "new \"text\"\n\u{e9}\\";
    let rewritten = record.rewrite(new, Some("[1]"));
    let again = Record::parse(&rewritten, "text").expect("a rewritten record reads back");
    assert_eq!(again.text(), new);
});
