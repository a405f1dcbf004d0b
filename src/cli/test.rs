//! `cruftless test`: run every rule's examples, one line per failure with
//! the rule's file:line; exit 1 on any failure, and when there was nothing
//! to check. With `--corpus PATH`, also list the rules that never fire on
//! those documents (dead rules: a warning, not a failure).

use std::io::Write;

use anyhow::Result;

use cruftless::corpus::{self, Outcome};
use cruftless::report::display_path;
use cruftless::verify::{self, Failure, Problem};
use cruftless::{CleanOptions, Cleaner, Owner, RuleId, RuleSet};

use super::args::TestArgs;
use super::review::walk_options;
use super::{load_rules, ExitStatus};

pub fn run(args: &TestArgs) -> Result<ExitStatus> {
    let mut rule_args = args.rules.clone();
    if !args.packs.is_empty() {
        // the packs under test, and only them
        rule_args.no_builtin = true;
        rule_args.no_config = true;
        rule_args.rules.splice(0..0, args.packs.iter().cloned());
    }
    let Some(rules) = load_rules(&rule_args, "nothing was tested") else {
        return Ok(ExitStatus::Error);
    };
    let mut out = std::io::stdout().lock();
    if rules.packs().is_empty() {
        writeln!(out, "no rule packs to test: nothing was checked")?;
        return Ok(ExitStatus::Found);
    }
    let report = verify::examples(rules);
    for failure in &report.failures {
        writeln!(out, "{}", describe(rules, failure))?;
    }
    let mut status = if report.failures.is_empty() {
        ExitStatus::Success
    } else {
        ExitStatus::Found
    };
    writeln!(
        out,
        "tested {} example{} of {} rule{} in {} pack{}: {}",
        report.checked,
        plural(report.checked),
        rules.rules().len(),
        plural(rules.rules().len()),
        rules.packs().len(),
        plural(rules.packs().len()),
        if report.failures.is_empty() {
            "all passed".to_string()
        } else {
            format!("{} failed", report.failures.len())
        }
    )?;
    if let Some(corpus) = &args.corpus {
        if dead_rules(args, rules, corpus, &mut out)? {
            status = ExitStatus::Error;
        }
    }
    Ok(status)
}

/// One failure: `file:line: pack/id: what happened: "example"`.
fn describe(rules: &RuleSet, failure: &Failure) -> String {
    let Some(id) = failure.rule else {
        let pack = &rules.packs()[failure.pack];
        return format!(
            "{}: pack {} has no examples: add examples.drop and examples.keep to its rules (a test that checks nothing cannot pass)",
            pack.file, pack.name
        );
    };
    let rule = rules.rule(id);
    let what = match &failure.problem {
        Problem::Missing(lines) => format!(
            "missing: drop example {} kept line{} {} (the rule must remove all of it)",
            position(&rule.drop_examples, &failure.example),
            plural(lines.len()),
            list(lines.iter().map(ToString::to_string))
        ),
        Problem::Noisy(lines) => format!(
            "noisy: keep example {} lost {} (no rule of the pack may touch it)",
            position(&rule.keep_examples, &failure.example),
            list(
                lines
                    .iter()
                    .map(|(line, by)| format!("line {line} to {}", name(rules, *by)))
            )
        ),
        Problem::NoExamples => "no examples".to_string(),
    };
    format!(
        "{}:{}: {}: {what}: {}",
        rule.location.file,
        rule.location.line,
        rules.name(id),
        excerpt(&failure.example)
    )
}

/// 1-based position of `example` among `examples`.
fn position(examples: &[String], example: &str) -> usize {
    examples
        .iter()
        .position(|e| e == example)
        .map_or(0, |i| i + 1)
}

fn name(rules: &RuleSet, id: RuleId) -> String {
    if (id.0 as usize) < rules.rules().len() {
        rules.name(id)
    } else {
        "tidy".to_string()
    }
}

fn list(items: impl Iterator<Item = String>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

/// The example quoted on one line, cut at 60 characters.
fn excerpt(example: &str) -> String {
    let mut short: String = example.chars().take(60).collect();
    if short.len() < example.len() {
        short.push('…');
    }
    format!("{short:?}")
}

/// Prints the rules that remove nothing from any document under `corpus`;
/// returns true when the corpus had errors.
fn dead_rules(
    args: &TestArgs,
    rules: &RuleSet,
    corpus: &std::path::Path,
    out: &mut dyn Write,
) -> Result<bool> {
    let (entries, errors) = corpus::walk(&[corpus.to_path_buf()], &walk_options(&args.walk));
    let mut failed = !errors.is_empty();
    for err in &errors {
        eprintln!("error: {err}");
    }
    let options = CleanOptions {
        tidy: false,
        guard: None,
        ..CleanOptions::default()
    };
    let cleaner = Cleaner::with_options(rules, options);
    let mut fired = vec![false; rules.rules().len()];
    let mut documents = 0;
    let work = |batch: Vec<(&corpus::Entry, Vec<u8>)>| corpus::clean_batch(&cleaner, &batch);
    corpus::map_batches(
        &entries,
        args.run.threads,
        work,
        |entry, outcome| match outcome {
            Outcome::Done(cleaned) => {
                documents += 1;
                for removal in &cleaned.removals {
                    if let Owner::Rule(id) = removal.owner {
                        fired[id.0 as usize] = true;
                    }
                }
                for edit in &cleaned.edits {
                    fired[edit.rule.0 as usize] = true;
                }
            }
            Outcome::Skipped(_) => {}
            Outcome::Failed(err) => {
                failed = true;
                eprintln!("error: {}: {}", display_path(&entry.path), err.message);
            }
        },
    );
    let dead: Vec<usize> = (0..fired.len()).filter(|i| !fired[*i]).collect();
    for &i in &dead {
        let rule = &rules.rules()[i];
        writeln!(
            out,
            "{}:{}: {}: dead: removes nothing from the {documents} document{} under {}",
            rule.location.file,
            rule.location.line,
            rules.name(RuleId(i as u32)),
            plural(documents),
            corpus.display()
        )?;
    }
    writeln!(
        out,
        "{} of {} rule{} fire on {}",
        fired.len() - dead.len(),
        fired.len(),
        plural(fired.len()),
        corpus.display()
    )?;
    Ok(failed)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
