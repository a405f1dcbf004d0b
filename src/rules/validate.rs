//! Turns parsed pack files into typed [`Rule`]s: checks ids, kinds, the keys
//! each kind needs and the ones it must not have, and value ranges.

use std::collections::HashSet;
use std::ops::Range;
use std::sync::Arc;

use toml::Spanned;

use super::format::{Case, KindName, MatcherDef, PackFile, RuleDef};
use super::{
    Definitions, Location, MatcherId, MatcherSpec, Pack, Pattern, PatternKind, Rule, RuleError,
    RuleKind, Source,
};
use crate::matching::text::Normalize;

/// Default `max_lines` of a `block` rule.
const DEFAULT_BLOCK_MAX_LINES: usize = 12;
/// Default `min_docs` of a `repeated` rule.
const DEFAULT_REPEATED_MIN_DOCS: usize = 2;
/// Default `min_share` of a `repeated` rule.
const DEFAULT_REPEATED_MIN_SHARE: f64 = 0.1;
/// Defaults of a `density` rule: `min_bytes`, `keep_before`, `keep_after`, `min_window`, `min_kept_words`.
const DEFAULT_DENSITY: (usize, usize, usize, usize, usize) = (64, 4, 1, 300, 50);
/// Default `max_share` of a `truncate` rule without `min_kept_words`.
const DEFAULT_TRUNCATE_MAX_SHARE: f64 = 0.5;

/// Parses one source and appends its pack and rules to `defs`; problems go to `errors`.
pub(super) fn add_pack(defs: &mut Definitions, source: &Source, errors: &mut Vec<RuleError>) {
    let file = &source.file;
    let parsed: PackFile = match toml::from_str(&source.text) {
        Ok(parsed) => parsed,
        Err(err) => {
            let message = err.message().to_string();
            errors.push(match err.span() {
                Some(span) => RuleError::at(&Location::at(file, &source.text, span.start), message),
                None => RuleError::in_file(file, message),
            });
            return;
        }
    };
    let mut ctx = Context {
        file,
        built_in: source.is_built_in(),
        text: &source.text,
        line_starts: std::iter::once(0)
            .chain(source.text.match_indices('\n').map(|(i, _)| i + 1))
            .collect(),
        errors,
        matchers: &mut defs.matchers,
    };
    let meta = parsed.pack.get_ref();
    let name = meta.name.get_ref().trim().to_string();
    if !is_valid_id(&name) {
        ctx.error(
            meta.name.span(),
            format!("pack name `{name}` must be kebab-case: lower-case letters, digits and `-`"),
        );
    }
    if defs.packs.iter().any(|p| p.name == name) {
        ctx.error(
            meta.name.span(),
            format!("a pack named `{name}` is already loaded; pack names must be unique"),
        );
    }
    let paths = match &meta.paths {
        Some(paths) => {
            for glob in paths.get_ref() {
                if let Err(err) = globset::Glob::new(glob) {
                    ctx.error(paths.span(), format!("bad glob `{glob}` in `paths`: {err}"));
                }
            }
            paths.get_ref().clone()
        }
        None => Vec::new(),
    };
    let pack_index = defs.packs.len();
    defs.packs.push(Pack {
        name,
        description: meta.description.clone(),
        file: Arc::clone(file),
        paths,
    });
    let mut ids = HashSet::new();
    for rule in &parsed.rule {
        let id = rule.get_ref().id.get_ref();
        if !ids.insert(id.clone()) {
            ctx.error(
                rule.get_ref().id.span(),
                format!("duplicate rule id `{id}`: ids must be unique in a pack"),
            );
            continue;
        }
        if let Some(rule) = ctx.rule(pack_index, rule) {
            defs.rules.push(rule);
        }
    }
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
}

struct Context<'a> {
    file: &'a Arc<str>,
    /// The pack is a built-in one, unchanged (`Source::is_built_in`).
    built_in: bool,
    text: &'a str,
    /// Byte offset of each line's start, so a location costs a binary search,
    /// not a scan from the top (a 10,000-rule pack would be quadratic).
    line_starts: Vec<usize>,
    errors: &'a mut Vec<RuleError>,
    matchers: &'a mut Vec<MatcherSpec>,
}

impl Context<'_> {
    fn location(&self, span: Range<usize>) -> Location {
        let offset = span.start.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let start = self.line_starts[line - 1];
        let mut location = Location::at(self.file, &self.text[start..], offset - start);
        location.line = line;
        location
    }

    fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        let location = self.location(span);
        self.errors.push(RuleError::at(&location, message));
    }

    fn rule(&mut self, pack: usize, spanned: &Spanned<RuleDef>) -> Option<Rule> {
        let def = spanned.get_ref();
        let id = def.id.get_ref().clone();
        if !is_valid_id(&id) {
            self.error(
                def.id.span(),
                format!("rule id `{id}` must be kebab-case: lower-case letters, digits and `-`"),
            );
        }
        let before = self.errors.len();
        let kind_name = *def.kind.get_ref();
        let table = spanned.span();
        self.check_keys(def, kind_name);
        let kind = match kind_name {
            KindName::Line => RuleKind::Line {
                matcher: self.required_matcher(&def.match_, "match", &id, table.clone())?,
            },
            KindName::Block => RuleKind::Block {
                start: self.required_matcher(&def.start, "start", &id, table.clone())?,
                end: self.required_matcher(&def.end, "end", &id, table.clone())?,
                max_lines: self
                    .positive(&def.max_lines, "max_lines")
                    .unwrap_or(DEFAULT_BLOCK_MAX_LINES),
            },
            KindName::Run => RuleKind::Run {
                start: self.required_matcher(&def.start, "start", &id, table.clone())?,
                while_: self.required_matcher(&def.while_, "while", &id, table.clone())?,
                max_lines: self.positive(&def.max_lines, "max_lines"),
            },
            KindName::Truncate => {
                let at = self.required_matcher(&def.at, "at", &id, table.clone())?;
                let min_kept_words = def
                    .min_kept_words
                    .as_ref()
                    .and_then(|v| self.non_negative(v, "min_kept_words"));
                let max_share = match &def.max_share {
                    Some(share) => {
                        let value = *share.get_ref();
                        if !(0.0..=1.0).contains(&value) {
                            self.error(share.span(), "`max_share` must be between 0 and 1");
                        }
                        Some(value)
                    }
                    None if min_kept_words.is_none() => Some(DEFAULT_TRUNCATE_MAX_SHARE),
                    None => None,
                };
                RuleKind::Truncate {
                    at,
                    max_share,
                    min_kept_words,
                }
            }
            KindName::Dedupe => RuleKind::Dedupe,
            KindName::Replace => {
                let Some(pattern) = &def.pattern else {
                    self.missing("pattern", &id, "replace", table);
                    return None;
                };
                let Some(with) = &def.with else {
                    self.missing("with", &id, "replace", table);
                    return None;
                };
                RuleKind::Replace {
                    pattern: Pattern {
                        kind: PatternKind::Regex,
                        text: pattern.get_ref().clone(),
                        fold: false,
                        location: self.location(pattern.span()),
                    },
                    with: with.get_ref().clone(),
                }
            }
            KindName::Repeated => {
                let min_docs = self
                    .positive(&def.min_docs, "min_docs")
                    .unwrap_or(DEFAULT_REPEATED_MIN_DOCS);
                if min_docs < 2 {
                    if let Some(value) = &def.min_docs {
                        self.error(
                            value.span(),
                            "`min_docs` must be at least 2: a line in one document is not repeated",
                        );
                    }
                }
                let min_share = match &def.min_share {
                    Some(share) => {
                        let value = *share.get_ref();
                        if !(0.0..=1.0).contains(&value) {
                            self.error(share.span(), "`min_share` must be between 0 and 1");
                        }
                        value
                    }
                    None => DEFAULT_REPEATED_MIN_SHARE,
                };
                RuleKind::Repeated {
                    min_docs,
                    min_share,
                    drop: def.drop.as_ref().map(|d| *d.get_ref()).unwrap_or_default(),
                    normalize: Normalize {
                        fold_case: def.fold_case.as_ref().is_some_and(|v| *v.get_ref()),
                        fold_digits: def.fold_digits.as_ref().is_some_and(|v| *v.get_ref()),
                    },
                }
            }
            KindName::Density => {
                let (min_bytes, keep_before, keep_after, min_window, min_kept_words) =
                    DEFAULT_DENSITY;
                let count = |ctx: &mut Self, value: &Option<Spanned<i64>>, key, default| {
                    value
                        .as_ref()
                        .and_then(|v| ctx.non_negative(v, key))
                        .unwrap_or(default)
                };
                let min_bytes = count(self, &def.min_bytes, "min_bytes", min_bytes);
                let keep_before = count(self, &def.keep_before, "keep_before", keep_before);
                let min_window = count(self, &def.min_window, "min_window", min_window);
                if min_window < keep_before * min_bytes {
                    let span = def.min_window.as_ref().map_or(table.clone(), Spanned::span);
                    self.error(
                        span,
                        "`min_window` must be at least `keep_before` × `min_bytes`, or cleaning twice could remove more",
                    );
                }
                RuleKind::Density {
                    min_bytes,
                    keep_before,
                    keep_after: count(self, &def.keep_after, "keep_after", keep_after),
                    min_window,
                    min_kept_words: count(
                        self,
                        &def.min_kept_words,
                        "min_kept_words",
                        min_kept_words,
                    ),
                }
            }
        };
        if self.errors.len() > before {
            return None;
        }
        Some(Rule {
            pack,
            id,
            kind,
            why: def.why.trim().to_string(),
            location: self.location(table),
            drop_examples: def.examples.drop.clone(),
            keep_examples: def.examples.keep.clone(),
        })
    }

    /// Reports keys that the kind does not use, so a misplaced key is never silently ignored.
    fn check_keys(&mut self, def: &RuleDef, kind: KindName) {
        let allowed: &[&str] = match kind {
            KindName::Line => &["match"],
            KindName::Block => &["start", "end", "max_lines"],
            KindName::Run => &["start", "while", "max_lines"],
            KindName::Truncate => &["at", "max_share", "min_kept_words"],
            KindName::Dedupe => &[],
            KindName::Replace => &["pattern", "with"],
            KindName::Repeated => &["min_docs", "min_share", "drop", "fold_case", "fold_digits"],
            KindName::Density => &[
                "min_bytes",
                "keep_before",
                "keep_after",
                "min_window",
                "min_kept_words",
            ],
        };
        let present: [(&str, Option<Range<usize>>); 19] = [
            ("match", def.match_.as_ref().map(Spanned::span)),
            ("start", def.start.as_ref().map(Spanned::span)),
            ("end", def.end.as_ref().map(Spanned::span)),
            ("while", def.while_.as_ref().map(Spanned::span)),
            ("at", def.at.as_ref().map(Spanned::span)),
            ("max_lines", def.max_lines.as_ref().map(Spanned::span)),
            ("max_share", def.max_share.as_ref().map(Spanned::span)),
            (
                "min_kept_words",
                def.min_kept_words.as_ref().map(Spanned::span),
            ),
            ("pattern", def.pattern.as_ref().map(Spanned::span)),
            ("with", def.with.as_ref().map(Spanned::span)),
            ("min_docs", def.min_docs.as_ref().map(Spanned::span)),
            ("min_share", def.min_share.as_ref().map(Spanned::span)),
            ("drop", def.drop.as_ref().map(Spanned::span)),
            ("fold_case", def.fold_case.as_ref().map(Spanned::span)),
            ("fold_digits", def.fold_digits.as_ref().map(Spanned::span)),
            ("min_bytes", def.min_bytes.as_ref().map(Spanned::span)),
            ("keep_before", def.keep_before.as_ref().map(Spanned::span)),
            ("keep_after", def.keep_after.as_ref().map(Spanned::span)),
            ("min_window", def.min_window.as_ref().map(Spanned::span)),
        ];
        for (key, span) in present {
            if let Some(span) = span {
                if !allowed.contains(&key) {
                    let kind = kind_name(kind);
                    self.error(
                        span,
                        format!(
                            "`{key}` does not apply to a `{kind}` rule (it takes: {})",
                            list(allowed)
                        ),
                    );
                }
            }
        }
    }

    fn missing(&mut self, key: &str, id: &str, kind: &str, table: Range<usize>) {
        self.error(table, format!("rule `{id}`: a `{kind}` rule needs `{key}`"));
    }

    fn required_matcher(
        &mut self,
        def: &Option<Spanned<MatcherDef>>,
        key: &str,
        id: &str,
        table: Range<usize>,
    ) -> Option<MatcherId> {
        match def {
            Some(def) => self.matcher(def),
            None => {
                let kind = match key {
                    "match" => "line",
                    "at" => "truncate",
                    "while" => "run",
                    "end" => "block",
                    _ => "block` or `run",
                };
                self.missing(key, id, kind, table);
                None
            }
        }
    }

    fn matcher(&mut self, def: &Spanned<MatcherDef>) -> Option<MatcherId> {
        let mut patterns = Vec::new();
        let location = self.location(def.span());
        self.flatten(def.get_ref(), false, &location, &mut patterns);
        if patterns.is_empty() {
            return None;
        }
        let id = MatcherId(self.matchers.len() as u32);
        self.matchers.push(MatcherSpec {
            patterns,
            built_in: self.built_in,
        });
        Some(id)
    }

    fn flatten(&mut self, def: &MatcherDef, fold: bool, at: &Location, out: &mut Vec<Pattern>) {
        let fold = fold || def.case == Some(Case::Insensitive);
        let given = [
            def.line.is_some(),
            def.contains.is_some(),
            def.regex.is_some(),
            def.any.is_some(),
        ];
        if given.iter().filter(|g| **g).count() != 1 {
            self.errors.push(RuleError::at(
                at,
                "a matcher takes exactly one of `line`, `contains`, `regex` or `any`",
            ));
            return;
        }
        let literal = |kind, text: &str| Pattern {
            kind,
            text: text.to_string(),
            fold,
            location: at.clone(),
        };
        if let Some(text) = &def.line {
            let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace() || c == '\u{a0}');
            if trimmed.is_empty() || trimmed.contains('\n') {
                self.errors.push(RuleError::at(
                    at,
                    "`line` must be one non-blank line (blank lines are tidy's job)",
                ));
                return;
            }
            out.push(literal(PatternKind::Line, trimmed));
        } else if let Some(text) = &def.contains {
            if text.is_empty() || text.contains(['\n', '\r']) {
                self.errors.push(RuleError::at(
                    at,
                    "`contains` must be non-empty and cannot span lines",
                ));
                return;
            }
            out.push(literal(PatternKind::Contains, text));
        } else if let Some(regex) = &def.regex {
            out.push(Pattern {
                kind: PatternKind::Regex,
                text: regex.get_ref().clone(),
                fold,
                location: self.location(regex.span()),
            });
        } else if let Some(any) = &def.any {
            if any.is_empty() {
                self.errors
                    .push(RuleError::at(at, "`any` needs at least one matcher"));
            }
            for member in any {
                self.flatten(member, fold, at, out);
            }
        }
    }

    fn positive(&mut self, value: &Option<Spanned<i64>>, key: &str) -> Option<usize> {
        let value = value.as_ref()?;
        match usize::try_from(*value.get_ref()) {
            Ok(n) if n > 0 => Some(n),
            _ => {
                self.error(
                    value.span(),
                    format!("`{key}` must be a positive whole number"),
                );
                None
            }
        }
    }

    fn non_negative(&mut self, value: &Spanned<i64>, key: &str) -> Option<usize> {
        match usize::try_from(*value.get_ref()) {
            Ok(n) => Some(n),
            Err(_) => {
                self.error(value.span(), format!("`{key}` must be zero or more"));
                None
            }
        }
    }
}

fn kind_name(kind: KindName) -> &'static str {
    match kind {
        KindName::Line => "line",
        KindName::Block => "block",
        KindName::Run => "run",
        KindName::Truncate => "truncate",
        KindName::Dedupe => "dedupe",
        KindName::Replace => "replace",
        KindName::Repeated => "repeated",
        KindName::Density => "density",
    }
}

fn list(keys: &[&str]) -> String {
    if keys.is_empty() {
        "no other keys".to_string()
    } else {
        keys.iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Definitions, Source};

    fn errors(text: &str) -> Vec<String> {
        let source = Source::new("t.toml", text.to_string());
        match Definitions::parse(&[source]) {
            Ok(_) => Vec::new(),
            Err(errs) => errs.0.iter().map(ToString::to_string).collect(),
        }
    }

    const HEAD: &str = "[pack]\nname = \"p\"\n";

    #[test]
    fn errors_name_file_line_and_column() {
        let cases: &[(&str, &str)] = &[
            ("[[rule]]\nid = \"a\"\nkind = \"line\"\nmatch = { line = \"x\" }\nbogus = 1\n", "t.toml:7:1: unknown field `bogus`"),
            ("[[rule]]\nid = \"a\"\nkind = \"line\"\n", "t.toml:3:1: rule `a`: a `line` rule needs `match`"),
            ("[[rule]]\nid = \"a\"\nkind = \"line\"\nmatch = { line = \"x\" }\n[[rule]]\nid = \"a\"\nkind = \"dedupe\"\n", "t.toml:8:6: duplicate rule id `a`"),
            ("[[rule]]\nid = \"a\"\nkind = \"line\"\nmatch = { line = \"x\" }\nend = { line = \"y\" }\n", "t.toml:7:7: `end` does not apply to a `line` rule"),
            ("[[rule]]\nid = \"a\"\nkind = \"sideways\"\n", "t.toml:5:8: unknown variant `sideways`"),
            ("[[rule]]\nid = \"a\"\nkind = \"line\"\nmatch = { line = \"x\", contains = \"y\" }\n", "t.toml:6:9: a matcher takes exactly one of"),
            ("[[rule]]\nid = \"Bad Id\"\nkind = \"dedupe\"\n", "t.toml:4:6: rule id `Bad Id` must be kebab-case"),
            ("[[rule]]\nid = \"a\"\nkind = \"density\"\nmin_window = 10\n", "t.toml:6:14: `min_window` must be at least `keep_before` × `min_bytes`"),
            ("[[rule]]\nid = \"a\"\nkind = \"repeated\"\nmin_docs = 1\n", "t.toml:6:12: `min_docs` must be at least 2"),
            ("[[rule]]\nid = \"a\"\nkind = \"repeated\"\ndrop = \"some\"\n", "t.toml:6:8: unknown variant `some`"),
            ("[[rule]]\nid = \"a\"\nkind = \"repeated\"\nmatch = { line = \"x\" }\n", "t.toml:6:9: `match` does not apply to a `repeated` rule"),
            ("[[rule]]\nid = \"a\"\nkind = \"block\"\nstart = { line = \"x\" }\nend = { line = \"y\" }\nmax_lines = 0\n", "t.toml:8:13: `max_lines` must be a positive whole number"),
        ];
        for (body, want) in cases {
            let got = errors(&format!("{HEAD}{body}"));
            assert!(
                got.iter().any(|e| e.starts_with(want)),
                "for\n{body}\nwant an error starting {want:?}, got {got:?}"
            );
        }
    }

    #[test]
    fn every_error_is_collected() {
        let body = "[[rule]]\nid = \"a\"\nkind = \"line\"\n[[rule]]\nid = \"b\"\nkind = \"run\"\nstart = { line = \"x\" }\n";
        assert_eq!(errors(&format!("{HEAD}{body}")).len(), 2);
    }

    #[test]
    fn a_valid_pack_has_no_errors() {
        let body = "[[rule]]\nid = \"a\"\nkind = \"truncate\"\nat = { any = [{ line = \"Comments\" }, { regex = \"^\\\\d+ comments$\", case = \"insensitive\" }] }\nmin_kept_words = 100\n";
        assert_eq!(errors(&format!("{HEAD}{body}")), Vec::<String>::new());
    }
}
