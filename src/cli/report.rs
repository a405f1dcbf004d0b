//! `cruftless report`: the HTML review page.

use std::time::Instant;

use anyhow::{Context, Result};

use cruftless::corpus::{self, Outcome, WalkOptions};
use cruftless::report::html::{self, HtmlReportBuilder};
use cruftless::Cleaner;

use super::args::ReportArgs;
use super::{clean_options, load_rules, ExitStatus};

pub fn run(args: &ReportArgs) -> Result<ExitStatus> {
    let Some(rules) = load_rules(&args.rules) else {
        return Ok(ExitStatus::Error);
    };
    let started = Instant::now();
    let walk = WalkOptions {
        globs: args.walk.glob.clone(),
        no_ignore: args.walk.no_ignore,
        hidden: args.walk.hidden,
    };
    let (entries, mut errors) = corpus::walk(&args.paths, &walk);
    let cleaner = Cleaner::with_options(&rules, clean_options(&args.cleaning));
    let mut builder = HtmlReportBuilder::new(&rules, args.sample, args.documents);
    let mut skipped = 0;
    let work = |entry: &corpus::Entry, input: Vec<u8>| {
        let cleaned = cleaner.clean_path(Some(&entry.rel), &input);
        (input, cleaned)
    };
    corpus::map_ordered(
        &entries,
        args.run.threads,
        work,
        |entry, outcome| match outcome {
            Outcome::Done((input, cleaned)) => builder.add(&entry.path, &input, &cleaned),
            Outcome::Skipped(_) => skipped += 1,
            Outcome::Failed(err) => errors.push(err),
        },
    );
    let report = builder.finish(started.elapsed().as_secs_f64());
    let mut file = std::fs::File::create(&args.output)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    html::render(&report, &mut file)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    for error in &errors {
        eprintln!("error: {error}");
    }
    if !args.run.quiet {
        eprintln!(
            "wrote {}: {} documents ({skipped} skipped), {} rules, {} documents shown",
            args.output.display(),
            report.summary.documents,
            report.rules.len(),
            report.documents.len()
        );
    }
    Ok(if errors.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Error
    })
}
