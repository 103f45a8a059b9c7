//! Assignment invariants: capacities and demands hold, the rule holds, the
//! optimum equals brute force, the stable mode is stable.

use participatienetwerk::assign::{
    assign_edges, assign_indexed, AssignConfig, Assignment, IndexedEdge, Mode, Objective, ScoredEdge,
};
use participatienetwerk::demo::{generate, DemoSpec};
use participatienetwerk::{Config, Expert, Initiative, Matcher, Settings};
use proptest::prelude::*;
use std::collections::{BTreeMap, HashMap};

fn expert(id: usize, municipality: u16, capacity: u32) -> Expert {
    Expert {
        id: format!("e-{id}"),
        municipalities: vec![format!("GM{municipality:04}")],
        home_municipality: None,
        skills: vec![],
        max_initiatives: capacity,
        hours_per_month: None,
        languages: vec![],
        location: None,
        max_distance_km: None,
        remote: None,
    }
}

fn initiative(id: usize, municipality: u16, wanted: u32) -> Initiative {
    Initiative {
        id: format!("i-{id}"),
        municipality: format!("GM{municipality:04}"),
        title: String::new(),
        description: String::new(),
        needs: vec![],
        experts_wanted: wanted,
        hours_needed: None,
        language: None,
        location: None,
    }
}

fn settings(assign: AssignConfig) -> Settings {
    Settings { config: Config { assign, ..Config::default() }, ..Settings::default() }
}

/// The best objective over every feasible subset of edges. Edges scoring 0
/// are no candidates: pairs must score above `score_floor` (default 0).
fn brute_force(
    experts: &[Expert],
    initiatives: &[Initiative],
    edges: &[ScoredEdge],
    objective: Objective,
    one_per_municipality: bool,
) -> (usize, i64) {
    let mut best = (0usize, 0i64);
    for mask in 0u32..(1 << edges.len()) {
        let mut load: HashMap<&str, u32> = HashMap::new();
        let mut fill: HashMap<&str, u32> = HashMap::new();
        let mut lenders: HashMap<(&str, &str), u32> = HashMap::new();
        let mut units = 0i64;
        let mut pairs = 0usize;
        let mut ok = true;
        for (k, e) in edges.iter().enumerate() {
            if mask & (1 << k) == 0 {
                continue;
            }
            if e.score <= 0.0 {
                ok = false;
                break;
            }
            let x = experts.iter().find(|x| x.id == e.expert_id).unwrap();
            let i = initiatives.iter().find(|i| i.id == e.initiative_id).unwrap();
            let l = load.entry(&e.expert_id).or_insert(0);
            *l += 1;
            let f = fill.entry(&e.initiative_id).or_insert(0);
            *f += 1;
            let g = lenders.entry((&e.initiative_id, &x.municipalities[0])).or_insert(0);
            *g += 1;
            ok &= *l <= x.max_initiatives && *f <= i.experts_wanted && (!one_per_municipality || *g <= 1);
            units += participatienetwerk::assign::units(e.score);
            pairs += 1;
        }
        if !ok {
            continue;
        }
        let better = match objective {
            Objective::MaxScore => units > best.1,
            Objective::CoverageFirst => (pairs, units) > best,
        };
        if better {
            best = (pairs, units);
        }
    }
    best
}

fn check_feasible(a: &Assignment, experts: &[Expert], initiatives: &[Initiative]) {
    let mut load: BTreeMap<&str, u32> = BTreeMap::new();
    let mut fill: BTreeMap<&str, u32> = BTreeMap::new();
    for p in &a.pairs {
        *load.entry(&p.expert_id).or_insert(0) += 1;
        *fill.entry(&p.initiative_id).or_insert(0) += 1;
        let x = experts.iter().find(|x| x.id == p.expert_id).unwrap();
        let i = initiatives.iter().find(|i| i.id == p.initiative_id).unwrap();
        assert!(!x.municipalities.contains(&i.municipality), "rule broken: {} -> {}", p.expert_id, p.initiative_id);
    }
    for x in experts {
        assert!(load.get(x.id.as_str()).copied().unwrap_or(0) <= x.max_initiatives, "{} over capacity", x.id);
    }
    for i in initiatives {
        let f = fill.get(i.id.as_str()).copied().unwrap_or(0);
        assert!(f <= i.experts_wanted, "{} over demand", i.id);
        let reported = a.initiatives.iter().find(|x| x.initiative_id == i.id).unwrap();
        assert_eq!(reported.filled, f);
        assert_eq!(a.unassigned.iter().any(|u| u.initiative_id == i.id), f < i.experts_wanted);
    }
}

prop_compose! {
    fn instance()(n_e in 1usize..5, n_i in 1usize..5)(
        caps in prop::collection::vec(0u32..3, n_e),
        munis in prop::collection::vec(0u16..3, n_e),
        wants in prop::collection::vec(1u32..3, n_i),
        imunis in prop::collection::vec(0u16..4, n_i),
        raw in prop::collection::vec((0usize..5, 0usize..5, 0u32..1000), 0..12),
    ) -> (Vec<Expert>, Vec<Initiative>, Vec<ScoredEdge>) {
        let experts: Vec<Expert> = (0..caps.len()).map(|e| expert(e, 100 + munis[e], caps[e])).collect();
        let initiatives: Vec<Initiative> = (0..wants.len()).map(|i| initiative(i, 100 + imunis[i], wants[i])).collect();
        let mut seen = std::collections::BTreeSet::new();
        let edges = raw
            .into_iter()
            .map(|(i, e, s)| (i % initiatives.len(), e % experts.len(), s))
            .filter(|&(i, e, _)| experts[e].municipalities[0] != initiatives[i].municipality && seen.insert((i, e)))
            .map(|(i, e, s)| ScoredEdge { initiative_id: initiatives[i].id.clone(), expert_id: experts[e].id.clone(), score: f64::from(s) / 1000.0 })
            .collect();
        (experts, initiatives, edges)
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn optimum_equals_brute_force(
        (experts, initiatives, edges) in instance(),
        coverage in any::<bool>(),
        one_per in any::<bool>(),
    ) {
        let objective = if coverage { Objective::CoverageFirst } else { Objective::MaxScore };
        let cfg = AssignConfig { objective, one_per_municipality: one_per, ..AssignConfig::default() };
        let a = assign_edges(experts.clone(), &initiatives, &edges, settings(cfg)).unwrap();
        check_feasible(&a, &experts, &initiatives);
        let (pairs, units) = brute_force(&experts, &initiatives, &edges, objective, one_per);
        prop_assert_eq!(a.objective_value, units);
        if coverage {
            prop_assert_eq!(a.pairs.len(), pairs);
        }
    }

    #[test]
    fn edges_by_position_equal_edges_by_id(
        (experts, initiatives, edges) in instance(),
        turn_e in 0usize..5,
        turn_i in 0usize..5,
        stable in any::<bool>(),
    ) {
        // Records in another order; positions follow that order.
        let mut experts_moved = experts.clone();
        experts_moved.rotate_left(turn_e % experts.len());
        let mut initiatives_moved = initiatives.clone();
        initiatives_moved.rotate_left(turn_i % initiatives.len());
        let at = |ids: Vec<&str>, id: &str| ids.iter().position(|x| *x == id).unwrap() as u32;
        let indexed: Vec<IndexedEdge> = edges
            .iter()
            .map(|e| IndexedEdge {
                initiative_index: at(initiatives_moved.iter().map(|x| x.id.as_str()).collect(), &e.initiative_id),
                expert_index: at(experts_moved.iter().map(|x| x.id.as_str()).collect(), &e.expert_id),
                score: e.score,
            })
            .collect();
        let mode = if stable { Mode::Stable } else { Mode::Optimal };
        let cfg = AssignConfig { mode, ..AssignConfig::default() };
        let by_id = assign_edges(experts, &initiatives, &edges, settings(cfg.clone())).unwrap();
        let by_position = assign_indexed(experts_moved, &initiatives_moved, &indexed, settings(cfg)).unwrap();
        prop_assert_eq!(by_id, by_position);
    }

    #[test]
    fn stable_mode_has_no_blocking_pair((experts, initiatives, edges) in instance()) {
        let cfg = AssignConfig { mode: Mode::Stable, ..AssignConfig::default() };
        let a = assign_edges(experts.clone(), &initiatives, &edges, settings(cfg)).unwrap();
        check_feasible(&a, &experts, &initiatives);
        let chosen: Vec<(&str, &str, f64)> = a.pairs.iter().map(|p| (p.initiative_id.as_str(), p.expert_id.as_str(), p.score)).collect();
        // Each side ranks by score, ties by the other side's id.
        let worst_of_initiative = |i: &str| chosen.iter().filter(|c| c.0 == i).map(|c| (c.2, std::cmp::Reverse(c.1))).min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let worst_of_expert = |e: &str| chosen.iter().filter(|c| c.1 == e).map(|c| (c.2, std::cmp::Reverse(c.0))).min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for e in &edges {
            if e.score <= 0.0 || chosen.iter().any(|c| c.0 == e.initiative_id && c.1 == e.expert_id) {
                continue;
            }
            let i = initiatives.iter().find(|i| i.id == e.initiative_id).unwrap();
            let x = experts.iter().find(|x| x.id == e.expert_id).unwrap();
            let i_count = chosen.iter().filter(|c| c.0 == i.id).count() as u32;
            let x_count = chosen.iter().filter(|c| c.1 == x.id).count() as u32;
            let i_wants = i_count < i.experts_wanted
                || worst_of_initiative(&i.id).is_some_and(|w| (e.score, std::cmp::Reverse(e.expert_id.as_str())) > w);
            let x_wants = x_count < x.max_initiatives
                || worst_of_expert(&x.id).is_some_and(|w| (e.score, std::cmp::Reverse(e.initiative_id.as_str())) > w);
            prop_assert!(!(i_wants && x_wants), "blocking pair {} / {}", e.initiative_id, e.expert_id);
        }
    }
}

#[test]
fn scored_assignment_obeys_the_rule_at_scale() {
    let d = generate(&DemoSpec { experts: 2_000, initiatives: 300, seed: 4 });
    let successors = d.registry.successors.clone();
    let current = |c: &str| {
        let mut c = c.to_owned();
        while let Some(n) = successors.get(&c) {
            c = n.clone();
        }
        c
    };
    let m = Matcher::new(d.experts.clone(), Settings { registry: d.registry.clone(), ..Settings::default() }).unwrap();
    for objective in [Objective::MaxScore, Objective::CoverageFirst] {
        let mut s = m.settings().clone();
        s.config.assign = AssignConfig {
            objective,
            one_per_municipality: true,
            municipality_cap: Some(5),
            rotation_cap: Some(1),
            ..AssignConfig::default()
        };
        let m = Matcher::new(d.experts.clone(), s).unwrap();
        let a = participatienetwerk::assign(&m, &d.initiatives).unwrap();
        assert!(a.pairs.len() > 150, "{}", a.pairs.len());
        let mut per_group: BTreeMap<Vec<String>, u32> = BTreeMap::new();
        let mut load: BTreeMap<&str, u32> = BTreeMap::new();
        for p in &a.pairs {
            let e = d.experts.iter().find(|e| e.id == p.expert_id).unwrap();
            let i = d.initiatives.iter().find(|i| i.id == p.initiative_id).unwrap();
            let home = current(&i.municipality);
            assert!(
                e.municipalities.iter().all(|c| current(c) != home),
                "rule broken: {} -> {}",
                p.expert_id,
                p.initiative_id
            );
            let mut group: Vec<String> = e.municipalities.iter().map(|c| current(c)).collect();
            group.sort();
            group.dedup();
            *per_group.entry(group).or_insert(0) += 1;
            *load.entry(&p.expert_id).or_insert(0) += 1;
        }
        assert!(per_group.values().all(|&n| n <= 5));
        assert!(load.values().all(|&n| n <= 1));
        let explained = a.pairs.iter().all(|p| !p.needs.is_empty());
        assert!(explained);
    }
}

#[test]
fn same_municipality_edge_is_an_error_naming_the_pair() {
    let experts = vec![expert(1, 363, 1)];
    let initiatives = vec![initiative(1, 363, 1)];
    let edges = vec![ScoredEdge { initiative_id: "i-1".into(), expert_id: "e-1".into(), score: 0.5 }];
    let e = assign_edges(experts, &initiatives, &edges, Settings::default()).unwrap_err();
    assert_eq!(e.problems()[0].code, participatienetwerk::Code::SameMunicipality);
    assert!(e.to_string().starts_with("edge \"i-1 / e-1\""), "{e}");
}

#[test]
fn short_initiatives_get_more_candidates() {
    let skill = |label: &str, level: u8| participatienetwerk::Skill { label: label.into(), level };
    let mut a = expert(1, 363, 1);
    a.skills = vec![skill("omgevingsvergunning", 5)];
    let mut b = expert(2, 599, 1);
    b.skills = vec![skill("omgevingsvergunning", 2)];
    let mut initiatives = vec![initiative(1, 14, 1), initiative(2, 344, 1)];
    for i in &mut initiatives {
        i.needs = vec![participatienetwerk::Need {
            label: "omgevingsvergunning".into(),
            weight: 1.0,
            min_level: 1,
            required: false,
        }];
    }
    let run = |refill_rounds| {
        let cfg = AssignConfig { candidates_per_initiative: 1, refill_rounds, ..AssignConfig::default() };
        let m = Matcher::new(vec![a.clone(), b.clone()], settings(cfg)).unwrap();
        participatienetwerk::assign(&m, &initiatives).unwrap()
    };
    // Both initiatives' single best candidate is e-1: without refill one stays empty.
    let once = run(0);
    assert_eq!((once.pairs.len(), once.stats.rounds), (1, 1));
    let refilled = run(2);
    assert_eq!((refilled.pairs.len(), refilled.stats.rounds), (2, 2));
    assert!(refilled.objective_value > once.objective_value);
    assert!(refilled.unassigned.is_empty());
}
