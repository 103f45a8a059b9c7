//! Criterion benchmarks at national scale: Matcher build, one ranking, a batch,
//! explain, and assignment.
//!
//! `cargo bench -p participatienetwerk-benches --bench rank`
//! (`PN_EXPERTS=50000` for a smaller run).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use participatienetwerk::assign::{assign_edges, ScoredEdge};
use participatienetwerk::{Config, Matcher, Settings};
use participatienetwerk_benches::{five_needs, generic_words, national};
use std::hint::black_box;

fn experts() -> usize {
    std::env::var("PN_EXPERTS").ok().and_then(|v| v.parse().ok()).unwrap_or(200_000)
}

fn ranking(c: &mut Criterion) {
    let n = experts();
    let data = national(n, 2_000);
    let settings = Settings { registry: data.registry.clone(), ..Settings::default() };
    let mut g = c.benchmark_group(format!("matcher_{n}"));
    g.sample_size(10);
    g.bench_function("build", |b| {
        b.iter_batched(
            || data.experts.clone(),
            |e| Matcher::new(e, settings.clone()).map(|m| m.len()),
            BatchSize::LargeInput,
        )
    });
    let m = Matcher::new(data.experts.clone(), settings.clone()).expect("valid demo data");
    let q = five_needs();
    g.sample_size(100);
    g.bench_function("rank_5_needs_top10", |b| b.iter(|| m.rank(black_box(&q), 10)));
    g.bench_function("explain", |b| b.iter(|| m.explain(black_box(&q), "e-000001")));
    g.sample_size(10);
    let batch = &data.initiatives[..1_000];
    g.bench_function("rank_many_1000_top10", |b| b.iter(|| m.rank_many(black_box(batch), 10)));
    g.finish();
}

fn assignment(c: &mut Criterion) {
    // 2,000 initiatives × 5,000 experts, demand 3, capacity 4, top-50 candidates each.
    let data = national(5_000, 2_000);
    let mut experts = data.experts.clone();
    for e in &mut experts {
        e.max_initiatives = 4;
    }
    let mut initiatives = data.initiatives.clone();
    for i in &mut initiatives {
        i.experts_wanted = 3;
    }
    let settings = Settings { registry: data.registry.clone(), ..Settings::default() };
    let m = Matcher::new(experts.clone(), settings.clone()).expect("valid demo data");
    let mut g = c.benchmark_group("assign_2000x5000");
    g.sample_size(10);
    g.bench_function("candidates_and_solve", |b| b.iter(|| participatienetwerk::assign(&m, black_box(&initiatives))));
    let pairs = participatienetwerk::assign(&m, &initiatives).expect("assign");
    let _ = pairs;
    // The solver alone, on the same candidate edges given explicitly.
    let ranked = m.rank_many(&initiatives, 50).expect("rank");
    let edges: Vec<ScoredEdge> = ranked
        .iter()
        .flatten()
        .map(|x| ScoredEdge { initiative_id: x.initiative_id.clone(), expert_id: x.expert_id.clone(), score: x.score })
        .collect();
    g.bench_function("solve_given_edges", |b| {
        b.iter_batched(
            || experts.clone(),
            |e| assign_edges(e, black_box(&initiatives), &edges, settings.clone()),
            BatchSize::LargeInput,
        )
    });
    let stable = Settings {
        config: Config {
            assign: participatienetwerk::assign::AssignConfig {
                mode: participatienetwerk::assign::Mode::Stable,
                ..Default::default()
            },
            ..Config::default()
        },
        ..settings.clone()
    };
    g.bench_function("stable_given_edges", |b| {
        b.iter_batched(
            || experts.clone(),
            |e| assign_edges(e, black_box(&initiatives), &edges, stable.clone()),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

/// Rankings over labels that share generic words, every query new to the
/// matcher (no need analysis cached from an earlier query).
fn generic(c: &mut Criterion) {
    let n = experts();
    let data = generic_words(n, 20_000);
    let settings = Settings { registry: data.registry.clone(), ..Settings::default() };
    let m = Matcher::new(data.experts.clone(), settings).expect("valid data");
    let mut g = c.benchmark_group(format!("generic_words_{n}"));
    g.sample_size(100);
    let mut next = 0usize;
    g.bench_function("rank_5_new_needs_top10", |b| {
        b.iter(|| {
            next = (next + 1) % data.initiatives.len();
            m.rank(black_box(&data.initiatives[next]), 10)
        })
    });
    g.finish();
}

criterion_group!(benches, ranking, generic, assignment);
criterion_main!(benches);
