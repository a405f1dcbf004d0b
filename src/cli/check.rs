//! `cruftless check`: for CI. Exit 0 when no rule would remove anything, 1
//! when one would (or a document is over `--max-removed`), 2 on errors.
//!
//! Check sees what the rules would remove, with no over-strip guard: a
//! document `clean`'s guard would leave unchanged still has findings. With
//! `--max-removed RATIO`, a document whose cleaning would remove more than
//! that share of its text is also over the limit, reported with the rule
//! that removed the most; adding `--min-kept WORDS` applies exactly
//! `clean`'s guard test (share *and* fewer words kept), so `check
//! --max-removed 0.9 --min-kept 15` fails the documents `clean` would refuse
//! with its defaults. Blank lines squeezed by tidying are not findings.

use std::cell::Cell;
use std::io::Write;

use anyhow::Result;

use cruftless::report::github::Github;
use cruftless::report::human::{Human, HumanOptions};
use cruftless::report::json::JsonLines;
use cruftless::report::sarif::Sarif;
use cruftless::report::{DocReport, OverLimit, Reporter};
use cruftless::{CleanOptions, Cleaned, Guard};

use super::args::{CheckArgs, CheckFormat};
use super::review::{self, Review};
use super::{cleaner, use_color, ExitStatus};

pub fn run(args: &CheckArgs) -> Result<ExitStatus> {
    if args.statistics && args.format != CheckFormat::Human {
        eprintln!(
            "error: --statistics goes with --format human; the JSON summary has the same table"
        );
        return Ok(ExitStatus::Error);
    }
    let color = use_color(args.run.color);
    // made first: it walks the inputs while the rules load
    let mut review = Review::new(
        &args.paths,
        &args.walk,
        &args.run,
        (&args.jsonl, &args.repeated),
        args.format != CheckFormat::Github,
    );
    let (rules, rule_errors) = review::load(&args.rules, args.repeated.repeated);
    let mut reporter: Box<dyn Reporter + '_> = match args.format {
        CheckFormat::Human => Box::new(Human::new(
            &rules,
            HumanOptions {
                color,
                statistics: args.statistics,
                quiet: args.run.quiet,
            },
        )),
        CheckFormat::Json => Box::new(JsonLines::new(&rules)),
        CheckFormat::Github => Box::new(Github),
        CheckFormat::Sarif => Box::new(Sarif::new(&rules)),
    };
    // one write per 64 KiB, not per line: a corpus can have millions of findings
    let mut stdout = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if let Some(errors) = rule_errors {
        review.rule_errors(&errors, reporter.as_mut(), &mut stdout)?;
        stdout.flush()?;
        return Ok(ExitStatus::Error);
    }
    let options = CleanOptions {
        tidy: !args.no_tidy,
        guard: None,
        ..CleanOptions::default()
    };
    let counts = match review.repeated_counts(&rules, &args.repeated) {
        Ok(counts) => counts,
        Err(err) => {
            review.counting_error(&err, &args.repeated, reporter.as_mut(), &mut stdout)?;
            return Ok(ExitStatus::Error);
        }
    };
    let unguarded = cleaner(&rules, options, counts.as_ref());
    let limit = args.max_removed.map(|max_removed| Guard {
        max_removed,
        min_kept_words: args.min_kept.unwrap_or(usize::MAX),
    });
    let limited = limit.map(|guard| {
        let options = CleanOptions {
            guard: Some(guard),
            ..options
        };
        cleaner(&rules, options, counts.as_ref())
    });
    let clean = |batch: &review::Batch<'_>| -> Vec<(Cleaned, Option<OverLimit>)> {
        let (Some(limited), Some(limit)) = (&limited, limit) else {
            let cleaned = batch.clean(&unguarded);
            return cleaned.into_iter().map(|cleaned| (cleaned, None)).collect();
        };
        let cleaned = batch.clean(limited);
        cleaned
            .into_iter()
            .enumerate()
            .map(|(i, mut cleaned)| {
                let over = cleaned.guard.take().map(|trip| OverLimit {
                    limit,
                    top_rule: trip.top_rule.map(|id| rules.name(id)),
                    trip,
                });
                if over.is_some() {
                    // the limit left it unchanged: see what the rules would remove
                    cleaned = batch.clean_one(i, &unguarded);
                }
                (cleaned, over)
            })
            .collect()
    };
    let found = Cell::new(false);
    let show = |doc: &DocReport| {
        let findings = doc.has_findings();
        found.set(found.get() || findings);
        findings
    };
    let result = review.run(&rules, clean, show, reporter.as_mut(), &mut stdout)?;
    stdout.flush()?;
    Ok(if result.failed() {
        ExitStatus::Error
    } else if found.get() {
        ExitStatus::Found
    } else {
        ExitStatus::Success
    })
}
