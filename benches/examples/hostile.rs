//! Worst cases within the caps: `rank` over 1,000 experts whose 64 skill
//! labels each are 200 characters of the same letters shuffled (every label
//! within the edit-distance window of every need), with 1 and with 32 such
//! needs; and labels of characters that spell out 18-fold, which validation
//! refuses.
//!
//! `cargo run --release -p participatienetwerk-benches --example hostile`

use participatienetwerk::{validate, Initiative, Matcher, Need, ReadOptions, Settings};
use std::time::Instant;

/// A label of 200 characters: the same letters and spaces in an order set
/// by `seed`, so every label has the same letter counts (no cheap bound
/// tells two apart) but different words.
fn shuffled(seed: u64) -> String {
    let mut chars: Vec<char> = "abcdefghij klmnopqrst uvwxyz".chars().cycle().take(200).collect();
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    for i in (1..chars.len()).rev() {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        chars.swap(i, (x >> 33) as usize % (i + 1));
    }
    chars.into_iter().collect()
}

fn main() {
    let experts: Vec<_> = (0..1_000u64)
        .map(|e| {
            let skills: Vec<String> =
                (0..64u64).map(|s| format!(r#"{{"label": "{}", "level": 3}}"#, shuffled(e * 64 + s))).collect();
            format!(r#"{{"id": "e-{e}", "municipalities": ["GM0363"], "skills": [{}]}}"#, skills.join(","))
        })
        .collect();
    let text = format!("[{}]", experts.join(","));
    let t = Instant::now();
    let experts = validate::read_experts_json(&text, "experts", ReadOptions::default()).expect("valid");
    let m = Matcher::new(experts, Settings::default()).expect("valid");
    println!("1,000 experts x 64 labels of 200 shuffled characters: built in {:.2} s", t.elapsed().as_secs_f64());
    for needs in [1usize, 32] {
        let i = Initiative {
            id: format!("i-{needs}"),
            municipality: "GM0344".into(),
            title: String::new(),
            description: String::new(),
            needs: (0..needs)
                .map(|n| Need { label: shuffled(1_000_000 + n as u64), weight: 1.0, min_level: 1, required: false })
                .collect(),
            experts_wanted: 1,
            hours_needed: None,
            language: None,
            location: None,
        };
        let t = Instant::now();
        let top = m.rank(&i, 10).expect("valid");
        println!("rank with {needs} such needs: {:.1} ms ({} listed)", t.elapsed().as_secs_f64() * 1e3, top.len());
    }
    let spelled = "\u{FDFA}".repeat(200);
    let text =
        format!(r#"[{{"id": "e-x", "municipalities": ["GM0363"], "skills": [{{"label": "{spelled}", "level": 3}}]}}]"#);
    match validate::read_experts_json(&text, "experts", ReadOptions::default()) {
        Err(e) => println!("a label of 200 U+FDFA: refused: {e}"),
        Ok(_) => println!("a label of 200 U+FDFA: accepted"),
    }
}
