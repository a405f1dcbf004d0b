//! `cruftless report`.

use predicates::prelude::*;

use crate::util::{cruftless, with_seeds};

#[test]
fn report_writes_one_self_contained_page() {
    let dir = with_seeds();
    cruftless(dir.path())
        .args([
            "report",
            "input",
            "-o",
            "report.html",
            "--no-config",
            "--sample",
            "2",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("wrote report.html: 5 documents"));
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("register-prompt"));
    assert!(
        !html.contains("<link") && !html.contains("src=\"http"),
        "no external resources"
    );
}

#[test]
fn report_names_unreadable_inputs_and_exits_2() {
    let dir = with_seeds();
    std::os::unix::fs::symlink("/nonexistent", dir.path().join("input/zz.txt")).unwrap();
    cruftless(dir.path())
        .args(["report", "input", "-o", "report.html", "--no-config"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("zz.txt"));
    assert!(dir.path().join("report.html").exists());
}

#[test]
fn report_with_repeated_names_the_site_lines_rule() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("sites/gazette");
    crate::util::copy_dir(&crate::util::seeds_dir().join("../repeated/gazette"), &site);
    cruftless(dir.path())
        .args([
            "report",
            "sites",
            "-o",
            "report.html",
            "--no-config",
            "--repeated",
        ])
        .assert()
        .success();
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(
        html.contains("repeated&#x2f;site-lines"),
        "the repeated rule has a row"
    );
}

#[test]
fn report_reads_json_lines_records_as_documents() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pages.jsonl"),
        "{\"id\":1,\"text\":\"A sentence of the article that is long enough to keep here.\\n\\nFollow Us:\"}\n{\"id\":2}\n",
    )
    .unwrap();
    cruftless(dir.path())
        .args([
            "report",
            "pages.jsonl",
            "-o",
            "report.html",
            "--no-config",
            "--jsonl",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "pages.jsonl: line 2: invalid record",
        ))
        .stderr(predicate::str::contains("wrote report.html: 1 documents"));
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert!(html.contains("pages.jsonl:1"));
    assert!(html.contains("follow-us"));
}
