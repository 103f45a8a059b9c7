//! Reading and validating 200,000 expert records from JSON text.
use participatienetwerk::validate::{self, ReadOptions};
use std::time::Instant;
fn main() {
    let data = participatienetwerk_benches::national(200_000, 0);
    let text = serde_json::to_string(&data.experts).expect("serialisable");
    let t = Instant::now();
    let v = validate::parse_json(&text, "experts").expect("valid JSON");
    let parsed = t.elapsed();
    let t = Instant::now();
    let experts = if std::env::var_os("TYPED").is_some() {
        validate::read_experts_json(&text, "experts", ReadOptions::default()).expect("valid records")
    } else {
        validate::read_experts(v, ReadOptions::default()).expect("valid records")
    };
    println!(
        "{} experts, {:.1} MB JSON: parse {:.0} ms, read and validate {:.0} ms",
        experts.len(),
        text.len() as f64 / 1e6,
        parsed.as_secs_f64() * 1e3,
        t.elapsed().as_secs_f64() * 1e3
    );
}
