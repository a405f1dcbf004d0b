//! `cruftless clean --jsonl`: JSON Lines streams through the cleaner, one
//! input after another, each in ordered parallel batches.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};

use cruftless::corpus::jsonl::{self, JsonlOptions, StreamError};
use cruftless::corpus::{self, Entry, InputError, Summary, WalkOptions};
use cruftless::{Cleaner, RuleSet};

use super::args::CleanArgs;
use super::{clean_options, summary, ExitStatus};

/// Where the records go.
enum Output {
    Stdout,
    File(PathBuf),
    Folder(PathBuf),
}

/// Cleans every input as JSON Lines; records go to stdout, or to `-o OUT`
/// (a file for one input file, else a folder mirroring the inputs).
pub fn clean(args: &CleanArgs, rules: &RuleSet) -> Result<ExitStatus> {
    if args.in_place {
        eprintln!("error: --in-place does not apply to --jsonl; write to -o OUT or stdout");
        return Ok(ExitStatus::Error);
    }
    let output = match &args.output {
        Some(out) => {
            if let Err(err) = corpus::check_destination(&args.paths, out) {
                eprintln!("error: {err}");
                return Ok(ExitStatus::Error);
            }
            let has_folder = args.paths.iter().any(|p| p.is_dir());
            if !has_folder && args.paths.len() == 1 && !out.is_dir() {
                Output::File(out.clone())
            } else {
                Output::Folder(out.clone())
            }
        }
        None => Output::Stdout,
    };
    let walk = WalkOptions {
        globs: args.walk.glob.clone(),
        no_ignore: args.walk.no_ignore,
        hidden: args.walk.hidden,
    };
    let options = JsonlOptions {
        field: args.jsonl.field.clone(),
        annotate: args.jsonl.annotate,
        drop_invalid: args.jsonl.drop_invalid,
    };
    let cleaner = Cleaner::with_options(rules, clean_options(&args.cleaning));
    let started = Instant::now();
    let (entries, walk_errors) = corpus::walk(&args.paths, &walk);
    let mut result = Summary {
        errors: walk_errors,
        ..Summary::default()
    };
    let stdout = std::io::stdout();
    let mut stdout = BufWriter::new(stdout.lock());
    for entry in &entries {
        let reader = jsonl::open(entry);
        let mut reader = match reader {
            Ok(reader) => reader,
            Err(err) => {
                result.errors.push(err);
                continue;
            }
        };
        let name = display_name(entry);
        match &output {
            Output::Stdout => {
                let streamed = jsonl::clean_stream(
                    &mut reader,
                    &name,
                    &cleaner,
                    &options,
                    args.run.threads,
                    &mut stdout,
                    &mut result,
                );
                match streamed {
                    Ok(()) => {}
                    Err(StreamError::Write(err)) => {
                        return Err(err).context("writing to standard output")
                    }
                    // a read error mid-stream: the records before it were written
                    Err(StreamError::Read(err)) => result.errors.push(read_error(&name, &err)),
                }
            }
            Output::File(path) => stream_to_file(
                &mut reader,
                &name,
                path,
                &cleaner,
                &options,
                args,
                &mut result,
            ),
            Output::Folder(dir) => {
                let path = dir.join(jsonl::output_path(entry));
                stream_to_file(
                    &mut reader,
                    &name,
                    &path,
                    &cleaner,
                    &options,
                    args,
                    &mut result,
                );
            }
        }
    }
    stdout.flush().context("writing to standard output")?;
    result.elapsed = started.elapsed();
    if !args.run.quiet || result.failed() {
        summary::print(rules, &result, args.run.quiet);
    }
    Ok(if result.failed() {
        ExitStatus::Error
    } else {
        ExitStatus::Success
    })
}

/// The input as named in reports: its path, or `<stdin>`.
fn display_name(entry: &Entry) -> PathBuf {
    if entry.is_stdin() {
        PathBuf::from("<stdin>")
    } else {
        entry.path.clone()
    }
}

/// Streams one input into the file at `path` (parents created); any read or
/// write failure is recorded against the input and the batch goes on.
fn stream_to_file(
    reader: &mut dyn std::io::BufRead,
    name: &Path,
    path: &Path,
    cleaner: &Cleaner<'_>,
    options: &JsonlOptions,
    args: &CleanArgs,
    result: &mut Summary,
) {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if let Err(err) = std::fs::create_dir_all(parent) {
            let cause = InputError::io(parent, &err).message;
            let message = format!("cannot create the folder {}: {cause}", parent.display());
            result.errors.push(InputError::new(path, message));
            return;
        }
    }
    let file = match std::fs::File::create(path) {
        Ok(file) => file,
        Err(err) => {
            result.errors.push(InputError::io(path, &err));
            return;
        }
    };
    let mut out = BufWriter::new(file);
    let streamed = jsonl::clean_stream(
        reader,
        name,
        cleaner,
        options,
        args.run.threads,
        &mut out,
        result,
    )
    .and_then(|()| out.flush().map_err(StreamError::Write));
    match streamed {
        Ok(()) => {}
        Err(StreamError::Read(err)) => result.errors.push(read_error(name, &err)),
        Err(StreamError::Write(err)) => result.errors.push(InputError::io(path, &err)),
    }
}

/// A read error in the middle of a stream: what was read before it was written.
fn read_error(name: &Path, err: &std::io::Error) -> InputError {
    let cause = InputError::io(name, err).message;
    InputError::new(
        name,
        format!("read failed ({cause}); the records before it were written"),
    )
}
