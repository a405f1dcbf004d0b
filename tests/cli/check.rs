//! `cruftless check`: exit codes, `--max-removed`, and every format
//! (snapshots of `github` and `json`; SARIF validated against the official
//! SARIF 2.1.0 schema in `tests/fixtures/sarif`).

use std::path::Path;

use predicates::prelude::*;

use crate::util::{cruftless, seeds_dir, stdout, with_seeds_and_rules, SEED_RULES};

/// `check` on the seeds with the fixture pack: exit 1 and what it printed.
fn check_seeds(args: &[&str]) -> String {
    let dir = with_seeds_and_rules();
    let output = cruftless(dir.path())
        .args(args)
        .args(SEED_RULES)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    stdout(&output)
}

#[test]
fn check_github_on_the_seeds() {
    insta::assert_snapshot!(check_seeds(&["check", "input", "--format", "github"]));
}

#[test]
fn check_human_on_the_seeds() {
    insta::assert_snapshot!(check_seeds(&["check", "input"]));
}

#[test]
fn check_json_on_the_seeds() {
    insta::assert_snapshot!(check_seeds(&["check", "input", "--format", "json"]));
}

#[test]
fn exit_1_on_the_seeds_0_on_the_cleaned_seeds() {
    let dir = with_seeds_and_rules();
    crate::util::copy_dir(&seeds_dir().join("expected"), &dir.path().join("cleaned"));
    for rules in [&SEED_RULES[..], &["--no-config"]] {
        cruftless(dir.path())
            .args(["check", "input"])
            .args(rules)
            .assert()
            .code(1)
            .stdout(predicate::str::contains(
                "input/000_72c77d842ec60381.txt:28-35: ",
            ))
            .stdout(predicate::str::contains("in 5 of 5 documents"));
        cruftless(dir.path())
            .args(["check", "cleaned"])
            .args(rules)
            .assert()
            .code(0)
            .stdout("All clean: nothing to remove in 5 documents.\n");
    }
}

#[test]
fn a_broken_rule_file_is_exit_2_in_every_format() {
    let dir = with_seeds_and_rules();
    let broken = [
        "--no-config",
        "--no-builtin",
        "--rules",
        "rules/broken.toml",
    ];
    for format in ["human", "json", "github", "sarif"] {
        let assert = cruftless(dir.path())
            .args(["check", "input", "--format", format])
            .args(broken)
            .assert()
            .code(2);
        let output = assert.get_output();
        let all = format!(
            "{}{}",
            stdout(output),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(all.contains("rules/broken.toml"), "{format}: {all}");
        assert!(all.contains("unknown field `kin`"), "{format}: {all}");
        // github's annotations on stdout are all it prints
        assert_eq!(
            all.contains("rules are broken; stopped before any document"),
            format != "github",
            "{format}: {all}"
        );
        if format == "human" {
            // no closing count: nothing was counted
            assert_eq!(stdout(output), "", "{format}");
        }
    }
    cruftless(dir.path())
        .args(["check", "input", "--format", "github"])
        .args(broken)
        .assert()
        .stdout(predicate::str::starts_with(
            "::error file=rules/broken.toml,line=7,col=1,title=cruftless::unknown field `kin`",
        ));
}

#[test]
fn an_unreadable_input_is_an_error_entry_and_exit_2() {
    let dir = with_seeds_and_rules();
    let output = cruftless(dir.path())
        .args(["check", "input", "missing.txt", "--format", "json"])
        .args(SEED_RULES)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let first: serde_json::Value =
        serde_json::from_str(stdout(&output).lines().next().unwrap()).unwrap();
    assert_eq!(first["type"], "error");
    assert_eq!(first["path"], "missing.txt");
    // the other documents are still checked
    assert_eq!(stdout(&output).matches("\"type\":\"document\"").count(), 5);
    assert!(String::from_utf8_lossy(&output.stderr).contains("error: missing.txt"));
}

#[test]
fn max_removed_trips_on_a_greedy_rule_and_names_it() {
    let dir = with_seeds_and_rules();
    let greedy = [
        "--no-config",
        "--no-builtin",
        "--rules",
        "rules/greedy.toml",
    ];
    cruftless(dir.path())
        .args(["check", "input/002_c1e461225eea3004.txt", "--max-removed", "0.6"])
        .args(greedy)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "input/002_c1e461225eea3004.txt: over --max-removed 0.6: cleaning would remove 100 % of its text; most removed by greedy/every-line",
        ))
        .stdout(predicate::str::contains("1 document over --max-removed"));
    cruftless(dir.path())
        .args([
            "check",
            "input/002_c1e461225eea3004.txt",
            "--max-removed",
            "0.6",
        ])
        .args(["--format", "github"])
        .args(greedy)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            "::error file=input/002_c1e461225eea3004.txt,line=1,title=cruftless/max-removed::",
        ));
    // the seeds' own rules stay under the limit
    cruftless(dir.path())
        .args(["check", "input", "--max-removed", "0.6"])
        .args(SEED_RULES)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("over --max-removed").not());
    // with --min-kept, the test is clean's guard: a page keeping enough words passes
    cruftless(dir.path())
        .args(["check", "input", "--max-removed", "0.6", "--min-kept", "0"])
        .args(greedy)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("over --max-removed").not());
}

#[test]
fn statistics_print_one_line_per_rule() {
    let dir = with_seeds_and_rules();
    cruftless(dir.path())
        .args(["check", "input", "--statistics"])
        .args(SEED_RULES)
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with(
            " lines  documents  rule\n    37          1  seeds/just-published\n    24          3  seeds/register-prompt\n",
        ))
        .stdout(predicate::str::contains("tidy").not());
}

/// Validates a SARIF log against the official SARIF 2.1.0 JSON schema.
fn validate_sarif(log: &serde_json::Value) {
    let schema =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sarif/sarif-schema-2.1.0.json");
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    let index = compiler
        .compile(schema.to_str().unwrap(), &mut schemas)
        .unwrap();
    if let Err(err) = schemas.validate(log, index) {
        panic!("invalid SARIF: {err:#}\n{log:#}");
    }
}

fn sarif(dir: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let output = cruftless(dir)
        .args(["check", "--format", "sarif"])
        .args(args)
        .output()
        .unwrap();
    let log = serde_json::from_slice(&output.stdout).unwrap();
    (output.status.code(), log)
}

#[test]
fn sarif_is_valid_and_points_at_the_removed_lines() {
    let dir = with_seeds_and_rules();
    let mut args = vec!["input"];
    args.extend(SEED_RULES);
    let (code, log) = sarif(dir.path(), &args);
    assert_eq!(code, Some(1));
    validate_sarif(&log);
    let run = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run["tool"]["driver"]["name"], "cruftless");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 17);
    let register = results
        .iter()
        .find(|r| r["ruleId"] == "seeds/register-prompt")
        .unwrap();
    let location = &register["locations"][0]["physicalLocation"];
    assert_eq!(
        location["artifactLocation"]["uri"],
        "input/000_72c77d842ec60381.txt"
    );
    assert_eq!(location["region"]["startLine"], 28);
    assert_eq!(location["region"]["endLine"], 35);
    let index = register["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        run["tool"]["driver"]["rules"][index]["id"],
        "seeds/register-prompt"
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn sarif_reports_limits_and_errors_and_stays_valid() {
    let dir = with_seeds_and_rules();
    std::fs::copy(
        dir.path().join("input/002_c1e461225eea3004.txt"),
        dir.path().join("input/with space é.txt"),
    )
    .unwrap();
    let greedy = [
        "input",
        "missing.txt",
        "--max-removed",
        "0.6",
        "--no-config",
        "--no-builtin",
        "--rules",
        "rules/greedy.toml",
    ];
    let (code, log) = sarif(dir.path(), &greedy);
    assert_eq!(code, Some(2));
    validate_sarif(&log);
    let run = &log["runs"][0];
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes[0]["message"]["text"], "no such file or folder");
    let limits: Vec<&serde_json::Value> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["ruleId"] == "cruftless/max-removed")
        .collect();
    assert_eq!(limits.len(), 6);
    assert!(limits[0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("most removed by greedy/every-line"));
    assert!(log.to_string().contains("input/with%20space%20%C3%A9.txt"));

    let (code, log) = sarif(
        dir.path(),
        &[
            "input",
            "--no-config",
            "--no-builtin",
            "--rules",
            "rules/broken.toml",
        ],
    );
    assert_eq!(code, Some(2));
    validate_sarif(&log);
    let note = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert_eq!(
        note["locations"][0]["physicalLocation"]["region"]["startLine"],
        7
    );
}

#[test]
fn reports_are_the_same_whatever_the_thread_count() {
    let dir = with_seeds_and_rules();
    for command in [&["check", "--format", "json"][..], &["diff"]] {
        let run = |threads: &str| {
            cruftless(dir.path())
                .args(command)
                .args(["input", "--no-config", "-j", threads])
                .output()
                .unwrap()
                .stdout
        };
        assert_eq!(run("1"), run("8"), "{command:?}");
    }
}

#[test]
fn a_binary_file_is_skipped_and_said_so() {
    let dir = with_seeds_and_rules();
    std::fs::write(dir.path().join("input/image.bin"), b"GIF\0\x01").unwrap();
    let output = cruftless(dir.path())
        .args(["check", "input", "--format", "json"])
        .args(SEED_RULES)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output)
        .contains(r#"{"type":"skipped","path":"input/image.bin","reason":"binary"}"#));
    assert!(String::from_utf8_lossy(&output.stderr).contains("skipped input/image.bin"));
}

#[test]
fn check_repeated_finds_what_the_site_repeats_from_counts_made_now_or_saved() {
    let dir = tempfile::tempdir().unwrap();
    crate::util::copy_dir(
        &seeds_dir().join("../repeated/gazette"),
        &dir.path().join("sites/gazette"),
    );
    let check = |args: &[&str]| {
        cruftless(dir.path())
            .args(["check", "sites", "--no-config"])
            .args(args)
            .output()
            .unwrap()
    };
    let plain = check(&[]);
    assert!(!stdout(&plain).contains("repeated/site-lines"));
    let counted = check(&["--repeated", "--save-counts", "counts.json"]);
    assert_eq!(counted.status.code(), Some(1));
    let found = stdout(&counted);
    assert!(found.contains("sites/gazette/page-01.txt:1: repeated/site-lines: "));
    assert!(found.len() > stdout(&plain).len());
    let saved = check(&["--repeated", "--counts", "counts.json"]);
    assert_eq!(stdout(&saved), found);
    assert!(!String::from_utf8_lossy(&saved.stderr).contains("warning"));
    // the documents keep the groups they were counted in: the same
    // --group-by is welcome, another one is an error
    let same = check(&[
        "--repeated",
        "--counts",
        "counts.json",
        "--group-by",
        "parent",
    ]);
    assert_eq!(stdout(&same), found);
    let other = check(&[
        "--repeated",
        "--counts",
        "counts.json",
        "--group-by",
        "none",
    ]);
    assert_eq!(other.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&other.stderr).contains(
        "counts.json holds counts grouped by `parent`, and its documents keep those groups"
    ));
    // the same pages under another folder name are not in those counts: said so
    crate::util::copy_dir(
        &seeds_dir().join("../repeated/gazette"),
        &dir.path().join("sites/renamed"),
    );
    cruftless(dir.path())
        .args(["check", "sites/renamed", "--no-config", "--repeated"])
        .args(["--counts", "counts.json"])
        .assert()
        .stderr(predicate::str::contains(
            "warning: 10 of 10 documents are not in counts.json",
        ));
}

#[test]
fn a_counting_pass_that_cannot_run_is_an_error_in_the_report_too() {
    let dir = tempfile::tempdir().unwrap();
    // records on standard input cannot be counted and then read again
    let output = cruftless(dir.path())
        .args(["check", "--jsonl", "-", "--repeated", "--format", "sarif"])
        .arg("--no-config")
        .write_stdin("{\"text\":\"Sign in\"}\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let log: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    validate_sarif(&log);
    let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"].to_string();
    assert!(
        notes.contains("standard input can be read only once"),
        "{log:#}"
    );
    // counts for `repeated` rules when none is loaded
    cruftless(dir.path())
        .args(["diff", "-", "--counts", "counts.json", "--no-config"])
        .write_stdin("Sign in\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("none is loaded (add --repeated)"));
}

#[cfg(unix)]
#[test]
fn the_closing_count_names_the_errors_and_does_not_say_all_clean() {
    let dir = tempfile::tempdir().unwrap();
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    std::fs::write(pages.join("a.txt"), "A line of the article.\n").unwrap();
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), pages.join("b.txt")).unwrap();
    cruftless(dir.path())
        .args(["check", "pages", "--no-config"])
        .assert()
        .code(2)
        .stdout("Nothing to remove in 1 document; 1 error.\n")
        .stderr(predicate::str::contains("pages/b.txt"));
}
