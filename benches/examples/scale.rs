//! Build time, index size, single-query latency and a batch at a given scale:
//! `cargo run --release -p participatienetwerk-benches --example scale -- 200000`
//! (`INITIATIVES=20000` for the batch size, `RUNS=n` for ranking only;
//! `DATA=generic` for the generic-word labels, every query a new one).

use participatienetwerk::{Matcher, Settings};
use std::time::Instant;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let t = Instant::now();
    let batch: usize = std::env::var("INITIATIVES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000);
    let generic = std::env::var("DATA").is_ok_and(|d| d == "generic");
    let data = if generic {
        participatienetwerk_benches::generic_words(n, batch.max(1_000))
    } else {
        participatienetwerk_benches::national(n, batch)
    };
    println!("generated {n} experts in {:.2} s", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let m = Matcher::new(data.experts, Settings { registry: data.registry, ..Settings::default() }).expect("valid");
    println!(
        "built in {:.2} s; {} labels; index {:.1} MB",
        t.elapsed().as_secs_f64(),
        m.label_count(),
        m.memory_bytes() as f64 / 1e6
    );
    let q = participatienetwerk_benches::five_needs();
    let mut times = Vec::new();
    let runs: usize = std::env::var("RUNS").ok().and_then(|r| r.parse().ok()).unwrap_or(50);
    for run in 0..runs {
        let q = if generic { &data.initiatives[run % data.initiatives.len()] } else { &q };
        let t = Instant::now();
        let r = m.rank(q, 10).expect("rank");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(r);
    }
    times.sort_by(f64::total_cmp);
    println!("rank 5 needs top 10: p50 {:.3} ms, p90 {:.3} ms", times[runs / 2], times[runs * 9 / 10]);
    if std::env::var("RUNS").is_ok() {
        return;
    }
    let r = m.rank(&q, 3).expect("rank");
    for x in &r {
        println!("  {} {:.4}", x.expert_id, x.score);
    }
    let t = Instant::now();
    let res = m.rank_many(&data.initiatives, 10).expect("rank_many");
    println!(
        "rank_many {} initiatives: {:.2} s ({} matches)",
        data.initiatives.len(),
        t.elapsed().as_secs_f64(),
        res.iter().map(Vec::len).sum::<usize>()
    );
}
