//! Where the time of an assignment with given edges goes.
use participatienetwerk::assign::{assign_edges, ScoredEdge};
use participatienetwerk::{Matcher, Settings};
use std::time::Instant;
fn main() {
    let data = participatienetwerk_benches::national(5_000, 2_000);
    let mut experts = data.experts.clone();
    experts.iter_mut().for_each(|e| e.max_initiatives = 4);
    let mut initiatives = data.initiatives.clone();
    initiatives.iter_mut().for_each(|i| i.experts_wanted = 3);
    let settings = Settings { registry: data.registry.clone(), ..Settings::default() };
    let m = Matcher::new(experts.clone(), settings.clone()).unwrap();
    let edges: Vec<ScoredEdge> = m
        .rank_many(&initiatives, 50)
        .unwrap()
        .iter()
        .flatten()
        .map(|x| ScoredEdge { initiative_id: x.initiative_id.clone(), expert_id: x.expert_id.clone(), score: x.score })
        .collect();
    for _ in 0..3 {
        let t = Instant::now();
        let a = assign_edges(experts.clone(), &initiatives, &edges, settings.clone()).unwrap();
        println!("{} edges: {:.1} ms, {:?}", edges.len(), t.elapsed().as_secs_f64() * 1e3, a.stats);
    }
}
