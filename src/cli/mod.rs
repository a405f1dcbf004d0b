//! The command line: parse arguments, build library options, run, print, and
//! map the outcome to an exit code. Only this layer prints.

mod args;
mod check;
mod clean;
mod diff;
mod jsonl;
mod learn;
mod report;
mod review;
mod rules;
mod summary;
mod test;

use std::io::{IsTerminal, Write};

use clap::Parser;

use cruftless::rules::{LoadOptions, RuleErrors, Source};
use cruftless::{CleanOptions, Cleaner, Guard, RuleSet};

use args::{CleaningArgs, Cli, ColorChoice, Command, RuleArgs};

/// The exit code of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitStatus {
    /// Nothing found, nothing failed: 0.
    Success = 0,
    /// `check` found something, or `diff --exit-code` saw a change: 1.
    Found = 1,
    /// Bad rules, unreadable input, failed output: 2.
    Error = 2,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let status = match cli.command {
        Command::Clean(args) => clean::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Check(args) => check::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Learn(args) => learn::run(&args),
    };
    match status {
        Ok(status) => status as i32,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitStatus::Success as i32;
            }
            eprintln!("error: {err:#}");
            ExitStatus::Error as i32
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The library's load options from the rule flags.
fn load_options(args: &RuleArgs) -> LoadOptions {
    LoadOptions {
        builtin: !args.no_builtin,
        paths: args.rules.clone(),
        discover_from: if args.no_config {
            None
        } else {
            std::env::current_dir().ok()
        },
    }
}

/// Whether to colour standard output: `--color`, then `NO_COLOR`, then
/// whether stdout is a terminal.
fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

/// Loads the rule packs the arguments select (kept until the process
/// exits), or prints every error, then that `nothing` was done, and returns
/// `None`.
fn load_rules(args: &RuleArgs, nothing: &str) -> Option<&'static RuleSet> {
    load_rules_with(args, false, nothing)
}

/// As [`load_rules`], adding the `repeated` pack when `repeated` is set.
fn load_rules_with(args: &RuleArgs, repeated: bool, nothing: &str) -> Option<&'static RuleSet> {
    match rule_set(args, repeated) {
        // the rule set lives until the process exits: freeing its thousands
        // of compiled pieces would only delay the exit
        Ok(set) => Some(Box::leak(Box::new(set))),
        Err(errors) => {
            let mut stderr = std::io::stderr().lock();
            for error in &errors.0 {
                let _ = writeln!(stderr, "error: {error}");
            }
            let _ = writeln!(stderr, "error: rules are broken; {nothing}");
            None
        }
    }
}

/// The rule set the rule flags select, with the `repeated` pack (last)
/// when `repeated` is set.
///
/// # Errors
/// Every problem in the packs.
fn rule_set(args: &RuleArgs, repeated: bool) -> Result<RuleSet, RuleErrors> {
    let mut sources = load_options(args).sources().map_err(RuleErrors)?;
    if repeated {
        let (file, text) = cruftless::rules::REPEATED_PACK;
        sources.push(Source::new(file, text.to_string()));
    }
    RuleSet::from_sources(&sources)
}

/// A cleaner with `options` and, for `repeated` rules, the counts.
fn cleaner<'r>(
    rules: &'r RuleSet,
    options: CleanOptions,
    repeated: Option<&'r cruftless::engine::repeated::RepeatedSet>,
) -> Cleaner<'r> {
    let cleaner = Cleaner::with_options(rules, options);
    match repeated {
        Some(set) => cleaner.with_repeated(set),
        None => cleaner,
    }
}

/// The library's clean options from the cleaning flags.
fn clean_options(args: &CleaningArgs) -> CleanOptions {
    CleanOptions {
        tidy: !args.no_tidy,
        guard: (!args.force).then_some(Guard {
            max_removed: args.max_removed,
            min_kept_words: args.min_kept,
        }),
        ..CleanOptions::default()
    }
}
