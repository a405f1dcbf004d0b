//! JSON Lines: streams of records, each a JSON object on one line whose text
//! field is a document.
//!
//! A stream is read in batches of [`BATCH`] lines; each batch is processed in
//! parallel with rayon and its results reach the caller's sink in input
//! order, so memory is bounded by the batch, not the stream, and the output
//! is the same bytes whatever the thread count. [`for_each_record`] is that
//! loop for any per-record work (clean, diff, check, learn);
//! [`clean_stream`] is the `clean` job on it.
//!
//! Records are edited in place: the text field's value is replaced by the
//! cleaned string and every other byte of the line (other fields, key order,
//! spacing, escapes, the line ending) is kept as it was. A record whose text
//! is unchanged is written back byte for byte. A line that is not a JSON
//! object with a string field is an [`InvalidRecord`]: reported with its line
//! number and passed through unchanged (or dropped), never fatal.
//!
//! # The `cruftless` annotation
//!
//! With [`JsonlOptions::annotate`], each record gets a field `cruftless`
//! (replacing one already there), an object with:
//! - `removed`: the removed line runs, in line order, each
//!   `{"rule": "pack/id" | "tidy", "from": N, "to": M}` with 1-based,
//!   inclusive line numbers of the text field;
//! - `edited`: lines rewritten by `replace` rules, each `{"rule": "pack/id", "line": N}`;
//! - `guard`, only when the over-strip guard left the text unchanged:
//!   `{"removed_share": F, "kept_words": N, "top_rule": "pack/id" | null}`.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, BufRead, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;
use serde::de::{Deserializer as _, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::{Entry, InputError, Summary};
use crate::clean::{Cleaned, Cleaner, Owner};

/// Records per parallel batch.
pub const BATCH: usize = 1000;
/// The name of the annotation field.
pub const ANNOTATION: &str = "cruftless";

/// How records are handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonlOptions {
    /// The field holding the text to clean (default `text`).
    pub field: String,
    /// Add the `cruftless` field describing the removals.
    pub annotate: bool,
    /// Drop invalid records instead of passing them through (they are reported either way).
    pub drop_invalid: bool,
}

impl Default for JsonlOptions {
    fn default() -> Self {
        JsonlOptions {
            field: "text".to_string(),
            annotate: false,
            drop_invalid: false,
        }
    }
}

/// Why a stream stopped: its input could not be read, or its output not written.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    /// Reading the input failed (records before it were handled).
    #[error("cannot read: {0}")]
    Read(#[source] io::Error),
    /// The sink failed to write.
    #[error("cannot write: {0}")]
    Write(#[source] io::Error),
}

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

/// One parsed record: its text field decoded, and where that field's value
/// (and an existing annotation) sit in the line.
#[derive(Debug, Clone)]
pub struct Record<'a> {
    line: &'a [u8],
    text: String,
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
        let invalid = |message: String| InvalidRecord { message };
        // a UTF-8 BOM (at the start of a file) is kept and skipped
        let json = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
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
        let value = entries
            .iter()
            .rev()
            .find(|(key, _)| key == field)
            .map(|(_, raw)| *raw)
            .ok_or_else(|| invalid(format!("no `{field}` field")))?;
        let text: String = serde_json::from_str(value.get())
            .map_err(|_| invalid(format!("the `{field}` field is not a string")))?;
        let annotation = entries
            .iter()
            .rev()
            .find(|(key, _)| key == ANNOTATION)
            .map(|(_, raw)| span(raw));
        let close = line
            .iter()
            .rposition(|b| *b == b'}')
            .ok_or_else(|| invalid("not a JSON object".to_string()))?;
        Ok(Record {
            line,
            text,
            value: span(value),
            annotation,
            close,
        })
    }

    /// The text field, decoded.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The line with the text field set to `text` and, if given, the
    /// `cruftless` field set to `annotation` (raw JSON); every other byte is
    /// kept.
    pub fn rewrite(&self, text: &str, annotation: Option<&str>) -> Vec<u8> {
        let value = if text == self.text {
            self.line[self.value.clone()].to_vec()
        } else {
            serde_json::to_vec(text).unwrap_or_default()
        };
        let mut edits: Vec<(Range<usize>, Vec<u8>)> = vec![(self.value.clone(), value)];
        if let Some(annotation) = annotation {
            match &self.annotation {
                Some(range) => edits.push((range.clone(), annotation.as_bytes().to_vec())),
                None => {
                    let field = format!(",\"{ANNOTATION}\":{annotation}");
                    edits.push((self.close..self.close, field.into_bytes()));
                }
            }
        }
        edits.sort_by_key(|(range, _)| range.start);
        let mut out = Vec::with_capacity(self.line.len() + text.len());
        let mut at = 0;
        for (range, bytes) in edits {
            out.extend_from_slice(&self.line[at..range.start]);
            out.extend_from_slice(&bytes);
            at = range.end;
        }
        out.extend_from_slice(&self.line[at..]);
        out
    }
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

/// Reads `reader` line by line in batches of [`BATCH`], runs `work` on each
/// line (its 1-based number and its bytes, ending included) in parallel,
/// and hands each result to `sink` in line order. `threads` = 0 uses every
/// core. Memory is bounded by one batch.
///
/// # Errors
/// The first read error, or the first error `sink` returns; the stream stops there.
pub fn for_each_record<T, W, S>(
    reader: &mut dyn BufRead,
    threads: usize,
    work: W,
    mut sink: S,
) -> Result<(), StreamError>
where
    T: Send,
    W: Fn(usize, &[u8]) -> T + Sync,
    S: FnMut(usize, &[u8], T) -> io::Result<()>,
{
    let pool = match threads {
        0 => None,
        n => rayon::ThreadPoolBuilder::new().num_threads(n).build().ok(),
    };
    let mut batch: Vec<Vec<u8>> = Vec::with_capacity(BATCH);
    let mut first = 1;
    loop {
        batch.clear();
        for _ in 0..BATCH {
            let mut line = Vec::new();
            if reader
                .read_until(b'\n', &mut line)
                .map_err(StreamError::Read)?
                == 0
            {
                break;
            }
            batch.push(line);
        }
        if batch.is_empty() {
            return Ok(());
        }
        let map = || {
            batch
                .par_iter()
                .enumerate()
                .map(|(i, line)| work(first + i, line))
                .collect::<Vec<T>>()
        };
        let results = match &pool {
            Some(pool) => pool.install(map),
            None => map(),
        };
        for (i, (line, result)) in batch.iter().zip(results).enumerate() {
            sink(first + i, line, result).map_err(StreamError::Write)?;
        }
        first += batch.len();
    }
}

/// Opens a JSON Lines input for reading: standard input for `-`, a file
/// otherwise, decompressed on the fly when its name ends in `.gz`.
///
/// # Errors
/// The path and the I/O error.
pub fn open(entry: &Entry) -> Result<Box<dyn BufRead>, InputError> {
    if entry.is_stdin() {
        return Ok(Box::new(io::BufReader::new(io::stdin())));
    }
    let file = std::fs::File::open(&entry.path).map_err(|e| InputError::io(&entry.path, &e))?;
    if is_gzip(&entry.path) {
        let decoder = flate2::read::MultiGzDecoder::new(io::BufReader::new(file));
        Ok(Box::new(io::BufReader::new(decoder)))
    } else {
        Ok(Box::new(io::BufReader::new(file)))
    }
}

/// Where a JSON Lines input goes under an output folder: its mirrored path,
/// without the `.gz` of a compressed input (outputs are not compressed).
pub fn output_path(entry: &Entry) -> PathBuf {
    if is_gzip(&entry.out_rel) {
        entry.out_rel.with_extension("")
    } else {
        entry.out_rel.clone()
    }
}

fn is_gzip(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "gz")
}

/// What cleaning did to one line of a stream.
enum Outcome {
    /// A blank line: passed through.
    Blank,
    Cleaned {
        output: Vec<u8>,
        text: String,
        cleaned: Cleaned,
    },
    Invalid(InvalidRecord),
}

/// Cleans the text field of every record of `reader` and writes the records
/// to `out` in input order; `name` names the stream in reports
/// (`data.jsonl:12` for its 12th line). Blank lines pass through; invalid
/// records are reported in `summary.errors` and passed through unchanged,
/// or dropped with [`JsonlOptions::drop_invalid`]. Each record counts as a
/// document in `summary`.
///
/// # Errors
/// A read or write error; the stream stops there (the caller reports it).
pub fn clean_stream(
    reader: &mut dyn BufRead,
    name: &Path,
    cleaner: &Cleaner<'_>,
    options: &JsonlOptions,
    threads: usize,
    out: &mut dyn Write,
    summary: &mut Summary,
) -> Result<(), StreamError> {
    let started = Instant::now();
    let work = |_: usize, line: &[u8]| {
        if crate::text::is_blank(line) {
            return Outcome::Blank;
        }
        let record = match Record::parse(line, &options.field) {
            Ok(record) => record,
            Err(err) => return Outcome::Invalid(err),
        };
        let cleaned = cleaner.clean(record.text().as_bytes());
        let Ok(text) = std::str::from_utf8(&cleaned.text) else {
            return Outcome::Invalid(InvalidRecord {
                message: format!(
                    "a `replace` rule left invalid UTF-8 in `{}`; record left unchanged",
                    options.field
                ),
            });
        };
        let annotation = options.annotate.then(|| annotate(cleaner, &cleaned));
        Outcome::Cleaned {
            output: record.rewrite(text, annotation.as_deref()),
            text: record.text,
            cleaned,
        }
    };
    let result = for_each_record(
        reader,
        threads,
        work,
        |number, line, outcome| match outcome {
            Outcome::Blank => out.write_all(line),
            Outcome::Invalid(err) => {
                summary.errors.push(InputError::new(
                    name,
                    format!("line {number}: invalid record: {err}"),
                ));
                if options.drop_invalid {
                    Ok(())
                } else {
                    out.write_all(line)
                }
            }
            Outcome::Cleaned {
                output,
                text,
                cleaned,
            } => {
                let path = PathBuf::from(format!("{}:{number}", name.display()));
                summary.record(&path, text.as_bytes(), &cleaned);
                out.write_all(&output)
            }
        },
    );
    summary.elapsed += started.elapsed();
    result
}

/// The `cruftless` annotation of a cleaned text (see the module docs).
fn annotate(cleaner: &Cleaner<'_>, cleaned: &Cleaned) -> String {
    let rules = cleaner.rules();
    let owner = |owner: Owner| match owner {
        Owner::Rule(id) => rules.name(id),
        Owner::Tidy => "tidy".to_string(),
    };
    let removed: Vec<serde_json::Value> = cleaned
        .removals
        .iter()
        .map(|r| {
            serde_json::json!({
                "rule": owner(r.owner),
                "from": r.lines.start + 1,
                "to": r.lines.end,
            })
        })
        .collect();
    let edited: Vec<serde_json::Value> = cleaned
        .edits
        .iter()
        .map(|e| serde_json::json!({ "rule": rules.name(e.rule), "line": e.line + 1 }))
        .collect();
    let mut note = serde_json::json!({ "removed": removed, "edited": edited });
    if let Some(trip) = &cleaned.guard {
        note["guard"] = serde_json::json!({
            "removed_share": trip.removed_share,
            "kept_words": trip.kept_words,
            "top_rule": trip.top_rule.map(|id| rules.name(id)),
        });
    }
    note.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Source;
    use crate::RuleSet;

    fn rules() -> RuleSet {
        let text = "[pack]\nname = \"t\"\n[[rule]]\nid = \"x\"\nkind = \"line\"\nmatch = { line = \"X\" }\n";
        RuleSet::from_sources(&[Source::new("t.toml", text.to_string())]).unwrap()
    }

    fn clean(input: &str, options: &JsonlOptions) -> (String, Summary) {
        let rules = rules();
        let cleaner = Cleaner::with_options(
            &rules,
            crate::CleanOptions {
                guard: None,
                ..crate::CleanOptions::default()
            },
        );
        let mut out = Vec::new();
        let mut summary = Summary::default();
        clean_stream(
            &mut input.as_bytes(),
            Path::new("in.jsonl"),
            &cleaner,
            options,
            2,
            &mut out,
            &mut summary,
        )
        .unwrap();
        (String::from_utf8(out).unwrap(), summary)
    }

    #[test]
    fn records_are_edited_in_place() {
        // (input stream, expected output)
        let cases: &[(&str, &str)] = &[
            (
                "{\"id\": 1, \"text\": \"a\\nX\\n\", \"url\":\"u\"}\n",
                "{\"id\": 1, \"text\": \"a\\n\", \"url\":\"u\"}\n",
            ),
            // unchanged text: the line is kept byte for byte, escapes included
            (
                "{\"text\":\"caf\\u00e9\\n\",\"z\":1,\"a\":[1, 2]}\r\n",
                "{\"text\":\"caf\\u00e9\\n\",\"z\":1,\"a\":[1, 2]}\r\n",
            ),
            // other fields keep their exact bytes, no final newline stays so
            (
                "{\"z\":1.50,\"text\":\"X\\nb\",\"a\":{\"k\":\"\\u0041\"}}",
                "{\"z\":1.50,\"text\":\"b\",\"a\":{\"k\":\"\\u0041\"}}",
            ),
            ("\n  \n", "\n  \n"),
            (
                "\u{feff}{\"text\":\"X\\nb\"}\n",
                "\u{feff}{\"text\":\"b\"}\n",
            ),
            // the last `text` wins
            (
                "{\"text\":\"X\",\"text\":\"X\\nb\"}\n",
                "{\"text\":\"X\",\"text\":\"b\"}\n",
            ),
        ];
        for (input, want) in cases {
            let (out, summary) = clean(input, &JsonlOptions::default());
            assert_eq!(out, *want, "input {input}");
            assert!(summary.errors.is_empty(), "input {input}");
        }
    }

    #[test]
    fn invalid_records_are_reported_by_line_and_passed_through_or_dropped() {
        let input = "{\"text\":\"a\"}\nnot json\n[1]\n{\"id\":2}\n{\"text\":3}\n{\"text\":\"X\"} x\n{\"text\":\"X\\nb\"}\n";
        let (out, summary) = clean(input, &JsonlOptions::default());
        assert_eq!(
            out,
            "{\"text\":\"a\"}\nnot json\n[1]\n{\"id\":2}\n{\"text\":3}\n{\"text\":\"X\"} x\n{\"text\":\"b\"}\n"
        );
        let messages: Vec<String> = summary.errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 5);
        assert!(messages[0].starts_with("in.jsonl: line 2: invalid record: not valid JSON"));
        assert!(messages[1].starts_with("in.jsonl: line 3: invalid record: not a JSON object"));
        assert_eq!(
            messages[2],
            "in.jsonl: line 4: invalid record: no `text` field"
        );
        assert_eq!(
            messages[3],
            "in.jsonl: line 5: invalid record: the `text` field is not a string"
        );
        assert!(messages[4].starts_with("in.jsonl: line 6: invalid record: not valid JSON"));
        assert_eq!(summary.documents, 2);

        let drop = JsonlOptions {
            drop_invalid: true,
            ..JsonlOptions::default()
        };
        let (out, _) = clean(input, &drop);
        assert_eq!(out, "{\"text\":\"a\"}\n{\"text\":\"b\"}\n");
    }

    #[test]
    fn annotations_name_rules_and_line_ranges() {
        let options = JsonlOptions {
            annotate: true,
            field: "body".to_string(),
            ..JsonlOptions::default()
        };
        let (out, _) = clean(
            "{\"body\":\"\\na\\nX\\nX\\n\", \"cruftless\": null}\n{\"body\":\"b\"}\n",
            &options,
        );
        assert_eq!(
            out,
            "{\"body\":\"a\\n\", \"cruftless\": {\"removed\":[{\"rule\":\"tidy\",\"from\":1,\"to\":1},{\"rule\":\"t/x\",\"from\":3,\"to\":4}],\"edited\":[]}}\n\
             {\"body\":\"b\",\"cruftless\":{\"removed\":[],\"edited\":[]}}\n"
        );
    }

    #[test]
    fn output_order_is_input_order_across_batches() {
        let input: String = (0..2500)
            .map(|i| format!("{{\"n\":{i},\"text\":\"line {i}\\nX\"}}\n"))
            .collect();
        let want: String = (0..2500)
            .map(|i| format!("{{\"n\":{i},\"text\":\"line {i}\"}}\n"))
            .collect();
        let (out, summary) = clean(&input, &JsonlOptions::default());
        assert_eq!(out, want);
        assert_eq!(summary.documents, 2500);
    }
}
