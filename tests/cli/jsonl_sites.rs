//! `learn --jsonl` and `clean --jsonl --repeated`: records grouped into sites
//! by a field (the host of their `url`), counted, merged and cleaned.

use std::path::Path;

use predicates::prelude::*;

use crate::util::{cruftless, text};

/// The other site's page `n` (1 to 4): its menu, then a story of its own
/// (told in words: lines that differ only in digits count as one).
fn other_page(n: usize) -> String {
    let topic = ["harbour", "mill", "school", "market"][n - 1];
    let shared = if n == 1 {
        "A line two sites share\n\n"
    } else {
        ""
    };
    format!(
        "Other Times\n\nMenu | Home | Contact\n\nThe story of the {topic} tells of a ferry, a storm and a long night by the water.\n\n{shared}The other site closes the {topic} story with a sentence of its own about the weather.\n"
    )
}

/// The corpus: the ten gazette pages (host `www.gazette.example`) and four
/// pages of `other.example`, interleaved, as `(host, file name, text)` in
/// input order. Gazette page 1 and other page 1 share one line.
fn pages() -> Vec<(&'static str, String, String)> {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repeated/gazette");
    let gazette = |n: usize| {
        let name = format!("page-{n:02}.txt");
        let mut page = text(fixture.join(&name));
        if n == 1 {
            page.push_str("\nA line two sites share\n");
        }
        ("www.gazette.example", name, page)
    };
    let other = |n: usize| ("other.example", format!("page-{n:02}.txt"), other_page(n));
    let mut out = Vec::new();
    for (i, n) in (1..=10).enumerate() {
        if i % 3 == 0 {
            out.push(other(i / 3 + 1));
        }
        out.push(gazette(n));
    }
    out
}

/// A record of a page; its URL's spelling varies, its host does not.
fn record(i: usize, host: &str, page: &str) -> String {
    let url = match i % 3 {
        0 => format!("https://{host}/2024/{i}?ref=feed"),
        1 => format!("HTTPS://{}:443/{i}", host.to_uppercase()),
        _ => format!("http://user@{host}/{i}#top"),
    };
    format!(
        "{{\"id\": {i}, \"url\":\"{url}\",\"text\":{},\"meta\":{{\"n\":1.50,\"tags\":[\"a\", \"b\"]}}}}\n",
        serde_json::to_string(page).unwrap()
    )
}

/// A temp folder with `corpus.jsonl` (the pages as records) and `sites/HOST/`
/// (the same pages as files, one folder per host).
fn with_corpus() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let mut records = Vec::new();
    for (i, (host, name, page)) in pages().iter().enumerate() {
        records.push(record(i, host, page));
        let folder = dir.path().join("sites").join(host);
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(name), page).unwrap();
    }
    std::fs::write(dir.path().join("corpus.jsonl"), records.concat()).unwrap();
    (dir, records)
}

/// Writes `keep-first.toml` in `dir`: a `repeated` rule that keeps the
/// copy in each site's first page.
fn write_keep_first_pack(dir: &Path) {
    std::fs::write(
        dir.join("keep-first.toml"),
        "[pack]\nname = \"dedup\"\n[[rule]]\nid = \"lines\"\nkind = \"repeated\"\ndrop = \"keep-first\"\nexamples.keep = [\"A line\"]\n",
    )
    .unwrap();
}

/// Standard output of a successful run.
fn run_ok(dir: &Path, args: &[&str]) -> String {
    let output = cruftless(dir).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?}: {stderr}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn learn_jsonl_proposes_what_one_host_repeats_not_what_two_hosts_share() {
    let (dir, _) = with_corpus();
    let pack = run_ok(
        dir.path(),
        &["learn", "--jsonl", "corpus.jsonl", "--group-field", "url"],
    );
    for line in [
        "Subscribe",
        "Other Times",
        "in www.gazette.example",
        "in other.example",
        "# e.g. corpus.jsonl:2, corpus.jsonl:3",
    ] {
        assert!(pack.contains(line), "missing {line:?} in\n{pack}");
    }
    assert!(!pack.contains("A line two sites share"), "{pack}");
    // with no group field all records are one site, where the line repeats
    let pack = run_ok(dir.path(), &["learn", "--jsonl", "corpus.jsonl"]);
    assert!(pack.contains("A line two sites share"), "{pack}");
}

#[test]
fn learn_jsonl_reads_standard_input_and_reports_malformed_records_by_line() {
    let (dir, records) = with_corpus();
    let mut input = records.concat();
    input.insert_str(
        records[0].len() + records[1].len(),
        "{\"url\": \"https://x\"\n",
    );
    let output = cruftless(dir.path())
        .args(["learn", "--jsonl", "-", "--group-field", "url"])
        .args(["--save-counts", "counts.json"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: <stdin>: line 3: invalid record: not valid JSON"),
        "{stderr}"
    );
    // the others are counted and proposed, examples named by line on stdin
    let pack = String::from_utf8(output.stdout).unwrap();
    assert!(pack.contains("# e.g. <stdin>:2, <stdin>:4"), "{pack}");
    let counts: serde_json::Value =
        serde_json::from_str(&text(dir.path().join("counts.json"))).unwrap();
    assert_eq!(counts["group_by"], "jsonl:url");
    let records_per_group: Vec<(&str, u64)> = counts["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["name"].as_str().unwrap(), g["records"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        records_per_group,
        [("other.example", 4), ("www.gazette.example", 10)]
    );
}

#[test]
fn learn_jsonl_counts_of_two_halves_merge_into_the_counts_of_the_whole() {
    let (dir, records) = with_corpus();
    let root = dir.path();
    // the whole as a Zstandard file, the halves on standard input
    let whole = zstd::encode_all(records.concat().as_bytes(), 3).unwrap();
    std::fs::write(root.join("corpus.jsonl.zst"), whole).unwrap();
    let count = [
        "--group-field",
        "url",
        "--fold-digits",
        "-q",
        "--save-counts",
    ];
    run_ok(
        root,
        &[
            &["learn", "--jsonl", "corpus.jsonl.zst"][..],
            &count,
            &["whole.json"],
        ]
        .concat(),
    );
    for (half, part) in [(&records[..5], "a.json"), (&records[5..], "b.json")] {
        cruftless(root)
            .args(["learn", "--jsonl", "-"])
            .args(count)
            .arg(part)
            .write_stdin(half.concat())
            .assert()
            .success();
    }
    run_ok(
        root,
        &[
            "learn",
            "--merge",
            "a.json",
            "b.json",
            "--write",
            "merged.json",
        ],
    );
    assert_eq!(
        text(root.join("merged.json")),
        text(root.join("whole.json"))
    );
}

/// The text of each output record, checking that every other byte of it is
/// the input record's.
fn texts(input: &[String], output: &str) -> Vec<String> {
    let lines: Vec<&str> = output.split_inclusive('\n').collect();
    assert_eq!(lines.len(), input.len());
    let mut out = Vec::new();
    for (record, line) in input.iter().zip(lines) {
        let at = record.find("\"text\":").unwrap() + "\"text\":".len();
        let tail = record.rfind(",\"meta\"").unwrap();
        assert!(line.starts_with(&record[..at]), "{line}");
        assert!(line.ends_with(&record[tail..]), "{line}");
        out.push(serde_json::from_str(&line[at..line.len() - (record.len() - tail)]).unwrap());
    }
    out
}

#[test]
fn clean_jsonl_repeated_cleans_records_of_a_host_as_files_of_a_folder() {
    let (dir, records) = with_corpus();
    let root = dir.path();
    let flags = ["--repeated", "--no-builtin", "--no-config", "-q"];
    let out = run_ok(
        root,
        &[
            &["clean", "--jsonl", "corpus.jsonl", "--group-field", "url"][..],
            &flags,
        ]
        .concat(),
    );
    run_ok(
        root,
        &[&["clean", "sites", "-o", "cleaned"][..], &flags].concat(),
    );
    let cleaned = texts(&records, &out);
    for ((host, name, page), got) in pages().iter().zip(&cleaned) {
        let want = text(root.join("cleaned").join(host).join(name));
        assert_eq!(got, &want, "{host}/{name}");
        assert_ne!(got, page, "{host}/{name}: something site-wide goes");
        assert!(
            !got.contains("Subscribe") && !got.contains("Other Times"),
            "{got}"
        );
    }
    // the line two sites share is no site's furniture
    let shared = cleaned
        .iter()
        .filter(|t| t.contains("A line two sites share"));
    assert_eq!(shared.count(), 2);
}

#[test]
fn clean_jsonl_repeated_keep_first_keeps_the_hosts_first_copy_whatever_the_thread_count() {
    let (dir, records) = with_corpus();
    let root = dir.path();
    write_keep_first_pack(root);
    // over 1,000 records: several batches
    let many = records.concat().repeat(80);
    std::fs::write(root.join("many.jsonl"), &many).unwrap();
    let run = |threads: &str| {
        run_ok(
            root,
            &[
                "clean",
                "--jsonl",
                "many.jsonl",
                "--group-field",
                "url",
                "--no-builtin",
                "--no-config",
                "--rules",
                "keep-first.toml",
                "-q",
                "-j",
                threads,
            ],
        )
    };
    let one = run("1");
    assert_eq!(one, run("4"));
    let all: Vec<String> = std::iter::repeat_n(records.clone(), 80).flatten().collect();
    let cleaned = texts(&all, &one);
    // the first gazette record (the second line) keeps the menu, no other does
    let keeps: Vec<usize> = cleaned
        .iter()
        .enumerate()
        .filter(|(_, t)| t.contains("Subscribe"))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(keeps, [1]);
}

#[test]
fn clean_jsonl_repeated_on_standard_input_needs_counts_made_beforehand() {
    let (dir, records) = with_corpus();
    let root = dir.path();
    let input = records.concat();
    let flags = ["--repeated", "--group-field", "url", "--no-config", "-q"];
    cruftless(root)
        .args(["clean", "--jsonl", "-"])
        .args(flags)
        .write_stdin(input.clone())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "standard input can be read only once",
        ))
        .stderr(predicate::str::contains("--counts counts.json"));
    // a pipeline: count the stream, then clean it with the counts
    cruftless(root)
        .args([
            "learn",
            "--jsonl",
            "-",
            "--group-field",
            "url",
            "--fold-digits",
            "-q",
        ])
        .args(["--save-counts", "counts.json"])
        .write_stdin(input.clone())
        .assert()
        .success();
    let piped = cruftless(root)
        .args(["clean", "--jsonl", "-", "--counts", "counts.json"])
        .args(flags)
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let counted = run_ok(
        root,
        &[&["clean", "--jsonl", "corpus.jsonl"][..], &flags].concat(),
    );
    assert_eq!(String::from_utf8(piped).unwrap(), counted);
    // counts grouped otherwise, or counts of files, are refused
    run_ok(
        root,
        &[
            "learn",
            "sites",
            "--fold-digits",
            "-q",
            "--save-counts",
            "files.json",
        ],
    );
    for (counts, message) in [
        (
            "counts.json",
            "grouped by `jsonl:url`; this run groups records by `jsonl`",
        ),
        ("files.json", "files.json holds counts of files"),
    ] {
        cruftless(root)
            .args([
                "clean",
                "--jsonl",
                "corpus.jsonl",
                "--repeated",
                "--counts",
                counts,
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(message));
    }
}

#[test]
fn report_jsonl_repeated_shows_the_site_lines_rule() {
    let (dir, _) = with_corpus();
    cruftless(dir.path())
        .args(["report", "--jsonl", "corpus.jsonl", "-o", "report.html"])
        .args(["--repeated", "--group-field", "url", "--no-config", "-q"])
        .assert()
        .success();
    let html = text(dir.path().join("report.html"));
    assert!(
        html.contains("repeated&#x2f;site-lines"),
        "the repeated rule has a row"
    );
    assert!(html.contains("corpus.jsonl:2"));
}

/// The JSON summary `args` print last, and how many documents they found
/// over `check --max-removed`, without the byte counts (records and files
/// differ in those alone).
fn summary_of(dir: &Path, args: &[&str]) -> (serde_json::Value, usize) {
    let output = cruftless(dir)
        .args(args)
        .args(["--format", "json", "--no-config"])
        .output()
        .unwrap();
    let out = String::from_utf8(output.stdout).unwrap();
    let mut summary: serde_json::Value =
        serde_json::from_str(out.lines().last().unwrap_or_default()).unwrap();
    let fields = summary.as_object_mut().unwrap();
    fields.remove("bytes_in");
    fields.remove("bytes_out");
    let over = out.matches("\"over_limit\":{").count();
    (summary, over)
}

#[test]
fn diff_and_check_jsonl_repeated_remove_what_they_remove_from_the_same_pages_as_files() {
    let (dir, _) = with_corpus();
    let root = dir.path();
    write_keep_first_pack(root);
    let records = ["--jsonl", "corpus.jsonl", "--group-field", "url"];
    for (flags, over) in [
        // the site-lines rule; with a limit, each page over it is searched again
        (&["--repeated"][..], false),
        (&["--repeated", "--max-removed", "0.3"][..], true),
        // a keep-first rule: only each site's first page keeps its copies
        (&["--no-builtin", "--rules", "keep-first.toml"][..], false),
    ] {
        for command in ["diff", "check"] {
            if over && command == "diff" {
                continue;
            }
            let (files, files_over) = summary_of(root, &[&[command, "sites"][..], flags].concat());
            let removed = files["rules"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["rule"] != "tidy" && r["lines"].as_u64() > Some(0));
            assert!(removed, "{command} {flags:?}: {files}");
            assert_eq!(files_over > 0, over, "{command} {flags:?}");
            let (from_records, records_over) =
                summary_of(root, &[&[command][..], &records, flags].concat());
            assert_eq!(from_records, files, "{command} {flags:?}");
            assert_eq!(records_over, files_over, "{command} {flags:?}");
        }
    }
}
