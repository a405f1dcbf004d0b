//! Checking every rule's examples, as `cruftless test` does.
//!
//! - `examples.drop`: the rule alone must remove every non-blank line of the
//!   example (for `dedupe`, every line after the first; for `truncate`, every
//!   line from its cut on, the lines before being the article its guard
//!   needs, and it must cut; for `density`, every line farther than
//!   `keep_before`/`keep_after` non-blank lines from the example's lines of
//!   `min_bytes` or more); a line left is **missing**.
//! - `examples.keep`: no rule of the rule's pack may remove anything from it;
//!   a removed line is **noisy**.
//! - A pack with no examples at all fails: a test that checks nothing must
//!   never pass.
//! - A `repeated` rule's examples are checked as if each of their lines
//!   occurred in just enough documents of a site of `EXAMPLE_GROUP` pages to
//!   pass the rule's `min_docs` and `min_share`: a drop example must go at
//!   that frequency, a keep example (a sentence, say) must survive it.

use std::path::Path;

use crate::clean::{CleanOptions, Cleaner, Owner};
use crate::engine::repeated::{LineStat, RepeatedSet};
use crate::engine::Scope;
use crate::matching::text;
use crate::rules::RuleKind;
use crate::ruleset::{RuleId, RuleSet};

/// What went wrong with one example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// A drop example kept these lines (1-based numbers in the example).
    Missing(Vec<usize>),
    /// A keep example lost these lines, each with the rule that removed it.
    Noisy(Vec<(usize, RuleId)>),
    /// The pack has no examples at all.
    NoExamples,
}

/// One failed check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The pack (index into [`RuleSet::packs`]).
    pub pack: usize,
    /// The rule whose example failed (none for [`Problem::NoExamples`]).
    pub rule: Option<RuleId>,
    /// The example's text.
    pub example: String,
    /// What happened.
    pub problem: Problem,
}

/// The result of checking every example.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Examples checked.
    pub checked: usize,
    /// Failed checks, in rule order.
    pub failures: Vec<Failure>,
}

/// Checks every example of every rule in `rules`.
pub fn examples(rules: &RuleSet) -> Report {
    let mut report = Report::default();
    for (pack_index, _) in rules.packs().iter().enumerate() {
        let mut pack_examples = 0;
        for (index, rule) in rules.rules().iter().enumerate() {
            if rule.pack != pack_index {
                continue;
            }
            let id = RuleId(index as u32);
            pack_examples += rule.drop_examples.len() + rule.keep_examples.len();
            for example in &rule.drop_examples {
                report.checked += 1;
                if let Some(problem) = check_drop(rules, id, example) {
                    report.failures.push(Failure {
                        pack: pack_index,
                        rule: Some(id),
                        example: example.clone(),
                        problem,
                    });
                }
            }
            for example in &rule.keep_examples {
                report.checked += 1;
                if let Some(problem) = check_keep(rules, id, pack_index, example) {
                    report.failures.push(Failure {
                        pack: pack_index,
                        rule: Some(id),
                        example: example.clone(),
                        problem,
                    });
                }
            }
        }
        if pack_examples == 0 {
            report.failures.push(Failure {
                pack: pack_index,
                rule: None,
                example: String::new(),
                problem: Problem::NoExamples,
            });
        }
    }
    report
}

fn options(scope: Scope) -> CleanOptions {
    CleanOptions {
        tidy: false,
        guard: None,
        scope,
        ..CleanOptions::default()
    }
}

/// Pages of the site a `repeated` rule's examples are imagined on.
const EXAMPLE_GROUP: u32 = 10;
/// The path the example is cleaned under, looked up in its counts.
const EXAMPLE_PATH: &str = "example.txt";

/// For a `repeated` rule, counts in which every line of `example` occurs
/// in just enough documents of the site to pass the rule's thresholds (the
/// example being the site's second document, so `keep-first` drops it too).
fn example_counts(rules: &RuleSet, id: RuleId, example: &str) -> Option<RepeatedSet> {
    let RuleKind::Repeated {
        min_docs,
        min_share,
        normalize,
        ..
    } = rules.rule(id).kind
    else {
        return None;
    };
    let by_share = (min_share * f64::from(EXAMPLE_GROUP)).ceil() as u32;
    let docs = (min_docs as u32).max(by_share).min(EXAMPLE_GROUP);
    let mut set = RepeatedSet::new(normalize);
    let group = set.add_group("", EXAMPLE_GROUP.max(docs));
    let mut norm = Vec::new();
    for line in example.lines() {
        text::normalize(line.as_bytes(), normalize, &mut norm);
        set.add_line(group, text::fingerprint(&norm), LineStat { docs, first: 0 });
    }
    set.add_document(EXAMPLE_PATH.into(), group, 1);
    Some(set)
}

/// Cleans an example, with counts when the rule is a `repeated` one.
fn clean_example(rules: &RuleSet, id: RuleId, scope: Scope, example: &str) -> crate::Cleaned {
    let counts = example_counts(rules, id, example);
    let mut cleaner = Cleaner::with_options(rules, options(scope));
    if let Some(counts) = &counts {
        cleaner = cleaner.with_repeated(counts);
    }
    cleaner.clean_path(Some(Path::new(EXAMPLE_PATH)), example.as_bytes())
}

fn check_drop(rules: &RuleSet, id: RuleId, example: &str) -> Option<Problem> {
    let cleaned = clean_example(rules, id, Scope::Rule(id), example);
    let removed = |line: usize| {
        cleaned
            .removals
            .iter()
            .any(|r| r.lines.contains(&line) && r.owner == Owner::Rule(id))
    };
    let keeps_first = matches!(rules.rule(id).kind, RuleKind::Dedupe);
    // a `truncate` example holds the article its guard needs, then the cut:
    // it passes when the rule cuts somewhere (everything after the cut goes)
    let cut_from = match rules.rule(id).kind {
        RuleKind::Truncate { .. } => (0..example.split('\n').count())
            .find(|&i| removed(i))
            .unwrap_or(0),
        _ => 0,
    };
    let main = density_main_text(rules.rule(id), example);
    let mut missing = Vec::new();
    let mut first = true;
    for (i, line) in example.split('\n').enumerate() {
        if text::is_blank(line.as_bytes()) || i < cut_from || main.contains(&i) {
            continue;
        }
        let should_go = !(keeps_first && first);
        first = false;
        if should_go && !removed(i) {
            missing.push(i + 1);
        }
    }
    (!missing.is_empty()).then_some(Problem::Missing(missing))
}

/// For a `density` rule, the lines of a drop example that it keeps as main
/// text: from `keep_before` non-blank lines before its first line of at least
/// `min_bytes` bytes to `keep_after` after its last (none for other kinds).
fn density_main_text(rule: &crate::rules::Rule, example: &str) -> std::ops::Range<usize> {
    let RuleKind::Density {
        min_bytes,
        keep_before,
        keep_after,
        ..
    } = rule.kind
    else {
        return 0..0;
    };
    let lines: Vec<(usize, &[u8])> = example
        .split('\n')
        .map(|l| text::trim(l.as_bytes()))
        .enumerate()
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let long: Vec<usize> = (0..lines.len())
        .filter(|&j| lines[j].1.len() >= min_bytes)
        .collect();
    let (Some(&a), Some(&b)) = (long.first(), long.last()) else {
        return 0..0;
    };
    let start = lines[a.saturating_sub(keep_before)].0;
    let end = lines[(b + keep_after).min(lines.len() - 1)].0;
    start..end + 1
}

fn check_keep(rules: &RuleSet, id: RuleId, pack: usize, example: &str) -> Option<Problem> {
    let cleaned = clean_example(rules, id, Scope::Pack(pack), example);
    let noisy: Vec<(usize, RuleId)> = cleaned
        .removals
        .iter()
        .flat_map(|r| {
            let owner = match r.owner {
                Owner::Rule(id) => id,
                Owner::Tidy => RuleId(u32::MAX),
            };
            r.lines.clone().map(move |line| (line + 1, owner))
        })
        .collect();
    (!noisy.is_empty()).then_some(Problem::Noisy(noisy))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Source;

    #[test]
    fn every_builtin_example_holds() {
        let rules = RuleSet::builtin().unwrap();
        let report = examples(&rules);
        let failures: Vec<String> = report
            .failures
            .iter()
            .map(|f| {
                format!(
                    "{}: {:?} in {:?}",
                    f.rule.map_or("-".into(), |r| rules.name(r)),
                    f.problem,
                    f.example
                )
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(report.checked >= 2 * rules.rules().len());
    }

    #[test]
    fn wrong_examples_are_reported_as_missing_or_noisy() {
        let text = "[pack]\nname = \"p\"\n[[rule]]\nid = \"x\"\nkind = \"line\"\nmatch = { line = \"X\" }\nexamples.drop = [\"X\\nY\"]\nexamples.keep = [\"a\\nX\"]\n";
        let rules = RuleSet::from_sources(&[Source::new("p.toml", text.to_string())]).unwrap();
        let report = examples(&rules);
        let problems: Vec<&Problem> = report.failures.iter().map(|f| &f.problem).collect();
        assert_eq!(
            problems,
            [
                &Problem::Missing(vec![2]),
                &Problem::Noisy(vec![(2, RuleId(0))])
            ]
        );
    }

    #[test]
    fn a_pack_scoped_by_paths_is_tested_on_its_examples_all_the_same() {
        // examples have no path: `paths` says where a pack applies, not what its rules match
        for kind in [
            "kind = \"line\"\nmatch = { any = [{ line = \"Sign in\" }, { line = \"Follow us\" }] }",
            "kind = \"repeated\"",
        ] {
            let text = format!(
                "[pack]\nname = \"p\"\npaths = [\"example.com/**\"]\n[[rule]]\nid = \"x\"\n{kind}\nexamples.drop = [\"Sign in\\nFollow us\"]\nexamples.keep = [\"Story\"]\n"
            );
            let rules = RuleSet::from_sources(&[Source::new("p.toml", text)]).unwrap();
            let report = examples(&rules);
            assert_eq!(report.failures, [], "{kind}");
            assert_eq!(report.checked, 2, "{kind}");
        }
    }

    #[test]
    fn the_repeated_pack_examples_hold_at_their_thresholds() {
        let (file, text) = crate::rules::REPEATED_PACK;
        let rules = RuleSet::from_sources(&[Source::new(file, text.to_string())]).unwrap();
        let report = examples(&rules);
        assert_eq!(report.failures, []);
        assert_eq!(report.checked, 2);
        // a sentence that recurs on just enough pages stays, so as a drop example it fails
        let pack = "[pack]\nname = \"p\"\n[[rule]]\nid = \"r\"\nkind = \"repeated\"\nexamples.drop = [\"Home\\nThe council approved the budget on Tuesday after a debate that lasted six hours.\"]\n";
        let rules = RuleSet::from_sources(&[Source::new("p.toml", pack.to_string())]).unwrap();
        let problems: Vec<Problem> = examples(&rules)
            .failures
            .into_iter()
            .map(|f| f.problem)
            .collect();
        assert_eq!(problems, [Problem::Missing(vec![2])]);
    }

    #[test]
    fn a_pack_without_examples_fails() {
        let text = "[pack]\nname = \"p\"\n[[rule]]\nid = \"x\"\nkind = \"dedupe\"\n";
        let rules = RuleSet::from_sources(&[Source::new("p.toml", text.to_string())]).unwrap();
        assert_eq!(examples(&rules).failures[0].problem, Problem::NoExamples);
    }
}
