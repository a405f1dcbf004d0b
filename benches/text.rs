//! The per-byte text primitives that every line goes through, one thread,
//! in GB/s over the lines of `seeds/` (benches, like tests, use only what
//! the repository ships): counting words (the guard, `density`,
//! `truncate`), telling sentences from menus, folding whitespace,
//! marking what normalising would change and fingerprinting lines (both
//! passes of `--repeated`).
//!
//! Each of them is written so that the compiler vectorises its loop over
//! bytes; a change that stops it shows here as a drop of several times (a
//! scalar loop runs at well under 1 GB/s), where the engine bench moves by
//! a few per cent. Run with `cargo bench --bench text`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use cruftless::text::{self, Normalize};

/// The non-blank lines of the seed pages, trimmed, repeated to about 1 MB.
fn lines() -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let once: Vec<Vec<u8>> = paths
        .iter()
        .flat_map(|p| {
            let page = std::fs::read(p).unwrap();
            page.split(|&b| b == b'\n')
                .map(|line| text::trim(line).to_vec())
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
        })
        .collect();
    let bytes: usize = once.iter().map(Vec::len).sum();
    let copies = (1 << 20) / bytes.max(1) + 1;
    (0..copies).flat_map(|_| once.iter().cloned()).collect()
}

fn text_primitives(c: &mut Criterion) {
    let lines = lines();
    let bytes: usize = lines.iter().map(Vec::len).sum();
    let doc: Vec<u8> = lines.join(&b'\n');
    let normalize = Normalize {
        fold_case: false,
        fold_digits: true,
    };
    let mut group = c.benchmark_group("text");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("count_words", |b| {
        b.iter(|| lines.iter().map(|l| text::count_words(l)).sum::<usize>())
    });
    group.bench_function("is_sentence_like", |b| {
        b.iter(|| lines.iter().filter(|l| text::is_sentence_like(l)).count())
    });
    let mut out = Vec::new();
    group.bench_function("fold_whitespace", |b| {
        b.iter(|| {
            lines
                .iter()
                .map(|l| {
                    text::fold_whitespace(l, &mut out);
                    out.len()
                })
                .sum::<usize>()
        })
    });
    let mut marks = Vec::new();
    group.bench_function("mark_unnormal", |b| {
        b.iter(|| {
            text::mark_unnormal(&doc, normalize, &mut marks);
            marks.len()
        })
    });
    text::mark_unnormal(&doc, normalize, &mut marks);
    let mut norm = Vec::new();
    group.bench_function("normalized_fingerprint", |b| {
        b.iter(|| {
            let mut at = 0;
            let mut all = 0u64;
            for line in &lines {
                let range = at..at + line.len();
                all ^= text::normalized_fingerprint(line, &marks[range], normalize, &mut norm);
                at += line.len() + 1;
            }
            all
        })
    });
    group.finish();
}

criterion_group!(benches, text_primitives);
criterion_main!(benches);
