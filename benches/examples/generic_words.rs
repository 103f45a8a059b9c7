//! Writes the generic-word data set (see `participatienetwerk_benches::generic_words`)
//! as JSON for the side-by-side comparison in Python:
//! `cargo run --release -p participatienetwerk-benches --example generic_words -- 200000 50 > data.json`

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<usize>().ok());
    let experts = args.next().flatten().unwrap_or(200_000);
    let queries = args.next().flatten().unwrap_or(50);
    let d = participatienetwerk_benches::generic_words(experts, queries);
    let out = serde_json::json!({"experts": d.experts, "initiatives": d.initiatives, "registry": d.registry});
    println!("{out}");
}
