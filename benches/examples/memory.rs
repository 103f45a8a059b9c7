//! Memory of a Matcher over the national data set, counted by an
//! instrumented allocator: the bytes the index keeps, and the peak while
//! building it.
//! `cargo run --release -p participatienetwerk-benches --example memory -- 200000`

use participatienetwerk::{Matcher, Settings};
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};
use std::alloc::System;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn live() -> isize {
    let s = GLOBAL.stats();
    s.bytes_allocated as isize - s.bytes_deallocated as isize + s.bytes_reallocated
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(200_000);
    let data = participatienetwerk_benches::national(n, 0);
    let registry = data.registry.clone();
    let copy = data.experts.clone();
    let with_copy = live();
    drop(copy);
    let records = with_copy - live();
    let before = live();
    let region = Region::new(GLOBAL);
    let m = Matcher::new(data.experts, Settings { registry, ..Settings::default() }).expect("valid demo data");
    let change = region.change();
    // The build consumed the records: what is left beyond them is the index.
    let index = live() - (before - records);
    println!(
        "{n} experts, {} distinct labels: matcher holds {:.1} MB (own estimate {:.1} MB); the records were {:.1} MB; {:.1} MB allocated in all during the build",
        m.label_count(),
        index as f64 / 1e6,
        m.memory_bytes() as f64 / 1e6,
        records as f64 / 1e6,
        change.bytes_allocated as f64 / 1e6,
    );
}
