//! `cruftless clean`.

use predicates::prelude::*;

use crate::util::{cruftless, read, seeds_dir, text, with_seeds};

const SEED: &str = "000_72c77d842ec60381.txt";

#[test]
fn a_single_file_goes_to_stdout() {
    let dir = with_seeds();
    let expected = read(seeds_dir().join("expected").join(SEED));
    cruftless(dir.path())
        .args(["clean", &format!("input/{SEED}")])
        .assert()
        .success()
        .stdout(predicate::function(|out: &[u8]| out == expected.as_slice()));
}

#[test]
fn stdin_goes_to_stdout() {
    let dir = with_seeds();
    let expected = read(seeds_dir().join("expected").join(SEED));
    cruftless(dir.path())
        .args(["clean", "-"])
        .write_stdin(read(dir.path().join("input").join(SEED)))
        .assert()
        .success()
        .stdout(predicate::function(|out: &[u8]| out == expected.as_slice()));
}

#[test]
fn a_folder_is_mirrored_into_out_with_a_summary() {
    let dir = with_seeds();
    cruftless(dir.path())
        .args(["clean", "input", "-o", "out"])
        .assert()
        .success()
        .stderr(predicate::str::contains("cleaned 5 documents (5 changed)"))
        .stderr(predicate::str::contains("web-common/register-prompt"));
    for entry in std::fs::read_dir(seeds_dir().join("expected")).unwrap() {
        let entry = entry.unwrap();
        assert_eq!(
            text(dir.path().join("out").join(entry.file_name())),
            text(entry.path())
        );
    }
    // originals untouched
    assert_eq!(
        read(dir.path().join("input").join(SEED)),
        read(seeds_dir().join("input").join(SEED))
    );
}

#[test]
fn the_summary_counts_in_aligned_columns_with_singulars() {
    let dir = with_seeds();
    let output = cruftless(dir.path())
        .args(["clean", "input", "-o", "out"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let rows: Vec<&str> = stderr.lines().filter(|l| l.starts_with("  ")).collect();
    assert!(rows.len() > 3, "{stderr}");
    // one ad label on one page: singular words, not "1 documents" or "1 lines"
    let ad = rows
        .iter()
        .find(|r| r.contains("web-common/ad-labels"))
        .unwrap();
    assert!(ad.ends_with(" 1 document          1 line"), "{ad}");
    // the numbers end in the same columns whatever the plural
    let column = |row: &str, word: &str| row.find(word).unwrap();
    for row in &rows {
        assert_eq!(
            column(row, " document"),
            column(rows[0], " document"),
            "{stderr}"
        );
        assert_eq!(column(row, " line"), column(rows[0], " line"), "{stderr}");
    }
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let dir = with_seeds();
    for (threads, out) in [("1", "out1"), ("8", "out8")] {
        cruftless(dir.path())
            .args(["clean", "input", "-o", out, "-j", threads, "-q"])
            .assert()
            .success();
    }
    for entry in std::fs::read_dir(dir.path().join("out1")).unwrap() {
        let entry = entry.unwrap();
        assert_eq!(
            read(entry.path()),
            read(dir.path().join("out8").join(entry.file_name()))
        );
    }
}

#[test]
fn an_output_folder_inside_the_input_is_refused() {
    let dir = with_seeds();
    cruftless(dir.path())
        .args(["clean", "input", "-o", "input/cleaned"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("inside the input"));
    assert!(!dir.path().join("input/cleaned").exists());
}

#[test]
fn a_folder_without_a_destination_is_refused() {
    let dir = with_seeds();
    cruftless(dir.path())
        .args(["clean", "input"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("-o OUT"));
}

#[test]
fn a_bad_rule_file_exits_2_naming_file_line_and_column() {
    let dir = with_seeds();
    std::fs::write(
        dir.path().join("bad.toml"),
        "[pack]\nname = \"bad\"\n\n[[rule]]\nid = \"x\"\nkind = \"line\"\nmatch = { regex = \"(unclosed\" }\n",
    )
    .unwrap();
    cruftless(dir.path())
        .args(["clean", "input", "-o", "out", "--rules", "bad.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "bad.toml:7:19: bad regex `(unclosed`",
        ))
        .stderr(predicate::str::contains("nothing was cleaned"));
    assert!(!dir.path().join("out").exists());
}

#[test]
fn an_unreadable_file_is_reported_and_the_others_are_written() {
    use std::os::unix::fs::PermissionsExt;
    let dir = with_seeds();
    let locked = dir.path().join("input").join(SEED);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        // running as root: permissions do not stop reads; use a dangling symlink instead
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::remove_file(&locked).unwrap();
        std::os::unix::fs::symlink("/nonexistent/target", &locked).unwrap();
    }
    cruftless(dir.path())
        .args(["clean", "input", "-o", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(SEED))
        .stderr(predicate::str::contains("1 document failed"));
    let written = std::fs::read_dir(dir.path().join("out")).unwrap().count();
    assert_eq!(written, 4);
}

#[test]
fn in_place_rewrites_changed_files_and_keeps_backups() {
    let dir = with_seeds();
    cruftless(dir.path())
        .args(["clean", "input", "--in-place", "--backup", ".orig", "-q"])
        .assert()
        .success();
    assert_eq!(
        text(dir.path().join("input").join(SEED)),
        text(seeds_dir().join("expected").join(SEED))
    );
    assert_eq!(
        read(dir.path().join("input").join(format!("{SEED}.orig"))),
        read(seeds_dir().join("input").join(SEED))
    );
}

#[test]
fn project_rules_are_discovered_and_can_be_turned_off() {
    let dir = with_seeds();
    std::fs::write(
        dir.path().join("cruftless.toml"),
        "[pack]\nname = \"mine\"\n[[rule]]\nid = \"title\"\nkind = \"line\"\nmatch = { contains = \"CCGs should only\" }\n",
    )
    .unwrap();
    let file = format!("input/{SEED}");
    cruftless(dir.path())
        .args(["clean", &file])
        .assert()
        .success()
        .stdout(predicate::str::contains("CCGs should only").not());
    cruftless(dir.path())
        .args(["clean", &file, "--no-config"])
        .assert()
        .success()
        .stdout(predicate::str::contains("CCGs should only"));
    cruftless(dir.path())
        .args(["clean", &file, "--no-builtin"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Have you registered"));
}
