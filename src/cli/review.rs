//! The walk shared by `diff` and `check`: every document cleaned into a
//! [`DocReport`] in parallel, then handed in input order to one reporter.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;

use cruftless::corpus::jsonl::{self, JsonlOptions, Line};
use cruftless::corpus::{self, Entry, InputError, Outcome, Summary, WalkOptions};
use cruftless::engine::repeated::RepeatedSet;
use cruftless::report::{display_path, DocReport, ErrorEntry, OverLimit, Reporter, RuleRefs};
use cruftless::rules::RuleErrors;
use cruftless::{Cleaned, Cleaner, RuleSet};

use super::args::{JsonlArgs, RepeatedArgs, RuleArgs, RunArgs, WalkArgs};
use super::clean::Corpus;

/// The library's walk options from the file flags.
pub fn walk_options(args: &WalkArgs) -> WalkOptions {
    WalkOptions {
        globs: args.glob.clone(),
        no_ignore: args.no_ignore,
        hidden: args.hidden,
    }
}

/// The walk of the inputs on its own thread: started before the rules
/// load (their compiling keeps the workers busy) and waited for when the
/// documents are needed. A process that exits first does not wait for it.
pub struct Walking(std::thread::JoinHandle<(Vec<Entry>, Vec<InputError>)>);

impl Walking {
    /// Starts walking `paths` with the file flags' options.
    pub fn start(paths: &[PathBuf], args: &WalkArgs) -> Walking {
        let (paths, options) = (paths.to_vec(), walk_options(args));
        Walking(std::thread::spawn(move || corpus::walk(&paths, &options)))
    }

    /// The documents found and the inputs that could not be walked.
    pub fn wait(self) -> (Vec<Entry>, Vec<InputError>) {
        self.0
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    }
}

/// A batch of documents as `clean` gets them, each with its bytes: files
/// by their paths relative to their input roots, or JSON Lines records by
/// their group and their position in it (where the counts of `repeated`
/// rules find them).
pub enum Batch<'a> {
    /// Files.
    Files(Vec<(Option<&'a Path>, &'a [u8])>),
    /// Records.
    Records(Vec<(&'a str, u32, &'a [u8])>),
}

impl Batch<'_> {
    /// Every document of the batch cleaned by `cleaner`, in order.
    pub fn clean(&self, cleaner: &Cleaner<'_>) -> Vec<Cleaned> {
        match self {
            Batch::Files(docs) => cleaner.clean_batch(docs),
            Batch::Records(docs) => cleaner.clean_members(docs),
        }
    }

    /// Document `i` of the batch cleaned alone by `cleaner`.
    pub fn clean_one(&self, i: usize, cleaner: &Cleaner<'_>) -> Cleaned {
        let one = match self {
            Batch::Files(docs) => Batch::Files(vec![docs[i]]),
            Batch::Records(docs) => Batch::Records(vec![docs[i]]),
        };
        one.clean(cleaner).pop().expect("one document in, one out")
    }
}

/// What a reviewing run needs besides its reporter.
pub struct Review {
    /// The inputs, being walked (until [`Review::entries`] or [`Review::run`]
    /// waits for them).
    walking: Option<Walking>,
    /// The inputs walked, and the ones that could not be.
    walked: Option<(Vec<Entry>, Vec<InputError>)>,
    /// The first input, as given.
    first_input: PathBuf,
    /// Worker threads, and `quiet`: do not list skipped files on stderr
    /// (errors are still printed).
    run: RunArgs,
    /// Also print errors and skipped files on stderr (for every format but
    /// `github`, whose annotations are read from stdout).
    pub stderr: bool,
    /// Read inputs as JSON Lines with these options (the field to review,
    /// the group field); records are named `PATH:LINE`.
    pub jsonl: Option<JsonlOptions>,
}

impl Review {
    /// A review of `paths` with the shared file, run, JSON Lines and
    /// repetition flags; `stderr` says whether errors and skipped files are
    /// also printed there. The inputs are walked from now on: make it before
    /// loading the rules.
    pub fn new(
        paths: &[PathBuf],
        walk: &WalkArgs,
        run: &RunArgs,
        (jsonl, repeated): (&JsonlArgs, &RepeatedArgs),
        stderr: bool,
    ) -> Review {
        Review {
            walking: Some(Walking::start(paths, walk)),
            walked: None,
            first_input: paths.first().cloned().unwrap_or_default(),
            run: run.clone(),
            stderr,
            jsonl: jsonl
                .jsonl
                .then(|| super::clean::jsonl_options(jsonl, None, repeated)),
        }
    }

    /// The documents walked, once the walk is done.
    fn entries(&mut self) -> &[Entry] {
        let walking = &mut self.walking;
        let walked = self
            .walked
            .get_or_insert_with(|| walking.take().expect("the walk is waited for once").wait());
        &walked.0
    }

    /// The counts the rule set's `repeated` rules need, over the documents
    /// walked (see `clean --repeated`); `None` when no rule is a `repeated` one.
    ///
    /// # Errors
    /// As `clean --repeated`: counts that do not fit, or records on standard
    /// input without `--counts`.
    pub fn repeated_counts(
        &mut self,
        rules: &RuleSet,
        args: &RepeatedArgs,
    ) -> Result<Option<RepeatedSet>> {
        let (run, jsonl) = (self.run.clone(), self.jsonl.clone());
        let entries = self.entries();
        let corpus = match &jsonl {
            Some(options) => Corpus::Records(entries, options),
            None => Corpus::Files(entries),
        };
        super::clean::repeated_counts(rules, corpus, args, &run)
    }

    /// Cleans every document walked with `clean` (which may also find
    /// it over a limit; it gets documents a [`Batch`] at a time, see
    /// [`cruftless::Cleaner::clean_batch`], and returns one result each),
    /// hands the reports that `show` picks to `reporter`, every error too,
    /// then the totals.
    ///
    /// # Errors
    /// Writing to `out` failed.
    pub fn run<C, F>(
        &mut self,
        rules: &RuleSet,
        clean: C,
        show: F,
        reporter: &mut dyn Reporter,
        out: &mut dyn Write,
    ) -> Result<Summary>
    where
        C: Fn(&Batch<'_>) -> Vec<(Cleaned, Option<OverLimit>)> + Sync,
        F: Fn(&DocReport) -> bool,
    {
        self.entries();
        let (entries, walk_errors) = self.walked.take().expect("a review runs once");
        let mut summary = Summary::default();
        let mut failed: std::io::Result<()> = Ok(());
        for err in walk_errors {
            self.error(reporter, out, &ErrorEntry::from(&err))?;
            summary.errors.push(err);
        }
        // reports are built in the workers; the sink only renders
        let mut handle = |path: &std::path::Path, outcome: Outcome<DocReport>| {
            if failed.is_err() {
                return;
            }
            failed = match outcome {
                Outcome::Done(doc) => {
                    summary.record(path, &doc.input, &doc.cleaned);
                    if show(&doc) {
                        reporter.document(out, &doc)
                    } else {
                        Ok(())
                    }
                }
                Outcome::Skipped(reason) => {
                    let shown = display_path(path);
                    if self.stderr && !self.run.quiet {
                        eprintln!("skipped {shown}: {reason}");
                    }
                    summary.skipped.push((path.to_path_buf(), reason));
                    reporter.skipped(out, &shown, reason)
                }
                Outcome::Failed(err) => {
                    let entry = ErrorEntry::from(&err);
                    summary.errors.push(err);
                    self.error(reporter, out, &entry)
                }
            };
        };
        let rule_refs = RuleRefs::new(rules);
        let report = |name: &str, input: Vec<u8>, (cleaned, over_limit)| {
            let mut doc = DocReport::new(&rule_refs, name, input, cleaned);
            doc.over_limit = over_limit;
            doc
        };
        match &self.jsonl {
            None => {
                let work = |batch: Vec<(&Entry, Vec<u8>)>| {
                    let results = clean(&Batch::Files(corpus::batch_docs(&batch)));
                    batch
                        .into_iter()
                        .zip(results)
                        .map(|((entry, input), result)| {
                            report(&display_path(&entry.path), input, result)
                        })
                        .collect()
                };
                corpus::map_batches(&entries, self.run.threads, work, |entry, outcome| {
                    handle(&entry.path, outcome)
                });
            }
            Some(options) => {
                // records go through `clean` as `clean --jsonl` sends them:
                // in runs, with no path (every pack applies) but their place
                // in their group, blank lines passed over and invalid ones
                // reported by line
                let mut order = jsonl::GroupOrder::default();
                for entry in &entries {
                    let mut reader = match jsonl::open(entry) {
                        Ok(reader) => reader,
                        Err(err) => {
                            handle(&entry.path, Outcome::Failed(err));
                            continue;
                        }
                    };
                    let name = jsonl::stream_name(entry);
                    let record_name = |number: usize| format!("{}:{number}", name.display());
                    let work = |run: Vec<jsonl::Member<'_>>| {
                        let members = run.iter().map(jsonl::Member::place).collect();
                        let results = clean(&Batch::Records(members));
                        run.iter()
                            .zip(results)
                            .map(|(m, result)| {
                                let text = m.record.text().as_bytes().to_vec();
                                report(&record_name(m.number), text, result)
                            })
                            .collect()
                    };
                    let streamed = jsonl::for_each_grouped(
                        &mut *reader,
                        self.run.threads,
                        options,
                        &mut order,
                        work,
                        |number, _, line| {
                            match line {
                                Line::Blank => {}
                                Line::Invalid(err) => handle(
                                    &name,
                                    Outcome::Failed(jsonl::invalid_error(&name, number, &err)),
                                ),
                                Line::Record(doc) => {
                                    handle(&PathBuf::from(record_name(number)), Outcome::Done(doc))
                                }
                            }
                            Ok(())
                        },
                    );
                    if let Err(err) = streamed {
                        handle(
                            &entry.path,
                            Outcome::Failed(InputError::new(&entry.path, err.to_string())),
                        );
                    }
                }
            }
        }
        failed?;
        reporter.finish(out, &summary)?;
        out.flush()?;
        Ok(summary)
    }

    /// Rule errors as error entries, then the reporter's [end of a stopped
    /// run](Reporter::abort): what every format shows when the rules do not
    /// load.
    ///
    /// # Errors
    /// Writing to `out` failed.
    pub fn rule_errors(
        &self,
        errors: &RuleErrors,
        reporter: &mut dyn Reporter,
        out: &mut dyn Write,
    ) -> Result<()> {
        let errors: Vec<ErrorEntry> = errors.0.iter().map(ErrorEntry::from).collect();
        self.abort(&errors, "rules are broken", reporter, out)
    }

    /// A counting pass that failed (see [`Review::repeated_counts`], with
    /// `args`) as an error entry naming the counts file, or else the first
    /// input, then the reporter's end of a stopped run, as for broken rules.
    ///
    /// # Errors
    /// Writing to `out` failed.
    pub fn counting_error(
        &self,
        error: &anyhow::Error,
        args: &RepeatedArgs,
        reporter: &mut dyn Reporter,
        out: &mut dyn Write,
    ) -> Result<()> {
        let file = (args.counts.as_deref())
            .or(args.save_counts.as_deref())
            .unwrap_or(&self.first_input);
        let entry = ErrorEntry {
            path: display_path(file),
            line: None,
            column: None,
            message: format!("{error:#}"),
        };
        self.abort(&[entry], "the lines were not counted", reporter, out)
    }

    /// `errors` that stop the run before any document is cleaned, in the
    /// reporter's format (and on stderr, saying `why`), then the reporter's
    /// [end of a stopped run](Reporter::abort).
    fn abort(
        &self,
        errors: &[ErrorEntry],
        why: &str,
        reporter: &mut dyn Reporter,
        out: &mut dyn Write,
    ) -> Result<()> {
        for error in errors {
            self.error(reporter, out, error)?;
        }
        if self.stderr {
            eprintln!("error: {why}; stopped before any document");
        }
        reporter.abort(out)?;
        out.flush()?;
        Ok(())
    }

    fn error(
        &self,
        reporter: &mut dyn Reporter,
        out: &mut dyn Write,
        error: &ErrorEntry,
    ) -> std::io::Result<()> {
        if self.stderr {
            eprintln!("error: {error}");
        }
        reporter.error(out, error)
    }
}

/// The rules, or an empty set to report the errors with.
pub fn load(args: &RuleArgs, repeated: bool) -> (RuleSet, Option<RuleErrors>) {
    match super::rule_set(args, repeated) {
        Ok(rules) => (rules, None),
        Err(errors) => (
            RuleSet::from_sources(&[]).expect("an empty rule set compiles"),
            Some(errors),
        ),
    }
}
