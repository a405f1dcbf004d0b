//! Filesystem trouble and awkward files from the command line: the batch
//! goes on, the summary names every failed or skipped file with its reason,
//! and the exit code says so. Each test is named for the guarantee it checks.

use predicates::prelude::*;

use crate::util::{cruftless, read, with_seeds};

const SEED: &str = "000_72c77d842ec60381.txt";

/// Names of the files directly in `dir`, sorted.
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_binary_file_is_skipped_reported_and_never_written() {
    let dir = with_seeds();
    std::fs::write(dir.path().join("input/blob.txt"), b"Follow Us:\n\0\x01\x02").unwrap();
    cruftless(dir.path())
        .args(["clean", "input", "-o", "out"])
        .assert()
        .success()
        .stderr(predicate::str::contains("skipped input/blob.txt: binary"));
    assert!(!dir.path().join("out/blob.txt").exists());
    assert_eq!(names(&dir.path().join("out")).len(), 5);
}

#[test]
fn a_file_of_only_cruft_is_left_unchanged_and_reported_unless_forced() {
    let dir = with_seeds();
    let cruft = b"Follow Us:\nAds by Google\n";
    std::fs::write(dir.path().join("input/cruft.txt"), cruft).unwrap();
    cruftless(dir.path())
        .args(["clean", "input", "-o", "out"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "guard: left input/cruft.txt unchanged",
        ));
    assert_eq!(read(dir.path().join("out/cruft.txt")), cruft);
    cruftless(dir.path())
        .args(["clean", "input", "-o", "forced", "--force"])
        .assert()
        .success()
        .stderr(predicate::str::contains("guard:").not());
    assert_eq!(read(dir.path().join("forced/cruft.txt")), b"");
}

#[test]
fn a_symlink_loop_is_reported_and_the_batch_goes_on() {
    let dir = with_seeds();
    std::fs::create_dir(dir.path().join("input/sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("input/sub/up")).unwrap();
    std::os::unix::fs::symlink("self", dir.path().join("input/self")).unwrap();
    cruftless(dir.path())
        .args(["clean", "input", "-o", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("input/sub/up: symbolic link loop"))
        .stderr(predicate::str::contains("input/self:"))
        .stderr(predicate::str::contains("2 documents failed"));
    assert_eq!(names(&dir.path().join("out")).len(), 5);
}

#[test]
fn an_output_folder_that_cannot_be_written_fails_each_document_by_name() {
    let dir = with_seeds();
    std::fs::write(dir.path().join("taken"), "a regular file").unwrap();
    for out in ["taken", "taken/below"] {
        cruftless(dir.path())
            .args(["clean", "input", "-o", out])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(format!(
                "error: {out}/{SEED}: cannot create the folder {out}:"
            )))
            .stderr(predicate::str::contains("5 documents failed"));
    }
    assert_eq!(read(dir.path().join("taken")), b"a regular file");
}

#[test]
fn a_failed_in_place_write_leaves_the_original_and_no_temporary_file() {
    let dir = with_seeds();
    let original = read(dir.path().join("input").join(SEED));
    // the backup of one file cannot be written: a folder is in the way
    std::fs::create_dir(dir.path().join("input").join(format!("{SEED}.bak"))).unwrap();
    cruftless(dir.path())
        .args(["clean", "input", "--in-place", "--backup", ".bak"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!("{SEED}.bak:")))
        .stderr(predicate::str::contains("1 document failed"));
    assert_eq!(read(dir.path().join("input").join(SEED)), original);
    let leftovers: Vec<String> = names(&dir.path().join("input"))
        .into_iter()
        .filter(|n| n.starts_with(".cruftless-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // the other four were rewritten, each with its backup
    assert_eq!(names(&dir.path().join("input")).len(), 10);
}

#[test]
fn a_missing_or_dangling_input_is_reported_and_the_others_are_written() {
    let dir = with_seeds();
    std::os::unix::fs::symlink("/nonexistent/target", dir.path().join("dangling.txt")).unwrap();
    cruftless(dir.path())
        .args(["clean", "input", "gone.txt", "dangling.txt", "-o", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: gone.txt: no such file or folder",
        ))
        .stderr(predicate::str::contains(
            "error: dangling.txt: no such file or folder",
        ))
        .stderr(predicate::str::contains("2 documents failed"));
    assert_eq!(names(&dir.path().join("out/input")).len(), 5);
}
