//! Runs the browser tests (`tests/browser/*.test.mjs`, Node's test runner with
//! playwright-core driving Debian's Chromium) against this build's binary.
//!
//! `.ci/run` installs Chromium and the npm package, so under CI a missing
//! piece fails the test; elsewhere it is skipped with a message saying how to
//! install what is missing.

use std::path::Path;
use std::process::Command;

#[test]
fn the_report_works_in_a_real_browser() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let missing: Vec<&str> = [
        (!Path::new(&chromium).exists()).then_some("chromium (apt-get install chromium)"),
        (!dir.join("node_modules/playwright-core").exists())
            .then_some("playwright-core (npm ci --prefix tests/browser)"),
        Command::new("node")
            .arg("--version")
            .output()
            .is_err()
            .then_some("node"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !missing.is_empty() {
        assert!(
            std::env::var_os("CI").is_none(),
            "browser test needs: {}",
            missing.join(", ")
        );
        eprintln!("skipping the browser test: install {}", missing.join(", "));
        return;
    }
    let output = Command::new("node")
        .arg("--test")
        .arg("report.test.mjs")
        .current_dir(&dir)
        .env("CRUFTLESS_BIN", env!("CARGO_BIN_EXE_cruftless"))
        .env("CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "browser tests failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
