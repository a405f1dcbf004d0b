//! One record: a line of JSON Lines parsed just enough to find its text
//! field (and its group field), and rewritten with every other byte kept.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{Deserializer as _, MapAccess, Visitor};
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
        let invalid = |message: String| InvalidRecord { message };
        // a UTF-8 BOM (at the start of a file) is kept and skipped
        let json = crate::text::strip_bom(line);
        let mut de = serde_json::Deserializer::from_slice(json);
        let entries = de
            .deserialize_any(EntriesVisitor)
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
        let span = |raw: &RawValue| {
            let start = raw.get().as_ptr() as usize - line.as_ptr() as usize;
            start..start + raw.get().len()
        };
        // the last occurrence wins, as in most JSON readers
        let last = |name: &str| {
            entries
                .iter()
                .rev()
                .find(|(key, _)| key == name)
                .map(|(_, raw)| *raw)
        };
        let value = last(field).ok_or_else(|| invalid(format!("no `{field}` field")))?;
        let text: String = serde_json::from_str(value.get())
            .map_err(|_| invalid(format!("the `{field}` field is not a string")))?;
        let group = group_field.and_then(last).map(group_of).unwrap_or_default();
        let close = line
            .iter()
            .rposition(|b| *b == b'}')
            .ok_or_else(|| invalid("not a JSON object".to_string()))?;
        Ok(Record {
            line,
            text,
            group,
            value: span(value),
            annotation: last(ANNOTATION).map(span),
            close,
        })
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
    match serde_json::from_str::<String>(raw.get()) {
        Ok(value) => url_host(&value).unwrap_or(value),
        Err(_) => raw.get().to_string(),
    }
}

/// The host of `scheme://[user@]host[:port][/path][?query][#fragment]`,
/// lower-cased (an IPv6 host keeps its brackets); `None` for anything else,
/// or an empty host.
pub fn url_host(value: &str) -> Option<String> {
    let (scheme, rest) = value.split_once("://")?;
    let mut chars = scheme.chars();
    let scheme_ok = chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
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

/// The top-level entries of an object, values left raw.
struct EntriesVisitor;

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = Vec<(Cow<'de, str>, &'de RawValue)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            entries.push((key, map.next_value::<&'de RawValue>()?));
        }
        Ok(entries)
    }
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
