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
    /// Show what clean would change, as a unified diff whose hunks name their rules.
    Diff(DiffArgs),
    /// For CI: exit 1 when rules would remove something (or too much), 2 on errors.
    Check(CheckArgs),
    /// Run every rule's examples (built-in packs, or the given pack files and folders).
    Test(TestArgs),
    /// List the active rules: pack, id, kind, where defined, paths scope, why.
    Rules(RulesArgs),
    /// Write a self-contained HTML review page: per-rule figures, samples, documents.
    Report(ReportArgs),
    /// Propose rules from what a corpus repeats, as a TOML pack; count and merge counts.
    Learn(LearnArgs),
}

/// `cruftless report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Files or folders to review; `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The HTML file to write.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
    /// Sampled removals shown per rule.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub sample: usize,
    /// Documents shown in full (those with the highest removed share).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub documents: usize,
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
    #[command(flatten)]
    pub jsonl: JsonlArgs,
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
    #[command(flatten)]
    pub jsonl: JsonlArgs,
    #[command(flatten)]
    pub jsonl_output: JsonlOutputArgs,
}

/// JSON Lines input: read records, and which field holds the text.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "JSON Lines")]
pub struct JsonlArgs {
    /// Read each input as JSON Lines (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`): clean one field of each record, keep the rest byte for byte.
    #[arg(long)]
    pub jsonl: bool,
    /// With --jsonl, the field holding the text.
    #[arg(long, value_name = "NAME", default_value = "text", requires = "jsonl")]
    pub field: String,
}

/// What `clean --jsonl` does to the records it writes.
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = "JSON Lines")]
pub struct JsonlOutputArgs {
    /// With --jsonl, add a `cruftless` field to each record listing the removals (rule, line range).
    #[arg(long, requires = "jsonl")]
    pub annotate: bool,
    /// With --jsonl, drop invalid records instead of passing them through (they are reported either way).
    #[arg(long, requires = "jsonl")]
    pub drop_invalid: bool,
}

/// `cruftless diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// Files or folders to diff; `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Per file, lines and bytes removed, then a per-rule table, instead of the diff.
    #[arg(long, conflicts_with = "format")]
    pub stat: bool,
    /// Output format: a unified diff (applies with `patch -p0`), or JSON Lines with every removal.
    #[arg(long, value_enum, default_value_t = DiffFormat::Unified, value_name = "FORMAT")]
    pub format: DiffFormat,
    /// Exit 1 when any document would change.
    #[arg(long)]
    pub exit_code: bool,
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
    #[command(flatten)]
    pub jsonl: JsonlArgs,
}

/// `diff --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// A unified diff, hunks tagged with their rules.
    Unified,
    /// JSON Lines: one object per changed document with every removal, then a summary.
    Json,
}

/// `cruftless check`.
///
/// Check sees what the rules would remove, with no over-strip guard: its own
/// `--max-removed` (and optional `--min-kept`) decide what is too much, so it
/// does not flatten `CleaningArgs`, whose `--max-removed` has a default.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or folders to check; `-` reads standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Fail any document whose cleaning would remove more than this share of its text (0 to 1), naming the rule that removed the most.
    #[arg(long, value_name = "RATIO", value_parser = ratio)]
    pub max_removed: Option<f64>,
    /// With --max-removed, fail only documents that would also keep fewer than this many words (clean's over-strip guard test).
    #[arg(long, value_name = "WORDS", requires = "max_removed")]
    pub min_kept: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human, value_name = "FORMAT")]
    pub format: CheckFormat,
    /// One line per rule with the lines it would remove and the documents it hits, instead of one line per finding.
    #[arg(long)]
    pub statistics: bool,
    /// Keep blank lines as they are.
    #[arg(long)]
    pub no_tidy: bool,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub walk: WalkArgs,
    #[command(flatten)]
    pub repeated: RepeatedArgs,
    #[command(flatten)]
    pub run: RunArgs,
    #[command(flatten)]
    pub jsonl: JsonlArgs,
}

/// `check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// One line per finding, then a count.
    Human,
    /// JSON Lines: one object per document with findings, then a summary.
    Json,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
}

/// `cruftless test`.
#[derive(Debug, Args)]
pub struct TestArgs {
    /// Pack files or folders to test; when given, only these are loaded (no built-in or project packs).
    #[arg(value_name = "RULES")]
    pub packs: Vec<PathBuf>,
    /// Also report the rules that never fire on the documents under PATH (dead rules).
    #[arg(long, value_name = "PATH")]
    pub corpus: Option<PathBuf>,
    #[command(flatten)]
    pub rules: RuleArgs,
    #[command(flatten)]
    pub walk: WalkArgs,
    #[command(flatten)]
    pub run: RunArgs,
}

/// `cruftless rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Human, value_name = "FORMAT")]
    pub format: RulesFormat,
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// `rules --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table.
    Human,
    /// A JSON array, one object per rule.
    Json,
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
    /// Merge count files written by --save-counts into one (map-reduce over shards; give shards
    /// of JSON Lines records in input order). The files say how they were counted, so the
    /// counting and pack options do not go with it.
    #[arg(
        long,
        conflicts_with_all = [
            "min_docs", "min_share", "name", "jsonl", "field", "group_by", "group_field",
            "fold_case", "fold_digits", "save_counts",
        ]
    )]
    pub merge: bool,
    /// Name of the proposed pack.
    #[arg(long, value_name = "NAME", default_value = "learned")]
    pub name: String,
    /// Read the inputs as JSON Lines (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`, or `-`): each
    /// record's text field is a document; records are grouped into sites by --group-field,
    /// and without it all records form one group. Invalid records are reported by line
    /// and not counted.
    #[arg(long, help_heading = "JSON Lines")]
    pub jsonl: bool,
    /// With --jsonl, the field holding the text.
    #[arg(
        long,
        value_name = "NAME",
        default_value = "text",
        requires = "jsonl",
        help_heading = "JSON Lines"
    )]
    pub field: String,
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
    #[arg(
        long,
        value_name = "parent|none|REGEX",
        default_value = "parent",
        conflicts_with = "jsonl"
    )]
    pub group_by: String,
    /// With --jsonl, group records into sites by this field: the host of its URL
    /// (`https://www.example.com/a` → `www.example.com`), else its value; records without
    /// it form the group "". Without it, all records form one group.
    #[arg(long, value_name = "FIELD", requires = "jsonl")]
    pub group_field: Option<String>,
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
    /// counts the corpus first, then cleans. With --jsonl, sites come from --group-field.
    #[arg(long)]
    pub repeated: bool,
    /// Group documents into sites by `parent` folder (the default), `none` (one group), or a
    /// REGEX on the relative path whose first capture group (or match) names the group.
    /// With --counts, the documents keep the groups they were counted in: a different
    /// --group-by is an error.
    #[arg(long, value_name = "parent|none|REGEX", conflicts_with = "jsonl")]
    pub group_by: Option<String>,
    /// With --jsonl, group records into sites by this field: the host of its URL
    /// (`https://www.example.com/a` → `www.example.com`), else its value; records without
    /// it form the group "". Without it, all records form one group.
    #[arg(long, value_name = "FIELD", requires = "jsonl")]
    pub group_field: Option<String>,
    /// Use counts saved by --save-counts (or merged by `learn --merge`) instead of counting;
    /// with --jsonl, the way to use --repeated on records from standard input (`-`), which
    /// cannot be read twice.
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
    fn review_commands_parse_their_flags() {
        let cli = Cli::try_parse_from([
            "cruftless",
            "check",
            "a",
            "--max-removed",
            "0.6",
            "--format",
            "github",
            "--no-builtin",
        ])
        .unwrap();
        let Command::Check(args) = cli.command else {
            panic!("not check")
        };
        assert_eq!(args.max_removed, Some(0.6));
        assert_eq!(args.min_kept, None);
        assert_eq!(args.format, CheckFormat::Github);
        assert!(args.rules.no_builtin);

        let cli = Cli::try_parse_from(["cruftless", "diff", "-", "--stat", "--exit-code"]).unwrap();
        let Command::Diff(args) = cli.command else {
            panic!("not diff")
        };
        assert!(args.stat && args.exit_code);
        assert_eq!(args.format, DiffFormat::Unified);

        let cli = Cli::try_parse_from(["cruftless", "test", "p.toml", "--corpus", "c"]).unwrap();
        let Command::Test(args) = cli.command else {
            panic!("not test")
        };
        assert_eq!(args.packs, [PathBuf::from("p.toml")]);
        assert_eq!(args.corpus, Some(PathBuf::from("c")));
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
        let Command::Clean(args) = cli.command else {
            panic!("not clean")
        };
        assert!(args.jsonl.jsonl && args.jsonl_output.annotate && args.jsonl_output.drop_invalid);
        assert_eq!(args.jsonl.field, "body");
        assert!(Cli::try_parse_from(["cruftless", "clean", "-", "--field", "body"]).is_err());
        assert!(Cli::try_parse_from(["cruftless", "clean", "-", "--annotate"]).is_err());
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
        let cli = Cli::try_parse_from([
            "cruftless",
            "learn",
            "-",
            "--jsonl",
            "--field",
            "body",
            "--group-field",
            "url",
        ])
        .unwrap();
        let Command::Learn(args) = cli.command else {
            panic!("not learn")
        };
        assert!(args.jsonl);
        assert_eq!(args.field, "body");
        assert_eq!(args.counting.group_field.as_deref(), Some("url"));
        // grouping by field needs --jsonl, grouping by path does not apply to it
        for bad in [
            &["learn", "x", "--group-field", "url"][..],
            &["learn", "x", "--jsonl", "--group-by", "none"],
            &["clean", "x", "--repeated", "--group-field", "url"],
            &["clean", "x", "--jsonl", "--group-by", "none"],
            &["learn", "--merge", "a.json", "b.json", "--group-by", "none"],
            &["learn", "--merge", "a.json", "--fold-digits"],
        ] {
            let argv = std::iter::once("cruftless").chain(bad.iter().copied());
            assert!(Cli::try_parse_from(argv).is_err(), "{bad:?}");
        }
        let cli =
            Cli::try_parse_from(["cruftless", "clean", "a", "-o", "b", "--repeated"]).unwrap();
        let Command::Clean(args) = cli.command else {
            panic!("not clean")
        };
        assert!(args.repeated.repeated);
        assert_eq!(args.repeated.group_by, None);
    }

    #[test]
    fn bad_values_are_refused() {
        assert!(Cli::try_parse_from(["cruftless", "check", "a", "--min-kept", "3"]).is_err());
        assert!(Cli::try_parse_from(["cruftless", "check", "a", "--max-removed", "1.5"]).is_err());
        assert!(
            Cli::try_parse_from(["cruftless", "diff", "a", "--stat", "--format", "json"]).is_err()
        );
        assert!(Cli::try_parse_from(["cruftless", "clean", "a", "--max-removed", "2"]).is_err());
        assert!(Cli::try_parse_from(["cruftless", "clean", "a", "-o", "x", "--in-place"]).is_err());
        assert!(Cli::try_parse_from(["cruftless", "clean", "a", "--backup", ".bak"]).is_err());
    }
}
