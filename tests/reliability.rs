//! What cruftless promises about users' data, at the library level: awkward
//! bytes are kept byte for byte, hostile rules neither hang nor eat pages,
//! and filesystem trouble becomes a per-document error while the batch goes
//! on. Each test is named for the guarantee it checks (README, "Guarantees").

use std::io::Write;
use std::path::{Path, PathBuf};

use cruftless::corpus::{self, CleanJob, Destination, Document, Entry, WalkOptions};
use cruftless::rules::Source;
use cruftless::{CleanOptions, Cleaner, RuleSet};

fn builtin() -> RuleSet {
    RuleSet::builtin().unwrap()
}

fn pack(rules: &str) -> RuleSet {
    let text = format!("[pack]\nname = \"t\"\n{rules}");
    RuleSet::from_sources(&[Source::new("t.toml", text)]).unwrap_or_else(|e| panic!("{e}"))
}

fn entry(dir: &Path, name: &str) -> Entry {
    Entry {
        path: dir.join(name),
        rel: PathBuf::from(name),
        out_rel: PathBuf::from(name),
    }
}

#[test]
fn awkward_bytes_are_kept_byte_for_byte() {
    // (what, input, expected output) with the built-in packs
    let cases: &[(&str, &[u8], &[u8])] = &[
        (
            "invalid UTF-8",
            b"\xFF\xFE caf\xE9 ok\nFollow Us:\n",
            b"\xFF\xFE caf\xE9 ok\n",
        ),
        (
            "UTF-8 BOM before a cruft line",
            b"\xEF\xBB\xBFFollow Us:\nText stays.\n",
            b"\xEF\xBB\xBFText stays.\n",
        ),
        (
            "\\r\\n endings",
            b"Text one.\r\nFollow Us:\r\n\r\n\r\nText two.\r\n",
            b"Text one.\r\n\r\nText two.\r\n",
        ),
        (
            "a lone \\r is not a line break",
            b"Text\rFollow Us:\rmore\n",
            b"Text\rFollow Us:\rmore\n",
        ),
        ("no final newline", b"Text.\nFollow Us:", b"Text."),
        ("no final newline, nothing removed", b"Text.", b"Text."),
        ("empty file", b"", b""),
        ("only blank lines", b"\n \n\t\n", b""),
        (
            "NBSP and tabs",
            b"\xC2\xA0Text\t\nFollow Us:\n",
            b"\xC2\xA0Text\t\n",
        ),
    ];
    let rules = builtin();
    let cleaner = Cleaner::new(&rules);
    for (what, input, want) in cases {
        let out = cleaner.clean(input);
        assert_eq!(
            String::from_utf8_lossy(&out.text),
            String::from_utf8_lossy(want),
            "{what}"
        );
        assert_eq!(out.text, *want, "{what}");
    }
}

#[test]
fn a_50_mb_single_line_is_cleaned_whole_not_truncated() {
    let mut doc = b"word ".repeat(10_000_000);
    doc.extend_from_slice(b"\nFollow Us:\n");
    let rules = builtin();
    let out = Cleaner::new(&rules).clean(&doc);
    assert_eq!(out.text.len(), 50_000_001);
    assert_eq!(out.text[..], doc[..50_000_001]);
}

#[test]
fn a_catastrophic_looking_regex_runs_in_linear_time() {
    // `(a+)+$` backtracks exponentially in PCRE; the regex crate is linear,
    // so 100 KB of 'a's (and a line that fails at the end) finish at once.
    let rules = pack(
        "[[rule]]\nid = \"evil\"\nkind = \"line\"\nmatch = { regex = \"^(a+)+$\" }\n\
         [[rule]]\nid = \"evil-b\"\nkind = \"replace\"\npattern = \"(a|aa)+b\"\nwith = \"\"\n",
    );
    let options = CleanOptions {
        guard: None,
        ..CleanOptions::default()
    };
    let cleaner = Cleaner::with_options(&rules, options);
    let mut doc = "a".repeat(100_000).into_bytes();
    doc.extend_from_slice(b"\n");
    doc.extend_from_slice(&"a".repeat(100_000).into_bytes());
    doc.extend_from_slice(b"!\nkept\n");
    let out = cleaner.clean(&doc);
    let mut want = "a".repeat(100_000).into_bytes();
    want.extend_from_slice(b"!\nkept\n");
    assert_eq!(out.text, want);
}

#[test]
fn a_rule_matching_every_line_is_stopped_by_the_guard() {
    let rules = pack("[[rule]]\nid = \"all\"\nkind = \"line\"\nmatch = { regex = \"\" }\n");
    let doc = b"A short page with a few words.\nAnd a second line.\n";
    let out = Cleaner::new(&rules).clean(doc);
    assert_eq!(out.text, doc);
    let trip = out.guard.expect("the guard trips");
    assert_eq!(trip.top_rule.map(|id| rules.name(id)), Some("t/all".into()));
}

#[test]
fn a_file_of_only_cruft_is_kept_by_the_guard_and_emptied_with_force() {
    let rules = builtin();
    let doc = b"Follow Us:\nAds by Google\n";
    let out = Cleaner::new(&rules).clean(doc);
    assert_eq!(out.text, doc);
    assert!(out.guard.is_some());
    let forced = CleanOptions {
        guard: None,
        ..CleanOptions::default()
    };
    assert_eq!(Cleaner::with_options(&rules, forced).clean(doc).text, b"");
}

#[test]
fn a_block_whose_end_never_comes_drops_nothing() {
    let rules = pack(
        "[[rule]]\nid = \"b\"\nkind = \"block\"\nstart = { line = \"Start\" }\nend = { line = \"End\" }\n",
    );
    let doc = b"Start\nthe rest of the article\nstays\n";
    assert_eq!(Cleaner::new(&rules).clean(doc).text, doc);
}

#[test]
fn a_block_rule_without_an_end_key_is_an_error_naming_file_and_line() {
    let text =
        "[pack]\nname = \"t\"\n[[rule]]\nid = \"b\"\nkind = \"block\"\nstart = { line = \"S\" }\n";
    let err = RuleSet::from_sources(&[Source::new("t.toml", text.to_string())]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.toml:3:1: rule `b`: a `block` rule needs `end`"
    );
}

#[test]
fn a_10000_rule_pack_loads_and_cleans() {
    let mut text = String::from("[pack]\nname = \"big\"\n");
    for i in 0..10_000 {
        let matcher = match i % 3 {
            0 => format!("{{ line = \"cruft number {i}\" }}"),
            1 => format!("{{ contains = \"junk {i} here\" }}"),
            _ => format!("{{ regex = \"^noise-{i}-[a-z]+$\" }}"),
        };
        text.push_str(&format!(
            "[[rule]]\nid = \"r{i}\"\nkind = \"line\"\nmatch = {matcher}\n"
        ));
    }
    let rules = RuleSet::from_sources(&[Source::new("big.toml", text)]).unwrap();
    assert_eq!(rules.rules().len(), 10_000);
    let doc = b"A real line of the article stays here.\ncruft number 9999\nsome junk 9997 here\nnoise-9998-abc\nnoise-9998-ABC\n";
    let out = Cleaner::new(&rules).clean(doc);
    assert_eq!(
        out.text,
        b"A real line of the article stays here.\nnoise-9998-ABC\n"
    );
}

#[test]
fn a_syntax_error_at_line_900_names_line_900() {
    let mut lines = vec!["[pack]".to_string(), "name = \"bad\"".to_string()];
    while lines.len() < 899 {
        lines.push(format!("# filler {}", lines.len()));
    }
    lines.push("[[rule]".to_string());
    let text = lines.join("\n") + "\n";
    let err = RuleSet::from_sources(&[Source::new("bad.toml", text)]).unwrap_err();
    assert!(err.to_string().starts_with("bad.toml:900:"), "got: {err}");
}

#[test]
fn a_file_that_vanishes_before_it_is_read_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.txt", "b.txt"] {
        std::fs::write(dir.path().join(name), "Some text.\n").unwrap();
    }
    let (entries, errors) = corpus::walk(&[dir.path().to_path_buf()], &WalkOptions::default());
    assert!(errors.is_empty());
    std::fs::remove_file(dir.path().join("a.txt")).unwrap();

    let err = corpus::read(&entries[0]).unwrap_err();
    assert_eq!(err.path, dir.path().join("a.txt"));
    assert_eq!(err.message, "no such file or folder");
    assert!(matches!(corpus::read(&entries[1]), Ok(Document::Text(_))));

    let rules = builtin();
    let out = tempfile::tempdir().unwrap();
    let job = CleanJob {
        cleaner: Cleaner::new(&rules),
        destination: Destination::Folder(out.path().to_path_buf()),
        threads: 1,
        progress: None,
    };
    let summary = corpus::clean(&entries, &job, &mut std::io::sink());
    assert_eq!(summary.documents, 1);
    assert_eq!(summary.errors, [err]);
    assert!(out.path().join("b.txt").exists());
}

/// A writer that fails every write, as a full disk or a closed pipe would.
struct Failing;

impl Write for Failing {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("no space left on device"))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_write_error_is_reported_per_document_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.txt", "b.txt"] {
        std::fs::write(dir.path().join(name), "Some text.\n").unwrap();
    }
    let entries = vec![entry(dir.path(), "a.txt"), entry(dir.path(), "b.txt")];
    let rules = builtin();
    let job = CleanJob {
        cleaner: Cleaner::new(&rules),
        destination: Destination::Stdout,
        threads: 2,
        progress: None,
    };
    let summary = corpus::clean(&entries, &job, &mut Failing);
    assert!(summary.failed());
    let messages: Vec<String> = summary.errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            format!(
                "{}: cannot write to standard output: no space left on device",
                dir.path().join("a.txt").display()
            ),
            format!(
                "{}: cannot write to standard output: no space left on device",
                dir.path().join("b.txt").display()
            ),
        ]
    );
}

#[test]
fn a_failed_in_place_write_leaves_the_original_and_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.txt");
    std::fs::write(&file, "original\n").unwrap();
    // the backup cannot be written: a folder is in the way
    std::fs::create_dir(dir.path().join("a.txt.bak")).unwrap();
    let err = corpus::replace_file(&file, b"new\n", Some(".bak")).unwrap_err();
    assert!(err.path.ends_with("a.txt.bak"), "{err}");
    assert_eq!(std::fs::read(&file).unwrap(), b"original\n");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["a.txt", "a.txt.bak"]);

    // the rename itself fails: the target is a folder
    let folder = dir.path().join("a.txt.bak");
    assert!(corpus::replace_file(&folder, b"new\n", None).is_err());
    assert!(folder.is_dir());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}
