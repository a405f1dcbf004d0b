//! `cruftless clean --jsonl`: records in, records out, in order, other
//! fields byte for byte, bad records reported by line.

use std::io::Write;

use predicates::prelude::*;

use crate::util::{cruftless, read, seeds_dir, with_seeds};

/// The seed pages as JSON Lines records (`id`, `url`, `text`, `meta`), with
/// their expected cleaned texts.
fn seed_records() -> (String, Vec<String>) {
    let mut names: Vec<_> = std::fs::read_dir(seeds_dir().join("input"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    names.sort();
    let mut input = String::new();
    let mut expected = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let text = String::from_utf8(read(seeds_dir().join("input").join(name))).unwrap();
        let want = String::from_utf8(read(seeds_dir().join("expected").join(name))).unwrap();
        let record = |text: &str| {
            format!(
                "{{\"id\": {i}, \"url\":\"https://example.com/{i}\",\"text\":{},\"meta\":{{\"lang\":\"en\",\"n\":1.50}}}}\n",
                serde_json::to_string(text).unwrap()
            )
        };
        input.push_str(&record(&text));
        expected.push(record(&want));
    }
    (input, expected)
}

#[test]
fn jsonl_cleans_the_text_field_and_keeps_every_other_byte() {
    let dir = with_seeds();
    let (input, expected) = seed_records();
    cruftless(dir.path())
        .args(["clean", "--jsonl", "-", "-q"])
        .write_stdin(input)
        .assert()
        .success()
        .stdout(expected.concat());
}

#[test]
fn jsonl_output_is_the_same_whatever_the_thread_count() {
    let dir = with_seeds();
    let (input, _) = seed_records();
    let many = input.repeat(300);
    std::fs::write(dir.path().join("many.jsonl"), &many).unwrap();
    let run = |threads: &str| {
        cruftless(dir.path())
            .args(["clean", "--jsonl", "many.jsonl", "-q", "-j", threads])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let one = run("1");
    assert_eq!(one.iter().filter(|b| **b == b'\n').count(), 1500);
    assert_eq!(one, run("4"));
}

#[test]
fn jsonl_malformed_records_are_reported_by_line_passed_through_or_dropped() {
    let dir = with_seeds();
    let input =
        "{\"text\":\"Body text.\\nFollow Us:\\n\"}\nnot json\n{\"id\":3}\n{\"text\":\"More.\"}\n";
    cruftless(dir.path())
        .args(["clean", "--jsonl", "-"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stdout("{\"text\":\"Body text.\\n\"}\nnot json\n{\"id\":3}\n{\"text\":\"More.\"}\n")
        .stderr(predicate::str::contains(
            "error: <stdin>: line 2: invalid record: not valid JSON",
        ))
        .stderr(predicate::str::contains(
            "error: <stdin>: line 3: invalid record: no `text` field",
        ));
    cruftless(dir.path())
        .args(["clean", "--jsonl", "-", "--drop-invalid", "-q"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stdout("{\"text\":\"Body text.\\n\"}\n{\"text\":\"More.\"}\n");
}

#[test]
fn jsonl_annotate_adds_the_removals_with_rule_names_and_lines() {
    let dir = with_seeds();
    cruftless(dir.path())
        .args(["clean", "--jsonl", "-", "--field", "body", "--annotate", "-q"])
        .write_stdin("{\"body\":\"Body text.\\nFollow Us:\\n\",\"k\":0}\n")
        .assert()
        .success()
        .stdout("{\"body\":\"Body text.\\n\",\"k\":0,\"cruftless\":{\"removed\":[{\"rule\":\"web-common/follow-us\",\"from\":2,\"to\":2}],\"edited\":[]}}\n");
}

#[test]
fn jsonl_annotate_refuses_a_text_field_named_like_the_annotation() {
    let dir = with_seeds();
    cruftless(dir.path())
        .args([
            "clean",
            "--jsonl",
            "-",
            "--field",
            "cruftless",
            "--annotate",
        ])
        .write_stdin("{\"cruftless\":\"Body text.\\nFollow Us:\\n\"}\n")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "--annotate writes the field `cruftless`, which --field names as the text",
        ));
}

#[test]
fn jsonl_files_gzip_and_zstd_files_are_mirrored_into_out() {
    let dir = with_seeds();
    let (input, expected) = seed_records();
    std::fs::create_dir_all(dir.path().join("corpus/part")).unwrap();
    std::fs::write(dir.path().join("corpus/a.jsonl"), &input).unwrap();
    let gz = std::fs::File::create(dir.path().join("corpus/part/b.jsonl.gz")).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(gz, flate2::Compression::fast());
    encoder.write_all(input.as_bytes()).unwrap();
    encoder.finish().unwrap();
    // a Zstandard file of two frames reads as one stream
    let (first, second) = input.split_at(input.len() / 2);
    let mut zst = zstd::encode_all(first.as_bytes(), 3).unwrap();
    zst.extend(zstd::encode_all(second.as_bytes(), 19).unwrap());
    std::fs::write(dir.path().join("corpus/part/c.jsonl.zst"), zst).unwrap();
    cruftless(dir.path())
        .args(["clean", "--jsonl", "corpus", "-o", "out", "-q"])
        .assert()
        .success();
    for path in ["out/a.jsonl", "out/part/b.jsonl", "out/part/c.jsonl"] {
        assert_eq!(
            String::from_utf8(read(dir.path().join(path))).unwrap(),
            expected.concat(),
            "{path}"
        );
    }
}

#[test]
fn jsonl_a_corrupt_gzip_or_zstd_input_is_reported_and_the_others_are_written() {
    let dir = with_seeds();
    let (input, expected) = seed_records();
    std::fs::create_dir_all(dir.path().join("corpus")).unwrap();
    std::fs::write(dir.path().join("corpus/a.jsonl"), &input).unwrap();
    std::fs::write(
        dir.path().join("corpus/bad.jsonl.gz"),
        b"\x1f\x8b\x08\0garbage",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("corpus/bad.jsonl.zst"),
        b"\x28\xb5\x2f\xfdgarbage",
    )
    .unwrap();
    cruftless(dir.path())
        .args(["clean", "--jsonl", "corpus", "-o", "out", "-q"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("corpus/bad.jsonl.gz: read failed"))
        .stderr(predicate::str::contains(
            "corpus/bad.jsonl.zst: read failed",
        ));
    assert_eq!(
        String::from_utf8(read(dir.path().join("out/a.jsonl"))).unwrap(),
        expected.concat()
    );
}

#[test]
fn jsonl_a_record_with_invalid_utf8_is_reported_and_passed_through_byte_for_byte() {
    let dir = with_seeds();
    let input: &[u8] = b"{\"text\":\"caf\xE9\"}\n{\"text\":\"ok\\nFollow Us:\"}\n";
    cruftless(dir.path())
        .args(["clean", "--jsonl", "-"])
        .write_stdin(input)
        .assert()
        .code(2)
        .stdout(predicate::function(|out: &[u8]| {
            out == b"{\"text\":\"caf\xE9\"}\n{\"text\":\"ok\"}\n"
        }))
        .stderr(predicate::str::contains(
            "error: <stdin>: line 1: invalid record: not valid JSON: invalid unicode code point",
        ));
}

#[test]
fn diff_and_check_review_the_field_of_each_record() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.jsonl"),
        "{\"id\":1,\"text\":\"A sentence of the article that is long enough to keep here.\\n\\nFollow Us:\"}\n{\"id\":2,\"text\":\"Nothing to remove in this record, it is all article text.\"}\n",
    )
    .unwrap();
    let diff = crate::util::cruftless(dir.path())
        .args(["diff", "p.jsonl", "--jsonl", "--no-config", "--exit-code"])
        .output()
        .unwrap();
    assert_eq!(diff.status.code(), Some(1));
    let diff = String::from_utf8(diff.stdout).unwrap();
    assert!(
        diff.contains("--- p.jsonl:1\n") && diff.contains("-Follow Us:"),
        "{diff}"
    );
    assert!(
        !diff.contains("p.jsonl:2"),
        "an unchanged record has no diff"
    );
    crate::util::cruftless(dir.path())
        .args(["check", "p.jsonl", "--jsonl", "--no-config"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "p.jsonl:1:3: web-common/follow-us",
        ));
}

#[test]
fn record_output_flags_are_refused_where_no_records_are_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.jsonl"), "{\"text\":\"a\"}\n").unwrap();
    for command in ["check", "diff", "report"] {
        for flag in ["--annotate", "--drop-invalid"] {
            let mut args = vec![command, "p.jsonl", "--jsonl", flag];
            if command == "report" {
                args.extend(["-o", "r.html"]);
            }
            cruftless(dir.path())
                .args(&args)
                .assert()
                .code(2)
                .stderr(predicate::str::contains(format!(
                    "unexpected argument '{flag}'"
                )));
        }
    }
}

#[test]
fn check_and_diff_of_records_apply_the_packs_clean_applies() {
    // a pack scoped to a folder applies to every record, as `clean --jsonl`
    // applies it, wherever the stream lies
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        "[pack]\nname = \"s\"\npaths = [\"news/**\"]\n[[rule]]\nid = \"x\"\nkind = \"line\"\nmatch = { line = \"Zap me\" }\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("p.jsonl"),
        "{\"text\":\"An article line that is long enough to keep.\\nZap me\\nAnother article line.\"}\n",
    )
    .unwrap();
    let rules = [
        "--no-config",
        "--no-builtin",
        "--rules",
        "s.toml",
        "--jsonl",
    ];
    cruftless(dir.path())
        .args(["clean", "p.jsonl"])
        .args(rules)
        .assert()
        .success()
        .stdout(predicate::str::contains("Zap me").not());
    cruftless(dir.path())
        .args(["check", "p.jsonl"])
        .args(rules)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("p.jsonl:1:2: s/x"));
    cruftless(dir.path())
        .args(["diff", "p.jsonl"])
        .args(rules)
        .assert()
        .stdout(predicate::str::contains("-Zap me"));
}

#[test]
fn check_and_diff_pass_blank_lines_and_name_invalid_records_as_clean_does() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.jsonl"),
        "{\"text\":\"Follow Us:\"}\n\nnot json\n{\"text\":\"An article line.\"}\n",
    )
    .unwrap();
    for command in ["clean", "check", "diff"] {
        let output = cruftless(dir.path())
            .args([command, "p.jsonl", "--jsonl", "--no-config"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{command}: {output:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(
            stderr.contains("p.jsonl: line 3: invalid record: not valid JSON")
                && !stderr.contains("line 2"),
            "{command}: {stderr}"
        );
    }
}
