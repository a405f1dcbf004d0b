//! `cruftless report`: the HTML review page.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};

use cruftless::corpus::jsonl::{self, Record};
use cruftless::corpus::{self, Entry, InputError, Outcome, WalkOptions};
use cruftless::report::html::{self, HtmlReportBuilder};
use cruftless::{Cleaned, Cleaner};

use super::args::ReportArgs;
use super::clean::{refuse_repeated_jsonl, repeated_counts};
use super::{clean_options, load_rules_with, ExitStatus};

pub fn run(args: &ReportArgs) -> Result<ExitStatus> {
    if refuse_repeated_jsonl(&args.repeated, &args.jsonl) {
        return Ok(ExitStatus::Error);
    }
    let Some(rules) = load_rules_with(&args.rules, args.repeated.repeated) else {
        return Ok(ExitStatus::Error);
    };
    let started = Instant::now();
    let walk = WalkOptions {
        globs: args.walk.glob.clone(),
        no_ignore: args.walk.no_ignore,
        hidden: args.walk.hidden,
    };
    let (entries, mut errors) = corpus::walk(&args.paths, &walk);
    let repeated = repeated_counts(&rules, &entries, &args.repeated, args.run.threads)?;
    let mut cleaner = Cleaner::with_options(&rules, clean_options(&args.cleaning));
    if let Some(set) = &repeated {
        cleaner = cleaner.with_repeated(set);
    }
    let mut builder = HtmlReportBuilder::new(&rules, args.sample, args.documents);
    let mut skipped = 0;
    if args.jsonl.jsonl {
        for entry in &entries {
            add_records(
                entry,
                &cleaner,
                &args.jsonl.field,
                args.run.threads,
                &mut builder,
                &mut errors,
            );
        }
    } else {
        let work = |entry: &Entry, input: Vec<u8>| {
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
    }
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

/// Adds every record of a JSON Lines input as a document named `PATH:LINE`;
/// invalid records are reported as errors.
fn add_records(
    entry: &Entry,
    cleaner: &Cleaner<'_>,
    field: &str,
    threads: usize,
    builder: &mut HtmlReportBuilder<'_>,
    errors: &mut Vec<InputError>,
) {
    let mut reader = match jsonl::open(entry) {
        Ok(reader) => reader,
        Err(err) => return errors.push(err),
    };
    let work = |_: usize, line: &[u8]| -> Result<(String, Cleaned), String> {
        let record = Record::parse(line, field).map_err(|e| e.to_string())?;
        let text = record.text().to_string();
        let cleaned = cleaner.clean(text.as_bytes());
        Ok((text, cleaned))
    };
    let result = jsonl::for_each_record(&mut *reader, threads, work, |number, _, outcome| {
        let name = PathBuf::from(format!("{}:{number}", entry.path.display()));
        match outcome {
            Ok((text, cleaned)) => builder.add(&name, text.as_bytes(), &cleaned),
            Err(message) => errors.push(InputError::new(&name, message)),
        }
        Ok(())
    });
    if let Err(err) = result {
        errors.push(InputError::new(&entry.path, err.to_string()));
    }
}
