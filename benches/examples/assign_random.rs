//! The assignment instance of the OR-Tools comparison, in Rust alone:
//! 2,000 initiatives x 5,000 experts, demand 3, capacity 4, 50 random
//! candidates each with random scores. Prints the time of `assign_edges`
//! (edges by id) and `assign_indexed` (the same edges by position).
use participatienetwerk::assign::{assign_edges, assign_indexed, IndexedEdge, ScoredEdge};
use participatienetwerk::{Expert, Initiative, Settings};
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use std::time::Instant;

fn main() {
    let (n_i, n_e, per) = (2_000usize, 5_000usize, 50usize);
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let experts: Vec<Expert> = (0..n_e)
        .map(|e| {
            serde_json::from_value(serde_json::json!({"id": format!("e-{e:06}"), "municipalities": [format!("GM{:04}", 1 + rng.next_u64() % 339)], "max_initiatives": 4}))
                .unwrap()
        })
        .collect();
    let initiatives: Vec<Initiative> = (0..n_i)
        .map(|i| {
            serde_json::from_value(serde_json::json!({"id": format!("i-{i:06}"), "municipality": format!("GM{:04}", 1 + rng.next_u64() % 339), "experts_wanted": 3}))
                .unwrap()
        })
        .collect();
    let mut edges = Vec::new();
    let mut indexed = Vec::new();
    for (i, initiative) in initiatives.iter().enumerate() {
        let mut picked = std::collections::BTreeSet::new();
        while picked.len() < per {
            let e = (rng.next_u64() % n_e as u64) as usize;
            if experts[e].municipalities[0] != initiative.municipality {
                picked.insert(e);
            }
        }
        for e in picked {
            let score = (rng.next_u64() % 1_000_000_001) as f64 / 1e9;
            indexed.push(IndexedEdge { initiative_index: i as u32, expert_index: e as u32, score });
            edges.push(ScoredEdge { initiative_id: initiative.id.clone(), expert_id: experts[e].id.clone(), score });
        }
    }
    for _ in 0..std::env::var("REPS").ok().and_then(|r| r.parse().ok()).unwrap_or(5) {
        let t = Instant::now();
        let a = assign_edges(experts.clone(), &initiatives, &edges, Settings::default()).unwrap();
        println!(
            "{} edges: assign_edges {:.1} ms, objective {}, {} pairs",
            edges.len(),
            t.elapsed().as_secs_f64() * 1e3,
            a.objective_value,
            a.pairs.len()
        );
        let t = Instant::now();
        let b = assign_indexed(experts.clone(), &initiatives, &indexed, Settings::default()).unwrap();
        println!("{} edges: assign_indexed {:.1} ms", indexed.len(), t.elapsed().as_secs_f64() * 1e3);
        assert_eq!(a, b);
    }
}
