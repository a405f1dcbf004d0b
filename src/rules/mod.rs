//! Rule packs: their TOML format, where they are found, and validation into
//! typed [`Rule`]s.
//!
//! This layer knows nothing about matching text: it turns pack files into
//! [`Definitions`] (packs, rules and the matcher specs they refer to), and
//! reports every problem as a [`RuleError`] that names file, line and column.
//! Compiling the matchers is the job of [`crate::matching`].

pub mod format;
pub mod load;
mod validate;

use std::fmt;
use std::sync::Arc;

pub use format::DropCopies;
pub use load::{LoadOptions, Source, BUILTIN_PACKS, REPEATED_PACK};

use crate::matching::text::Normalize;

/// Where something is in a rule file: 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file as shown to users (`rules/web-common.toml` for built-ins).
    pub file: Arc<str>,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
}

impl Location {
    /// The location of byte `offset` in `text`, which is the content of `file`.
    pub fn at(file: &Arc<str>, text: &str, offset: usize) -> Location {
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Location {
            file: Arc::clone(file),
            line,
            col,
        }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// A problem in a rule file: where it is and what is wrong.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}: {message}", self.display_location())]
pub struct RuleError {
    /// The file, and the position when known.
    pub file: Arc<str>,
    /// Line and column, when the problem has a position.
    pub position: Option<(usize, usize)>,
    /// What is wrong and, where possible, what to do.
    pub message: String,
}

impl RuleError {
    /// An error at a location.
    pub fn at(location: &Location, message: impl Into<String>) -> RuleError {
        RuleError {
            file: Arc::clone(&location.file),
            position: Some((location.line, location.col)),
            message: message.into(),
        }
    }

    /// An error about a whole file (it cannot be read, say).
    pub fn in_file(file: &Arc<str>, message: impl Into<String>) -> RuleError {
        RuleError {
            file: Arc::clone(file),
            position: None,
            message: message.into(),
        }
    }

    fn display_location(&self) -> String {
        match self.position {
            Some((line, col)) => format!("{}:{line}:{col}", self.file),
            None => self.file.to_string(),
        }
    }
}

/// Every error found while loading rules; nothing is cleaned when this is returned.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", self.0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
pub struct RuleErrors(pub Vec<RuleError>);

/// Index of a matcher spec in [`Definitions::matchers`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MatcherId(pub u32);

/// A rule pack as loaded: its name, file and path scope.
#[derive(Debug, Clone)]
pub struct Pack {
    /// Pack name, the first half of every rule name `pack/id`.
    pub name: String,
    /// One line for humans.
    pub description: String,
    /// The file it came from, as shown to users.
    pub file: Arc<str>,
    /// Globs on relative paths; empty means every document.
    pub paths: Vec<String>,
}

/// One validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Index of its pack in [`Definitions::packs`].
    pub pack: usize,
    /// The rule's id, unique in its pack.
    pub id: String,
    /// What it does.
    pub kind: RuleKind,
    /// Why it exists.
    pub why: String,
    /// Where its `[[rule]]` table starts.
    pub location: Location,
    /// Texts it must remove entirely.
    pub drop_examples: Vec<String>,
    /// Texts no rule of its pack may touch.
    pub keep_examples: Vec<String>,
}

/// A rule's kind with its typed parameters; variants match the TOML kinds one to one.
#[derive(Debug, Clone)]
pub enum RuleKind {
    /// Drop every line that matches.
    Line {
        /// The lines to drop.
        matcher: MatcherId,
    },
    /// Drop from a `start` line through the next `end` line, if within `max_lines` non-blank lines.
    Block {
        /// First line.
        start: MatcherId,
        /// Last line.
        end: MatcherId,
        /// Most non-blank lines from start to end inclusive.
        max_lines: usize,
    },
    /// Drop a `start` line and the following lines that match `while_`.
    Run {
        /// First line.
        start: MatcherId,
        /// Lines that continue the run (blank lines inside it go too).
        while_: MatcherId,
        /// Most non-blank lines taken after the start, if bounded.
        max_lines: Option<usize>,
    },
    /// Drop everything from an `at` line to the end, when the guards allow.
    Truncate {
        /// Where the cut may start.
        at: MatcherId,
        /// Largest share of the document's text that may be dropped.
        max_share: Option<f64>,
        /// Fewest words that must be kept before the cut.
        min_kept_words: Option<usize>,
    },
    /// Drop a line equal (after trimming) to the previous kept non-blank line.
    Dedupe,
    /// Rewrite inside lines: every match of `pattern` becomes `with`.
    Replace {
        /// The regex, as written.
        pattern: Pattern,
        /// The replacement (`$1`, `${name}` refer to groups).
        with: String,
    },
    /// Drop lines that the document's group repeats, from corpus counts.
    Repeated {
        /// Fewest documents of the group that must hold the line (at least 2).
        min_docs: usize,
        /// Smallest share of the group's documents that must hold the line.
        min_share: f64,
        /// Which copies go.
        drop: DropCopies,
        /// How lines are normalised before they are counted and compared.
        normalize: Normalize,
    },
    /// Drop short lines outside the document's main text (its densest stretches of prose).
    Density {
        /// A line scores its trimmed length in bytes minus this.
        min_bytes: usize,
        /// Lines kept before each main-text stretch (headline, byline).
        keep_before: usize,
        /// Lines kept after each main-text stretch.
        keep_after: usize,
        /// The score (bytes beyond `min_bytes`, summed) a stretch needs to count as prose.
        min_window: usize,
        /// Fewest words the main text must hold for anything to go.
        min_kept_words: usize,
    },
}

impl RuleKind {
    /// The TOML name of the kind.
    pub fn name(&self) -> &'static str {
        match self {
            RuleKind::Line { .. } => "line",
            RuleKind::Block { .. } => "block",
            RuleKind::Run { .. } => "run",
            RuleKind::Truncate { .. } => "truncate",
            RuleKind::Dedupe => "dedupe",
            RuleKind::Replace { .. } => "replace",
            RuleKind::Repeated { .. } => "repeated",
            RuleKind::Density { .. } => "density",
        }
    }
}

/// How a pattern compares with a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternKind {
    /// The trimmed line equals the text.
    Line,
    /// The line contains the text.
    Contains,
    /// The trimmed line matches the regex.
    Regex,
}

/// One alternative of a matcher, as written.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// How it compares.
    pub kind: PatternKind,
    /// The literal or the regex source.
    pub text: String,
    /// Case-insensitive.
    pub fold: bool,
    /// Where it was written, for regex errors.
    pub location: Location,
}

/// A matcher: a line matches when any of its patterns does.
#[derive(Debug, Clone)]
pub struct MatcherSpec {
    /// The alternatives.
    pub patterns: Vec<Pattern>,
    /// From a built-in pack, unchanged: its regexes are compiled on first
    /// use (see `Source::is_built_in`). Set by the loader only.
    pub(crate) built_in: bool,
}

/// Everything loaded from the packs, validated but not compiled.
#[derive(Debug, Clone, Default)]
pub struct Definitions {
    /// Packs in load order.
    pub packs: Vec<Pack>,
    /// Rules in load order.
    pub rules: Vec<Rule>,
    /// The matchers the rules refer to by [`MatcherId`].
    pub matchers: Vec<MatcherSpec>,
}

impl Definitions {
    /// Parses and validates every source, in order, collecting all errors.
    ///
    /// # Errors
    /// Every syntax error, unknown key, missing or misplaced key, duplicate
    /// pack name or rule id, each with its file, line and column.
    pub fn parse(sources: &[Source]) -> Result<Definitions, RuleErrors> {
        let mut defs = Definitions::default();
        let mut errors = Vec::new();
        for source in sources {
            validate::add_pack(&mut defs, source, &mut errors);
        }
        if errors.is_empty() {
            Ok(defs)
        } else {
            Err(RuleErrors(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_counts_lines_and_characters() {
        let file: Arc<str> = Arc::from("f.toml");
        let text = "a\nbé c\n";
        let loc = Location::at(&file, text, text.find('c').unwrap());
        assert_eq!((loc.line, loc.col), (2, 4));
        assert_eq!(Location::at(&file, text, 0).to_string(), "f.toml:1:1");
    }
}
