//! `cruftless report`: the HTML review page.

use std::io::BufRead;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};

use cruftless::corpus::jsonl::{self, GroupOrder, Line, RecordCleaner};
use cruftless::corpus::{self, Entry, InputError, Outcome};
use cruftless::report::html::{self, HtmlReportBuilder};
use cruftless::Cleaned;

use super::args::ReportArgs;
use super::clean::{bytes_bar, jsonl_options, progress_bar, repeated_counts, Corpus};
use super::review::Walking;
use super::{clean_options, cleaner, load_rules_with, ExitStatus};

pub fn run(args: &ReportArgs) -> Result<ExitStatus> {
    // the inputs are walked while the rules load
    let walking = Walking::start(&args.paths, &args.walk);
    let Some(rules) = load_rules_with(&args.rules, args.repeated.repeated, "no report was written")
    else {
        return Ok(ExitStatus::Error);
    };
    let started = Instant::now();
    let (entries, mut errors) = walking.wait();
    let options = jsonl_options(&args.jsonl, None, &args.repeated);
    let corpus = if args.jsonl.jsonl {
        Corpus::Records(&entries, &options)
    } else {
        Corpus::Files(&entries)
    };
    let repeated = repeated_counts(rules, corpus, &args.repeated, &args.run)?;
    let cleaner = cleaner(rules, clean_options(&args.cleaning), repeated.as_ref());
    let mut builder = HtmlReportBuilder::new(rules, args.sample, args.documents);
    let mut skipped = 0;
    if args.jsonl.jsonl {
        let records = RecordCleaner {
            cleaner,
            options,
            threads: args.run.threads,
        };
        let mut order = GroupOrder::default();
        let bar = bytes_bar(&entries, args.run.quiet);
        for entry in &entries {
            let reader = jsonl::open_with(entry, |file| bar.wrap_read(file));
            add_records(
                entry,
                reader,
                &records,
                &mut order,
                &mut builder,
                &mut errors,
            );
        }
        bar.finish_and_clear();
    } else {
        let bar = progress_bar(entries.len(), args.run.quiet);
        let work = |batch: Vec<(&Entry, Vec<u8>)>| {
            let cleaned = corpus::clean_batch(&cleaner, &batch);
            let inputs = batch.into_iter().map(|(_, input)| input);
            inputs.zip(cleaned).collect()
        };
        corpus::map_batches(&entries, args.run.threads, work, |entry, outcome| {
            bar.inc(1);
            match outcome {
                Outcome::Done((input, cleaned)) => builder.add(&entry.path, &input, &cleaned),
                Outcome::Skipped(_) => skipped += 1,
                Outcome::Failed(err) => errors.push(err),
            }
        });
        bar.finish_and_clear();
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

/// Adds every record of a JSON Lines input (opened as `reader`) as a
/// document named `PATH:LINE`; invalid records are reported as errors,
/// blank lines passed over.
fn add_records(
    entry: &Entry,
    reader: Result<Box<dyn BufRead>, InputError>,
    records: &RecordCleaner<'_>,
    order: &mut GroupOrder,
    builder: &mut HtmlReportBuilder<'_>,
    errors: &mut Vec<InputError>,
) {
    let mut reader = match reader {
        Ok(reader) => reader,
        Err(err) => return errors.push(err),
    };
    let name = jsonl::stream_name(entry);
    let finish = |record: jsonl::Record<'_>, cleaned: Cleaned| (record.into_text(), cleaned);
    let result = records.for_each(&mut *reader, order, finish, |number, _, line| {
        match line {
            Line::Blank => {}
            Line::Invalid(err) => errors.push(jsonl::invalid_error(&name, number, &err)),
            Line::Record((text, cleaned)) => {
                let doc = PathBuf::from(format!("{}:{number}", name.display()));
                builder.add(&doc, text.as_bytes(), &cleaned);
            }
        }
        Ok(())
    });
    if let Err(err) = result {
        errors.push(InputError::new(&entry.path, err.to_string()));
    }
}
