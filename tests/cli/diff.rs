//! `cruftless diff`: snapshots on the seeds, and every diff applies with
//! `patch -p0` and `git apply -p0` to reproduce `clean`'s output byte for byte.

use std::path::Path;
use std::process::{Command, Stdio};

use predicates::prelude::*;

use crate::util::{
    crlf, cruftless, read, seeds_dir, stdout, with_seeds, with_seeds_and_rules, SEED_RULES,
};

/// `diff` on the seeds with the fixture pack: exit 0 and what it printed.
fn diff_seeds(args: &[&str]) -> String {
    let dir = with_seeds_and_rules();
    let output = cruftless(dir.path())
        .args(args)
        .args(SEED_RULES)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    stdout(&output)
}

#[test]
fn diff_of_the_seeds() {
    insta::assert_snapshot!(diff_seeds(&["diff", "input"]));
}

#[test]
fn diff_stat_of_the_seeds() {
    insta::assert_snapshot!(diff_seeds(&["diff", "--stat", "input"]));
}

#[test]
fn diff_json_has_one_object_per_changed_document_then_a_summary() {
    let lines: Vec<serde_json::Value> = diff_seeds(&["diff", "--format", "json", "input"])
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6);
    assert!(lines[..5].iter().all(|l| l["type"] == "document"));
    let first = &lines[0]["removals"][0];
    assert_eq!(first["rule"], "seeds/repeated-line");
    assert_eq!(first["rule_file"], "rules/seeds.toml");
    assert_eq!(lines[5]["type"], "summary");
    assert_eq!(lines[5]["changed"], 5);
}

/// Runs `tool args` in `dir` with `patch` on stdin; panics with its output on failure.
fn apply(dir: &Path, tool: &str, args: &[&str], patch: &[u8]) {
    let mut child = Command::new(tool)
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        child.stdin.take().unwrap().write_all(patch).unwrap();
    }
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{tool} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Writes `input` as `input/NAME` beside the fixture packs, diffs it,
/// applies the diff with `patch -p0` and with `git apply -p0`, and checks
/// both against what `clean` writes with the same rule flags.
fn check_applies(name: &str, input: &[u8], rule_args: &[&str]) -> Vec<u8> {
    let dir = with_seeds_and_rules();
    let file = format!("input/{name}");
    std::fs::write(dir.path().join(&file), input).unwrap();
    let want = cruftless(dir.path())
        .args(["clean", &file])
        .args(rule_args)
        .output()
        .unwrap()
        .stdout;
    let output = cruftless(dir.path())
        .args(["diff", &file])
        .args(rule_args)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let patch = output.stdout;
    for (tool, args) in [
        ("patch", &["-p0", "--quiet"][..]),
        ("git", &["apply", "-p0", "-"][..]),
    ] {
        std::fs::write(dir.path().join(&file), input).unwrap();
        apply(dir.path(), tool, args, &patch);
        let got = read(dir.path().join(&file));
        assert!(
            got == want,
            "{name}, {tool}: the patched file differs\n--- got\n{}\n--- want\n{}\n--- patch\n{}",
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&want),
            String::from_utf8_lossy(&patch)
        );
    }
    want
}

#[test]
fn each_seed_diff_applies_and_reproduces_the_cleaned_file() {
    for entry in std::fs::read_dir(seeds_dir().join("input")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        let input = read(entry.path());
        let expected = read(seeds_dir().join("expected").join(&name));
        assert!(
            check_applies(&name, &input, &SEED_RULES) == expected,
            "{name}"
        );
        assert!(
            check_applies(&name, &crlf(&input), &SEED_RULES) == crlf(&expected),
            "{name} with \\r\\n"
        );
        // the built-in packs too, whatever they become
        check_applies(&name, &input, &["--no-config"]);
    }
}

#[test]
fn line_endings_final_newlines_and_rewrites_survive_the_patch() {
    let rule_args = [
        "--no-config",
        "--no-builtin",
        "--rules",
        "rules/edits.toml",
        "--force",
    ];
    let cases: &[&[u8]] = &[
        b"a\nX\nb\n",
        b"a\nb\nX",
        b"a\r\nb\r\nX",
        b"a\r\nX\r\nb",
        b"a\n\n\n\nb RR\nX\nc",
        b"\xEF\xBB\xBFX\na\n",
        b"X\nX\n",
        b"RR\nX\n",
        b"mixed\r\nX\nend\r\n",
        b"caf\xE9 X\nX\n\xFF kept\n",
    ];
    for (i, input) in cases.iter().enumerate() {
        check_applies(&format!("case{i}.txt"), input, &rule_args);
    }
}

#[test]
fn paths_with_spaces_quotes_tabs_and_accents_survive_the_patch() {
    let rule_args = ["--no-config", "--no-builtin", "--rules", "rules/edits.toml"];
    for name in [
        "with space.txt",
        "quo\"te.txt",
        "tab\there.txt",
        "back\\slash.txt",
        "a \"b\".txt",
        "\u{e9}t\u{e9} x.txt",
    ] {
        check_applies(name, b"a\nX\nb\n", &rule_args);
    }
}

#[test]
fn stdin_is_named_and_exit_code_reports_a_change() {
    let dir = with_seeds();
    cruftless(dir.path())
        .args(["diff", "-", "--no-config", "--exit-code"])
        .write_stdin("An article line that stays.\n\nFollow Us:\n")
        .assert()
        .code(1)
        .stdout(predicate::str::starts_with("--- <stdin>\n+++ <stdin>\n@@"))
        .stdout(predicate::str::contains("web-common/follow-us"));
    cruftless(dir.path())
        .args(["diff", "-", "--no-config", "--exit-code"])
        .write_stdin("Nothing to remove here.\n")
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = with_seeds();
    let run = |args: &[&str]| {
        cruftless(dir.path())
            .args(["diff", "-", "--no-config"])
            .args(args)
            .write_stdin("Kept line.\nFollow Us:\n")
            .output()
            .unwrap()
    };
    assert!(stdout(&run(&["--color", "always"])).contains("\x1b[31m-Follow Us:"));
    assert!(!stdout(&run(&[])).contains('\x1b'));
    assert!(!stdout(&run(&["--color", "never"])).contains('\x1b'));
}

#[test]
fn a_document_the_guard_stops_has_no_diff_and_is_named() {
    let dir = with_seeds_and_rules();
    cruftless(dir.path())
        .args([
            "diff",
            "input/002_c1e461225eea3004.txt",
            "--no-config",
            "--no-builtin",
        ])
        .args(["--rules", "rules/greedy.toml", "--exit-code"])
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains(
            "guard: left input/002_c1e461225eea3004.txt unchanged",
        ))
        .stderr(predicate::str::contains("greedy/every-line"));
}

#[test]
fn diff_repeated_names_the_site_lines_rule_and_applies_to_what_clean_repeated_writes() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("sites/gazette");
    crate::util::copy_dir(&seeds_dir().join("../repeated/gazette"), &site);
    let flags = ["--repeated", "--no-builtin", "--no-config"];
    cruftless(dir.path())
        .args(["clean", "sites", "-o", "cleaned", "-q"])
        .args(flags)
        .assert()
        .success();
    let output = cruftless(dir.path())
        .args(["diff", "sites"])
        .args(flags)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let patch = stdout(&output);
    assert!(patch.contains("@@ repeated/site-lines"), "{patch}");
    apply(dir.path(), "patch", &["-p0", "--quiet"], patch.as_bytes());
    for n in 1..=10 {
        let name = format!("page-{n:02}.txt");
        assert_eq!(
            read(site.join(&name)),
            read(dir.path().join("cleaned/gazette").join(&name)),
            "{name}"
        );
    }
}

#[test]
fn the_stat_count_names_the_errors_and_broken_rules_print_no_count() {
    let dir = with_seeds_and_rules();
    std::os::unix::fs::symlink(
        dir.path().join("gone.txt"),
        dir.path().join("input/gone.txt"),
    )
    .unwrap();
    let output = cruftless(dir.path())
        .args(["diff", "--stat", "input"])
        .args(SEED_RULES)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stat = stdout(&output);
    assert!(stat.contains("files changed: "), "{stat}");
    assert!(stat.contains(" bytes removed; 1 error\n"), "{stat}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("input/gone.txt"));

    cruftless(dir.path())
        .args(["diff", "--stat", "input", "--no-config", "--no-builtin"])
        .args(["--rules", "rules/broken.toml"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "rules are broken; stopped before any document",
        ));
}
