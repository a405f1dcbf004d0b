//! The least a parallel line filter can do, for `scripts/bench.sh` to time
//! beside `cruftless clean`: walk a folder, read each file, drop the lines
//! equal to one of a few literals found by one aho-corasick pass over the
//! file, and write the rest under the output folder, on rayon's threads.
//! No rules, no report, no tidying, no guard: what is left between this and
//! `cruftless clean` is the price of cruftless's own work.
//!
//!   cargo run --release --example floor -- PATTERNS SRC_DIR OUT_DIR

use std::path::{Path, PathBuf};

use aho_corasick::{AhoCorasick, MatchKind};
use rayon::prelude::*;

fn main() -> anyhow::Result<()> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [patterns, src, out] = args.as_slice() else {
        anyhow::bail!("usage: floor PATTERNS SRC_DIR OUT_DIR");
    };
    let patterns = std::fs::read_to_string(patterns)?;
    let literals: Vec<&str> = patterns.lines().filter(|l| !l.is_empty()).collect();
    // Leftmost matching lets aho-corasick search with its vector prefilter.
    let matcher = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(&literals)?;
    let mut files = Vec::new();
    list(src, &mut files)?;
    files.par_iter().try_for_each(|file| -> anyhow::Result<()> {
        let text = std::fs::read(file)?;
        let target = out.join(file.strip_prefix(src)?);
        std::fs::create_dir_all(target.parent().expect("a file has a parent"))?;
        std::fs::write(target, drop_lines(&matcher, &text))?;
        Ok(())
    })
}

/// Every file under `dir`, depth first.
fn list(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            list(&entry.path(), files)?;
        } else {
            files.push(entry.path());
        }
    }
    Ok(())
}

/// `text` without the lines (`\n` or `\r\n` ended) that are one literal.
fn drop_lines(matcher: &AhoCorasick, text: &[u8]) -> Vec<u8> {
    let mut kept = Vec::with_capacity(text.len());
    let mut copied = 0;
    for found in matcher.find_iter(text) {
        let (start, end) = (found.start(), found.end());
        let at_line_start = start == 0 || text[start - 1] == b'\n';
        let line_end = match &text[end..] {
            [b'\r', b'\n', ..] => Some(end + 2),
            [b'\n', ..] => Some(end + 1),
            [] => Some(end),
            _ => None,
        };
        if let (true, Some(line_end)) = (at_line_start && start >= copied, line_end) {
            kept.extend_from_slice(&text[copied..start]);
            copied = line_end;
        }
    }
    kept.extend_from_slice(&text[copied..]);
    kept
}
