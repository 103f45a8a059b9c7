//! The label-similarity kernel side by side with rapidfuzz on the same pairs:
//! every need label of the demo templates against every distinct skill label
//! of the national data set.
//!
//! `cargo bench -p participatienetwerk-benches --bench similarity`
//!
//! * `ours_full`: the engine's similarity (exact key, taxonomy relations,
//!   stem overlap, edit similarity behind a cheap bound), as a query runs it;
//! * `ours_edit`: the edit similarity alone (strsim), no bound;
//! * `rapidfuzz_edit`: rapidfuzz's normalised Levenshtein with the same
//!   cut-off, one cached comparator per need (its fastest one-to-many form).

use criterion::{criterion_group, criterion_main, Criterion};
use participatienetwerk::score::{similarity, Query};
use participatienetwerk::text::fold;
use participatienetwerk::{Config, Matcher, Settings};
use rapidfuzz::distance::levenshtein;
use std::hint::black_box;

fn kernel(c: &mut Criterion) {
    let data = participatienetwerk_benches::national(200_000, 2_000);
    let m = Matcher::new(data.experts.clone(), Settings { registry: data.registry.clone(), ..Settings::default() })
        .expect("valid demo data");
    let config = Config::default();
    let labels: Vec<String> = m.label_texts().map(str::to_owned).collect();
    let mut needs: Vec<String> =
        data.initiatives.iter().flat_map(|i| i.needs.iter().map(|n| n.label.clone())).collect();
    needs.sort();
    needs.dedup();
    let queries: Vec<Query> = needs
        .iter()
        .map(|label| {
            let mut i = data.initiatives[0].clone();
            i.needs.truncate(1);
            i.needs[0].label = label.clone();
            m.query(&i).expect("valid")
        })
        .collect();
    let terms: Vec<_> = m.label_terms().collect();
    let folded: Vec<String> = needs.iter().map(|n| fold(n)).collect();
    let pairs = needs.len() * labels.len();
    println!("{} need labels x {} skill labels = {pairs} pairs", needs.len(), labels.len());

    // Agreement: where both edit similarities pass the cut-off they are equal.
    let args = levenshtein::Args::default().score_cutoff(config.fuzzy_cutoff);
    let mut checked = 0;
    for n in &folded {
        for l in &labels {
            let a = strsim::normalized_levenshtein(n, l);
            let b = levenshtein::normalized_similarity_with_args(n.chars(), l.chars(), &args);
            if a >= config.fuzzy_cutoff {
                let b = b.expect("rapidfuzz agrees the pair passes");
                assert!((a - b).abs() < 1e-12, "{n} / {l}: {a} vs {b}");
                checked += 1;
            }
        }
    }
    println!("{checked} pairs above the cut-off agree between strsim and rapidfuzz");

    let mut g = c.benchmark_group(format!("similarity_{pairs}_pairs"));
    g.sample_size(10);
    g.bench_function("ours_full", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for q in &queries {
                for t in &terms {
                    hits += (similarity(&q.needs[0], t, &config).0 > 0.0) as usize;
                }
            }
            black_box(hits)
        })
    });
    g.bench_function("ours_edit", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for n in &folded {
                for l in &labels {
                    hits += (strsim::normalized_levenshtein(n, l) >= config.fuzzy_cutoff) as usize;
                }
            }
            black_box(hits)
        })
    });
    g.bench_function("rapidfuzz_edit", |b| {
        b.iter(|| {
            let mut hits = 0usize;
            for n in &folded {
                let cmp = levenshtein::BatchComparator::new(n.chars());
                for l in &labels {
                    hits += cmp.normalized_similarity_with_args(l.chars(), &args).is_some() as usize;
                }
            }
            black_box(hits)
        })
    });
    g.finish();
}

criterion_group!(benches, kernel);
criterion_main!(benches);
