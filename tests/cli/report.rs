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
