//! `repeated`: drop the lines that the document's group (its site) repeats.
//!
//! Menus, footers, share bars and promos recur on every page of a site; the
//! article does not. With corpus counts in a
//! [`RepeatedSet`](crate::engine::repeated::RepeatedSet), a line goes when its
//! normalised form occurs in at least `min_docs` documents of the group and
//! in at least `min_share` of them. Guards keep content:
//! - a line of article length and sentence shape
//!   ([`is_sentence_like`](crate::text::is_sentence_like)) goes only when it
//!   recurs in nearly every page of a group of several pages
//!   ([`Thresholds::is_repeat`]), so a quote that two articles
//!   share, or an article a site carries twice, survives;
//! - a document whose only non-blank content is one line keeps it;
//! - `drop = "keep-first"` keeps the copy in the group's first document in
//!   path order (JSON Lines records: input order), whatever the thread count.
//!
//! A line's normalised fingerprint is the one the counting pass kept for
//! it ([`RepeatedSet::kept_lines`](crate::engine::repeated::RepeatedSet::kept_lines):
//! only for the very text it counted, one per non-blank line), or is made
//! here when none was kept.
//!
//! Without counts for the document (no `--repeated`, or a document that was
//! not counted) or with counts normalised differently, the rule removes
//! nothing.
//!
//! ```toml
//! [[rule]]
//! id = "site-lines"
//! kind = "repeated"
//! min_docs = 2
//! min_share = 0.1
//! drop = "all"
//! fold_digits = true
//! ```

use crate::engine::repeated::Thresholds;
use crate::engine::Ctx;
use crate::matching::text::{self, Normalize};
use crate::rules::DropCopies;
use crate::ruleset::RuleId;

pub(crate) fn apply(
    ctx: &mut Ctx<'_>,
    rule: RuleId,
    min_docs: usize,
    min_share: f64,
    drop: DropCopies,
    normalize: Normalize,
) {
    let Some((set, doc)) = ctx.repeated else {
        return;
    };
    if set.normalize() != normalize {
        return;
    }
    let non_blank = || (0..ctx.len()).filter(|&i| !ctx.is_blank(i));
    if non_blank().take(2).count() < 2 {
        return;
    }
    let group = set.group_size(doc);
    let thresholds = Thresholds {
        min_docs,
        min_share,
    };
    // the counting pass's fingerprints, if it kept them for this text
    // (one per non-blank line: counting them guards the indexing below
    // against two texts of one fingerprint); else they are made here
    let kept = set
        .kept_lines(doc, ctx.doc)
        .filter(|lines| lines.len() == non_blank().count());
    if kept.is_none() {
        text::mark_unnormal(ctx.doc, normalize, ctx.marks);
    }
    // `nth`: the line's rank among the non-blank ones
    let mut nth = 0;
    for i in 0..ctx.len() {
        if ctx.is_blank(i) {
            continue;
        }
        nth += 1;
        if !ctx.is_free(i) {
            continue;
        }
        let line = ctx.line(i);
        let hash = match kept {
            Some(fingerprints) => fingerprints[nth - 1],
            None => {
                let marks = &ctx.marks[ctx.trimmed[i].clone()];
                text::normalized_fingerprint(ctx.trimmed(i), marks, normalize, ctx.norm)
            }
        };
        let Some(stat) = set.stat(doc, hash) else {
            continue;
        };
        if !thresholds.is_repeat(stat.docs, group, line) {
            continue;
        }
        if drop == DropCopies::KeepFirst && stat.first == doc.index {
            continue;
        }
        ctx.claim(i..i + 1, rule);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::engine::repeated::{KeptLines, LineStat, RepeatedSet};
    use crate::engine::{lines, run, Scope, Scratch, FREE};
    use crate::matching::text::{self, Normalize};
    use crate::rules::Source;
    use crate::ruleset::RuleSet;

    /// Keeps of `doc` (lines joined by `|`) as document `index` of a group of
    /// `group` documents where each `(line, docs, first)` has those counts.
    fn kept(rule: &str, counts: &[(&str, u32, u32)], group: u32, index: u32, doc: &str) -> String {
        let text =
            format!("[pack]\nname = \"t\"\n[[rule]]\nid = \"r\"\nkind = \"repeated\"\n{rule}");
        let rules = RuleSet::from_sources(&[Source::new("t.toml", text)]).unwrap();
        let crate::rules::RuleKind::Repeated { normalize, .. } = rules.rules()[0].kind else {
            panic!("not a repeated rule");
        };
        let mut set = RepeatedSet::new(normalize);
        let g = set.add_group("site", group);
        let mut norm = Vec::new();
        for (line, docs, first) in counts {
            text::normalize(line.as_bytes(), normalize, &mut norm);
            set.add_line(
                g,
                text::fingerprint(&norm),
                LineStat {
                    docs: *docs,
                    first: *first,
                },
            );
        }
        set.add_document("site/doc.txt".into(), g, index);
        kept_with(&rules, &set, doc)
    }

    /// Keeps of `doc` (lines joined by `|`) cleaned by `rules` as
    /// `site/doc.txt` of `set`.
    fn kept_with(rules: &RuleSet, set: &RepeatedSet, doc: &str) -> String {
        let doc = doc.replace('|', "\n");
        let mut scratch = Scratch::default();
        let path = Path::new("site/doc.txt");
        run(
            rules,
            Some(path),
            Scope::All,
            doc.as_bytes(),
            set.document(path).map(|doc| (set, doc)),
            &mut scratch,
        );
        let result = scratch.result(0);
        let mut out = Vec::new();
        for (i, range) in result.lines.iter().enumerate() {
            if result.owners[i] == FREE {
                out.push(
                    String::from_utf8_lossy(lines::content(&doc.as_bytes()[range.clone()]))
                        .into_owned(),
                );
            }
        }
        out.join("|")
    }

    /// (rule keys, counts as (line, docs, first), group size, doc index, document, kept)
    type Case<'a> = (
        &'a str,
        &'a [(&'a str, u32, u32)],
        u32,
        u32,
        &'a str,
        &'a str,
    );

    const SENTENCE: &str =
        "The council approved the budget on Tuesday after a debate of six hours.";

    #[test]
    fn cases() {
        #[rustfmt::skip]
        let cases: &[Case<'_>] = &[
            // (rule keys, counts, group size, doc index, document, kept)
            ("", &[("Home", 10, 0), ("Follow Us:", 10, 0)], 10, 3, "Home|Story text here|Follow Us:", "Story text here"),
            // below min_docs or min_share: kept
            ("min_docs = 3\n", &[("Home", 2, 0)], 10, 3, "Home|text", "Home|text"),
            ("min_share = 0.5\n", &[("Home", 4, 0)], 10, 3, "Home|text", "Home|text"),
            // whitespace is folded by default; case only with fold_case
            ("", &[("Follow  us:", 10, 0)], 10, 3, " Follow us: |text", "text"),
            ("", &[("follow us:", 10, 0)], 10, 3, "Follow Us:|text", "Follow Us:|text"),
            ("fold_case = true\n", &[("follow us:", 10, 0)], 10, 3, "Follow Us:|text", "text"),
            ("fold_digits = true\n", &[("(c) 2019 Example Ltd", 10, 0)], 10, 3, "(c) 2021 Example Ltd|text", "text"),
            // a sentence in 2 of 10 documents (a shared quote) stays; in every page it goes
            ("", &[(SENTENCE, 2, 0)], 10, 3, "Home|x", "Home|x"),
            ("", &[(SENTENCE, 2, 0)], 10, 3, &format!("{SENTENCE}|x"), &format!("{SENTENCE}|x")),
            ("", &[(SENTENCE, 10, 0)], 10, 3, &format!("{SENTENCE}|x"), "x"),
            // the same article twice on a two-page site keeps its sentences
            ("", &[(SENTENCE, 2, 0), ("Home", 2, 0)], 2, 1, &format!("Home|{SENTENCE}"), SENTENCE),
            // the only non-blank line of a document stays
            ("", &[("Home", 10, 0)], 10, 3, "|Home|", "|Home"),
            // keep-first: the first document keeps its copy, the others drop theirs
            ("drop = \"keep-first\"\n", &[("Home", 10, 0)], 10, 0, "Home|x", "Home|x"),
            ("drop = \"keep-first\"\n", &[("Home", 10, 0)], 10, 1, "Home|x", "x"),
        ];
        for (rule, counts, group, index, doc, want) in cases {
            assert_eq!(
                kept(rule, counts, *group, *index, doc),
                *want,
                "rule {rule:?} doc {doc:?}"
            );
        }
    }

    #[test]
    fn fingerprints_kept_by_the_counting_pass_stand_for_the_lines() {
        let text = "[pack]\nname = \"t\"\n[[rule]]\nid = \"r\"\nkind = \"repeated\"\n";
        let rules = RuleSet::from_sources(&[Source::new("t.toml", text.to_string())]).unwrap();
        let (home, story) = (text::fingerprint(b"Home"), text::fingerprint(b"Story"));
        let cases: &[(&[u64], &str)] = &[
            // the lines' own fingerprints: what fingerprinting them gives
            (&[home, story], "|Story"),
            // read in place of the lines: the story line now reads as a repeat
            (&[home, home], ""),
            // one per non-blank line or none: the lines are fingerprinted
            (&[home, home, home], "|Story"),
        ];
        for (fingerprints, want) in cases {
            let mut set = RepeatedSet::new(Normalize::default());
            let g = set.add_group("site", 10);
            set.add_line(g, home, LineStat { docs: 10, first: 0 });
            set.add_document("site/doc.txt".into(), g, 3);
            let doc = set.document(Path::new("site/doc.txt")).unwrap();
            let kept = |text: &[u8]| KeptLines {
                document: text::fingerprint(text),
                lines: fingerprints.to_vec().into(),
            };
            set.add_kept_lines(
                g,
                [(doc.index, kept(b"Home\n\nStory"))].into_iter().collect(),
            );
            let got = kept_with(&rules, &set, "Home||Story");
            assert_eq!(got, *want, "{fingerprints:?}");
            // kept for another text (one edited since, or another input's
            // file of the same name): the lines are fingerprinted
            set.add_kept_lines(
                g,
                [(doc.index, kept(b"Home\n\nStory\n"))]
                    .into_iter()
                    .collect(),
            );
            assert_eq!(kept_with(&rules, &set, "Home||Story"), "|Story");
        }
    }

    #[test]
    fn kept_fingerprints_count_the_lines_earlier_rules_removed() {
        // a `line` rule removes "Home" before the `repeated` rule runs: the
        // third non-blank line still reads the third kept fingerprint
        let text = concat!(
            "[pack]\nname = \"t\"\n",
            "[[rule]]\nid = \"home\"\nkind = \"line\"\nmatch = { line = \"Home\" }\n",
            "[[rule]]\nid = \"r\"\nkind = \"repeated\"\n",
        );
        let rules = RuleSet::from_sources(&[Source::new("t.toml", text.to_string())]).unwrap();
        let [home, story, menu] = [b"Home", &b"Story"[..], b"Menu"].map(text::fingerprint);
        let mut set = RepeatedSet::new(Normalize::default());
        let g = set.add_group("site", 10);
        for line in [home, menu] {
            set.add_line(g, line, LineStat { docs: 10, first: 0 });
        }
        set.add_document("site/doc.txt".into(), g, 3);
        let doc = set.document(Path::new("site/doc.txt")).unwrap();
        let kept = KeptLines {
            document: text::fingerprint(b"Home\nStory\nMenu"),
            lines: vec![home, story, menu].into(),
        };
        set.add_kept_lines(g, [(doc.index, kept)].into_iter().collect());
        assert_eq!(kept_with(&rules, &set, "Home|Story|Menu"), "Story");
    }

    #[test]
    fn counts_normalised_otherwise_remove_nothing() {
        // the rule folds case, the counts do not: nothing is assumed
        let rule = "fold_case = true\n";
        let text =
            format!("[pack]\nname = \"t\"\n[[rule]]\nid = \"r\"\nkind = \"repeated\"\n{rule}");
        let rules = RuleSet::from_sources(&[Source::new("t.toml", text)]).unwrap();
        let mut set = RepeatedSet::new(Normalize::default());
        let g = set.add_group("", 10);
        set.add_line(
            g,
            text::fingerprint(b"home"),
            LineStat { docs: 10, first: 0 },
        );
        set.add_document("d.txt".into(), g, 1);
        let mut scratch = Scratch::default();
        run(
            &rules,
            Some(Path::new("d.txt")),
            Scope::All,
            b"home\nx\n",
            set.document(Path::new("d.txt")).map(|doc| (&set, doc)),
            &mut scratch,
        );
        assert!(scratch.result(0).owners.iter().all(|o| *o == FREE));
    }
}
