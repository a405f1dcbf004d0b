//! [`RuleSet`]: packs loaded, validated and compiled once (the built-in
//! packs' regexes when a line first needs them), then shared by reference
//! by every thread.

use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};
use regex::bytes::Regex;

use crate::matching::{self, Matchers};
use crate::rules::{
    Definitions, LoadOptions, MatcherId, Pack, Rule, RuleError, RuleErrors, RuleKind, Source,
};

/// Index of a rule in its [`RuleSet`], in load order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RuleId(pub u32);

/// A compiled set of rule packs, ready to clean documents.
///
/// Building one parses, validates and compiles every pack (a built-in
/// pack's regexes are compiled when first needed); it is `Send + Sync` and
/// meant to be built once and shared by reference.
///
/// # Example
/// ```
/// let rules = cruftless::RuleSet::builtin().unwrap();
/// assert!(rules.rules().iter().any(|r| r.id == "register-prompt"));
/// ```
#[derive(Debug)]
pub struct RuleSet {
    defs: Definitions,
    matchers: Matchers,
    scopes: Vec<Option<GlobSet>>,
    replacers: Vec<Option<Regex>>,
    /// The `line` rules of each matcher, in load order.
    line_rules: Vec<Vec<RuleId>>,
    /// Every rule of another kind than `line`, in load order.
    other_rules: Vec<RuleId>,
}

impl RuleSet {
    /// The built-in packs only.
    ///
    /// # Errors
    /// Only if a built-in pack is broken, which the crate's tests rule out.
    pub fn builtin() -> Result<RuleSet, RuleErrors> {
        RuleSet::load(&LoadOptions::default())
    }

    /// The packs at `path` (a file or a folder of `*.toml`), without the built-ins.
    ///
    /// # Errors
    /// Every problem in the packs, each with file, line and column.
    pub fn from_path(path: &Path) -> Result<RuleSet, RuleErrors> {
        RuleSet::load(&LoadOptions {
            builtin: false,
            paths: vec![path.to_path_buf()],
            discover_from: None,
        })
    }

    /// The packs that `options` selects.
    ///
    /// # Errors
    /// Every unreadable file and every problem in the packs.
    pub fn load(options: &LoadOptions) -> Result<RuleSet, RuleErrors> {
        let sources = options.sources().map_err(RuleErrors)?;
        RuleSet::from_sources(&sources)
    }

    /// Packs from their text.
    ///
    /// # Errors
    /// Every problem in the packs, each with file, line and column.
    pub fn from_sources(sources: &[Source]) -> Result<RuleSet, RuleErrors> {
        RuleSet::compile(Definitions::parse(sources)?)
    }

    /// Compiles validated definitions.
    ///
    /// # Errors
    /// Regexes that do not compile and globs that do not parse.
    pub fn compile(defs: Definitions) -> Result<RuleSet, RuleErrors> {
        let mut errors = Vec::new();
        let matchers = match Matchers::compile(&defs.matchers, &on_demand(&defs.rules)) {
            Ok(m) => Some(m),
            Err(RuleErrors(errs)) => {
                errors.extend(errs);
                None
            }
        };
        let scopes = defs.packs.iter().map(|p| scope(p, &mut errors)).collect();
        let replacers = defs
            .rules
            .iter()
            .map(|rule| match &rule.kind {
                RuleKind::Replace { pattern, .. } => {
                    match matching::compile_regex(&pattern.text, false) {
                        Ok(re) => Some(re),
                        Err(err) => {
                            errors.push(matching::regex_error(pattern, &err.to_string()));
                            None
                        }
                    }
                }
                _ => None,
            })
            .collect();
        match matchers {
            Some(matchers) if errors.is_empty() => {
                let mut line_rules = vec![Vec::new(); defs.matchers.len()];
                let mut other_rules = Vec::new();
                for (index, rule) in defs.rules.iter().enumerate() {
                    let id = RuleId(index as u32);
                    match &rule.kind {
                        RuleKind::Line { matcher } => line_rules[matcher.0 as usize].push(id),
                        _ => other_rules.push(id),
                    }
                }
                Ok(RuleSet {
                    defs,
                    matchers,
                    scopes,
                    replacers,
                    line_rules,
                    other_rules,
                })
            }
            _ => Err(RuleErrors(errors)),
        }
    }

    /// Every rule, in load order; `RuleId(i)` is `rules()[i]`.
    pub fn rules(&self) -> &[Rule] {
        &self.defs.rules
    }

    /// Every pack, in load order.
    pub fn packs(&self) -> &[Pack] {
        &self.defs.packs
    }

    /// The rule behind an id.
    ///
    /// # Panics
    /// If the id comes from another rule set.
    pub fn rule(&self, id: RuleId) -> &Rule {
        &self.defs.rules[id.0 as usize]
    }

    /// The rule's stable name, `pack/id`.
    pub fn name(&self, id: RuleId) -> String {
        let rule = self.rule(id);
        format!("{}/{}", self.defs.packs[rule.pack].name, rule.id)
    }

    /// The rule named `pack/id`, if loaded.
    pub fn find(&self, name: &str) -> Option<RuleId> {
        let (pack, id) = name.split_once('/')?;
        self.defs
            .rules
            .iter()
            .position(|r| r.id == id && self.defs.packs[r.pack].name == pack)
            .map(|i| RuleId(i as u32))
    }

    /// The compiled matchers.
    pub fn matchers(&self) -> &Matchers {
        &self.matchers
    }

    /// The `line` rules that drop the lines `matcher` hits, in load order.
    pub(crate) fn line_rules(&self, matcher: MatcherId) -> &[RuleId] {
        &self.line_rules[matcher.0 as usize]
    }

    /// Every rule of another kind than `line`, in load order.
    pub(crate) fn other_rules(&self) -> &[RuleId] {
        &self.other_rules
    }

    /// The compiled regex of a `replace` rule.
    pub(crate) fn replacer(&self, id: RuleId) -> Option<&Regex> {
        self.replacers[id.0 as usize].as_ref()
    }

    /// Marks in `active` (resized to the pack count) the packs that apply to a
    /// document at relative path `path`; with no path every pack applies.
    pub fn active_packs(&self, path: Option<&Path>, active: &mut Vec<bool>) {
        active.clear();
        active.extend(self.scopes.iter().map(|scope| match (scope, path) {
            (Some(globs), Some(path)) => globs.is_match(path),
            _ => true,
        }));
    }
}

/// The matchers the engine asks about only on a few lines after a hit of
/// another (a `block`'s `end`, a `run`'s `while`), unless some rule also
/// asks about them everywhere: their regexes run on demand.
fn on_demand(rules: &[Rule]) -> Vec<MatcherId> {
    let mut everywhere = Vec::new();
    let mut after = Vec::new();
    for rule in rules {
        match &rule.kind {
            RuleKind::Line { matcher } => everywhere.push(*matcher),
            RuleKind::Block { start, end, .. } => {
                everywhere.push(*start);
                after.push(*end);
            }
            RuleKind::Run { start, while_, .. } => {
                everywhere.push(*start);
                after.push(*while_);
            }
            RuleKind::Truncate { at, .. } => everywhere.push(*at),
            RuleKind::Dedupe
            | RuleKind::Replace { .. }
            | RuleKind::Repeated { .. }
            | RuleKind::Density { .. } => {}
        }
    }
    after.retain(|matcher| !everywhere.contains(matcher));
    after
}

fn scope(pack: &Pack, errors: &mut Vec<RuleError>) -> Option<GlobSet> {
    if pack.paths.is_empty() {
        return None;
    }
    let mut builder = GlobSetBuilder::new();
    for glob in &pack.paths {
        match Glob::new(glob) {
            Ok(glob) => {
                builder.add(glob);
            }
            Err(err) => errors.push(RuleError::in_file(
                &pack.file,
                format!("bad glob `{glob}`: {err}"),
            )),
        }
    }
    builder.build().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_scoped_by_paths_apply_only_to_matching_documents() {
        let text = "[pack]\nname = \"s\"\npaths = [\"site-a/**\"]\n".to_string();
        let set = RuleSet::from_sources(&[Source::new("s.toml", text)]).unwrap();
        let mut active = Vec::new();
        set.active_packs(Some(Path::new("site-a/x.txt")), &mut active);
        assert_eq!(active, [true]);
        set.active_packs(Some(Path::new("site-b/x.txt")), &mut active);
        assert_eq!(active, [false]);
        set.active_packs(None, &mut active);
        assert_eq!(active, [true]);
    }

    #[test]
    fn rules_are_found_by_their_stable_name() {
        let set = RuleSet::builtin().unwrap();
        let id = set.find("web-common/register-prompt").unwrap();
        assert_eq!(set.name(id), "web-common/register-prompt");
        assert!(set.find("web-common/nope").is_none());
    }
}
