//! Command-line arguments (clap derive). Each field's doc comment is its help;
//! options shared by several subcommands are declared once and flattened.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Strip web cruft from scraped plain-text pages, with rules you can read.
#[derive(Debug, Parser)]
#[command(name = "cruftless", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write cleaned copies of documents (a file or `-` to stdout, a folder to -o OUT).
    Clean(CleanArgs),
    /// Propose rules from what a corpus repeats, as a TOML pack; count and merge counts.
    Learn(LearnArgs),
}

/// `cruftless clean`.
#[derive(Debug, Args)]
pub struct CleanArgs {
    /// Files or folders to clean; `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Write here: a folder mirroring the inputs, or a file for a single input file.
    #[arg(short, long, value_name = "OUT", conflicts_with = "in_place")]
    pub output: Option<PathBuf>,
    /// Rewrite the originals (temporary file + atomic rename); unchanged files are not touched.
    #[arg(long)]
    pub in_place: bool,
    /// With --in-place, keep each original as PATH+EXT (e.g. --backup .bak).
    #[arg(long, value_name = "EXT", requires = "in_place")]
    pub backup: Option<String>,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub walk: WalkArgs,
    #[command(flatten)]
    pub cleaning: CleaningArgs,
    #[command(flatten)]
    pub repeated: RepeatedArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

/// `cruftless learn`.
#[derive(Debug, Args)]
pub struct LearnArgs {
    /// Folders or files to learn from (with --merge: saved count files).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// A line (or block) must occur in at least this many documents of its group.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = clap::value_parser!(u32).range(2..))]
    pub min_docs: u32,
    /// ...and in at least this share of them.
    #[arg(long, value_name = "F", default_value_t = 0.1, value_parser = ratio)]
    pub min_share: f64,
    /// Write the pack (with --merge: the merged counts) to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// Merge count files written by --save-counts into one (map-reduce over shards).
    #[arg(long)]
    pub merge: bool,
    /// Name of the proposed pack.
    #[arg(long, value_name = "NAME", default_value = "learned")]
    pub name: String,
    #[command(flatten)]
    pub counting: CountingArgs,
    #[command(flatten)]
    pub walk: WalkArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

/// How lines are counted across a corpus (learn, clean --repeated).
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Counting")]
pub struct CountingArgs {
    /// Group documents into sites by `parent` folder, `none` (one group), or a REGEX on the
    /// relative path whose first capture group (or match) names the group.
    #[arg(long, value_name = "parent|none|REGEX", default_value = "parent")]
    pub group_by: String,
    /// Lower-case lines before counting (learn only; `repeated` rules set their own).
    #[arg(long)]
    pub fold_case: bool,
    /// Map digits to 0 before counting, so "(c) 2019" and "(c) 2021" are one line (learn only).
    #[arg(long)]
    pub fold_digits: bool,
    /// Also write the counts to FILE (JSON), to merge with other shards' later.
    #[arg(long, value_name = "FILE")]
    pub save_counts: Option<PathBuf>,
}

/// Repetition across the corpus (`clean --repeated`).
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Repetition")]
pub struct RepeatedArgs {
    /// Drop lines each site repeats across its pages (the `repeated/site-lines` rule):
    /// counts the corpus first, then cleans.
    #[arg(long)]
    pub repeated: bool,
    /// Group documents into sites by `parent` folder, `none` (one group), or a REGEX on the
    /// relative path whose first capture group (or match) names the group.
    #[arg(long, value_name = "parent|none|REGEX", default_value = "parent")]
    pub group_by: String,
    /// Use counts saved by --save-counts (or merged by `learn --merge`) instead of counting.
    #[arg(long, value_name = "FILE")]
    pub counts: Option<PathBuf>,
    /// Write the counts of this corpus to FILE (JSON).
    #[arg(long, value_name = "FILE", conflicts_with = "counts")]
    pub save_counts: Option<PathBuf>,
}

/// Which rule packs to use.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Rules")]
pub struct RuleArgs {
    /// Add a rule pack file, or a folder of `*.toml` packs (repeatable).
    #[arg(long = "rules", value_name = "PATH")]
    pub rules: Vec<PathBuf>,
    /// Do not load the built-in packs.
    #[arg(long)]
    pub no_builtin: bool,
    /// Do not look for `cruftless.toml` or `.cruftless/` in this folder and its parents.
    #[arg(long)]
    pub no_config: bool,
}

/// Which files of a folder to read.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "Files")]
pub struct WalkArgs {
    /// Include (`*.txt`) or exclude (`!*.html`) files by glob (repeatable).
    #[arg(short, long, value_name = "GLOB")]
    pub glob: Vec<String>,
    /// Do not honour .gitignore, .ignore and similar files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Walk hidden files and folders too.
    #[arg(long)]
    pub hidden: bool,
}

/// How documents are cleaned.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Cleaning")]
pub struct CleaningArgs {
    /// Keep blank lines as they are (no squeezing, no trimming of leading and trailing blank lines).
    #[arg(long)]
    pub no_tidy: bool,
    /// Over-strip guard: a document losing more than this share of its text...
    #[arg(long, value_name = "RATIO", default_value_t = 0.9, value_parser = ratio)]
    pub max_removed: f64,
    /// ...and keeping fewer than this many words is left unchanged and reported.
    #[arg(long, value_name = "WORDS", default_value_t = 30)]
    pub min_kept: usize,
    /// Obey the rules even when the over-strip guard would stop them.
    #[arg(long)]
    pub force: bool,
}

/// How the run behaves.
#[derive(Debug, Args, Clone)]
#[command(next_help_heading = "Run")]
pub struct RunArgs {
    /// Worker threads (default: one per core).
    #[arg(short = 'j', long = "threads", value_name = "N", default_value_t = 0)]
    pub threads: usize,
    /// Print no summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

fn ratio(s: &str) -> Result<f64, String> {
    let value: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("`{s}` is not between 0 and 1"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn clean_parses_its_flags() {
        let cli = Cli::try_parse_from([
            "cruftless",
            "clean",
            "a",
            "b",
            "-o",
            "out",
            "--rules",
            "r.toml",
            "-j",
            "2",
            "--max-removed",
            "0.5",
        ])
        .unwrap();
        let Command::Clean(args) = cli.command else {
            panic!("not clean")
        };
        assert_eq!(args.paths, [PathBuf::from("a"), PathBuf::from("b")]);
        assert_eq!(args.output, Some(PathBuf::from("out")));
        assert_eq!(args.rules.rules, [PathBuf::from("r.toml")]);
        assert_eq!(args.run.threads, 2);
        assert_eq!(args.cleaning.max_removed, 0.5);
    }

    #[test]
    fn learn_and_repeated_parse_their_flags() {
        let cli = Cli::try_parse_from([
            "cruftless",
            "learn",
            "site",
            "--min-docs",
            "3",
            "--min-share",
            "0.5",
            "--write",
            "p.toml",
            "--group-by",
            "none",
            "--fold-digits",
        ])
        .unwrap();
        let Command::Learn(args) = cli.command else {
            panic!("not learn")
        };
        assert_eq!((args.min_docs, args.min_share), (3, 0.5));
        assert_eq!(args.write, Some(PathBuf::from("p.toml")));
        assert_eq!(args.counting.group_by, "none");
        assert!(args.counting.fold_digits && !args.counting.fold_case);
        assert!(Cli::try_parse_from(["cruftless", "learn", "x", "--min-docs", "1"]).is_err());
        let cli =
            Cli::try_parse_from(["cruftless", "clean", "a", "-o", "b", "--repeated"]).unwrap();
        let Command::Clean(args) = cli.command else {
            panic!("not clean")
        };
        assert!(args.repeated.repeated);
        assert_eq!(args.repeated.group_by, "parent");
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(Cli::try_parse_from(["cruftless", "clean", "a", "--max-removed", "2"]).is_err());
        assert!(Cli::try_parse_from(["cruftless", "clean", "a", "-o", "x", "--in-place"]).is_err());
        assert!(Cli::try_parse_from(["cruftless", "clean", "a", "--backup", ".bak"]).is_err());
    }
}
