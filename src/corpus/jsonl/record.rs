//! One record: a line of JSON Lines parsed just enough to find its text
//! field (and its group field), and rewritten with every other byte kept.
//!
//! The text is decoded as the line is read, in one pass over its bytes
//! (most of a record's bytes are its text); where it lies in the line, for
//! the rewrite, comes from the keys around it.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::ANNOTATION;

/// A line that is not a record cruftless can clean, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRecord {
    /// Why: not JSON, not an object, no such field, not a string.
    pub message: String,
}

impl fmt::Display for InvalidRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// One parsed record: its text field decoded, its group, and where the text
/// field's value (and an existing annotation) sit in the line.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    line: &'a [u8],
    text: String,
    group: String,
    value: Range<usize>,
    annotation: Option<Range<usize>>,
    close: usize,
}

impl<'a> Record<'a> {
    /// Parses `line` (with or without its ending) as a JSON object and finds `field`.
    ///
    /// # Errors
    /// When the line is not a JSON object, lacks `field`, or `field` is not a string.
    pub fn parse(line: &'a [u8], field: &str) -> Result<Record<'a>, InvalidRecord> {
        Record::parse_grouped(line, field, None)
    }

    /// As [`Record::parse`], and also finds the record's group from
    /// `group_field` (see [`Record::group`]).
    ///
    /// # Errors
    /// As [`Record::parse`]; a missing or odd group field is no error.
    pub fn parse_grouped(
        line: &'a [u8],
        field: &str,
        group_field: Option<&str>,
    ) -> Result<Record<'a>, InvalidRecord> {
        match Record::parse_with(line, field, group_field, TextRead::Decoded) {
            Ok(Some(record)) => Ok(record),
            // a key written with escapes hides where the text lies; and a
            // line refused is read again raw, which tells what is wrong
            // with it as reading the text alone does (a lone surrogate is
            // "not a string", not "not valid JSON")
            _ => Record::parse_with(line, field, group_field, TextRead::Raw)
                .map(|record| record.expect("a raw text value has its span")),
        }
    }

    /// [`Record::parse_grouped`], reading the text field as `how` says;
    /// `None` when the text was decoded but its span in the line cannot be
    /// told from the keys around it.
    fn parse_with(
        line: &'a [u8],
        field: &str,
        group_field: Option<&str>,
        how: TextRead,
    ) -> Result<Option<Record<'a>>, InvalidRecord> {
        let invalid = |message: String| InvalidRecord { message };
        // a UTF-8 BOM (at the start of a file) is kept and skipped
        let json = crate::text::strip_bom(line);
        let mut de = serde_json::Deserializer::from_slice(json);
        let mut entries = de
            .deserialize_any(EntriesVisitor { field, how })
            .and_then(|entries| de.end().map(|()| entries))
            .map_err(|e| {
                // the line number is the stream's, not serde's (always 1)
                let message = e.to_string();
                let cause = message.split(" at line ").next().unwrap_or_default();
                let what = if e.is_data() {
                    "not a JSON object"
                } else {
                    "not valid JSON"
                };
                invalid(format!("{what}: {cause} at column {}", e.column()))
            })?;
        let close = line
            .iter()
            .rposition(|b| *b == b'}')
            .ok_or_else(|| invalid("not a JSON object".to_string()))?;
        let offset = |text: &str| text.as_ptr() as usize - line.as_ptr() as usize;
        let span = |raw: &RawValue| offset(raw.get())..offset(raw.get()) + raw.get().len();
        // the last occurrence wins, as in most JSON readers
        let last = |name: &str| entries.iter().rposition(|(key, _)| key == name);
        let at = last(field).ok_or_else(|| invalid(format!("no `{field}` field")))?;
        let (group_at, annotation_at) = (group_field.and_then(last), last(ANNOTATION));
        let not_a_string = || invalid(format!("the `{field}` field is not a string"));
        let value = match &entries[at].1 {
            Value::Raw(raw) => span(raw),
            Value::Text(None) => return Err(not_a_string()),
            // the quotes around it are part of the value
            Value::Text(Some(Cow::Borrowed(text))) => {
                offset(text) - 1..offset(text) + text.len() + 1
            }
            Value::Text(Some(Cow::Owned(_))) => match owned_span(line, &entries, at, close) {
                Some(value) => value,
                None => return Ok(None),
            },
        };
        let text: String = match std::mem::replace(&mut entries[at].1, Value::Text(None)) {
            Value::Raw(raw) => serde_json::from_str(raw.get()).map_err(|_| not_a_string())?,
            Value::Text(text) => text.unwrap_or_default().into_owned(),
        };
        // the text field can be the group field, or named like the annotation
        let group = group_at.map(|i| match entries[i].1 {
            _ if i == at => group_named(text.clone()),
            Value::Raw(raw) => group_of(raw),
            Value::Text(_) => unreachable!("only the text field is decoded"),
        });
        let annotation = annotation_at.map(|i| match entries[i].1 {
            _ if i == at => value.clone(),
            Value::Raw(raw) => span(raw),
            Value::Text(_) => unreachable!("only the text field is decoded"),
        });
        Ok(Some(Record {
            line,
            text,
            group: group.unwrap_or_default(),
            value,
            annotation,
            close,
        }))
    }

    /// Where the text field's value lies in the line, its quotes included:
    /// the bytes [`Record::rewrite`] replaces.
    pub fn text_span(&self) -> Range<usize> {
        self.value.clone()
    }

    /// The text field, decoded.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text field, decoded, taken out of the record.
    pub fn into_text(self) -> String {
        self.text
    }

    /// The record's group (its site): when its group field is a string that
    /// reads as a URL with a host (`https://www.example.com/a` →
    /// `www.example.com`, lower-cased), that host; any other string, itself;
    /// any other value, its JSON text; `""` without a group field, or when
    /// parsed without one.
    pub fn group(&self) -> &str {
        &self.group
    }

    /// The line with the text field set to `text` and, if given, the
    /// `cruftless` field set to `annotation` (raw JSON); every other byte is
    /// kept.
    pub fn rewrite(&self, text: &str, annotation: Option<&str>) -> Vec<u8> {
        let mut edits = vec![(self.value.clone(), Piece::Text(text))];
        if let Some(annotation) = annotation {
            let range = self.annotation.clone().unwrap_or(self.close..self.close);
            // a text field named like the annotation keeps its text
            if range != self.value {
                edits.push((range, Piece::Annotation(annotation)));
            }
        }
        edits.sort_by_key(|(range, _)| range.start);
        // one buffer, written in place: escaping adds a few per cent
        let extra = text.len() / 8 + annotation.map_or(0, |a| a.len() + ANNOTATION.len() + 4);
        let mut out = Vec::with_capacity(self.line.len() + extra);
        let mut at = 0;
        for (range, piece) in edits {
            out.extend_from_slice(&self.line[at..range.start]);
            match piece {
                Piece::Text(text) if text == self.text => {
                    out.extend_from_slice(&self.line[range.clone()]);
                }
                Piece::Text(text) => {
                    serde_json::to_writer(&mut out, text).expect("a Vec takes every write");
                }
                Piece::Annotation(annotation) => {
                    if self.annotation.is_none() {
                        out.extend_from_slice(b",\"");
                        out.extend_from_slice(ANNOTATION.as_bytes());
                        out.extend_from_slice(b"\":");
                    }
                    out.extend_from_slice(annotation.as_bytes());
                }
            }
            at = range.end;
        }
        out.extend_from_slice(&self.line[at..]);
        out
    }
}

/// What [`Record::rewrite`] puts in place of a range of the line.
enum Piece<'t> {
    /// The text field's new value, to escape.
    Text(&'t str),
    /// The annotation's value (raw JSON), with its key when the record has none.
    Annotation(&'t str),
}

/// The group named by a group field's raw value (see [`Record::group`]).
fn group_of(raw: &RawValue) -> String {
    let raw = raw.get();
    // a string without escapes (most URLs) is what lies between its quotes
    let plain = raw
        .strip_prefix('"')
        .and_then(|value| value.strip_suffix('"'))
        .filter(|value| !value.contains('\\'));
    match plain {
        Some(value) => url_host(value).unwrap_or_else(|| value.to_string()),
        None => match serde_json::from_str::<String>(raw) {
            Ok(value) => group_named(value),
            Err(_) => raw.to_string(),
        },
    }
}

/// The group named by a group field's string `value` (see [`Record::group`]).
fn group_named(value: String) -> String {
    url_host(&value).unwrap_or(value)
}

/// The host of `scheme://[user@]host[:port][/path][?query][#fragment]`,
/// lower-cased (an IPv6 host keeps its brackets); `None` for anything else,
/// or an empty host.
pub fn url_host(value: &str) -> Option<String> {
    // a scheme holds no `:`, so the first one must start the `://`; byte
    // scans, not string searchers: every record of a stream comes here
    let (scheme, rest) = value.split_at(value.find(':')?);
    let rest = rest.strip_prefix("://")?;
    let mut bytes = scheme.bytes();
    let scheme_ok = bytes.next()?.is_ascii_alphabetic()
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return None;
    }
    let end = rest.bytes().position(|b| matches!(b, b'/' | b'?' | b'#'));
    let authority = &rest[..end.unwrap_or(rest.len())];
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = if host_port.starts_with('[') {
        &host_port[..=host_port.find(']')?]
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// How [`Record::parse_with`] reads the text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextRead {
    /// Decoded as the object is read, in one pass over its bytes.
    Decoded,
    /// Left raw, to decode after: its span in the line is then known
    /// whatever its key looks like.
    Raw,
}

/// A top-level value of a record.
enum Value<'de> {
    /// Any value but the text field's, as it stands in the line.
    Raw(&'de RawValue),
    /// The text field's value, decoded; `None` when it is not a string.
    Text(Option<Cow<'de, str>>),
}

/// The top-level entries of an object: the text field's decoded (or left
/// raw, as `how` says), the others left raw.
struct EntriesVisitor<'f> {
    field: &'f str,
    how: TextRead,
}

impl<'de> Visitor<'de> for EntriesVisitor<'_> {
    type Value = Vec<(Cow<'de, str>, Value<'de>)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        // keys are read with the seed of the text too, which borrows them
        // from the line when they have no escapes (`Cow`'s own
        // `Deserialize` always copies): where they lie tells where the
        // decoded text lies
        while let Some(key) = map.next_key_seed(TextSeed)? {
            let key = key.unwrap_or_default();
            let value = if self.how == TextRead::Decoded && key == self.field {
                Value::Text(map.next_value_seed(TextSeed)?)
            } else {
                Value::Raw(map.next_value()?)
            };
            entries.push((key, value));
        }
        Ok(entries)
    }
}

/// Reads one value as a string, borrowed when it has no escapes, or as
/// `None` when it is another kind of value (skipped whole).
struct TextSeed;

impl<'de> DeserializeSeed<'de> for TextSeed {
    type Value = Option<Cow<'de, str>>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TextSeed {
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, text: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(text)))
    }

    fn visit_str<E>(self, text: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(text.to_string())))
    }

    fn visit_string<E>(self, text: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(text)))
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// Where the value of entry `at` of a line's object lies, quotes
/// included, when it was decoded with escapes (so it is not a slice of the
/// line): between its own key and the next entry's key (or the closing
/// brace at `close`), which only blanks, `:` and `,` separate from it in an
/// object serde_json accepted. `None` when one of those two keys had
/// escapes and is not a slice of the line either.
fn owned_span(
    line: &[u8],
    entries: &[(Cow<'_, str>, Value<'_>)],
    at: usize,
    close: usize,
) -> Option<Range<usize>> {
    let offset = |key: &Cow<'_, str>| match key {
        Cow::Borrowed(key) => Some(key.as_ptr() as usize - line.as_ptr() as usize),
        Cow::Owned(_) => None,
    };
    let key = &entries[at].0;
    // past the key's closing quote, the blanks, the colon and the blanks
    let colon = skip_blanks(line, offset(key)? + key.len() + 1);
    let start = skip_blanks(line, colon + 1);
    let end = match entries.get(at + 1) {
        // before the next key's opening quote, the blanks, the comma and the blanks
        Some((next, _)) => blanks_before(line, blanks_before(line, offset(next)? - 1) - 1),
        None => blanks_before(line, close),
    };
    Some(start..end)
}

/// The first position from `at` on that is not JSON whitespace.
fn skip_blanks(line: &[u8], at: usize) -> usize {
    at + line[at..]
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .count()
}

/// The position after the last byte before `at` that is not JSON whitespace.
fn blanks_before(line: &[u8], at: usize) -> usize {
    at - line[..at]
        .iter()
        .rev()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rewrite_changes_the_text_and_the_annotation_and_keeps_every_other_byte() {
        let rewrite = |line: &str, text: &str, annotation: Option<&str>| {
            let record = Record::parse(line.as_bytes(), "text").unwrap();
            String::from_utf8(record.rewrite(text, annotation)).unwrap()
        };
        // an unchanged text keeps its own escapes
        let line = "{ \"id\" : 1, \"text\": \"\\u0041\\n\" }\n";
        assert_eq!(rewrite(line, "A\n", None), line);
        // a new text is escaped; an annotation goes before the closing brace
        assert_eq!(
            rewrite(line, "\"B\"", Some("{}")),
            "{ \"id\" : 1, \"text\": \"\\\"B\\\"\" ,\"cruftless\":{}}\n"
        );
        // an annotation already there is replaced where it stands, before
        // or after the text
        let line = "{\"cruftless\": null, \"text\": \"a\\nX\"}";
        assert_eq!(
            rewrite(line, "a", Some("[1]")),
            "{\"cruftless\": [1], \"text\": \"a\"}"
        );
        let line = "{\"text\": \"a\\nX\", \"cruftless\": null}";
        assert_eq!(
            rewrite(line, "a", Some("[1]")),
            "{\"text\": \"a\", \"cruftless\": [1]}"
        );
        // a text field named like the annotation keeps its text
        let line = "{\"cruftless\": \"a\\nX\"}";
        let record = Record::parse(line.as_bytes(), ANNOTATION).unwrap();
        let rewritten = record.rewrite("a", Some("[1]"));
        assert_eq!(rewritten, b"{\"cruftless\": \"a\"}");
    }

    #[test]
    fn the_text_field_is_found_wherever_it_lies_and_must_be_a_string() {
        let not_a_string = "the `text` field is not a string";
        for line in [
            r#"{"text": 5}"#,
            r#"{"text": null}"#,
            r#"{"text": true}"#,
            r#"{"text": [1, "a\n", {"b": []}]}"#,
            r#"{"text": {"a": "b\n", "c": [null]}}"#,
            // the last occurrence is the text
            r#"{"text": "a", "text": 1.5e3}"#,
            // valid JSON, but no Unicode text
            r#"{"text": "a\ud800b"}"#,
        ] {
            let err = Record::parse(line.as_bytes(), "text").unwrap_err();
            assert_eq!(err.message, not_a_string, "{line}");
        }
        let rewrite = |line: &str, text: &str| {
            let record = Record::parse(line.as_bytes(), "text").unwrap();
            // the span is the JSON string, quote to quote
            assert_eq!(&line[record.text_span()], "\"x\\ny\"", "{line}");
            String::from_utf8(record.rewrite(text, None)).unwrap()
        };
        // escapes in the text (decoded as read), between other fields, with
        // blanks around the colon and the commas
        let line = "{\"a\":[1] ,\r\"text\" :\t\"x\\ny\" , \"b\":{}}";
        assert_eq!(
            rewrite(line, "x"),
            "{\"a\":[1] ,\r\"text\" :\t\"x\" , \"b\":{}}"
        );
        // a key written with an escape (`\u0078` is `x`), before or after the text
        let line = "{\"te\\u0078t\": \"x\\ny\", \"\\u0078\": 1}";
        assert_eq!(
            rewrite(line, "y"),
            "{\"te\\u0078t\": \"y\", \"\\u0078\": 1}"
        );
        let line = "{\"\\u0078\": 1, \"text\": \"x\\ny\" }";
        assert_eq!(rewrite(line, "y"), "{\"\\u0078\": 1, \"text\": \"y\" }");
        // an earlier text that is not a string is passed over
        let record = Record::parse(br#"{"text": 1, "text": "a\nb"}"#, "text").unwrap();
        assert_eq!(record.text(), "a\nb");
        // the text field is its own group field
        let line = br#"{"text": "https://Example.COM/a\n"}"#;
        let record = Record::parse_grouped(line, "text", Some("text")).unwrap();
        assert_eq!(
            (record.text(), record.group()),
            ("https://Example.COM/a\n", "example.com")
        );
    }

    #[test]
    fn hosts_are_read_from_urls_only() {
        let cases: &[(&str, Option<&str>)] = &[
            ("https://www.example.com/a/b", Some("www.example.com")),
            ("http://Example.COM", Some("example.com")),
            (
                "https://user:pw@news.example.org:8080/x?y#z",
                Some("news.example.org"),
            ),
            ("https://example.com?q=1", Some("example.com")),
            ("http://[::1]:80/", Some("[::1]")),
            ("svn+ssh://host/repo", Some("host")),
            ("file:///etc/hosts", None),
            ("example.com/a", None),
            ("not a url://x", None),
            ("a:b://x", None),
            ("mailto:x@example.com", None),
            ("://x", None),
            ("", None),
        ];
        for (value, want) in cases {
            assert_eq!(url_host(value).as_deref(), *want, "{value}");
        }
    }

    #[test]
    fn records_are_grouped_by_the_host_or_the_value_of_their_group_field() {
        // (line, group)
        let cases: &[(&str, &str)] = &[
            (
                r#"{"text":"t","url":"https://www.example.com/a/b"}"#,
                "www.example.com",
            ),
            (r#"{"text":"t","url":"site-a"}"#, "site-a"),
            (r#"{"text":"t","url":42}"#, "42"),
            (r#"{"text":"t","url":{"h": 1}}"#, r#"{"h": 1}"#),
            (r#"{"text":"t"}"#, ""),
            // the last occurrence wins, as for the text field
            (
                r#"{"url":"a","text":"t","url":"https://b.example/"}"#,
                "b.example",
            ),
        ];
        for (line, want) in cases {
            let record = Record::parse_grouped(line.as_bytes(), "text", Some("url")).unwrap();
            assert_eq!(record.group(), *want, "{line}");
        }
        let record = Record::parse(br#"{"text":"t","url":"site-a"}"#, "text").unwrap();
        assert_eq!(record.group(), "");
    }
}
