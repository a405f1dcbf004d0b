//! `cruftless diff`: what `clean` would change, as a unified diff whose hunks
//! name their rules, a stat, or JSON Lines.
//!
//! It cleans exactly as `clean` does, with the same flags, over-strip guard
//! included: a document the guard would leave unchanged has no diff, and is
//! named on stderr (JSON: its `guard` field), so applying the diff gives
//! what `clean` writes.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use cruftless::report::diff::Unified;
use cruftless::report::json::JsonLines;
use cruftless::report::stat::Stat;
use cruftless::report::{display_path, Reporter};

use super::args::{DiffArgs, DiffFormat};
use super::review::{self, Review};
use super::{clean_options, cleaner, summary, use_color, ExitStatus};

pub fn run(args: &DiffArgs) -> Result<ExitStatus> {
    let color = use_color(args.run.color);
    // made first: it walks the inputs while the rules load
    let flags = (&args.jsonl, &args.repeated);
    let mut review = Review::new(&args.paths, &args.walk, &args.run, flags, true);
    let (rules, rule_errors) = review::load(&args.rules, args.repeated.repeated);
    let mut reporter: Box<dyn Reporter + '_> = match (args.stat, args.format) {
        (true, _) => Box::new(Stat::new(&rules, color)),
        (false, DiffFormat::Unified) => Box::new(Unified { color }),
        (false, DiffFormat::Json) => Box::new(JsonLines::new(&rules)),
    };
    // one write per 64 KiB, not per line: a corpus can have millions of findings
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if let Some(errors) = rule_errors {
        review.rule_errors(&errors, reporter.as_mut(), &mut stdout)?;
        stdout.flush()?;
        return Ok(ExitStatus::Error);
    }
    let counts = match review.repeated_counts(&rules, &args.repeated) {
        Ok(counts) => counts,
        Err(err) => {
            review.counting_error(&err, &args.repeated, reporter.as_mut(), &mut stdout)?;
            return Ok(ExitStatus::Error);
        }
    };
    let cleaner = cleaner(&rules, clean_options(&args.cleaning), counts.as_ref());
    let result = review.run(
        &rules,
        |batch| {
            let cleaned = batch.clean(&cleaner);
            cleaned.into_iter().map(|cleaned| (cleaned, None)).collect()
        },
        |doc| doc.changed() || doc.cleaned.guard.is_some(),
        reporter.as_mut(),
        &mut stdout,
    )?;
    stdout.flush()?;
    let mut stderr = std::io::stderr().lock();
    let trips = if args.run.quiet {
        &[][..]
    } else {
        &result.tripped
    };
    for (path, trip) in trips {
        let shown = display_path(path);
        summary::write_trip(&mut stderr, &rules, Path::new(&shown), trip)?;
    }
    Ok(if result.failed() {
        ExitStatus::Error
    } else if args.exit_code && result.changed > 0 {
        ExitStatus::Found
    } else {
        ExitStatus::Success
    })
}
