//! Stable many-to-many matching of initiatives (left, proposing) and experts
//! (right) by deferred acceptance with capacities.
//!
//! Both sides rank a pair by its single edge weight, higher first; a left node
//! breaks ties by lower right index and a right node by lower left index. Both
//! rankings are consistent with one global order of pairs, (weight desc,
//! left + right asc), so the stable matching is unique: the left-optimal one
//! returned here is also the right-optimal one, and equals taking pairs
//! greedily in that global order.

use super::flow::{check_sides, Edge, FlowError};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StableSolution {
    /// Indices into `edges`, ascending.
    pub chosen: Vec<usize>,
    pub proposals: usize,
}

/// Left-proposing deferred acceptance; returns the left-optimal stable
/// matching (see the module note on why it is the only one).
pub fn stable(demand: &[u32], capacity: &[u32], edges: &[Edge]) -> Result<StableSolution, FlowError> {
    check_sides(demand, capacity, edges)?;
    let (nl, nr) = (demand.len(), capacity.len());

    // Preference lists: edges grouped by left, best first.
    let mut start = vec![0u32; nl + 1];
    for e in edges {
        start[e.left as usize + 1] += 1;
    }
    for i in 0..nl {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut prefs = vec![0u32; edges.len()];
    for (k, e) in edges.iter().enumerate() {
        prefs[fill[e.left as usize] as usize] = k as u32;
        fill[e.left as usize] += 1;
    }
    drop(fill);
    let mut seen = vec![u32::MAX; nr];
    for i in 0..nl {
        let list = &mut prefs[start[i] as usize..start[i + 1] as usize];
        for &k in list.iter() {
            let j = edges[k as usize].right as usize;
            if seen[j] != u32::MAX && edges[seen[j] as usize].left as usize == i {
                let (a, b) = (seen[j].min(k) as usize, seen[j].max(k) as usize);
                return Err(FlowError::DuplicateEdge { first: a, second: b });
            }
            seen[j] = k;
        }
        list.sort_unstable_by_key(|&k| (Reverse(edges[k as usize].weight), edges[k as usize].right));
    }
    drop(seen);

    // Each right keeps its held proposals in a heap whose top is its least
    // preferred one: lowest weight, then highest left index.
    let mut held: Vec<BinaryHeap<(Reverse<i64>, u32, u32)>> = (0..nr).map(|_| BinaryHeap::new()).collect();
    let mut next = vec![0u32; nl];
    let mut count = vec![0u32; nl];
    let mut proposals = 0usize;
    let mut pending: Vec<u32> = (0..nl as u32).rev().filter(|&i| demand[i as usize] > 0).collect();

    while let Some(i) = pending.pop() {
        let iu = i as usize;
        let end = start[iu + 1] - start[iu];
        while count[iu] < demand[iu] && next[iu] < end {
            let k = prefs[(start[iu] + next[iu]) as usize];
            next[iu] += 1;
            proposals += 1;
            let e = &edges[k as usize];
            let j = e.right as usize;
            let cap = capacity[j] as usize;
            if cap == 0 {
                continue;
            }
            let heap = &mut held[j];
            if heap.len() < cap {
                heap.push((Reverse(e.weight), i, k));
                count[iu] += 1;
                continue;
            }
            let displace = match heap.peek() {
                Some(&(Reverse(w), l, _)) => e.weight > w || (e.weight == w && i < l),
                None => false,
            };
            if displace {
                if let Some((_, loser, _)) = heap.pop() {
                    count[loser as usize] -= 1;
                    pending.push(loser);
                }
                heap.push((Reverse(e.weight), i, k));
                count[iu] += 1;
            }
        }
    }

    let mut chosen: Vec<usize> = held.into_iter().flat_map(|h| h.into_iter().map(|(_, _, k)| k as usize)).collect();
    chosen.sort_unstable();
    Ok(StableSolution { chosen, proposals })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assign::flow::{MAX_UNITS, MAX_WEIGHT};
    use proptest::prelude::*;

    fn edge(left: u32, right: u32, weight: i64) -> Edge {
        Edge { left, right, weight }
    }

    /// Left `i` ranks pair `a` above pair `b` (both its own).
    fn left_prefers(edges: &[Edge], a: usize, b: usize) -> bool {
        let (a, b) = (edges[a], edges[b]);
        a.weight > b.weight || (a.weight == b.weight && a.right < b.right)
    }

    fn right_prefers(edges: &[Edge], a: usize, b: usize) -> bool {
        let (a, b) = (edges[a], edges[b]);
        a.weight > b.weight || (a.weight == b.weight && a.left < b.left)
    }

    fn within_caps(demand: &[u32], capacity: &[u32], edges: &[Edge], chosen: &[usize]) -> bool {
        let mut l = vec![0u32; demand.len()];
        let mut r = vec![0u32; capacity.len()];
        for &k in chosen {
            l[edges[k].left as usize] += 1;
            r[edges[k].right as usize] += 1;
        }
        l.iter().zip(demand).all(|(u, d)| u <= d) && r.iter().zip(capacity).all(|(u, c)| u <= c)
    }

    /// No blocking pair: an unchosen acceptable pair (i, j) where each side
    /// has a free slot or prefers the other to its worst chosen partner.
    fn is_stable(demand: &[u32], capacity: &[u32], edges: &[Edge], chosen: &[usize]) -> bool {
        let mut of_left: Vec<Vec<usize>> = vec![Vec::new(); demand.len()];
        let mut of_right: Vec<Vec<usize>> = vec![Vec::new(); capacity.len()];
        for &k in chosen {
            of_left[edges[k].left as usize].push(k);
            of_right[edges[k].right as usize].push(k);
        }
        (0..edges.len()).filter(|k| !chosen.contains(k)).all(|k| {
            let (i, j) = (edges[k].left as usize, edges[k].right as usize);
            let left_wants =
                (of_left[i].len() as u32) < demand[i] || of_left[i].iter().any(|&c| left_prefers(edges, k, c));
            let right_wants =
                (of_right[j].len() as u32) < capacity[j] || of_right[j].iter().any(|&c| right_prefers(edges, k, c));
            !(left_wants && right_wants)
        })
    }

    /// Greedy over the global order both sides agree with.
    fn greedy(demand: &[u32], capacity: &[u32], edges: &[Edge]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..edges.len()).collect();
        order.sort_by_key(|&k| (std::cmp::Reverse(edges[k].weight), edges[k].left + edges[k].right, edges[k].left));
        let mut l = demand.to_vec();
        let mut r = capacity.to_vec();
        let mut chosen = Vec::new();
        for k in order {
            let (i, j) = (edges[k].left as usize, edges[k].right as usize);
            if l[i] > 0 && r[j] > 0 {
                l[i] -= 1;
                r[j] -= 1;
                chosen.push(k);
            }
        }
        chosen.sort_unstable();
        chosen
    }

    fn run(demand: &[u32], capacity: &[u32], edges: &[Edge]) -> StableSolution {
        match stable(demand, capacity, edges) {
            Ok(s) => s,
            Err(e) => panic!("valid instance rejected: {e}"),
        }
    }

    #[test]
    fn rejection_chain() {
        // Left 1 displaces left 0 at right 0, which then falls back to
        // right 1 and in turn displaces left 2 there.
        let edges = [edge(0, 0, 5), edge(0, 1, 4), edge(1, 0, 9), edge(2, 1, 3), edge(2, 2, 1)];
        let s = run(&[1, 1, 1], &[1, 1, 1], &edges);
        assert_eq!(s.chosen, vec![1, 2, 4]);
        assert!(is_stable(&[1, 1, 1], &[1, 1, 1], &edges, &s.chosen));
        // Keeping left 0 at its first choice leaves (1, 0) blocking.
        assert!(!is_stable(&[1, 1, 1], &[1, 1, 1], &edges, &[0, 3]));
    }

    #[test]
    fn capacities_and_ties() {
        // Equal weights: right 0 keeps the lower left indices, lefts prefer
        // lower right indices.
        let edges: Vec<Edge> = (0..3u32).flat_map(|i| (0..2u32).map(move |j| edge(i, j, 7))).collect();
        let (demand, capacity) = ([2, 1, 2], [2, 2]);
        let s = run(&demand, &capacity, &edges);
        // (0,0) (0,1) (1,0) (2,1)
        assert_eq!(s.chosen, vec![0, 1, 2, 5]);
        assert!(is_stable(&demand, &capacity, &edges, &s.chosen));
        assert!(within_caps(&demand, &capacity, &edges, &s.chosen));
    }

    #[test]
    fn zero_sizes() {
        assert_eq!(run(&[], &[], &[]).chosen, Vec::<usize>::new());
        let edges = [edge(0, 0, 1), edge(1, 1, 1)];
        assert_eq!(run(&[0, 1], &[1, 0], &edges).chosen, Vec::<usize>::new());
    }

    #[test]
    fn invalid_input() {
        assert!(matches!(stable(&[1], &[1], &[edge(1, 0, 1)]), Err(FlowError::LeftOutOfRange { .. })));
        assert!(matches!(stable(&[1], &[1], &[edge(0, 1, 1)]), Err(FlowError::RightOutOfRange { .. })));
        assert!(matches!(stable(&[1], &[1], &[edge(0, 0, -1)]), Err(FlowError::WeightOutOfRange { .. })));
        assert!(matches!(stable(&[1], &[1], &[edge(0, 0, MAX_WEIGHT + 1)]), Err(FlowError::WeightOutOfRange { .. })));
        assert!(matches!(stable(&[MAX_UNITS + 1], &[1], &[]), Err(FlowError::DemandTooLarge { .. })));
        assert!(matches!(stable(&[1], &[MAX_UNITS + 1], &[]), Err(FlowError::CapacityTooLarge { .. })));
        assert!(matches!(
            stable(&[1, 1], &[1, 1], &[edge(0, 0, 1), edge(1, 0, 1), edge(0, 0, 2)]),
            Err(FlowError::DuplicateEdge { first: 0, second: 2 })
        ));
    }

    fn arb_instance(max_side: usize, max_edges: usize) -> impl Strategy<Value = (Vec<u32>, Vec<u32>, Vec<Edge>)> {
        (1..=max_side, 1..=max_side).prop_flat_map(move |(nl, nr)| {
            let weight = prop_oneof![0i64..=4, 0i64..=MAX_WEIGHT];
            (
                prop::collection::vec(0u32..=3, nl),
                prop::collection::vec(0u32..=3, nr),
                prop::collection::vec((0..nl as u32, 0..nr as u32, weight), 0..=max_edges),
            )
                .prop_map(|(demand, capacity, raw)| {
                    let mut edges: Vec<Edge> = Vec::new();
                    for (l, r, w) in raw {
                        if !edges.iter().any(|e| e.left == l && e.right == r) {
                            edges.push(edge(l, r, w));
                        }
                    }
                    (demand, capacity, edges)
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

        #[test]
        fn stable_within_caps_and_equal_to_greedy((demand, capacity, edges) in arb_instance(8, 40)) {
            let s = run(&demand, &capacity, &edges);
            prop_assert!(s.chosen.windows(2).all(|w| w[0] < w[1]));
            prop_assert!(within_caps(&demand, &capacity, &edges, &s.chosen));
            prop_assert!(is_stable(&demand, &capacity, &edges, &s.chosen));
            prop_assert!(s.proposals <= edges.len());
            prop_assert_eq!(s.chosen, greedy(&demand, &capacity, &edges));
        }

        #[test]
        fn the_stable_matching_is_unique((demand, capacity, edges) in arb_instance(4, 10)) {
            let s = run(&demand, &capacity, &edges);
            let mut found = Vec::new();
            for mask in 0u32..(1 << edges.len()) {
                let chosen: Vec<usize> = (0..edges.len()).filter(|&k| mask >> k & 1 == 1).collect();
                if within_caps(&demand, &capacity, &edges, &chosen) && is_stable(&demand, &capacity, &edges, &chosen) {
                    found.push(chosen);
                }
            }
            prop_assert_eq!(found, vec![s.chosen]);
        }
    }
}
