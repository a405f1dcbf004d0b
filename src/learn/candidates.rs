//! Candidate rules from counts: which repeated lines and blocks to propose,
//! with their text, and the TOML pack that proposes them.
//!
//! Counts hold no text, so a second pass reads the documents again and keeps
//! the text of the lines that pass the thresholds only. Consecutive repeated
//! lines that always occur together (the pair's count equals each line's)
//! become one `block` rule; the others become `line` rules.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use rustc_hash::FxHashSet;

use super::count::{line_fingerprints, pair_fingerprint, path_key, positions, Counts, Grouping};
use crate::corpus::{self, Document, Entry};
use crate::engine::repeated::Thresholds;
use crate::matching::text::{self, Normalize};

/// Most lines of one proposed block (longer runs are cut into several).
const MAX_BLOCK_LINES: usize = 12;
/// Example files named per candidate.
const EXAMPLES: usize = 2;

/// One proposed rule: a repeated line, or a block of lines that occur together.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The group it repeats in.
    pub group: String,
    /// Its lines, trimmed, as in the first document that holds them.
    pub lines: Vec<String>,
    /// Documents of the group that hold it.
    pub docs: u32,
    /// Documents in the group.
    pub group_docs: u32,
    /// Up to two documents that hold it, in the group's order (relative
    /// paths of files, `FILE:LINE` of records).
    pub examples: Vec<String>,
}

impl Candidate {
    /// Bytes it would remove from the group: documents × text length.
    pub fn weight(&self) -> u64 {
        let len: usize = self.lines.iter().map(String::len).sum();
        u64::from(self.docs) * len as u64
    }

    /// Share of the group's documents that hold it.
    pub fn share(&self) -> f64 {
        f64::from(self.docs) / f64::from(self.group_docs.max(1))
    }
}

/// Reads `entries` again (in path order) and returns the candidates that
/// pass `thresholds` in `counts`, heaviest first (ties by group and text).
/// Unreadable or binary documents are passed over.
pub fn candidates(
    counts: &Counts,
    entries: &[Entry],
    grouping: &Grouping,
    thresholds: Thresholds,
    threads: usize,
) -> Vec<Candidate> {
    let positions = positions(entries, grouping);
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| positions[a].cmp(&positions[b]));
    let ordered: Vec<Entry> = order.iter().map(|&i| entries[i].clone()).collect();
    let mut finder = Finder::new(counts, thresholds);
    let work = |entry: &Entry| match corpus::read(entry) {
        Ok(Document::Text(bytes)) => Some(bytes),
        _ => None,
    };
    corpus::for_each_ordered(&ordered, threads, work, |entry, bytes| {
        if let Some(bytes) = bytes {
            finder.add(&grouping.group_of(&entry.rel), path_key(&entry.rel), &bytes);
        }
    });
    finder.finish()
}

/// Finds candidates in the documents of counted groups, handed over in each
/// group's order: the text of a candidate is its first document's, and its
/// examples are its first documents.
pub(super) struct Finder<'c> {
    counts: &'c Counts,
    thresholds: Thresholds,
    found: BTreeMap<(String, Vec<u64>), Candidate>,
    claimed: FxHashSet<(String, u64)>,
    hashes: Vec<u64>,
}

impl<'c> Finder<'c> {
    pub(super) fn new(counts: &'c Counts, thresholds: Thresholds) -> Finder<'c> {
        Finder {
            counts,
            thresholds,
            found: BTreeMap::new(),
            claimed: FxHashSet::default(),
            hashes: Vec::new(),
        }
    }

    /// Looks for candidates in `doc`, a document of the group `group_name`
    /// named `name` in examples (without its byte order mark, as counted);
    /// documents of groups not counted are passed over.
    pub(super) fn add(&mut self, group_name: &str, name: String, doc: &[u8]) {
        let Some(group) = self.counts.groups.get(group_name) else {
            return;
        };
        let doc = text::strip_bom(doc);
        let group_docs = group.docs();
        let lines: Vec<&[u8]> = doc
            .split(|b| *b == b'\n')
            .map(text::trim)
            .filter(|l| !l.is_empty())
            .collect();
        line_fingerprints(doc, self.counts.normalize, &mut self.hashes);
        let hashes = &self.hashes;
        let thresholds = self.thresholds;
        let repeat = |i: usize| {
            group
                .lines
                .get(&hashes[i])
                .filter(|t| thresholds.is_repeat(t.docs, group_docs, lines[i]))
                .map(|t| t.docs)
        };
        let mut i = 0;
        while i < lines.len() {
            let Some(docs) = repeat(i) else {
                i += 1;
                continue;
            };
            let mut end = i + 1;
            while end < lines.len() && end - i < MAX_BLOCK_LINES && repeat(end) == Some(docs) {
                let pair = pair_fingerprint(hashes[end - 1], hashes[end]);
                if group.pairs.get(&pair).map(|t| t.docs) != Some(docs) {
                    break;
                }
                end += 1;
            }
            let key = (group_name.to_string(), hashes[i..end].to_vec());
            if let Some(candidate) = self.found.get_mut(&key) {
                if candidate.examples.len() < EXAMPLES && !candidate.examples.contains(&name) {
                    candidate.examples.push(name.clone());
                }
            } else if hashes[i..end]
                .iter()
                .all(|h| !self.claimed.contains(&(group_name.to_string(), *h)))
            {
                for h in &hashes[i..end] {
                    self.claimed.insert((group_name.to_string(), *h));
                }
                let candidate = Candidate {
                    group: group_name.to_string(),
                    lines: lines[i..end]
                        .iter()
                        .map(|l| String::from_utf8_lossy(l).into_owned())
                        .collect(),
                    docs,
                    group_docs,
                    examples: vec![name.clone()],
                };
                self.found.insert(key, candidate);
            }
            i = end;
        }
    }

    /// The candidates found, heaviest first (ties by group and text).
    pub(super) fn finish(self) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = self.found.into_values().collect();
        out.sort_by(|a, b| {
            b.weight()
                .cmp(&a.weight())
                .then_with(|| a.group.cmp(&b.group))
                .then_with(|| a.lines.cmp(&b.lines))
        });
        out
    }
}

/// Renders candidates as a TOML rule pack named `name`: one rule per
/// candidate, in the given order, each with `why` (documents and share), a
/// comment naming example files, `examples.drop` (its own text) and
/// `examples.keep` (its first line inside a sentence, which no whole-line
/// matcher takes).
pub fn render_pack(name: &str, candidates: &[Candidate], normalize: Normalize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Candidate rules learned by `cruftless learn`: review before use."
    );
    let _ = writeln!(out, "[pack]\nname = {}", quote(name));
    let _ = writeln!(
        out,
        "description = {}",
        quote("Lines and blocks this corpus repeats across documents")
    );
    let mut ids: FxHashSet<String> = FxHashSet::default();
    for candidate in candidates {
        let id = unique_id(&mut ids, &candidate.lines[0]);
        let _ = writeln!(out);
        let group = if candidate.group.is_empty() {
            String::new()
        } else {
            format!(" in {}", candidate.group)
        };
        let _ = writeln!(out, "# e.g. {}", candidate.examples.join(", "));
        let _ = writeln!(out, "[[rule]]\nid = {}", quote(&id));
        let first = &candidate.lines[0];
        let last = &candidate.lines[candidate.lines.len() - 1];
        // a block ends at the first line its `end` matches: that must be its last line
        let matchers: Vec<String> = candidate
            .lines
            .iter()
            .map(|l| matcher_of(l, normalize))
            .collect();
        let block = candidate.lines.len() > 1
            && !matchers[1..].contains(&matchers[0])
            && !matchers[..matchers.len() - 1].contains(&matchers[matchers.len() - 1]);
        if block {
            let _ = writeln!(out, "kind = \"block\"");
            let _ = writeln!(out, "start = {}", matcher_of(first, normalize));
            let _ = writeln!(out, "end = {}", matcher_of(last, normalize));
            let _ = writeln!(out, "max_lines = {}", candidate.lines.len());
        } else {
            let _ = writeln!(out, "kind = \"line\"");
            let matchers = dedup(&matchers);
            if matchers.len() == 1 {
                let _ = writeln!(out, "match = {}", matchers[0]);
            } else {
                let _ = writeln!(out, "match = {{ any = [{}] }}", matchers.join(", "));
            }
        }
        let why = format!(
            "repeated in {} of {} documents ({:.0} %){group}",
            candidate.docs,
            candidate.group_docs,
            candidate.share() * 100.0
        );
        let _ = writeln!(out, "why = {}", quote(&why));
        let drop = candidate.lines.join("\n\n");
        let _ = writeln!(out, "examples.drop = [{}]", quote(&drop));
        let keep = format!("In the report, \u{201c}{first}\u{201d} was quoted in a sentence.");
        let _ = writeln!(out, "examples.keep = [{}]", quote(&keep));
    }
    out
}

fn dedup(lines: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for line in lines {
        if !out.contains(&line.as_str()) {
            out.push(line);
        }
    }
    out
}

/// A TOML matcher equal to the line under `normalize`: a `line` literal, or
/// a regex when whitespace, digits or case are folded.
fn matcher_of(line: &str, normalize: Normalize) -> String {
    let mut folded = Vec::new();
    text::fold_whitespace(line.as_bytes(), &mut folded);
    let folded = String::from_utf8_lossy(&folded).into_owned();
    let case = if normalize.fold_case {
        ", case = \"insensitive\""
    } else {
        ""
    };
    let needs_regex =
        normalize.fold_digits && folded.bytes().any(|b| b.is_ascii_digit()) || folded != line;
    if !needs_regex {
        return format!("{{ line = {}{case} }}", quote(line));
    }
    let mut pattern = String::from("^");
    for word in folded.split(' ').filter(|w| !w.is_empty()) {
        if pattern.len() > 1 {
            pattern.push_str(r"\s+");
        }
        let escaped = regex::escape(word);
        if normalize.fold_digits {
            pattern.push_str(&escaped.replace(|c: char| c.is_ascii_digit(), r"\d"));
        } else {
            pattern.push_str(&escaped);
        }
    }
    pattern.push('$');
    format!("{{ regex = {}{case} }}", quote(&pattern))
}

/// A kebab-case id from the first words of the line, unique among `ids`
/// (the ids given so far): the base, else the base with the first free `-N`.
fn unique_id(ids: &mut FxHashSet<String>, line: &str) -> String {
    let mut base = String::new();
    for word in line
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(5)
    {
        if !base.is_empty() {
            base.push('-');
        }
        base.push_str(&word.to_ascii_lowercase());
    }
    if base.is_empty() {
        base.push_str("line");
    }
    let mut id = base.clone();
    let mut n = 1;
    while ids.contains(&id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    ids.insert(id.clone());
    id
}

/// A TOML basic string.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matchers_equal_the_line_under_normalisation() {
        let plain = Normalize::default();
        let digits = Normalize {
            fold_case: false,
            fold_digits: true,
        };
        let case = Normalize {
            fold_case: true,
            fold_digits: false,
        };
        let cases: &[(&str, Normalize, &str)] = &[
            ("Follow Us:", plain, r#"{ line = "Follow Us:" }"#),
            ("a  b (c)", plain, r#"{ regex = '^a\s+b\s+\(c\)$' }"#),
            ("© 2019 X", digits, r#"{ regex = '^©\s+\d\d\d\d\s+X$' }"#),
            (
                "Sign in",
                case,
                r#"{ line = "Sign in", case = "insensitive" }"#,
            ),
        ];
        for (line, how, want) in cases {
            assert_eq!(matcher_of(line, *how), *want, "{line}");
        }
    }

    #[test]
    fn ids_are_kebab_case_and_unique() {
        let mut ids = FxHashSet::default();
        assert_eq!(unique_id(&mut ids, "Follow Us:"), "follow-us");
        assert_eq!(unique_id(&mut ids, "Follow us"), "follow-us-2");
        assert_eq!(unique_id(&mut ids, "Follow us 2"), "follow-us-2-2");
        assert_eq!(unique_id(&mut ids, "© »"), "line");
    }

    #[test]
    fn proposed_packs_pass_their_own_examples() {
        let candidate = |lines: &[&str]| Candidate {
            group: "site".into(),
            lines: lines.iter().map(|l| l.to_string()).collect(),
            docs: 4,
            group_docs: 5,
            examples: vec!["site/a.txt".into(), "site/b.txt".into()],
        };
        let candidates = [
            candidate(&["Have you registered?", "Register now", "Sign in"]),
            // a block whose last line also comes earlier cannot be a `block` rule
            candidate(&["Shows", "Morning Joe", "Hardball", "Morning Joe"]),
            candidate(&["Follow  us: 2024"]),
        ];
        for how in [
            Normalize::default(),
            Normalize {
                fold_case: true,
                fold_digits: true,
            },
        ] {
            let pack = render_pack("learned", &candidates, how);
            let source = crate::rules::Source::new("learned.toml", pack.clone());
            let rules = crate::RuleSet::from_sources(&[source]).unwrap();
            let report = crate::verify::examples(&rules);
            assert_eq!(report.failures, [], "{pack}");
            assert_eq!(report.checked, 6);
            assert!(pack.contains("kind = \"block\""), "{pack}");
            assert!(pack.contains("# e.g. site/a.txt, site/b.txt"), "{pack}");
            assert!(
                pack.contains("why = \"repeated in 4 of 5 documents (80 %) in site\""),
                "{pack}"
            );
        }
    }
}
