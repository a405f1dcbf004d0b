//! Helpers: a temp folder with the seeds, and the command.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

pub fn seeds_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds")
}

/// The cruftless binary, run in `dir`, with no project config discovered from the repo.
pub fn cruftless(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("cruftless").unwrap();
    cmd.current_dir(dir);
    cmd
}

/// A temp folder holding `input/` (a copy of the seed inputs).
pub fn with_seeds() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&seeds_dir().join("input"), &dir.path().join("input"));
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

pub fn read(path: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// A file's bytes as text (lossy), for readable assertion failures.
pub fn text(path: impl AsRef<Path>) -> String {
    String::from_utf8_lossy(&read(path)).into_owned()
}

/// A temp folder holding `input/` (the seed inputs) and `rules/` (the
/// fixture packs of `tests/fixtures/rules`), so reports name stable paths.
pub fn with_seeds_and_rules() -> tempfile::TempDir {
    let dir = with_seeds();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules"),
        &dir.path().join("rules"),
    );
    dir
}

/// The flags that select only the seeds' fixture pack.
pub const SEED_RULES: [&str; 4] = ["--no-config", "--no-builtin", "--rules", "rules/seeds.toml"];

pub use crate::common::crlf;

/// Standard output of a finished command, as text.
pub fn stdout(output: &std::process::Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}
