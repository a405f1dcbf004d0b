//! Cleaning records: [`RecordCleaner`] cleans the text field of each record
//! of a stream and writes the record back with every other byte kept.
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

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::{
    for_each_grouped, invalid_error, GroupOrder, InvalidRecord, JsonlOptions, Line, Member,
};
use super::{Record, StreamError};
use crate::clean::{Cleaned, Cleaner, Owner};
use crate::corpus::{Summary, Tally};

/// Cleans the records of JSON Lines streams: the cleaner, how records are
/// read and written, and the worker threads (0: one per core).
///
/// A cleaner with [`Cleaner::with_repeated`] counts finds each record by its
/// group ([`Record::group`], from [`JsonlOptions::group_field`]) and its
/// position among the group's records in input order, which a
/// [`GroupOrder`] carries on from one stream of a run to the next.
#[derive(Debug, Clone)]
pub struct RecordCleaner<'r> {
    /// What cleans each text.
    pub cleaner: Cleaner<'r>,
    /// Which fields, and what to do with records.
    pub options: JsonlOptions,
    /// Worker threads.
    pub threads: usize,
}

/// A cleaned record as [`RecordCleaner::stream`] writes it: its line and
/// what the summary counts of it (the texts stay with the worker).
struct Written {
    output: Vec<u8>,
    tally: Tally,
}

impl RecordCleaner<'_> {
    /// Cleans the text of every record of `reader` in ordered parallel
    /// batches (runs of records go through the engine together, see
    /// [`Cleaner::clean_members`]): `finish` turns each record and its cleaning into what `sink`
    /// gets (in parallel), and `sink` gets every line in input order.
    ///
    /// # Errors
    /// A read error, or the first error `sink` returns; the stream stops there.
    pub fn for_each<T, F, S>(
        &self,
        reader: &mut dyn BufRead,
        order: &mut GroupOrder,
        finish: F,
        sink: S,
    ) -> Result<(), StreamError>
    where
        T: Send,
        F: Fn(Record<'_>, Cleaned) -> T + Sync,
        S: FnMut(usize, &[u8], Line<T>) -> io::Result<()>,
    {
        let work = |run: Vec<Member<'_>>| {
            let texts: Vec<(&str, u32, &[u8])> = run.iter().map(Member::place).collect();
            let cleaned = self.cleaner.clean_members(&texts);
            run.into_iter()
                .zip(cleaned)
                .map(|(member, cleaned)| finish(member.record, cleaned))
                .collect()
        };
        for_each_grouped(reader, self.threads, &self.options, order, work, sink)
    }

    /// Cleans the text field of every record of `reader` and writes the
    /// records to `out` in input order; `name` names the stream in reports
    /// (`data.jsonl:12` for its 12th line). Blank lines pass through;
    /// invalid records are reported in `summary.errors` and passed through
    /// unchanged, or dropped with [`JsonlOptions::drop_invalid`]. Each
    /// record counts as a document in `summary`.
    ///
    /// # Errors
    /// A read or write error; the stream stops there (the caller reports it).
    pub fn stream(
        &self,
        reader: &mut dyn BufRead,
        name: &Path,
        order: &mut GroupOrder,
        out: &mut dyn Write,
        summary: &mut Summary,
    ) -> Result<(), StreamError> {
        let started = Instant::now();
        let options = &self.options;
        let finish = |record: Record<'_>, mut cleaned: Cleaned| {
            let Ok(text) = std::str::from_utf8(&cleaned.text) else {
                return Err(InvalidRecord {
                    message: format!(
                        "a `replace` rule left invalid UTF-8 in `{}`; record left unchanged",
                        options.field
                    ),
                });
            };
            let annotation = options.annotate.then(|| annotate(&self.cleaner, &cleaned));
            let output = record.rewrite(text, annotation.as_deref());
            let tally = Tally::take(record.text().as_bytes(), &mut cleaned);
            Ok(Written { output, tally })
        };
        let result = self.for_each(
            reader,
            order,
            finish,
            |number, line, outcome| match outcome {
                Line::Blank => out.write_all(line),
                Line::Invalid(err) | Line::Record(Err(err)) => {
                    summary.errors.push(invalid_error(name, number, &err));
                    if options.drop_invalid {
                        Ok(())
                    } else {
                        out.write_all(line)
                    }
                }
                Line::Record(Ok(written)) => {
                    let path = || PathBuf::from(format!("{}:{number}", name.display()));
                    summary.add_named(path, written.tally);
                    out.write_all(&written.output)
                }
            },
        );
        summary.elapsed += started.elapsed();
        result
    }
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
    use crate::engine::repeated::{LineStat, RepeatedSet};
    use crate::rules::Source;
    use crate::text::{fingerprint, Normalize};
    use crate::RuleSet;

    const LINE_RULE: &str =
        "[pack]\nname = \"t\"\n[[rule]]\nid = \"x\"\nkind = \"line\"\nmatch = { line = \"X\" }\n";

    fn rules(text: &str) -> RuleSet {
        RuleSet::from_sources(&[Source::new("t.toml", text.to_string())]).unwrap()
    }

    fn stream(cleaner: Cleaner<'_>, input: &str, options: &JsonlOptions) -> (String, Summary) {
        let cleaner = RecordCleaner {
            cleaner,
            options: options.clone(),
            threads: 2,
        };
        let mut out = Vec::new();
        let mut summary = Summary::default();
        let mut order = GroupOrder::default();
        cleaner
            .stream(
                &mut input.as_bytes(),
                Path::new("in.jsonl"),
                &mut order,
                &mut out,
                &mut summary,
            )
            .unwrap();
        (String::from_utf8(out).unwrap(), summary)
    }

    fn clean(input: &str, options: &JsonlOptions) -> (String, Summary) {
        let rules = rules(LINE_RULE);
        let options_no_guard = crate::CleanOptions {
            guard: None,
            ..crate::CleanOptions::default()
        };
        stream(
            Cleaner::with_options(&rules, options_no_guard),
            input,
            options,
        )
    }

    /// The summary counts each record by its decoded text: bytes in and
    /// out, changed, removals by rule, guard trips named by stream line.
    #[test]
    fn the_summary_counts_each_record_by_its_decoded_text() {
        let rules = rules(LINE_RULE);
        // decoded: "a\nX\nb" (5 bytes) loses "X\n"; "b" (1) stays; ten "X"
        // lines and "a" (21) would lose 91 % and trip the guard
        let input = format!(
            "{{\"text\":\"a\\nX\\nb\"}}\n\n{{\"text\":\"b\"}}\n{{\"text\":\"{}a\"}}\n",
            "X\\n".repeat(10)
        );
        let (_, summary) = stream(Cleaner::new(&rules), &input, &JsonlOptions::default());
        assert_eq!((summary.documents, summary.changed), (3, 1));
        assert_eq!((summary.bytes_in, summary.bytes_out), (27, 25));
        let by_rule = summary.owners[&Owner::Rule(crate::RuleId(0))];
        assert_eq!((by_rule.documents, by_rule.lines, by_rule.bytes), (1, 1, 2));
        assert_eq!(summary.lines_removed, 1);
        assert_eq!(summary.tripped.len(), 1);
        assert_eq!(summary.tripped[0].0, Path::new("in.jsonl:4"));
    }

    #[test]
    fn records_are_found_in_counts_by_group_and_position() {
        let rules = rules(
            "[pack]\nname = \"t\"\n[[rule]]\nid = \"r\"\nkind = \"repeated\"\ndrop = \"keep-first\"\n",
        );
        // site a: 3 records, all holding "Menu" from its first on; site b: none
        let mut set = RepeatedSet::new(Normalize::default());
        let a = set.add_group("a.example", 3);
        set.add_line(a, fingerprint(b"Menu"), LineStat { docs: 3, first: 0 });
        set.add_group("b.example", 2);
        let cleaner = Cleaner::new(&rules).with_repeated(&set);
        let options = JsonlOptions {
            group_field: Some("url".to_string()),
            ..JsonlOptions::default()
        };
        let record = |url: &str, n: u32| {
            format!("{{\"url\":\"https://{url}/{n}\",\"text\":\"Menu\\nStory {n}.\\n\"}}\n")
        };
        let input: String = [
            record("b.example", 1),
            record("a.example", 1),
            record("b.example", 2),
            record("a.example", 2),
            record("a.example", 3),
        ]
        .concat();
        let (out, _) = stream(cleaner, &input, &options);
        let kept: Vec<bool> = out.lines().map(|l| l.contains("Menu")).collect();
        // b's records are not counted for "Menu"; a's first record keeps its copy
        assert_eq!(kept, [true, true, true, false, false], "{out}");
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
