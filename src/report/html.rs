//! The review page: one self-contained HTML file for a whole corpus.
//!
//! [`HtmlReportBuilder`] takes documents one at a time, in path order, and
//! keeps only what the page shows: per-rule totals, a bounded, deterministic
//! sample of each rule's removals with context, the documents with the highest
//! removed share, and a histogram of removed shares. [`render`] turns the
//! [`HtmlReport`] into HTML with minijinja, which escapes every value: page
//! text is untrusted and must show as text, never run.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use serde::Serialize;

use crate::clean::{Cleaned, Owner};
use crate::engine::lines;
use crate::ruleset::RuleSet;

/// Kept lines shown on each side of a sampled removal.
const CONTEXT: usize = 2;
/// Lines of one removal shown in a sample; the rest are counted.
const SAMPLE_LINES: usize = 8;
/// Lines of one document shown in the per-document view.
const DOCUMENT_LINES: usize = 400;
/// Bins of the removed-share histogram.
const BINS: usize = 10;
/// Characters of one line shown; longer lines are cut with an ellipsis.
const LINE_CHARS: usize = 400;

/// Everything the review page shows.
#[derive(Debug, Clone, Serialize)]
pub struct HtmlReport {
    /// Corpus totals.
    pub summary: Totals,
    /// One row per owner that removed something: rules in load order, then tidy.
    pub rules: Vec<RuleRow>,
    /// Documents with the highest removed share, highest first.
    pub documents: Vec<DocumentView>,
    /// Documents per removed-share bin (`[i/10, (i+1)/10)`, the last bin closed).
    pub histogram: Vec<usize>,
    /// What the page leaves out to stay small.
    pub omitted: Omitted,
}

/// Corpus totals.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// Documents cleaned.
    pub documents: usize,
    /// Bytes read.
    pub bytes_in: u64,
    /// Bytes kept.
    pub bytes_out: u64,
    /// Share of bytes removed.
    pub removed_share: f64,
    /// Wall time in seconds (left out of snapshots).
    #[serde(skip)]
    pub seconds: f64,
    /// The packs used: `name (file)`.
    pub packs: Vec<String>,
}

/// One rule's figures and samples.
#[derive(Debug, Clone, Serialize)]
pub struct RuleRow {
    /// `pack/id`, or `tidy`.
    pub name: String,
    /// The rule kind (`tidy` for tidying).
    pub kind: String,
    /// Why the rule exists.
    pub why: String,
    /// Where it is defined, `file:line` (empty for tidy).
    pub location: String,
    /// Documents it removed something from.
    pub documents: usize,
    /// Lines it removed.
    pub lines: usize,
    /// Bytes it removed.
    pub bytes: usize,
    /// Its share of all removed bytes.
    pub share: f64,
    /// Sampled removals, in path then line order.
    pub samples: Vec<Sample>,
}

/// One sampled removal with its context.
#[derive(Debug, Clone, Serialize)]
pub struct Sample {
    /// The document.
    pub path: String,
    /// Lines shown: context before, the removed lines, context after.
    pub lines: Vec<LineView>,
    /// Removed lines not shown.
    pub more: usize,
}

/// One line as shown.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LineView {
    /// 1-based line number.
    pub number: usize,
    /// The text, decoded lossily for display only.
    pub text: String,
    /// The rule that removed it, if removed.
    pub rule: Option<String>,
}

/// One document as shown.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    /// Its path.
    pub path: String,
    /// Share of its bytes removed.
    pub removed_share: f64,
    /// Its lines (at most a few hundred).
    pub lines: Vec<LineView>,
    /// Lines not shown.
    pub more: usize,
}

/// What was left out.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Omitted {
    /// Removals not sampled.
    pub samples: usize,
    /// Documents not shown in full.
    pub documents: usize,
}

#[derive(Debug, Default)]
struct RuleTally {
    documents: usize,
    lines: usize,
    bytes: usize,
    /// (sort key, sample); the smallest keys are kept.
    samples: Vec<(u64, Sample)>,
}

/// Collects documents into an [`HtmlReport`], in bounded memory.
#[derive(Debug)]
pub struct HtmlReportBuilder<'r> {
    rules: &'r RuleSet,
    sample: usize,
    max_documents: usize,
    totals: Totals,
    tallies: BTreeMap<Owner, RuleTally>,
    documents: Vec<(f64, DocumentView)>,
    histogram: Vec<usize>,
    removals: usize,
}

impl<'r> HtmlReportBuilder<'r> {
    /// A builder keeping up to `sample` removals per rule and `max_documents` documents.
    pub fn new(rules: &'r RuleSet, sample: usize, max_documents: usize) -> Self {
        HtmlReportBuilder {
            rules,
            sample,
            max_documents,
            totals: Totals {
                packs: rules
                    .packs()
                    .iter()
                    .map(|p| format!("{} ({})", p.name, p.file))
                    .collect(),
                ..Totals::default()
            },
            tallies: BTreeMap::new(),
            documents: Vec::new(),
            histogram: vec![0; BINS],
            removals: 0,
        }
    }

    /// Adds one cleaned document.
    pub fn add(&mut self, path: &Path, input: &[u8], cleaned: &Cleaned) {
        let path = path.display().to_string();
        let doc = input.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(input);
        let mut ranges = Vec::new();
        lines::split(doc, &mut ranges);
        let removed: usize = cleaned.removals.iter().map(|r| r.bytes.len()).sum();
        let share = if input.is_empty() {
            0.0
        } else {
            removed as f64 / input.len() as f64
        };
        self.totals.documents += 1;
        self.totals.bytes_in += input.len() as u64;
        self.totals.bytes_out += cleaned.text.len() as u64;
        self.histogram[((share * BINS as f64) as usize).min(BINS - 1)] += 1;
        let mut owner_of = vec![None; ranges.len()];
        for removal in &cleaned.removals {
            for line in removal.lines.clone() {
                owner_of[line] = Some(removal.owner);
            }
        }
        let rules = self.rules;
        let view = |i: usize| LineView {
            number: i + 1,
            text: display(lines::content(&doc[ranges[i].clone()])),
            rule: owner_of[i].map(|o| owner_name(rules, o)),
        };
        let mut seen = Vec::new();
        for removal in &cleaned.removals {
            self.removals += 1;
            let tally = self.tallies.entry(removal.owner).or_default();
            if !seen.contains(&removal.owner) {
                seen.push(removal.owner);
                tally.documents += 1;
            }
            tally.lines += removal.lines.len();
            tally.bytes += removal.bytes.len();
            let key = sample_key(&path, removal.lines.start);
            let full = tally.samples.len() >= self.sample;
            if self.sample == 0 || (full && tally.samples.iter().all(|(k, _)| *k < key)) {
                continue;
            }
            let from = removal.lines.start.saturating_sub(CONTEXT);
            let shown_end = removal.lines.end.min(removal.lines.start + SAMPLE_LINES);
            let to = (removal.lines.end + CONTEXT).min(ranges.len());
            let lines: Vec<LineView> = (from..shown_end)
                .chain(removal.lines.end..to)
                .map(view)
                .collect();
            let sample = Sample {
                path: path.clone(),
                lines,
                more: removal.lines.end - shown_end,
            };
            let tally = self.tallies.get_mut(&removal.owner).expect("tally exists");
            tally.samples.push((key, sample));
            if tally.samples.len() > self.sample {
                let worst = (0..tally.samples.len())
                    .max_by_key(|&i| tally.samples[i].0)
                    .expect("non-empty");
                tally.samples.swap_remove(worst);
            }
        }
        if self.max_documents > 0 && !cleaned.removals.is_empty() {
            let full = self.documents.len() >= self.max_documents;
            let lowest = self
                .documents
                .iter()
                .map(|(s, _)| *s)
                .fold(f64::INFINITY, f64::min);
            if !full || share > lowest {
                let shown = ranges.len().min(DOCUMENT_LINES);
                self.documents.push((
                    share,
                    DocumentView {
                        path,
                        removed_share: share,
                        lines: (0..shown).map(view).collect(),
                        more: ranges.len() - shown,
                    },
                ));
                if self.documents.len() > self.max_documents {
                    let (i, _) = self
                        .documents
                        .iter()
                        .enumerate()
                        .min_by(|a, b| a.1 .0.total_cmp(&b.1 .0))
                        .expect("non-empty");
                    self.documents.remove(i);
                }
            }
        }
    }

    /// The finished report; `seconds` is the wall time to show.
    pub fn finish(mut self, seconds: f64) -> HtmlReport {
        let removed_bytes: usize = self.tallies.values().map(|t| t.bytes).sum();
        self.totals.seconds = seconds;
        self.totals.removed_share = if self.totals.bytes_in == 0 {
            0.0
        } else {
            1.0 - self.totals.bytes_out as f64 / self.totals.bytes_in as f64
        };
        let mut sampled = 0;
        let rules = std::mem::take(&mut self.tallies)
            .into_iter()
            .map(|(owner, mut tally)| {
                tally.samples.sort_by(|a, b| {
                    (a.1.path.as_str(), a.1.lines.first().map(|l| l.number))
                        .cmp(&(b.1.path.as_str(), b.1.lines.first().map(|l| l.number)))
                });
                sampled += tally.samples.len();
                let (kind, why, location) = match owner {
                    Owner::Rule(id) => {
                        let rule = self.rules.rule(id);
                        (
                            rule.kind.name().to_string(),
                            rule.why.clone(),
                            format!("{}:{}", rule.location.file, rule.location.line),
                        )
                    }
                    Owner::Tidy => (
                        "tidy".to_string(),
                        "blank lines squeezed, leading and trailing blank lines removed"
                            .to_string(),
                        String::new(),
                    ),
                };
                RuleRow {
                    name: owner_name(self.rules, owner),
                    kind,
                    why,
                    location,
                    documents: tally.documents,
                    lines: tally.lines,
                    bytes: tally.bytes,
                    share: if removed_bytes == 0 {
                        0.0
                    } else {
                        tally.bytes as f64 / removed_bytes as f64
                    },
                    samples: tally.samples.into_iter().map(|(_, s)| s).collect(),
                }
            })
            .collect();
        self.documents
            .sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.path.cmp(&b.1.path)));
        let shown = self.documents.len();
        HtmlReport {
            summary: self.totals,
            rules,
            documents: self.documents.into_iter().map(|(_, d)| d).collect(),
            histogram: self.histogram,
            omitted: Omitted {
                samples: self.removals - sampled,
                documents: 0,
            },
        }
        .with_omitted_documents(shown)
    }
}

/// `pack/id`, or `tidy`.
fn owner_name(rules: &RuleSet, owner: Owner) -> String {
    match owner {
        Owner::Rule(id) => rules.name(id),
        Owner::Tidy => "tidy".to_string(),
    }
}

impl HtmlReport {
    fn with_omitted_documents(mut self, shown: usize) -> Self {
        self.omitted.documents = self.summary.documents - shown;
        self
    }
}

/// Lossy text for display, cut to a readable length.
fn display(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    match text.char_indices().nth(LINE_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

/// A deterministic pseudo-random key (FNV-1a) so samples spread over the corpus.
fn sample_key(path: &str, line: usize) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in path.bytes().chain(line.to_le_bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

const TEMPLATE: &str = include_str!("report.html.j2");

/// Writes the report as one self-contained HTML page (inline CSS and JS).
///
/// # Errors
/// Writing to `out` failed.
pub fn render(report: &HtmlReport, out: &mut dyn Write) -> std::io::Result<()> {
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    env.add_template("report.html", TEMPLATE)
        .map_err(std::io::Error::other)?;
    let template = env
        .get_template("report.html")
        .map_err(std::io::Error::other)?;
    let bar_max = report.histogram.iter().copied().max().unwrap_or(0).max(1);
    let html = template
        .render(minijinja::context! {
            report => report,
            seconds => format!("{:.2}", report.summary.seconds),
            bar_max => bar_max,
        })
        .map_err(std::io::Error::other)?;
    out.write_all(html.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Source;
    use crate::Cleaner;

    fn rules() -> RuleSet {
        let text = "[pack]\nname = \"t\"\n[[rule]]\nid = \"x\"\nkind = \"line\"\nmatch = { line = \"X\" }\nwhy = \"test\"\n";
        RuleSet::from_sources(&[Source::new("t.toml", text.to_string())]).unwrap()
    }

    #[test]
    fn samples_are_bounded_and_deterministic() {
        let rules = rules();
        let cleaner = Cleaner::new(&rules);
        let build = |order: &[usize]| {
            let mut builder = HtmlReportBuilder::new(&rules, 3, 2);
            for &i in order {
                let doc =
                    format!("article line {i} with enough words to be kept by the guard here\nX\n");
                let cleaned = cleaner.clean(doc.as_bytes());
                builder.add(Path::new(&format!("d{i}.txt")), doc.as_bytes(), &cleaned);
            }
            builder.finish(0.0)
        };
        let report = build(&(0..20).collect::<Vec<_>>());
        assert_eq!(report.rules[0].samples.len(), 3);
        assert_eq!(report.rules[0].documents, 20);
        assert_eq!(report.omitted.samples, 17);
        assert_eq!(report.documents.len(), 2);
        assert_eq!(report.omitted.documents, 18);
        let reversed = build(&(0..20).rev().collect::<Vec<_>>());
        let paths = |r: &HtmlReport| {
            r.rules[0]
                .samples
                .iter()
                .map(|s| s.path.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(paths(&report), paths(&reversed));
    }

    #[test]
    fn page_text_is_escaped() {
        let rules = rules();
        let doc = b"<script>alert(1)</script> and enough words to keep this document here\nX\n";
        let cleaned = Cleaner::new(&rules).clean(doc);
        let mut builder = HtmlReportBuilder::new(&rules, 5, 5);
        builder.add(Path::new("<img src=x onerror=alert(1)>.txt"), doc, &cleaned);
        let mut html = Vec::new();
        render(&builder.finish(0.0), &mut html).unwrap();
        let html = String::from_utf8(html).unwrap();
        assert!(!html.contains("<script>alert(1)"));
        assert!(!html.contains("<img src=x"));
        assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"));
    }
}
