//! Invariants that must hold for every input: proptest over seeded synthetic data.

use participatienetwerk::demo::{generate, DemoSpec};
use participatienetwerk::{Config, Explanation, Initiative, Matcher, Reason, Settings, Skill};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn current<'a>(successors: &'a BTreeMap<String, String>, mut code: &'a str) -> &'a str {
    while let Some(next) = successors.get(code) {
        code = next;
    }
    code
}

fn config(distance_weight: f64, min_score: f64) -> Config {
    Config { distance_weight, min_score, ..Config::default() }
}

/// Every expert scored one by one through `explain`, the eligible ones sorted
/// as a ranking must be (those who cover every required need first): the
/// reference the index must reproduce exactly.
fn brute_force(m: &Matcher, i: &Initiative, k: usize) -> Vec<(String, u64)> {
    let mut all: Vec<(bool, f64, String)> = m
        .expert_ids()
        .filter_map(|id| match m.explain(i, id).ok()? {
            Explanation::Match(x) if x.score > m.settings().config.min_score => {
                Some((x.missing_required.is_empty(), x.score, x.expert_id))
            }
            _ => None,
        })
        .collect();
    all.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then_with(|| a.2.cmp(&b.2)));
    all.into_iter().take(k).map(|(_, s, id)| (id, s.to_bits())).collect()
}

fn setup(
    seed: u64,
    experts: usize,
    initiatives: usize,
    cfg: Config,
) -> (Matcher, Vec<Initiative>, BTreeMap<String, String>) {
    let d = generate(&DemoSpec { experts, initiatives, seed });
    let successors = d.registry.successors.clone();
    let m = Matcher::new(d.experts, Settings { registry: d.registry, taxonomy: None, config: cfg }).unwrap();
    (m, d.initiatives, successors)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn ranking_equals_brute_force_and_obeys_the_rule(
        seed in 0u64..10_000,
        k in 1usize..25,
        dw in prop_oneof![Just(0.0), 0.0f64..1.0],
        min_score in prop_oneof![Just(0.0), 0.0f64..0.6],
        strict_required in any::<bool>(),
    ) {
        let cfg = Config { strict_required, ..config(dw, min_score) };
        let (m, initiatives, successors) = setup(seed, 400, 6, cfg);
        for i in &initiatives {
            let ranked = m.rank(i, k).unwrap();
            let got: Vec<(String, u64)> = ranked.iter().map(|x| (x.expert_id.clone(), x.score.to_bits())).collect();
            prop_assert_eq!(&got, &brute_force(&m, i, k));
            // Experts who cover every required need come first; strict mode lists no other.
            let complete: Vec<bool> = ranked.iter().map(|x| x.missing_required.is_empty()).collect();
            prop_assert!(complete.windows(2).all(|w| w[0] >= w[1]), "{:?}", complete);
            prop_assert!(!strict_required || complete.iter().all(|&c| c));
            let home = current(&successors, &i.municipality);
            for x in &ranked {
                prop_assert!(x.score > 0.0 && x.score <= 1.0, "score {}", x.score);
                let e = m.expert(m.position(&x.expert_id).unwrap());
                prop_assert!(e.municipalities.iter().all(|c| current(&successors, c) != home), "rule broken by {}", x.expert_id);
                let mut c: Vec<f64> = x.needs.iter().chain(&x.context).map(|n| n.contribution).collect();
                c.sort_by(f64::total_cmp);
                prop_assert_eq!(c.iter().sum::<f64>().to_bits(), x.score.to_bits());
            }
            let detailed = m.rank_detailed(i, k).unwrap();
            prop_assert_eq!(&detailed.matches, &ranked);
            for x in &detailed.excluded {
                let is_excluded = matches!(m.explain(i, &x.expert_id).unwrap(), Explanation::Exclusion(_));
                prop_assert!(is_excluded);
            }
        }
    }

    #[test]
    fn same_municipality_is_always_excluded(seed in 0u64..10_000) {
        let (m, initiatives, successors) = setup(seed, 300, 4, Config::default());
        for i in &initiatives {
            let home = current(&successors, &i.municipality);
            for id in m.expert_ids() {
                let e = m.expert(m.position(id).unwrap());
                let same = e.municipalities.iter().any(|c| current(&successors, c) == home)
                    || e.home_municipality.as_deref().is_some_and(|h| current(&successors, h) == home);
                if same {
                    let is_same = matches!(m.explain(i, id).unwrap(), Explanation::Exclusion(x) if x.reason == Reason::SameMunicipality);
                    prop_assert!(is_same, "{} for {}", id, i.id);
                }
            }
        }
    }

    #[test]
    fn results_do_not_depend_on_input_order(seed in 0u64..10_000, rotate in 1usize..300) {
        let d = generate(&DemoSpec { experts: 300, initiatives: 5, seed });
        let settings = Settings { registry: d.registry.clone(), ..Settings::default() };
        let a = Matcher::new(d.experts.clone(), settings.clone()).unwrap();
        let mut shuffled = d.experts.clone();
        let len = shuffled.len();
        shuffled.rotate_left(rotate % len);
        shuffled.reverse();
        let b = Matcher::new(shuffled, settings).unwrap();
        let mut reversed = d.initiatives.clone();
        reversed.reverse();
        let ra = a.rank_many(&d.initiatives, 10).unwrap();
        let mut rb = b.rank_many(&reversed, 10).unwrap();
        rb.reverse();
        prop_assert_eq!(ra, rb);
        // Needs in another order give the same bits too.
        for i in &d.initiatives {
            let mut j = i.clone();
            j.needs.reverse();
            let x: Vec<u64> = a.rank(i, 5).unwrap().iter().map(|m| m.score.to_bits()).collect();
            let y: Vec<u64> = a.rank(&j, 5).unwrap().iter().map(|m| m.score.to_bits()).collect();
            prop_assert_eq!(x, y);
        }
    }

    #[test]
    fn adding_a_matching_skill_never_lowers_a_score(seed in 0u64..10_000, pick in 0usize..1000, level in 1u8..=5) {
        let d = generate(&DemoSpec { experts: 60, initiatives: 3, seed });
        let settings = Settings { registry: d.registry.clone(), ..Settings::default() };
        let before = Matcher::new(d.experts.clone(), settings.clone()).unwrap();
        let i = &d.initiatives[0];
        let mut experts = d.experts.clone();
        let e = pick % experts.len();
        let label = i.needs[pick % i.needs.len()].label.clone();
        experts[e].skills.push(Skill { label, level });
        let after = Matcher::new(experts.clone(), settings).unwrap();
        let id = &experts[e].id;
        if let (Explanation::Match(x), Explanation::Match(y)) = (before.explain(i, id).unwrap(), after.explain(i, id).unwrap()) {
            prop_assert!(y.score >= x.score, "{} -> {}", x.score, y.score);
        }
    }
}

#[test]
fn thread_count_does_not_change_results() {
    let d = generate(&DemoSpec { experts: 3_000, initiatives: 60, seed: 5 });
    let m = Matcher::new(d.experts, Settings { registry: d.registry, ..Settings::default() }).unwrap();
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap();
    let four = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
    let a = one.install(|| m.rank_many(&d.initiatives, 10).unwrap());
    let b = four.install(|| m.rank_many(&d.initiatives, 10).unwrap());
    let c: Vec<_> = d.initiatives.iter().map(|i| m.rank(i, 10).unwrap()).collect();
    assert_eq!(a, b);
    assert_eq!(a, c);
    assert!(a.iter().filter(|r| !r.is_empty()).count() > 50);
}

#[test]
fn merged_partitions_equal_the_whole() {
    let d = generate(&DemoSpec { experts: 2_000, initiatives: 20, seed: 9 });
    let settings = Settings { registry: d.registry.clone(), ..Settings::default() };
    let whole = Matcher::new(d.experts.clone(), settings.clone()).unwrap();
    let parts: Vec<Matcher> =
        d.experts.chunks(700).map(|c| Matcher::new(c.to_vec(), settings.clone()).unwrap()).collect();
    for i in &d.initiatives {
        let merged = participatienetwerk::merge_rankings(parts.iter().map(|p| p.rank(i, 10).unwrap()), 10);
        assert_eq!(merged, whole.rank(i, 10).unwrap());
    }
}

#[test]
fn a_matcher_survives_a_round_trip_through_its_data() {
    let d = generate(&DemoSpec { experts: 500, initiatives: 5, seed: 3 });
    let m = Matcher::new(d.experts, Settings { registry: d.registry, ..Settings::default() }).unwrap();
    let json = serde_json::to_string(&m.to_data()).unwrap();
    let back = Matcher::from_data(serde_json::from_str(&json).unwrap()).unwrap();
    for i in &d.initiatives {
        assert_eq!(m.rank(i, 10).unwrap(), back.rank(i, 10).unwrap());
    }
}

/// At this size the walk closes early, checkpoints run and candidates are
/// scored in full: the pruned paths must still give the exact top k.
#[test]
fn pruned_ranking_is_exact_at_scale() {
    let d = generate(&DemoSpec { experts: 30_000, initiatives: 12, seed: 11 });
    let m = Matcher::new(d.experts, Settings { registry: d.registry, ..Settings::default() }).unwrap();
    for i in &d.initiatives {
        let q = m.query(i).unwrap();
        // Experts who cover every required need first, then score, then position.
        let mut all: Vec<(bool, u64, usize)> = (0..m.len())
            .filter_map(|e| {
                let x = m.evaluate(&q, e).ok().filter(|x| x.score > 0.0)?;
                Some((x.missing_required.is_empty(), x.score.to_bits(), e))
            })
            .collect();
        all.sort_by(|a, b| b.0.cmp(&a.0).then(f64::from_bits(b.1).total_cmp(&f64::from_bits(a.1))).then(a.2.cmp(&b.2)));
        for k in [1, 10, 60] {
            let got: Vec<(u64, String)> =
                m.rank(i, k).unwrap().into_iter().map(|x| (x.score.to_bits(), x.expert_id)).collect();
            let want: Vec<(u64, String)> =
                all.iter().take(k).map(|&(_, s, e)| (s, m.expert_ids().nth(e).unwrap().to_owned())).collect();
            assert_eq!(got, want, "{} k={k}", i.id);
        }
    }
}
