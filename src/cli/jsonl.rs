//! `cruftless clean --jsonl`: JSON Lines streams through the cleaner, one
//! input after another, each in ordered parallel batches.

use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};

use cruftless::corpus::jsonl::{self, GroupOrder, RecordCleaner, StreamError, ANNOTATION};
use cruftless::corpus::{self, InputError, Summary};
use cruftless::{CleanOptions, RuleSet};

use super::args::CleanArgs;
use super::clean::{bytes_bar, jsonl_options, repeated_counts, Corpus};
use super::review::Walking;
use super::{clean_options, cleaner, summary, ExitStatus};

/// Where the records go.
enum Output {
    Stdout,
    File(std::path::PathBuf),
    Folder(std::path::PathBuf),
}

/// Cleans every input as JSON Lines; records go to stdout, or to `-o OUT`
/// (a file for one input file, else a folder mirroring the inputs). With
/// `repeated` rules, the records are counted first (or the counts loaded).
pub fn clean(args: &CleanArgs, rules: &RuleSet, walking: Walking) -> Result<ExitStatus> {
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
    let options = jsonl_options(&args.jsonl, Some(&args.jsonl_output), &args.repeated);
    if options.annotate && options.field == ANNOTATION {
        eprintln!(
            "error: --annotate writes the field `{ANNOTATION}`, which --field names as the text; \
             rename one of them"
        );
        return Ok(ExitStatus::Error);
    }
    let started = Instant::now();
    let (entries, walk_errors) = walking.wait();
    let corpus = Corpus::Records(&entries, &options);
    let repeated = match repeated_counts(rules, corpus, &args.repeated, &args.run) {
        Ok(set) => set,
        Err(err) => {
            eprintln!("error: {err:#}");
            return Ok(ExitStatus::Error);
        }
    };
    // the removed runs are listed for the annotation only: the summary sums them by owner
    let cleaning = CleanOptions {
        list_removals: options.annotate,
        ..clean_options(&args.cleaning)
    };
    let records = RecordCleaner {
        cleaner: cleaner(rules, cleaning, repeated.as_ref()),
        options,
        threads: args.run.threads,
    };
    let mut order = GroupOrder::default();
    let mut result = Summary {
        errors: walk_errors,
        ..Summary::default()
    };
    let stdout = std::io::stdout();
    let mut stdout = BufWriter::new(stdout.lock());
    let bar = bytes_bar(&entries, args.run.quiet);
    for entry in &entries {
        let reader = jsonl::open_with(entry, |file| bar.wrap_read(file));
        let mut reader = match reader {
            Ok(reader) => reader,
            Err(err) => {
                result.errors.push(err);
                continue;
            }
        };
        let name = jsonl::stream_name(entry);
        let mut stream = Stream {
            records: &records,
            reader: &mut reader,
            name: &name,
            order: &mut order,
        };
        match &output {
            Output::Stdout => match stream.run(&mut stdout, &mut result) {
                Ok(()) => {}
                Err(StreamError::Write(err)) => {
                    return Err(err).context("writing to standard output")
                }
                // a read error mid-stream: the records before it were written
                Err(StreamError::Read(err)) => result
                    .errors
                    .push(jsonl::read_error(&name, &err, "written")),
            },
            Output::File(path) => stream.write_file(path, &mut result),
            Output::Folder(dir) => {
                stream.write_file(&dir.join(jsonl::output_path(entry)), &mut result)
            }
        }
    }
    bar.finish_and_clear();
    stdout.flush().context("writing to standard output")?;
    result.elapsed = started.elapsed();
    Ok(summary::finish(rules, &result, args.run.quiet))
}

/// One input on its way through the cleaner.
struct Stream<'s, 'r> {
    records: &'s RecordCleaner<'r>,
    reader: &'s mut dyn std::io::BufRead,
    name: &'s Path,
    order: &'s mut GroupOrder,
}

impl Stream<'_, '_> {
    fn run(&mut self, out: &mut dyn Write, result: &mut Summary) -> Result<(), StreamError> {
        self.records
            .stream(self.reader, self.name, self.order, out, result)
    }

    /// Streams into the file at `path` (parents created); any read or write
    /// failure is recorded against the input and the batch goes on.
    fn write_file(&mut self, path: &Path, result: &mut Summary) {
        if let Err(err) = cruftless::corpus::create_parent(path) {
            result.errors.push(err);
            return;
        }
        let file = match std::fs::File::create(path) {
            Ok(file) => file,
            Err(err) => {
                result.errors.push(InputError::io(path, &err));
                return;
            }
        };
        let mut out = BufWriter::new(file);
        let streamed = self
            .run(&mut out, result)
            .and_then(|()| out.flush().map_err(StreamError::Write));
        match streamed {
            Ok(()) => {}
            Err(StreamError::Read(err)) => result
                .errors
                .push(jsonl::read_error(self.name, &err, "written")),
            Err(StreamError::Write(err)) => result.errors.push(InputError::io(path, &err)),
        }
    }
}
