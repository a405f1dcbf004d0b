//! Checking every rule's examples, as `cruftless test` does.
//!
//! - `examples.drop`: the rule alone must remove every non-blank line of the
//!   example (for `dedupe`, every line after the first); a line left is
//!   **missing**.
//! - `examples.keep`: no rule of the rule's pack may remove anything from it;
//!   a removed line is **noisy**.
//! - A pack with no examples at all fails: a test that checks nothing must
//!   never pass.

use crate::clean::{CleanOptions, Cleaner, Owner};
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
                if let Some(problem) = check_keep(rules, pack_index, example) {
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
    }
}

fn check_drop(rules: &RuleSet, id: RuleId, example: &str) -> Option<Problem> {
    let cleaned = Cleaner::with_options(rules, options(Scope::Rule(id))).clean(example.as_bytes());
    let removed = |line: usize| {
        cleaned
            .removals
            .iter()
            .any(|r| r.lines.contains(&line) && r.owner == Owner::Rule(id))
    };
    let keeps_first = matches!(rules.rule(id).kind, RuleKind::Dedupe);
    let mut missing = Vec::new();
    let mut first = true;
    for (i, line) in example.split('\n').enumerate() {
        if text::is_blank(line.as_bytes()) {
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

fn check_keep(rules: &RuleSet, pack: usize, example: &str) -> Option<Problem> {
    let cleaned =
        Cleaner::with_options(rules, options(Scope::Pack(pack))).clean(example.as_bytes());
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
    fn a_pack_without_examples_fails() {
        let text = "[pack]\nname = \"p\"\n[[rule]]\nid = \"x\"\nkind = \"dedupe\"\n";
        let rules = RuleSet::from_sources(&[Source::new("p.toml", text.to_string())]).unwrap();
        assert_eq!(examples(&rules).failures[0].problem, Problem::NoExamples);
    }
}
