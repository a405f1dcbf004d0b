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
    pub run: RunArgs,
    #[command(flatten)]
    pub jsonl: JsonlArgs,
}

/// JSON Lines input: which field holds the text, and what to do with records.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "JSON Lines")]
pub struct JsonlArgs {
    /// Read each input as JSON Lines (`.jsonl`, `.jsonl.gz`): clean one field of each record, keep the rest byte for byte.
    #[arg(long)]
    pub jsonl: bool,
    /// With --jsonl, the field holding the text.
    #[arg(long, value_name = "NAME", default_value = "text", requires = "jsonl")]
    pub field: String,
    /// With --jsonl, add a `cruftless` field to each record listing the removals (rule, line range).
    #[arg(long, requires = "jsonl")]
    pub annotate: bool,
    /// With --jsonl, drop invalid records instead of passing them through (they are reported either way).
    #[arg(long, requires = "jsonl")]
    pub drop_invalid: bool,
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
    #[arg(long, value_name = "WORDS", default_value_t = 15)]
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
        let Command::Clean(args) = cli.command;
        assert_eq!(args.paths, [PathBuf::from("a"), PathBuf::from("b")]);
        assert_eq!(args.output, Some(PathBuf::from("out")));
        assert_eq!(args.rules.rules, [PathBuf::from("r.toml")]);
        assert_eq!(args.run.threads, 2);
        assert_eq!(args.cleaning.max_removed, 0.5);
    }

    #[test]
    fn jsonl_flags_parse_and_need_jsonl() {
        let cli = Cli::try_parse_from([
            "cruftless",
            "clean",
            "-",
            "--jsonl",
            "--field",
            "body",
            "--annotate",
            "--drop-invalid",
        ])
        .unwrap();
        let Command::Clean(args) = cli.command;
        assert!(args.jsonl.jsonl && args.jsonl.annotate && args.jsonl.drop_invalid);
        assert_eq!(args.jsonl.field, "body");
        assert!(Cli::try_parse_from(["cruftless", "clean", "-", "--field", "body"]).is_err());
        assert!(Cli::try_parse_from(["cruftless", "clean", "-", "--annotate"]).is_err());
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(Cli::try_parse_from(["cruftless", "clean", "a", "--max-removed", "2"]).is_err());
        assert!(Cli::try_parse_from(["cruftless", "clean", "a", "-o", "x", "--in-place"]).is_err());
        assert!(Cli::try_parse_from(["cruftless", "clean", "a", "--backup", ".bak"]).is_err());
    }
}
