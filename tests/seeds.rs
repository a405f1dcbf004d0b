//! Golden tests: the five seed pages clean to their expected files, byte for
//! byte, with the built-in packs, also with `\r\n` endings and with an
//! invalid UTF-8 byte inside an article line.

use std::path::{Path, PathBuf};

use cruftless::{Cleaner, RuleSet};

mod common;
use common::crlf;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/seeds")
}

fn seeds() -> Vec<(String, Vec<u8>, Vec<u8>)> {
    let mut names: Vec<_> = std::fs::read_dir(fixtures().join("input"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 5);
    names
        .into_iter()
        .map(|name| {
            let input = std::fs::read(fixtures().join("input").join(&name)).unwrap();
            let expected = std::fs::read(fixtures().join("expected").join(&name)).unwrap();
            (name, input, expected)
        })
        .collect()
}

fn check(name: &str, got: &[u8], want: &[u8]) {
    if got != want {
        panic!(
            "{name}: output differs from the expected file\n--- got\n{}\n--- want\n{}",
            String::from_utf8_lossy(got),
            String::from_utf8_lossy(want)
        );
    }
}

#[test]
fn every_seed_cleans_to_its_expected_file() {
    let rules = RuleSet::builtin().unwrap();
    let cleaner = Cleaner::new(&rules);
    for (name, input, expected) in seeds() {
        check(&name, &cleaner.clean(&input).text, &expected);
    }
}

#[test]
fn crlf_seeds_clean_to_the_expected_files_with_crlf() {
    let rules = RuleSet::builtin().unwrap();
    let cleaner = Cleaner::new(&rules);
    for (name, input, expected) in seeds() {
        check(&name, &cleaner.clean(&crlf(&input)).text, &crlf(&expected));
    }
}

#[test]
fn an_invalid_utf8_byte_in_an_article_line_survives() {
    let rules = RuleSet::builtin().unwrap();
    let cleaner = Cleaner::new(&rules);
    let (name, input, expected) = seeds().remove(0);
    let needle = b"Clinical commissioning groups";
    let at = input
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    let at_expected = expected
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap();
    let mut broken = input.clone();
    broken.insert(at, 0xFF);
    let mut want = expected.clone();
    want.insert(at_expected, 0xFF);
    check(&name, &cleaner.clean(&broken).text, &want);
}
