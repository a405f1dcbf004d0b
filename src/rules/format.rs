//! The TOML shape of a rule pack, mirrored by serde structs.
//!
//! This module only describes what a pack file may contain; `validate` turns
//! these raw structs into typed [`Rule`](super::Rule)s and checks that each
//! kind has the keys it needs. Unknown keys are rejected here, with the
//! position TOML reports, so a typo never silently disables a rule.

use serde::Deserialize;
use toml::Spanned;

/// One pack file: a `[pack]` table and a list of `[[rule]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackFile {
    /// The `[pack]` table.
    pub pack: Spanned<PackMeta>,
    /// The `[[rule]]` tables, in file order.
    #[serde(default)]
    pub rule: Vec<Spanned<RuleDef>>,
}

/// The `[pack]` table: name, description and path scope.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackMeta {
    /// Pack name; rules are named `pack/id`.
    pub name: Spanned<String>,
    /// One line for humans.
    #[serde(default)]
    pub description: String,
    /// Globs on the document's relative path; the pack applies to matching documents only.
    #[serde(default)]
    pub paths: Option<Spanned<Vec<String>>>,
}

/// A matcher as written in TOML: exactly one of `line`, `contains`, `regex`, `any`.
#[derive(Debug, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct MatcherDef {
    /// The trimmed line equals this.
    pub line: Option<String>,
    /// The line contains this.
    pub contains: Option<String>,
    /// The trimmed line matches this regex.
    pub regex: Option<Spanned<String>>,
    /// Any of these matchers.
    pub any: Option<Vec<MatcherDef>>,
    /// `insensitive` folds case (it applies to every member of `any`).
    pub case: Option<Case>,
}

/// Case sensitivity of a matcher.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Case {
    /// Bytes must match exactly (the default).
    Sensitive,
    /// Letters match regardless of case.
    Insensitive,
}

/// The kind of a rule, as named in TOML.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum KindName {
    /// Drop lines matching `match`.
    Line,
    /// Drop `start` through `end` within `max_lines`.
    Block,
    /// Drop `start` and the following lines matching `while`.
    Run,
    /// Drop from `at` to the end, within guards.
    Truncate,
    /// Drop a line equal to the previous kept non-blank line.
    Dedupe,
    /// Rewrite inside lines.
    Replace,
    /// Drop lines the document's group repeats (needs corpus counts).
    Repeated,
    /// Drop short lines outside the document's main text.
    Density,
}

/// Which copies of a repeated line a `repeated` rule drops (`drop = ...`).
#[derive(Debug, Deserialize, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum DropCopies {
    /// Every copy: site cruft has no "original" worth keeping (the default).
    #[default]
    All,
    /// Every copy but the first in the group's order: path order for files,
    /// input order for JSON Lines records (deduplication, as dolma does).
    KeepFirst,
}

/// Per-rule examples: `examples.drop` and `examples.keep`.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Texts the rule must remove entirely.
    #[serde(default)]
    pub drop: Vec<String>,
    /// Texts no rule of the pack may touch.
    #[serde(default)]
    pub keep: Vec<String>,
}

/// One `[[rule]]` table. Which keys apply depends on `kind`; `validate`
/// rejects keys that do not belong to the kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Stable id, kebab-case, unique in the pack.
    pub id: Spanned<String>,
    /// What the rule does.
    pub kind: Spanned<KindName>,
    /// Why the rule exists, for reviewers.
    #[serde(default)]
    pub why: String,
    /// `line`: the lines to drop.
    #[serde(rename = "match")]
    pub match_: Option<Spanned<MatcherDef>>,
    /// `block`, `run`: the first line.
    pub start: Option<Spanned<MatcherDef>>,
    /// `block`: the last line.
    pub end: Option<Spanned<MatcherDef>>,
    /// `run`: lines that continue the run.
    #[serde(rename = "while")]
    pub while_: Option<Spanned<MatcherDef>>,
    /// `truncate`: where the cut starts.
    pub at: Option<Spanned<MatcherDef>>,
    /// `block`, `run`: the most non-blank lines taken.
    pub max_lines: Option<Spanned<i64>>,
    /// `truncate`: the largest share of the text a cut may drop.
    pub max_share: Option<Spanned<f64>>,
    /// `truncate`: the fewest words that must be kept before the cut;
    /// `density`: the fewest words the main text must hold for the rule to act.
    pub min_kept_words: Option<Spanned<i64>>,
    /// `replace`: the regex to rewrite.
    pub pattern: Option<Spanned<String>>,
    /// `replace`: the replacement (`$1` refers to groups).
    pub with: Option<Spanned<String>>,
    /// `repeated`: the fewest documents of the group that must hold the line.
    pub min_docs: Option<Spanned<i64>>,
    /// `repeated`: the smallest share of the group's documents that must hold the line.
    pub min_share: Option<Spanned<f64>>,
    /// `repeated`: which copies go.
    pub drop: Option<Spanned<DropCopies>>,
    /// `repeated`: lower-case lines before counting.
    pub fold_case: Option<Spanned<bool>>,
    /// `repeated`: map digits to 0 before counting.
    pub fold_digits: Option<Spanned<bool>>,
    /// `density`: a line scores its trimmed length minus this.
    pub min_bytes: Option<Spanned<i64>>,
    /// `density`: lines kept before each main-text stretch.
    pub keep_before: Option<Spanned<i64>>,
    /// `density`: lines kept after each main-text stretch.
    pub keep_after: Option<Spanned<i64>>,
    /// `density`: the score (bytes beyond `min_bytes`) a stretch needs to count as prose.
    pub min_window: Option<Spanned<i64>>,
    /// Examples checked by `cruftless test`.
    #[serde(default)]
    pub examples: Examples,
}
