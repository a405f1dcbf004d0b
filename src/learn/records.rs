//! Learning from JSON Lines records, which have no folder: each record's
//! group (its site) comes from a field ([`JsonlOptions::group_field`], e.g.
//! the host of a `url`), and its position in the group is its rank in input
//! order among the group's records, across the streams of a run.
//!
//! Counting keeps fingerprints and counts only, as for files
//! ([`Counts::count`]), and no key per record: a group's members are just
//! how many records it has ([`Members::Records`]). Candidates read the
//! records again; standard input can be read twice once spooled
//! ([`jsonl::spool_stdin`]).

use std::path::Path;

use super::candidates::Finder;
use super::count::{hashes, Counted, Counts, GroupCounts, KeptBudget, Members};
use super::Candidate;
use crate::corpus::jsonl::{self, GroupOrder, JsonlOptions, Line, StreamError};
use crate::corpus::{Entry, InputError};
use crate::engine::repeated::Thresholds;
use crate::matching::text::Normalize;

impl Counts {
    /// Counts the records of `entries` (JSON Lines files, or `-`), grouped by
    /// `options.group_field`, with `threads` workers (0: one per core).
    /// Invalid records are skipped and returned as errors naming their line,
    /// beside those of inputs that cannot be read; blank lines are skipped.
    pub fn count_records(
        entries: &[Entry],
        options: &JsonlOptions,
        normalize: Normalize,
        threads: usize,
    ) -> (Counts, Vec<InputError>) {
        Counts::count_records_what(entries, options, normalize, threads, Counted::LinesAndPairs)
    }

    /// [`Counts::count_records`] without the pairs, as
    /// [`Counts::count_lines`] counts files: for `clean --repeated`, not for saving.
    pub fn count_record_lines(
        entries: &[Entry],
        options: &JsonlOptions,
        normalize: Normalize,
        threads: usize,
    ) -> (Counts, Vec<InputError>) {
        Counts::count_records_what(entries, options, normalize, threads, Counted::Lines)
    }

    fn count_records_what(
        entries: &[Entry],
        options: &JsonlOptions,
        normalize: Normalize,
        threads: usize,
        what: Counted,
    ) -> (Counts, Vec<InputError>) {
        let mut counts = Counts {
            normalize,
            group_by: options.grouping(),
            groups: Default::default(),
        };
        let mut errors = Vec::new();
        let mut order = GroupOrder::default();
        let kept = KeptBudget::new(what);
        let work = |record: jsonl::Record<'_>, position: u32| {
            let doc = hashes(record.text().as_bytes(), normalize, what, &kept);
            (record.group().to_string(), position, doc)
        };
        for_each_stream(
            entries,
            threads,
            options,
            &mut order,
            &mut errors,
            work,
            |_, line| {
                if let Line::Record((_, (group, position, doc))) = line {
                    let group = counts
                        .groups
                        .entry(group)
                        .or_insert_with(|| GroupCounts::new(Members::Records(0)));
                    group.add(doc, position);
                    group.members = Members::Records(position + 1);
                }
            },
        );
        (counts, errors)
    }
}

/// Reads the records of `entries` again and returns the candidates that pass
/// `thresholds` in `counts` (counted by [`Counts::count_records`] with the
/// same `options`), heaviest first; examples are named `FILE:LINE`. Problems
/// met on the way were reported when counting and are passed over.
pub fn record_candidates(
    counts: &Counts,
    entries: &[Entry],
    options: &JsonlOptions,
    thresholds: Thresholds,
    threads: usize,
) -> Vec<Candidate> {
    let mut finder = Finder::new(counts, thresholds);
    let work = |record: jsonl::Record<'_>, _: u32| {
        let group = record.group().to_string();
        (group, record.into_text())
    };
    let mut order = GroupOrder::default();
    for_each_stream(
        entries,
        threads,
        options,
        &mut order,
        &mut Vec::new(),
        work,
        |name, line| {
            if let Line::Record((number, (group, text))) = line {
                let example = format!("{}:{number}", name.display());
                finder.add(&group, example, text.as_bytes());
            }
        },
    );
    finder.finish()
}

/// Runs [`jsonl::for_each_grouped`] over every entry in turn, one `order`
/// for them all; `sink` gets the stream's name and each line, records with
/// their line number. Invalid records and unreadable inputs go to `errors`.
fn for_each_stream<T, W, S>(
    entries: &[Entry],
    threads: usize,
    options: &JsonlOptions,
    order: &mut GroupOrder,
    errors: &mut Vec<InputError>,
    work: W,
    mut sink: S,
) where
    T: Send,
    W: Fn(jsonl::Record<'_>, u32) -> T + Sync,
    S: FnMut(&Path, Line<(usize, T)>),
{
    for entry in entries {
        let name = jsonl::stream_name(entry);
        let mut reader = match jsonl::open(entry) {
            Ok(reader) => reader,
            Err(err) => {
                errors.push(err);
                continue;
            }
        };
        let work = |run: Vec<jsonl::Member<'_>>| {
            run.into_iter()
                .map(|m| (m.number, work(m.record, m.position)))
                .collect()
        };
        let streamed = jsonl::for_each_grouped(
            &mut reader,
            threads,
            options,
            order,
            work,
            |number, _, line| {
                if let Line::Invalid(err) = &line {
                    errors.push(jsonl::invalid_error(&name, number, err));
                }
                sink(&name, line);
                Ok(())
            },
        );
        match streamed {
            Ok(()) | Err(StreamError::Write(_)) => {}
            Err(StreamError::Read(err)) => errors.push(jsonl::read_error(&name, &err, "counted")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::count::KEPT_MIN_LINES;
    use super::*;
    use crate::matching::text;

    /// Records of two hosts: "Menu" on each of a.example's, "Shared" once on each host.
    const RECORDS: &str = concat!(
        "{\"url\":\"https://a.example/1\",\"text\":\"Menu\\nShared\\nStory one.\"}\n",
        "{\"url\":\"https://b.example/1\",\"text\":\"Shared\\nOther story.\"}\n",
        "{\"url\":\"https://a.example/2\",\"text\":\"Menu\\nStory two.\"}\n",
        "not json\n",
        "{\"url\":\"https://a.example/3\",\"text\":\"Menu\\nStory three.\"}\n",
        "{\"text\":\"No url.\"}\n",
    );

    fn options() -> JsonlOptions {
        JsonlOptions {
            group_field: Some("url".to_string()),
            ..JsonlOptions::default()
        }
    }

    /// The corpus as files of `lines` records each, in a temp folder, walked.
    fn shards(records: &[&str], lines: usize) -> (tempfile::TempDir, Vec<Entry>) {
        let dir = tempfile::tempdir().unwrap();
        for (i, chunk) in records.chunks(lines).enumerate() {
            std::fs::write(dir.path().join(format!("part-{i}.jsonl")), chunk.concat()).unwrap();
        }
        let (entries, errors) =
            crate::corpus::walk(&[dir.path().to_path_buf()], &Default::default());
        assert!(errors.is_empty());
        (dir, entries)
    }

    fn records() -> Vec<&'static str> {
        RECORDS.split_inclusive('\n').collect()
    }

    #[test]
    fn counting_record_lines_only_counts_the_same_lines_and_no_pairs() {
        // with a record long enough for its line fingerprints to be kept
        let long_text: Vec<String> = (1..=KEPT_MIN_LINES).map(|n| format!("Line {n}.")).collect();
        let long = format!(
            "{{\"url\":\"https://b.example/2\",\"text\":\"{}\"}}\n",
            long_text.join("\\n")
        );
        let mut records = records();
        records.push(&long);
        let (_dir, entries) = shards(&records, 7);
        let how = Normalize::default();
        let (full, _) = Counts::count_records(&entries, &options(), how, 2);
        let (lines, _) = Counts::count_record_lines(&entries, &options(), how, 2);
        assert!(full.groups.values().any(|g| !g.pairs.is_empty()));
        assert_eq!(lines.groups.len(), full.groups.len());
        for (name, group) in &lines.groups {
            assert!(group.pairs.is_empty(), "{name}");
            assert_eq!(group.lines, full.groups[name].lines, "{name}");
            assert_eq!(group.members, full.groups[name].members, "{name}");
            assert!(full.groups[name].kept.is_empty(), "{name}");
        }
        // the long record's line fingerprints are kept by its position,
        // with the fingerprint of its text, for the cleaning pass; short
        // ones are not worth it
        let text = long_text.join("\n");
        let mut want = Vec::new();
        super::super::count::line_fingerprints(text.as_bytes(), how, &mut want);
        let kept = &lines.groups["b.example"].kept;
        assert_eq!(kept.keys().collect::<Vec<_>>(), [&1]);
        assert_eq!(&kept[&1].lines[..], &want[..]);
        assert_eq!(kept[&1].document, text::fingerprint(text.as_bytes()));
        assert!(lines.groups["a.example"].kept.is_empty());
    }

    #[test]
    fn records_are_counted_per_host_and_invalid_ones_named_by_line() {
        let (_dir, entries) = shards(&records(), 6);
        let (counts, errors) = Counts::count_records(&entries, &options(), Normalize::default(), 2);
        assert_eq!(counts.group_by, "jsonl:url");
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), 1);
        assert!(messages[0].contains("part-0.jsonl: line 4: invalid record: not valid JSON"));
        let docs = |group: &str, line: &str| {
            let g = &counts.groups[group];
            g.lines
                .get(&text::fingerprint(line.as_bytes()))
                .map(|t| (t.docs, t.first))
        };
        assert_eq!(counts.groups["a.example"].members, Members::Records(3));
        assert_eq!(counts.groups["b.example"].members, Members::Records(1));
        assert_eq!(counts.groups[""].members, Members::Records(1));
        assert_eq!(docs("a.example", "Menu"), Some((3, 0)));
        assert_eq!(docs("a.example", "Shared"), Some((1, 0)));
        assert_eq!(docs("a.example", "Story three."), Some((1, 2)));
        assert_eq!(docs("b.example", "Shared"), Some((1, 0)));
    }

    #[test]
    fn counts_of_shards_merged_in_order_equal_counts_of_the_whole() {
        let records = records();
        let (_dir, entries) = shards(&records, records.len());
        let how = Normalize::default();
        let (whole, _) = Counts::count_records(&entries, &options(), how, 1);
        // with pairs, and with lines and their kept fingerprints
        for count in [Counts::count_records, Counts::count_record_lines] {
            let (whole, _) = count(&entries, &options(), how, 1);
            for split in 0..=records.len() {
                let (_a, left) = shards(&records[..split], records.len());
                let (_b, right) = shards(&records[split..], records.len());
                let (mut merged, _) = count(&left, &options(), how, 1);
                merged.merge(count(&right, &options(), how, 2).0).unwrap();
                assert_eq!(merged, whole, "split at {split}");
            }
        }
        // one stream after the other in one run is one stream
        let (_dir, parts) = shards(&records, 2);
        assert_eq!(Counts::count_records(&parts, &options(), how, 2).0, whole);
        // they save, load and refuse to merge with counts of files
        let mut saved = Vec::new();
        whole.save(&mut saved).unwrap();
        assert_eq!(Counts::load(&saved).unwrap(), whole);
        let mut files = whole.clone();
        for group in files.groups.values_mut() {
            group.members = Members::Paths(vec!["x.txt".to_string()]);
        }
        assert!(files.merge(whole).is_err());
    }

    #[test]
    fn candidates_repeat_within_a_host_not_across_hosts() {
        let (_dir, entries) = shards(&records(), 6);
        let (counts, _) = Counts::count_records(&entries, &options(), Normalize::default(), 1);
        let thresholds = Thresholds {
            min_docs: 2,
            min_share: 0.1,
        };
        let found = record_candidates(&counts, &entries, &options(), thresholds, 2);
        let lines: Vec<&str> = found.iter().map(|c| c.lines[0].as_str()).collect();
        assert_eq!(lines, ["Menu"]);
        assert_eq!(found[0].group, "a.example");
        let name = entries[0].path.display();
        assert_eq!(
            found[0].examples,
            [format!("{name}:1"), format!("{name}:3")]
        );
    }
}
