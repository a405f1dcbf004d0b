//! `cruftless clean`: write cleaned copies.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{bail, Result};
use indicatif::{ProgressBar, ProgressStyle};

use cruftless::corpus::jsonl::JsonlOptions;
use cruftless::corpus::{self, CleanJob, Destination, Entry};
use cruftless::engine::repeated::RepeatedSet;
use cruftless::learn::{Counts, Grouping};
use cruftless::rules::RuleKind;
use cruftless::text::Normalize;
use cruftless::{CleanOptions, RuleSet};

use super::args::{CleanArgs, JsonlArgs, JsonlOutputArgs, RepeatedArgs, RunArgs};
use super::review::Walking;
use super::{clean_options, cleaner, learn, load_rules_with, summary, ExitStatus};

pub fn run(args: &CleanArgs) -> Result<ExitStatus> {
    // the inputs are walked while the rules load (which keeps the workers
    // busy compiling); on broken rules the process exits without waiting
    let walking = Walking::start(&args.paths, &args.walk);
    let Some(rules) = load_rules_with(&args.rules, args.repeated.repeated, "nothing was cleaned")
    else {
        return Ok(ExitStatus::Error);
    };
    if args.jsonl.jsonl {
        return super::jsonl::clean(args, rules, walking);
    }
    let has_folder = args.paths.iter().any(|p| p.is_dir());
    let destination = match (&args.output, args.in_place) {
        (Some(out), _) => {
            if let Err(err) = corpus::check_destination(&args.paths, out) {
                eprintln!("error: {err}");
                return Ok(ExitStatus::Error);
            }
            if !has_folder && args.paths.len() == 1 && !out.is_dir() {
                Destination::File(out.clone())
            } else {
                Destination::Folder(out.clone())
            }
        }
        (None, true) => Destination::InPlace {
            backup: args.backup.clone(),
        },
        (None, false) if has_folder => {
            eprintln!("error: a folder needs -o OUT (a folder to write to) or --in-place");
            return Ok(ExitStatus::Error);
        }
        (None, false) => Destination::Stdout,
    };
    let (entries, walk_errors) = walking.wait();
    let corpus = Corpus::Files(&entries);
    let repeated = repeated_counts(rules, corpus, &args.repeated, &args.run);
    let repeated = match repeated {
        Ok(set) => set,
        Err(err) => {
            eprintln!("error: {err:#}");
            return Ok(ExitStatus::Error);
        }
    };
    let bar = progress_bar(entries.len(), args.run.quiet);
    let tick = || bar.inc(1);
    // the summary sums removals by owner: no list of removed runs
    let cleaning = CleanOptions {
        list_removals: false,
        ..clean_options(&args.cleaning)
    };
    let job = CleanJob {
        cleaner: cleaner(rules, cleaning, repeated.as_ref()),
        destination,
        threads: args.run.threads,
        progress: Some(&tick),
    };
    let mut stdout = std::io::stdout().lock();
    let mut result = corpus::clean(&entries, &job, &mut stdout);
    bar.finish_and_clear();
    result.errors.splice(0..0, walk_errors);
    Ok(summary::finish(rules, &result, args.run.quiet))
}

/// What is counted for `repeated` rules.
#[derive(Clone, Copy)]
pub(super) enum Corpus<'a> {
    /// Files, grouped by `--group-by`.
    Files(&'a [Entry]),
    /// JSON Lines records, grouped as the options say.
    Records(&'a [Entry], &'a JsonlOptions),
}

/// The library's JSON Lines options from the JSON Lines flags, `clean`'s
/// output flags (other commands write no records) and `--group-field`.
pub(super) fn jsonl_options(
    args: &JsonlArgs,
    output: Option<&JsonlOutputArgs>,
    repeated: &RepeatedArgs,
) -> JsonlOptions {
    JsonlOptions {
        field: args.field.clone(),
        group_field: repeated.group_field.clone(),
        annotate: output.is_some_and(|o| o.annotate),
        drop_invalid: output.is_some_and(|o| o.drop_invalid),
    }
}

/// The counts the rule set's `repeated` rules need: counted over the corpus
/// (the pass before cleaning) or loaded with `--counts`, with `run`'s
/// threads and a spinner on a terminal unless quiet; `None` when no rule is
/// a `repeated` one.
///
/// # Errors
/// Counts that do not fit (normalised or grouped otherwise, of files for
/// records or the reverse), `--counts` or `--save-counts` with no `repeated`
/// rule, or records on standard input without `--counts`: it cannot be read
/// twice.
pub(super) fn repeated_counts(
    rules: &RuleSet,
    corpus: Corpus<'_>,
    args: &RepeatedArgs,
    run: &RunArgs,
) -> Result<Option<RepeatedSet>> {
    let spinner = counting_spinner(args, corpus, run.quiet);
    let counts = count_or_load(rules, corpus, args, run.threads);
    spinner.finish_and_clear();
    if let (Ok(Some(set)), Corpus::Files(entries), false) = (&counts, corpus, run.quiet) {
        warn_of_uncounted(set, entries, args.counts.as_deref());
    }
    counts
}

/// Warns of the documents the `repeated` rules will leave as they are: a
/// page on standard input with no other page of its group, and the
/// documents that the counts loaded from `saved` (`--counts`) do not hold.
fn warn_of_uncounted(set: &RepeatedSet, entries: &[Entry], saved: Option<&Path>) {
    // standard input is not counted, but its group's other pages are
    let alone = |e: &Entry| {
        set.document(&e.rel)
            .is_none_or(|doc| set.group_size(doc) < 2)
    };
    if entries.iter().any(|e| e.is_stdin() && alone(e)) {
        eprintln!(
            "warning: the page on standard input has no other page of its site here: the \
             `repeated` rules leave it as it is (clean it beside its site's pages)"
        );
    }
    let Some(path) = saved else {
        return;
    };
    let missing = entries
        .iter()
        .filter(|e| !e.is_stdin() && set.document(&e.rel).is_none())
        .count();
    if missing > 0 {
        eprintln!(
            "warning: {missing} of {} documents are not in {} (its paths are relative to \
             each input folder): the `repeated` rules leave them as they are",
            entries.len(),
            path.display()
        );
    }
}

/// [`repeated_counts`] without the spinner.
fn count_or_load(
    rules: &RuleSet,
    corpus: Corpus<'_>,
    args: &RepeatedArgs,
    threads: usize,
) -> Result<Option<RepeatedSet>> {
    let mut wanted: Vec<Normalize> = Vec::new();
    for rule in rules.rules() {
        if let RuleKind::Repeated { normalize, .. } = rule.kind {
            if !wanted.contains(&normalize) {
                wanted.push(normalize);
            }
        }
    }
    let normalize = match wanted.as_slice() {
        [] if args.counts.is_some() || args.save_counts.is_some() => bail!(
            "--counts and --save-counts are for `repeated` rules, and none is loaded (add --repeated)"
        ),
        [] => return Ok(None),
        [one] => *one,
        _ => bail!(
            "`repeated` rules with different fold_case/fold_digits settings cannot run in one pass"
        ),
    };
    let counts = match &args.counts {
        Some(path) => {
            let counts = learn::load_counts(path)?;
            if counts.normalize != normalize {
                bail!(
                    "{} was counted with {:?}, the `repeated` rules want {:?}",
                    path.display(),
                    counts.normalize,
                    normalize
                );
            }
            match corpus {
                Corpus::Files(_) if counts.of_records() => bail!(
                    "{} holds counts of JSON Lines records; these inputs are files (add --jsonl?)",
                    path.display()
                ),
                Corpus::Records(..) if !counts.of_records() => bail!(
                    "{} holds counts of files; count the records with `learn --jsonl`",
                    path.display()
                ),
                Corpus::Records(_, options) if counts.group_by != options.grouping() => bail!(
                    "{} holds counts grouped by `{}`; this run groups records by `{}` (--group-field)",
                    path.display(),
                    counts.group_by,
                    options.grouping()
                ),
                Corpus::Files(_) => match &args.group_by {
                    Some(spec) if Grouping::parse(spec)?.spec() != counts.group_by => bail!(
                        "{} holds counts grouped by `{}`, and its documents keep those groups; \
                         drop --group-by {spec}",
                        path.display(),
                        counts.group_by,
                    ),
                    _ => counts,
                },
                _ => counts,
            }
        }
        // unreadable documents and invalid records are reported by the cleaning pass
        None => {
            let counts = match corpus {
                // pairs only matter to `learn`, which may read saved counts
                Corpus::Files(entries) => {
                    let grouping = match &args.group_by {
                        Some(spec) => Grouping::parse(spec)?,
                        None => Grouping::Parent,
                    };
                    match args.save_counts {
                        Some(_) => Counts::count(entries, normalize, &grouping, threads).0,
                        None => Counts::count_lines(entries, normalize, &grouping, threads).0,
                    }
                }
                Corpus::Records(entries, _) if entries.iter().any(Entry::is_stdin) => bail!(
                    "`repeated` rules count the records before cleaning them, and standard input \
                     can be read only once: count it first (`cruftless learn --jsonl - \
                     --group-field FIELD --save-counts counts.json`) and pass --counts counts.json"
                ),
                Corpus::Records(entries, options) => match args.save_counts {
                    Some(_) => Counts::count_records(entries, options, normalize, threads).0,
                    None => Counts::count_record_lines(entries, options, normalize, threads).0,
                },
            };
            learn::save_counts(&counts, args.save_counts.as_deref())?;
            counts
        }
    };
    Ok(Some(counts.into_repeated_set(threads)))
}

/// A spinner on stderr while `--repeated` counts the corpus (or loads
/// `--counts`) before the cleaning pass, shown only when stderr is a
/// terminal: on a large corpus the first pass takes a while too.
fn counting_spinner(args: &RepeatedArgs, corpus: Corpus<'_>, quiet: bool) -> ProgressBar {
    if !args.repeated || quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let spinner = ProgressBar::new_spinner();
    spinner.set_message(match (&args.counts, corpus) {
        (Some(path), _) => format!("loading counts from {}", path.display()),
        (None, Corpus::Files(entries)) => format!(
            "counting the lines each site repeats, over {} documents",
            entries.len()
        ),
        (None, Corpus::Records(..)) => "counting the lines each site repeats".to_string(),
    });
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner
}

/// A progress bar on stderr over `len` documents, shown only when stderr is a terminal.
pub(super) fn progress_bar(len: usize, quiet: bool) -> ProgressBar {
    let template = "{bar:40} {pos}/{len} documents, {per_sec}, {eta} left";
    bar(len as u64, template, quiet)
}

/// A progress bar on stderr over the bytes of JSON Lines `entries` as
/// stored (read them with [`cruftless::corpus::jsonl::open_with`] and the
/// bar's `wrap_read`), shown only when stderr is a terminal; standard input
/// has no size.
pub(super) fn bytes_bar(entries: &[Entry], quiet: bool) -> ProgressBar {
    let size = |entry: &Entry| std::fs::metadata(&entry.path).map_or(0, |m| m.len());
    let total = entries.iter().filter(|e| !e.is_stdin()).map(size).sum();
    let template = "{bar:40} {bytes}/{total_bytes} read, {bytes_per_sec}, {eta} left";
    bar(total, template, quiet)
}

fn bar(len: u64, template: &str, quiet: bool) -> ProgressBar {
    if quiet || len == 0 || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
