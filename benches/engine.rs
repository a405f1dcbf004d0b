//! Engine throughput, one thread, on an in-memory corpus generated from
//! `seeds/` (benches, like tests, use only what the repository ships), in MB/s, for the built-in packs
//! alone and with generated packs added, to show how cost grows with the
//! number of rules:
//!
//! - `builtin`: the built-in packs;
//! - `builtin+1000-literals`: plus 1,000 `line` rules of whole-line literals;
//! - `builtin+100-regexes`: plus 100 `line` rules of regexes;
//! - `builtin-fresh`: the built-in packs loaded anew (untimed) before each
//!   pass, so that, as in a real run, the pass compiles the regexes its
//!   lines need (built-in regexes are compiled on first use), builds their
//!   lazy DFAs and fills the memo of regex answers.
//!
//! Pages go to the cleaner in batches, as `cruftless clean` sends them. The
//! first three reuse one rule set, so from the second pass on the memo
//! remembers lines of the pass before (a real run meets each page once):
//! they are the optimistic figure, `builtin-fresh` (every regex compiled and
//! every DFA state built again on 7 MB) the pessimistic one.
//!
//! Run with `cargo bench --bench engine`.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};

use cruftless::corpus::BATCH;
use cruftless::rules::load::builtin_sources;
use cruftless::rules::Source;
use cruftless::{CleanOptions, Cleaner, RuleSet};

/// Pages in the corpus (about 7 MB).
const PAGES: usize = 2000;

/// A tiny deterministic generator, so the corpus is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

/// The seed pages, their article paragraphs (lines over 200 bytes) replaced
/// by other seeds' paragraphs with words shuffled, so pages differ while
/// their cruft stays, as in a real scrape.
fn corpus() -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let mut seeds: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    seeds.sort();
    let paragraphs: Vec<&str> = seeds
        .iter()
        .flat_map(|s| s.lines())
        .filter(|l| l.len() > 200)
        .collect();
    let mut rng = Lcg(1);
    (0..PAGES)
        .map(|i| {
            let page: Vec<String> = seeds[i % seeds.len()]
                .split('\n')
                .map(|line| {
                    if line.len() <= 200 || rng.next(10) < 3 {
                        return line.to_string();
                    }
                    let mut words: Vec<&str> =
                        paragraphs[rng.next(paragraphs.len())].split(' ').collect();
                    for k in (1..words.len()).rev() {
                        words.swap(k, rng.next(k + 1));
                    }
                    words.join(" ")
                })
                .collect();
            page.join("\n").into_bytes()
        })
        .collect()
}

/// A pack of `n` `line` rules matching generated whole-line literals, half of
/// them case-insensitive.
fn literal_pack(n: usize) -> Source {
    let mut text = String::from("[pack]\nname = \"gen-literals\"\n");
    for i in 0..n {
        let case = if i % 2 == 0 {
            ""
        } else {
            ", case = \"insensitive\""
        };
        text.push_str(&format!(
            "[[rule]]\nid = \"lit-{i}\"\nkind = \"line\"\nmatch = {{ line = \"Generated cruft line number {i}\"{case} }}\n"
        ));
    }
    Source::new("gen-literals.toml", text)
}

/// A pack of `n` `line` rules matching generated regexes of the shapes rule
/// packs use: anchored alternations, counters, and phrases inside a line.
fn regex_pack(n: usize) -> Source {
    let mut text = String::from("[pack]\nname = \"gen-regexes\"\n");
    for i in 0..n {
        let regex = match i % 4 {
            0 => format!(
                r"^(share|send|post) (this|the) widget{i}( (on|to|via) (facebook|twitter|email))?[.!]?$"
            ),
            1 => format!(r"^\d+ (gadgets?|gizmos?) {i} (so far|today)$"),
            2 => format!(r"\bpowered by widgetco{i}\b"),
            _ => format!(r"^(read|see|view) more (about|on) \w+ in section {i}\.?$"),
        };
        text.push_str(&format!(
            "[[rule]]\nid = \"re-{i}\"\nkind = \"line\"\nmatch = {{ regex = '{regex}', case = \"insensitive\" }}\n"
        ));
    }
    Source::new("gen-regexes.toml", text)
}

fn rules_with(extra: Option<Source>) -> RuleSet {
    let mut sources: Vec<Source> = builtin_sources().collect();
    sources.extend(extra);
    RuleSet::from_sources(&sources).unwrap_or_else(|e| panic!("{e}"))
}

fn bench(c: &mut Criterion) {
    let docs = corpus();
    let bytes: usize = docs.iter().map(Vec::len).sum();
    let configs = [
        ("builtin", rules_with(None)),
        (
            "builtin+1000-literals",
            rules_with(Some(literal_pack(1000))),
        ),
        ("builtin+100-regexes", rules_with(Some(regex_pack(100)))),
    ];
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::BytesDecimal(bytes as u64));
    group.sample_size(10);
    for (name, rules) in &configs {
        group.bench_function(*name, |b| b.iter(|| clean_all(rules, &docs)));
    }
    group.bench_function("builtin-fresh", |b| {
        b.iter_batched(
            || rules_with(None),
            // the rules are returned, so they are dropped untimed
            |rules| (clean_all(&rules, &docs), rules),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// Cleans every page, [`BATCH`] at a time and with the options `cruftless
/// clean` uses (removals summed by owner, not listed run by run); the
/// bytes of output.
fn clean_all(rules: &RuleSet, docs: &[Vec<u8>]) -> usize {
    let options = CleanOptions {
        list_removals: false,
        ..CleanOptions::default()
    };
    let cleaner = Cleaner::with_options(rules, options);
    docs.chunks(BATCH)
        .map(|batch| {
            let batch: Vec<_> = batch.iter().map(|d| (None, d.as_slice())).collect();
            let cleaned = cleaner.clean_batch(&batch);
            cleaned.iter().map(|c| c.text.len()).sum::<usize>()
        })
        .sum()
}

criterion_group!(benches, bench);
criterion_main!(benches);
