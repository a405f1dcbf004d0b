//! Engine throughput on an in-memory corpus generated from `seeds/`
//! (benches never read `../shared`). Reports MB/s per configuration.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use cruftless::{Cleaner, RuleSet};

/// About 8 MB of pages: the seeds, repeated with their article lines varied.
fn corpus() -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    seeds.sort();
    (0..2000)
        .map(|i| {
            let mut page = seeds[i % seeds.len()].clone();
            page.extend_from_slice(format!("\nPage {i} ends here.\n").as_bytes());
            page
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let docs = corpus();
    let bytes: usize = docs.iter().map(Vec::len).sum();
    let rules = RuleSet::builtin().unwrap();
    let mut group = c.benchmark_group("engine");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.bench_function("builtin", |b| {
        let cleaner = Cleaner::new(&rules);
        b.iter(|| {
            docs.iter()
                .map(|d| cleaner.clean(d).text.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
