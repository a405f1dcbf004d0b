//! `cruftless learn` and `clean --repeated`.

use std::path::Path;

use predicates::prelude::*;

use crate::util::{copy_dir, cruftless, text, with_seeds};

/// A temp folder holding `gazette/`: ten pages of one site with a shared
/// menu and footer (pages 2 and 5 quote the same sentence; pages 9 and 10
/// carry the same article).
fn with_gazette() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/repeated/gazette");
    copy_dir(&fixture, &dir.path().join("gazette"));
    dir
}

const MENU_AND_FOOTER: &[&str] = &[
    "Example Gazette",
    "Home",
    "News | Sport | Business | Weather",
    "Subscribe",
    "Sign in",
    "Share this article",
    "Follow us on social media",
    "© 2024 Example Gazette Ltd. All rights reserved.",
    "Privacy policy | Terms of use | Contact us",
];

/// The non-blank lines of a page that are neither menu nor footer.
fn article_lines(page: &str) -> Vec<String> {
    page.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !MENU_AND_FOOTER.contains(l))
        .map(String::from)
        .collect()
}

#[test]
fn learn_on_the_seeds_proposes_their_cruft() {
    let dir = with_seeds();
    cruftless(dir.path())
        .args(["learn", "input", "--write", "learned.toml"])
        .assert()
        .success();
    let pack = text(dir.path().join("learned.toml"));
    for line in [
        "start = { line = \"Have you registered with us yet?\" }",
        "match = { line = \"Follow Us:\" }",
        "match = { line = \"This site is intended for health professionals only\" }",
        "why = \"repeated in 3 of 5 documents (60 %)\"",
        "# e.g. 000_72c77d842ec60381.txt, 001_d494a5a9fefcb471.txt",
    ] {
        assert!(pack.contains(line), "missing {line:?} in\n{pack}");
    }
    // the written pack loads and passes its own examples
    let rules = cruftless::RuleSet::from_path(&dir.path().join("learned.toml")).unwrap();
    let report = cruftless::verify::examples(&rules);
    assert!(report.failures.is_empty(), "{:?}", report.failures);
    assert!(report.checked >= 6);
    // heaviest first: the registration block removes the most text
    let block = pack.find("Have you registered").unwrap();
    assert!(block < pack.find("Follow Us:").unwrap());
}

#[test]
fn clean_repeated_removes_menu_and_footer_and_keeps_every_article_line() {
    let dir = with_gazette();
    cruftless(dir.path())
        .args([
            "clean",
            "gazette",
            "-o",
            "out",
            "--repeated",
            "--no-builtin",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains("repeated/site-lines"));
    for n in 1..=10 {
        let name = format!("page-{n:02}.txt");
        let input = text(dir.path().join("gazette").join(&name));
        let output = text(dir.path().join("out").join(&name));
        for cruft in MENU_AND_FOOTER {
            assert!(!output.contains(cruft), "{name} keeps {cruft:?}:\n{output}");
        }
        let kept = article_lines(&output);
        let mut want = article_lines(&input);
        if n >= 9 {
            // the two copies of one article share their short headline, which
            // goes as a repeat; every sentence stays in both
            want.remove(0);
        }
        assert_eq!(kept, want, "{name}");
    }
    // the quote that pages 2 and 5 share survives in both
    for name in ["page-02.txt", "page-05.txt"] {
        assert!(text(dir.path().join("out").join(name)).contains("the mayor told the meeting"));
    }
}

#[test]
fn clean_repeated_judges_each_input_by_its_own_lines_when_two_share_a_path() {
    // two crawls of one site: `site/p.txt` is in both, with other text and
    // as many lines (enough for the counting pass to keep their
    // fingerprints); "Sign in" is on every other page of the site
    let dir = tempfile::tempdir().unwrap();
    let lines = |first: &str, name: &str| -> String {
        let rest: String = (1..=8).map(|n| format!("{name} line {n}.\n")).collect();
        format!("{first}\n{rest}")
    };
    let monday = lines("Alpha story here.", "Monday");
    let tuesday = lines("Sign in", "Tuesday");
    let pages = [("mon/site/p.txt", &monday), ("tue/site/p.txt", &tuesday)];
    for (path, body) in pages {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body).unwrap();
    }
    for crawl in ["mon", "tue"] {
        for n in 1..=3 {
            let page = dir.path().join(format!("{crawl}/site/q{n}.txt"));
            std::fs::write(page, format!("Sign in\nStory {crawl} {n}.\n")).unwrap();
        }
    }
    cruftless(dir.path())
        .args([
            "clean",
            "mon",
            "tue",
            "-o",
            "out",
            "--repeated",
            "--no-builtin",
        ])
        .assert()
        .success();
    assert_eq!(text(dir.path().join("out/mon/site/p.txt")), monday);
    let tuesday_kept = tuesday.strip_prefix("Sign in\n").unwrap();
    assert_eq!(text(dir.path().join("out/tue/site/p.txt")), tuesday_kept);
}

#[test]
fn a_byte_order_mark_changes_nothing_that_clean_repeated_removes() {
    let dir = with_gazette();
    copy_dir(&dir.path().join("gazette"), &dir.path().join("bom/gazette"));
    for n in 1..=10 {
        let page = dir.path().join(format!("bom/gazette/page-{n:02}.txt"));
        let text = std::fs::read(&page).unwrap();
        std::fs::write(&page, [&b"\xEF\xBB\xBF"[..], &text].concat()).unwrap();
    }
    for (input, output) in [("gazette", "out"), ("bom/gazette", "out-bom")] {
        cruftless(dir.path())
            .args(["clean", input, "-o", output, "--repeated", "--no-builtin"])
            .assert()
            .success();
    }
    for n in 1..=10 {
        let name = format!("page-{n:02}.txt");
        let plain = std::fs::read(dir.path().join("out").join(&name)).unwrap();
        let bom = std::fs::read(dir.path().join("out-bom").join(&name)).unwrap();
        // the first line, the site's name, goes from every page all the same
        assert!(!text(dir.path().join("out").join(&name)).contains("Example Gazette"));
        assert_eq!(bom, [&b"\xEF\xBB\xBF"[..], &plain].concat(), "{name}");
    }
    // and learning proposes the same rules, the site's name without the mark
    for (input, pack) in [("gazette", "plain.toml"), ("bom/gazette", "bom.toml")] {
        cruftless(dir.path())
            .args(["learn", input, "--write", pack])
            .assert()
            .success();
    }
    let pack = text(dir.path().join("bom.toml"));
    assert!(pack.contains("line = \"Example Gazette\""), "{pack}");
    assert_eq!(pack, text(dir.path().join("plain.toml")));
}

#[test]
fn keep_first_keeps_the_first_copy_whatever_the_thread_count() {
    let dir = with_gazette();
    std::fs::write(
        dir.path().join("keep-first.toml"),
        "[pack]\nname = \"dedup\"\n[[rule]]\nid = \"lines\"\nkind = \"repeated\"\ndrop = \"keep-first\"\nexamples.keep = [\"A line\"]\n",
    )
    .unwrap();
    for threads in ["1", "8"] {
        cruftless(dir.path())
            .args([
                "clean",
                "gazette",
                "-o",
                &format!("out-{threads}"),
                "--no-builtin",
            ])
            .args(["--rules", "keep-first.toml", "-j", threads])
            .assert()
            .success();
    }
    for n in 1..=10 {
        let name = format!("page-{n:02}.txt");
        let one = text(dir.path().join("out-1").join(&name));
        assert_eq!(one, text(dir.path().join("out-8").join(&name)), "{name}");
        // the first page keeps the menu, the others lose it
        assert_eq!(one.contains("Subscribe"), n == 1, "{name}");
    }
}

#[test]
fn counts_saved_by_clean_repeated_are_the_counts_learn_saves() {
    // `clean --repeated` counts lines only, unless it saves the counts:
    // then they must hold the pairs that `learn` chains into blocks
    let dir = with_gazette();
    let root = dir.path();
    cruftless(root)
        .args([
            "learn",
            "gazette",
            "--fold-digits",
            "--save-counts",
            "learned.json",
        ])
        .assert()
        .success();
    cruftless(root)
        .args(["clean", "gazette", "-o", "out", "--repeated", "-q"])
        .args(["--save-counts", "cleaned.json"])
        .assert()
        .success();
    let learned = text(root.join("learned.json"));
    assert!(
        learned.contains("\"pairs\":[["),
        "no pairs counted: {learned}"
    );
    assert_eq!(text(root.join("cleaned.json")), learned);
}

#[test]
fn counts_saved_per_shard_and_merged_clean_like_counting_the_whole() {
    let dir = with_gazette();
    let root = dir.path();
    std::fs::create_dir_all(root.join("shard-a/gazette")).unwrap();
    std::fs::create_dir_all(root.join("shard-b/gazette")).unwrap();
    for n in 1..=10 {
        let name = format!("page-{n:02}.txt");
        let shard = if n % 2 == 0 { "shard-a" } else { "shard-b" };
        let page = root.join("gazette").join(&name);
        std::fs::copy(&page, root.join(shard).join("gazette").join(&name)).unwrap();
    }
    for shard in ["shard-a", "shard-b"] {
        cruftless(root)
            .args([
                "learn",
                shard,
                "--fold-digits",
                "--save-counts",
                &format!("{shard}.json"),
            ])
            .assert()
            .success();
    }
    cruftless(root)
        .args([
            "learn",
            "--merge",
            "shard-a.json",
            "shard-b.json",
            "--write",
            "all.json",
        ])
        .assert()
        .success();
    // counts are keyed by paths relative to the input: clean the folder that holds `gazette/`
    copy_dir(&root.join("gazette"), &root.join("corpus/gazette"));
    cruftless(root)
        .args([
            "clean",
            "corpus",
            "-o",
            "merged",
            "--repeated",
            "--no-builtin",
        ])
        .args(["--counts", "all.json"])
        .assert()
        .success();
    cruftless(root)
        .args([
            "clean",
            "corpus",
            "-o",
            "counted",
            "--repeated",
            "--no-builtin",
        ])
        .assert()
        .success();
    for n in 1..=10 {
        let name = format!("gazette/page-{n:02}.txt");
        let merged = text(root.join("merged").join(&name));
        assert_eq!(merged, text(root.join("counted").join(&name)), "{name}");
        assert!(!merged.contains("Subscribe"), "{name}");
    }
}

#[test]
fn clean_repeated_on_standard_input_reads_it_once() {
    let dir = with_gazette();
    // alone, the page has no site: it passes through, and a warning says why
    cruftless(dir.path())
        .args(["clean", "-", "--repeated", "--no-builtin"])
        .write_stdin("Home\nA line of the article.\n")
        .assert()
        .success()
        .stdout("Home\nA line of the article.\n")
        .stderr(predicates::str::contains(
            "the page on standard input has no other page of its site here",
        ));
    // beside its site's pages (the folder's top level, as `-` is), the
    // counted pages' repeats go from it too, and there is no warning
    cruftless(dir.path())
        .args(["check", "gazette", "-", "--repeated", "--no-builtin"])
        .write_stdin("Home\nA line of the article.\n")
        .assert()
        .code(1)
        .stdout(predicates::str::contains("<stdin>:1: repeated/site-lines"))
        .stderr(predicates::str::contains("warning").not());
}
