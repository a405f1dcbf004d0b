//! `cruftless learn`: candidate rules from what a corpus repeats, and
//! counting or merging counts for corpora split over many machines.

use std::io::Write;
use std::path::Path;

use anyhow::{bail, Context, Result};

use cruftless::corpus::jsonl::{self, JsonlOptions};
use cruftless::engine::repeated::Thresholds;
use cruftless::learn::{self, Counts, Grouping};
use cruftless::rules::Source;
use cruftless::text::Normalize;
use cruftless::RuleSet;

use super::args::{CountingArgs, LearnArgs};
use super::ExitStatus;

pub fn run(args: &LearnArgs) -> Result<ExitStatus> {
    if args.merge {
        return merge(args);
    }
    let walk = super::review::walk_options(&args.walk);
    let (mut entries, walk_errors) = cruftless::corpus::walk(&args.paths, &walk);
    let normalize = normalize(&args.counting);
    let thresholds = Thresholds {
        min_docs: args.min_docs as usize,
        min_share: args.min_share,
    };
    let threads = args.run.threads;
    // records are read twice (counts, then example lines): standard input too
    let _spooled = if args.jsonl {
        jsonl::spool_stdin(&mut entries)
            .context("cannot copy standard input to a temporary file")?
    } else {
        None
    };
    let options = JsonlOptions {
        field: args.field.clone(),
        group_field: args.counting.group_field.clone(),
        ..JsonlOptions::default()
    };
    let grouping = Grouping::parse(&args.counting.group_by)?;
    let (counts, count_errors) = if args.jsonl {
        Counts::count_records(&entries, &options, normalize, threads)
    } else {
        Counts::count(&entries, normalize, &grouping, threads)
    };
    let mut failed = false;
    for err in walk_errors.iter().chain(&count_errors) {
        eprintln!("error: {err}");
        failed = true;
    }
    save_counts(&counts, args.counting.save_counts.as_deref())?;
    let mut candidates = if args.jsonl {
        learn::record_candidates(&counts, &entries, &options, thresholds, threads)
    } else {
        learn::candidates(&counts, &entries, &grouping, thresholds, threads)
    };
    let mut pack = learn::render_pack(&args.name, &candidates, normalize);
    let failing = failing_rules(&pack)?;
    if !failing.is_empty() {
        // a candidate whose own examples fail is left out rather than proposed broken
        let lines: Vec<String> = failing
            .iter()
            .map(|&i| format!("{:?}", candidates[i].lines[0]))
            .collect();
        eprintln!(
            "warning: {} candidate rules left out (they fail their own examples): {}",
            failing.len(),
            lines.join(", ")
        );
        let mut index = 0;
        candidates.retain(|_| {
            index += 1;
            !failing.contains(&(index - 1))
        });
        pack = learn::render_pack(&args.name, &candidates, normalize);
        if !failing_rules(&pack)?.is_empty() {
            bail!("the proposed pack fails its own examples (a bug)");
        }
    }
    match &args.write {
        Some(path) => std::fs::write(path, &pack)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout().lock().write_all(pack.as_bytes())?,
    }
    if !args.run.quiet {
        eprintln!(
            "{} candidate rules from {} documents in {} groups",
            candidates.len(),
            counts.documents(),
            counts.groups.len()
        );
    }
    Ok(if failed {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    })
}

/// The normalisation the counting flags ask for.
fn normalize(args: &CountingArgs) -> Normalize {
    Normalize {
        fold_case: args.fold_case,
        fold_digits: args.fold_digits,
    }
}

/// Writes counts to `path`, if one is given.
pub fn save_counts(counts: &Counts, path: Option<&Path>) -> Result<()> {
    let Some(path) = path else { return Ok(()) };
    let mut out = Vec::new();
    counts.save(&mut out)?;
    std::fs::write(path, out).with_context(|| format!("cannot write {}", path.display()))
}

/// Reads a counts file.
pub fn load_counts(path: &Path) -> Result<Counts> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Counts::load(&bytes).with_context(|| format!("{}", path.display()))
}

/// `learn --merge A B ...`: one counts file from many.
fn merge(args: &LearnArgs) -> Result<ExitStatus> {
    let mut paths = args.paths.iter();
    let Some(first) = paths.next() else {
        bail!("--merge needs count files");
    };
    let mut counts = load_counts(first)?;
    for path in paths {
        counts
            .merge(load_counts(path)?)
            .with_context(|| format!("{}", path.display()))?;
    }
    match &args.write {
        Some(path) => save_counts(&counts, Some(path))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            counts.save(&mut stdout)?;
        }
    }
    Ok(ExitStatus::Success)
}

/// The rules (by index, which is the candidate's) of a proposed pack that
/// fail their own examples.
///
/// # Errors
/// A pack that does not load, which is a bug here.
fn failing_rules(pack: &str) -> Result<Vec<usize>> {
    let rules = RuleSet::from_sources(&[Source::new("<learned>", pack.to_string())])
        .map_err(|e| anyhow::anyhow!("the proposed pack does not load (a bug): {e}"))?;
    let report = cruftless::verify::examples(&rules);
    let mut failing: Vec<usize> = report
        .failures
        .iter()
        .filter_map(|f| f.rule.map(|r| r.0 as usize))
        .collect();
    failing.dedup();
    Ok(failing)
}
