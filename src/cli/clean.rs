//! `cruftless clean`: write cleaned copies.

use std::io::IsTerminal;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressStyle};

use cruftless::corpus::{self, CleanJob, Destination, WalkOptions};
use cruftless::Cleaner;

use super::args::CleanArgs;
use super::{clean_options, load_rules, summary, ExitStatus};

pub fn run(args: &CleanArgs) -> Result<ExitStatus> {
    let Some(rules) = load_rules(&args.rules) else {
        return Ok(ExitStatus::Error);
    };
    if args.jsonl.jsonl {
        return super::jsonl::clean(args, &rules);
    }
    let walk = WalkOptions {
        globs: args.walk.glob.clone(),
        no_ignore: args.walk.no_ignore,
        hidden: args.walk.hidden,
    };
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
    let (entries, walk_errors) = corpus::walk(&args.paths, &walk);
    let bar = progress_bar(entries.len(), args.run.quiet);
    let tick = || bar.inc(1);
    let job = CleanJob {
        cleaner: Cleaner::with_options(&rules, clean_options(&args.cleaning)),
        destination,
        threads: args.run.threads,
        progress: Some(&tick),
    };
    let mut stdout = std::io::stdout().lock();
    let mut result = corpus::clean(&entries, &job, &mut stdout);
    bar.finish_and_clear();
    result.errors.splice(0..0, walk_errors);
    if !args.run.quiet || result.failed() {
        summary::print(&rules, &result, args.run.quiet);
    }
    Ok(if result.failed() {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    })
}

/// A progress bar on stderr, shown only when stderr is a terminal.
fn progress_bar(len: usize, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} documents, {per_sec}, {eta} left")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
