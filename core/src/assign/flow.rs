//! Exact capacitated assignment of experts (right nodes) to initiatives
//! (left nodes), solved as a min-cost flow.
//!
//! Network: left -> [(left, group) when `one_per_group`] -> right ->
//! [group when `group_cap`] -> sink. Every left node also gets an "unfilled
//! slot" arc straight to the sink with capacity `demand`. That arc turns both
//! objectives into a transportation problem in which every left node ships
//! exactly its demand:
//!
//! * `MaxWeight`: the arc costs 0, so a unit only leaves it when a real
//!   assignment (possibly after reassignments) has negative cost. This is the
//!   same optimum as augmenting from a common source while the shortest path
//!   is negative, without needing a source node.
//! * `CoverageFirst`: the arc costs `K = 2 * (sum of weights) + 1`. `K` exceeds
//!   the weight difference between any two solutions, so one more pair always
//!   wins (lexicographic optimum), and every path through real arcs is cheaper
//!   than every path ending in an unfilled-slot arc.
//!
//! With fixed supplies, successive shortest paths may start from any node
//! that still has supply and stay exact as long as the potentials keep all
//! residual reduced costs non-negative. Starting from a single left node lets
//! Dijkstra stop as soon as the sink is settled, which on assignment-shaped
//! graphs touches only a handful of nodes per augmentation; potentials are
//! updated only for the settled nodes (shifting everyone by the sink distance
//! keeps reduced costs unchanged for the rest).
//!
//! When the experts offer fewer usable units than the initiatives ask for,
//! the same network is built reversed: right nodes (or group nodes, with
//! `group_cap`) ship their capacity and carry the unfilled arcs, and left
//! nodes feed the terminal. Unfilled capacity then plays the role of unfilled
//! demand, so both objectives keep their optimum, and the shipping side is
//! always the scarce one, whose searches find spare room quickly.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;

/// Upper bound on `edges.len()`.
pub const MAX_EDGES: usize = 20_000_000;
/// Upper bound on any single demand or capacity.
pub const MAX_UNITS: u32 = 1_000_000;
/// Upper bound on an edge weight (the lower bound is 0).
pub const MAX_WEIGHT: i64 = 1_000_000_000;
/// Upper bound on the number of left nodes, right nodes and groups, each.
/// Keeps every node and arc id inside `u32`.
pub const MAX_SIDE: usize = 50_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Edge {
    pub left: u32,
    pub right: u32,
    pub weight: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Objective {
    /// Maximise total weight; slots may stay empty.
    MaxWeight,
    /// Maximise the number of pairs, then total weight among those.
    CoverageFirst,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub demand: Vec<u32>,
    pub capacity: Vec<u32>,
    pub edges: Vec<Edge>,
    pub right_group: Option<Vec<u32>>,
    pub one_per_group: bool,
    pub group_cap: Option<Vec<u32>>,
    pub objective: Objective,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Solution {
    /// Indices into `Problem::edges`, ascending.
    pub chosen: Vec<usize>,
    pub total_weight: i64,
    pub pairs: usize,
    pub stats: Stats,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Stats {
    pub nodes: usize,
    /// Residual arcs, i.e. twice the number of network arcs.
    pub arcs: usize,
    /// Shortest-path searches.
    pub phases: usize,
    pub augmentations: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowError {
    TooManyEdges {
        count: usize,
        max: usize,
    },
    TooManyNodes {
        what: &'static str,
        count: usize,
        max: usize,
    },
    LeftOutOfRange {
        edge: usize,
        left: u32,
        lefts: usize,
    },
    RightOutOfRange {
        edge: usize,
        right: u32,
        rights: usize,
    },
    WeightOutOfRange {
        edge: usize,
        weight: i64,
    },
    DuplicateEdge {
        first: usize,
        second: usize,
    },
    DemandTooLarge {
        left: usize,
        demand: u32,
    },
    CapacityTooLarge {
        right: usize,
        capacity: u32,
    },
    /// `one_per_group` or `group_cap` was set without `right_group`.
    MissingGroups,
    GroupLengthMismatch {
        rights: usize,
        groups: usize,
    },
    GroupOutOfRange {
        right: usize,
        group: u32,
        groups: usize,
    },
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::TooManyEdges { count, max } => {
                write!(f, "{count} edges exceed the maximum of {max}")
            }
            FlowError::TooManyNodes { what, count, max } => {
                write!(f, "{count} {what} exceed the maximum of {max}")
            }
            FlowError::LeftOutOfRange { edge, left, lefts } => {
                write!(f, "edge {edge}: left {left} out of range (have {lefts})")
            }
            FlowError::RightOutOfRange { edge, right, rights } => {
                write!(f, "edge {edge}: right {right} out of range (have {rights})")
            }
            FlowError::WeightOutOfRange { edge, weight } => {
                write!(f, "edge {edge}: weight {weight} outside 0..={MAX_WEIGHT}")
            }
            FlowError::DuplicateEdge { first, second } => {
                write!(f, "edges {first} and {second} join the same pair")
            }
            FlowError::DemandTooLarge { left, demand } => {
                write!(f, "left {left}: demand {demand} exceeds {MAX_UNITS}")
            }
            FlowError::CapacityTooLarge { right, capacity } => {
                write!(f, "right {right}: capacity {capacity} exceeds {MAX_UNITS}")
            }
            FlowError::MissingGroups => {
                write!(f, "one_per_group or group_cap needs right_group")
            }
            FlowError::GroupLengthMismatch { rights, groups } => {
                write!(f, "right_group has {groups} entries for {rights} right nodes")
            }
            FlowError::GroupOutOfRange { right, group, groups } => {
                write!(f, "right {right}: group {group} has no entry in group_cap (len {groups})")
            }
        }
    }
}

impl std::error::Error for FlowError {}

const NONE: u32 = u32::MAX;

/// The checks shared with the stable mode: sizes, units, edge ends and weights.
pub(super) fn check_sides(demand: &[u32], capacity: &[u32], edges: &[Edge]) -> Result<(), FlowError> {
    let (nl, nr) = (demand.len(), capacity.len());
    if nl > MAX_SIDE {
        return Err(FlowError::TooManyNodes { what: "left nodes", count: nl, max: MAX_SIDE });
    }
    if nr > MAX_SIDE {
        return Err(FlowError::TooManyNodes { what: "right nodes", count: nr, max: MAX_SIDE });
    }
    if edges.len() > MAX_EDGES {
        return Err(FlowError::TooManyEdges { count: edges.len(), max: MAX_EDGES });
    }
    if let Some((left, &demand)) = demand.iter().enumerate().find(|(_, &d)| d > MAX_UNITS) {
        return Err(FlowError::DemandTooLarge { left, demand });
    }
    if let Some((right, &capacity)) = capacity.iter().enumerate().find(|(_, &c)| c > MAX_UNITS) {
        return Err(FlowError::CapacityTooLarge { right, capacity });
    }
    for (k, e) in edges.iter().enumerate() {
        if e.left as usize >= nl {
            return Err(FlowError::LeftOutOfRange { edge: k, left: e.left, lefts: nl });
        }
        if e.right as usize >= nr {
            return Err(FlowError::RightOutOfRange { edge: k, right: e.right, rights: nr });
        }
        if !(0..=MAX_WEIGHT).contains(&e.weight) {
            return Err(FlowError::WeightOutOfRange { edge: k, weight: e.weight });
        }
    }
    Ok(())
}

fn validate(p: &Problem) -> Result<(), FlowError> {
    let nr = p.capacity.len();
    check_sides(&p.demand, &p.capacity, &p.edges)?;
    if (p.one_per_group || p.group_cap.is_some()) && p.right_group.is_none() {
        return Err(FlowError::MissingGroups);
    }
    if let Some(rg) = &p.right_group {
        if rg.len() != nr {
            return Err(FlowError::GroupLengthMismatch { rights: nr, groups: rg.len() });
        }
        if let Some(gc) = &p.group_cap {
            if gc.len() > MAX_SIDE {
                return Err(FlowError::TooManyNodes { what: "groups", count: gc.len(), max: MAX_SIDE });
            }
            if let Some((right, &group)) = rg.iter().enumerate().find(|(_, &g)| g as usize >= gc.len()) {
                return Err(FlowError::GroupOutOfRange { right, group, groups: gc.len() });
            }
        }
    }
    Ok(())
}

/// Stable counting sort of `items` by `key`; returns bucket starts and the
/// reordered items.
pub(super) fn bucket(items: &[u32], buckets: usize, key: impl Fn(u32) -> usize) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; buckets + 1];
    for &it in items {
        start[key(it) + 1] += 1;
    }
    for b in 0..buckets {
        start[b + 1] += start[b];
    }
    let mut fill = start.clone();
    let mut out = vec![0u32; items.len()];
    for &it in items {
        let b = key(it);
        out[fill[b] as usize] = it;
        fill[b] += 1;
    }
    (start, out)
}

/// Residual network in compressed adjacency form; arc `a` and `rev[a]` are
/// the two directions of one network arc.
struct Net {
    first: Vec<u32>,
    to: Vec<u32>,
    rev: Vec<u32>,
    cap: Vec<u32>,
    cost: Vec<i64>,
}

struct ArcList {
    from: Vec<u32>,
    to: Vec<u32>,
    cap: Vec<u32>,
    cost: Vec<i64>,
}

impl ArcList {
    fn push(&mut self, from: u32, to: u32, cap: u32, cost: i64) -> u32 {
        let id = self.from.len() as u32;
        self.from.push(from);
        self.to.push(to);
        self.cap.push(cap);
        self.cost.push(cost);
        id
    }

    /// Returns the network and, per pushed arc, the id of its forward
    /// residual arc.
    fn into_net(self, nodes: usize) -> (Net, Vec<u32>) {
        let m = self.from.len();
        let mut first = vec![0u32; nodes + 1];
        for k in 0..m {
            first[self.from[k] as usize + 1] += 1;
            first[self.to[k] as usize + 1] += 1;
        }
        for v in 0..nodes {
            first[v + 1] += first[v];
        }
        let mut fill = first.clone();
        let mut to = vec![0u32; 2 * m];
        let mut rev = vec![0u32; 2 * m];
        let mut cap = vec![0u32; 2 * m];
        let mut cost = vec![0i64; 2 * m];
        let mut fwd = vec![0u32; m];
        for (k, fwd_k) in fwd.iter_mut().enumerate() {
            let (u, v) = (self.from[k] as usize, self.to[k] as usize);
            let a = fill[u];
            fill[u] += 1;
            let b = fill[v];
            fill[v] += 1;
            let (ai, bi) = (a as usize, b as usize);
            to[ai] = v as u32;
            rev[ai] = b;
            cap[ai] = self.cap[k];
            cost[ai] = self.cost[k];
            to[bi] = u as u32;
            rev[bi] = a;
            cap[bi] = 0;
            cost[bi] = -self.cost[k];
            *fwd_k = a;
        }
        (Net { first, to, rev, cap, cost }, fwd)
    }
}

/// Solves the assignment exactly for the stated objective.
///
/// Overflow: with at most `MAX_EDGES` edges of weight at most `MAX_WEIGHT`,
/// the weight sum `S` is at most 2e16 and the unfilled-slot cost `K` at most
/// 4e16 + 1, so every simple path costs between -S and S + K (|.| <= 6e16 + 1).
/// After each search a settled node's potential equals the cost of a simple
/// path from the search root minus the cost of the augmenting path, and the
/// sink's potential stays 0, so |potential| <= 1.2e17 + 2 (initial values are
/// within 0..=1e9). A search root's own lowering sets its potential to a
/// neighbour's (never another root's) minus one arc cost, adding at most
/// 4e16 + 1. Reduced costs are then below 4e17 and every Dijkstra key,
/// including tentative ones, below 8e17: far from i64::MAX (9.2e18). Residual
/// capacities never exceed the largest network capacity, a `u32`.
pub fn solve(p: &Problem) -> Result<Solution, FlowError> {
    solve_oriented(p, None)
}

/// `force_reverse` overrides the choice of shipping side (for tests).
fn solve_oriented(p: &Problem, force_reverse: Option<bool>) -> Result<Solution, FlowError> {
    validate(p)?;
    let nl = p.demand.len();
    let nr = p.capacity.len();
    let ne = p.edges.len();

    // Edges grouped by left, ascending right inside each left: deterministic
    // arc order and an O(E) duplicate check. Edges already in that order
    // (as the assignment passes them) only need the group starts.
    let all: Vec<u32> = (0..ne as u32).collect();
    let in_order = p.edges.windows(2).all(|w| (w[0].left, w[0].right) < (w[1].left, w[1].right));
    let by_right_of = || bucket(&all, nr, |k| p.edges[k as usize].right as usize);
    let (left_start, by_left) = if in_order {
        let mut start = vec![0u32; nl + 1];
        for e in &p.edges {
            start[e.left as usize + 1] += 1;
        }
        for i in 0..nl {
            start[i + 1] += start[i];
        }
        (start, all.clone())
    } else {
        bucket(&by_right_of().1, nl, |k| p.edges[k as usize].left as usize)
    };
    for w in by_left.windows(2) {
        let (a, b) = (&p.edges[w[0] as usize], &p.edges[w[1] as usize]);
        if a.left == b.left && a.right == b.right {
            let (first, second) = (w[0].min(w[1]) as usize, w[0].max(w[1]) as usize);
            return Err(FlowError::DuplicateEdge { first, second });
        }
    }

    let usable = |k: u32| {
        let e = &p.edges[k as usize];
        p.demand[e.left as usize] > 0 && p.capacity[e.right as usize] > 0
    };
    let weight_sum: i64 = by_left.iter().filter(|&&k| usable(k)).map(|&k| p.edges[k as usize].weight).sum();
    let unfilled_cost = match p.objective {
        Objective::MaxWeight => 0,
        Objective::CoverageFirst => 2 * weight_sum + 1,
    };

    let groups = match (&p.right_group, p.one_per_group || p.group_cap.is_some()) {
        (Some(g), true) => Some(g.as_slice()),
        _ => None,
    };
    let group_cap = p.group_cap.as_deref();
    let ng = group_cap.map_or(0, <[u32]>::len);
    let right_node = |j: u32| nl as u32 + j;
    // Sink of the forward network, source of the reversed one.
    let terminal = (nl + nr) as u32;
    let group_node = |g: u32| terminal + 1 + g;
    let mut nodes = nl + nr + 1 + ng;

    // (left, group) nodes, numbered per left in ascending group order.
    let mut pair_of_edge = vec![NONE; if p.one_per_group { ne } else { 0 }];
    let mut pair_left: Vec<u32> = Vec::new();
    let mut pair_first = vec![0u32; if p.one_per_group { nl + 1 } else { 0 }];
    let first_pair = nodes as u32;
    if let (true, Some(groups)) = (p.one_per_group, groups) {
        let mut mine: Vec<u32> = Vec::new();
        for i in 0..nl {
            pair_first[i] = pair_left.len() as u32;
            mine.clear();
            mine.extend(by_left[left_start[i] as usize..left_start[i + 1] as usize].iter().filter(|&&k| usable(k)));
            mine.sort_by_key(|&k| (groups[p.edges[k as usize].right as usize], p.edges[k as usize].right));
            let mut last = None;
            for &k in &mine {
                let g = groups[p.edges[k as usize].right as usize];
                if last != Some(g) {
                    last = Some(g);
                    pair_left.push(i as u32);
                }
                pair_of_edge[k as usize] = first_pair + pair_left.len() as u32 - 1;
            }
        }
        pair_first[nl] = pair_left.len() as u32;
        nodes += pair_left.len();
    }
    if nodes > u32::MAX as usize - 1 {
        return Err(FlowError::TooManyNodes { what: "network nodes", count: nodes, max: u32::MAX as usize - 1 });
    }

    // Ship from whichever side offers fewer usable units: the other side then
    // has spare room almost everywhere, so most searches end after a few
    // nodes. Both orientations describe the same flows.
    let (mut left_degree, mut right_degree) = (vec![0u64; nl], vec![0u64; nr]);
    for k in (0..ne as u32).filter(|&k| usable(k)) {
        left_degree[p.edges[k as usize].left as usize] += 1;
        right_degree[p.edges[k as usize].right as usize] += 1;
    }
    let left_units: u64 = (0..nl).map(|i| u64::from(p.demand[i]).min(left_degree[i])).sum();
    let right_units_each: Vec<u64> = (0..nr).map(|j| u64::from(p.capacity[j]).min(right_degree[j])).collect();
    let right_units: u64 = match (group_cap, groups) {
        (Some(gc), Some(groups)) => {
            let mut per_group = vec![0u64; gc.len()];
            for (j, &u) in right_units_each.iter().enumerate() {
                per_group[groups[j] as usize] += u;
            }
            per_group.iter().zip(gc).map(|(&u, &c)| u.min(u64::from(c))).sum()
        }
        _ => right_units_each.iter().sum(),
    };
    let reverse = force_reverse.unwrap_or(right_units < left_units);

    // Arcs are pushed so that every arc's tail has all its incoming arcs
    // pushed earlier; the potential pass below relies on that order.
    // Every edge, one unfilled arc per shipping node, one arc per right,
    // group and (left, group) pair node at most.
    let room = ne + nl + nr + 2 * ng + pair_left.len();
    let mut arcs = ArcList {
        from: Vec::with_capacity(room),
        to: Vec::with_capacity(room),
        cap: Vec::with_capacity(room),
        cost: Vec::with_capacity(room),
    };
    let mut edge_arc = vec![NONE; ne];
    let mut supplies: Vec<(u32, u32)> = Vec::new();
    if !reverse {
        for i in 0..nl {
            if p.demand[i] == 0 {
                continue;
            }
            supplies.push((i as u32, p.demand[i]));
            arcs.push(i as u32, terminal, p.demand[i], unfilled_cost);
            let list = &by_left[left_start[i] as usize..left_start[i + 1] as usize];
            if p.one_per_group {
                for idx in pair_first[i]..pair_first[i + 1] {
                    arcs.push(i as u32, first_pair + idx, 1, 0);
                }
            }
            for &k in list.iter().filter(|&&k| usable(k)) {
                let e = &p.edges[k as usize];
                let tail = if p.one_per_group { pair_of_edge[k as usize] } else { i as u32 };
                edge_arc[k as usize] = arcs.push(tail, right_node(e.right), 1, -e.weight);
            }
        }
        for j in 0..nr {
            if p.capacity[j] > 0 {
                let head = match (group_cap, groups) {
                    (Some(_), Some(groups)) => group_node(groups[j]),
                    _ => terminal,
                };
                arcs.push(right_node(j as u32), head, p.capacity[j], 0);
            }
        }
        if let Some(gc) = group_cap {
            for (g, &c) in gc.iter().enumerate() {
                if c > 0 {
                    arcs.push(group_node(g as u32), terminal, c, 0);
                }
            }
        }
    } else {
        let (right_start, by_right) = by_right_of();
        if let (Some(gc), Some(groups)) = (group_cap, groups) {
            let rights: Vec<u32> = (0..nr as u32).filter(|&j| p.capacity[j as usize] > 0).collect();
            let (member_start, members) = bucket(&rights, gc.len(), |j| groups[j as usize] as usize);
            for (g, &c) in gc.iter().enumerate() {
                let list = &members[member_start[g] as usize..member_start[g + 1] as usize];
                let room: u64 = list.iter().map(|&j| u64::from(p.capacity[j as usize])).sum();
                let supply = u64::from(c).min(room) as u32;
                if supply == 0 {
                    continue;
                }
                supplies.push((group_node(g as u32), supply));
                arcs.push(group_node(g as u32), terminal, supply, unfilled_cost);
                for &j in list {
                    arcs.push(group_node(g as u32), right_node(j), p.capacity[j as usize], 0);
                }
            }
        }
        for j in 0..nr {
            if p.capacity[j] == 0 {
                continue;
            }
            if group_cap.is_none() {
                supplies.push((right_node(j as u32), p.capacity[j]));
                arcs.push(right_node(j as u32), terminal, p.capacity[j], unfilled_cost);
            }
            for &k in by_right[right_start[j] as usize..right_start[j + 1] as usize].iter().filter(|&&k| usable(k)) {
                let e = &p.edges[k as usize];
                let head = if p.one_per_group { pair_of_edge[k as usize] } else { e.left };
                edge_arc[k as usize] = arcs.push(right_node(j as u32), head, 1, -e.weight);
            }
        }
        for (idx, &i) in pair_left.iter().enumerate() {
            arcs.push(first_pair + idx as u32, i, 1, 0);
        }
        for i in 0..nl {
            if p.demand[i] > 0 {
                arcs.push(i as u32, terminal, p.demand[i], 0);
            }
        }
    }

    // Initial potentials: the largest pi(u) >= pi(v) - cost(u, v) over arcs,
    // floored at 0, taken against the push order. Nodes downstream of the
    // edge arcs sit at 0 and nodes upstream at their best reachable weight, so
    // a search that can take its best edge to a free slot finishes at once.
    let mut pot: Vec<i64> = vec![0; nodes];
    for k in (0..arcs.from.len()).rev() {
        let (u, v) = (arcs.from[k] as usize, arcs.to[k] as usize);
        pot[u] = pot[u].max(pot[v] - arcs.cost[k]);
    }

    let (net, fwd) = arcs.into_net(nodes);
    let mut solver = Solver::new(net, pot);
    // One unit per supply node per round: early rounds settle everyone's first
    // choice cheaply before contested slots need longer paths.
    let mut active = supplies;
    while !active.is_empty() {
        let mut keep = 0;
        for idx in 0..active.len() {
            let (v, left) = active[idx];
            let sent = solver.augment_from(v, terminal, left);
            let left = left - sent.min(left);
            if sent > 0 && left > 0 {
                active[keep] = (v, left);
                keep += 1;
            }
        }
        active.truncate(keep);
    }

    let mut chosen = Vec::new();
    let mut total_weight = 0i64;
    for (k, &a) in edge_arc.iter().enumerate() {
        if a == NONE {
            continue;
        }
        let fa = fwd[a as usize] as usize;
        if solver.net.cap[solver.net.rev[fa] as usize] > 0 {
            chosen.push(k);
            total_weight += p.edges[k].weight;
        }
    }
    let pairs = chosen.len();
    Ok(Solution {
        chosen,
        total_weight,
        pairs,
        stats: Stats { nodes, arcs: solver.net.to.len(), phases: solver.phases, augmentations: solver.augmentations },
    })
}

struct Solver {
    net: Net,
    pot: Vec<i64>,
    dist: Vec<i64>,
    parent: Vec<u32>,
    settled: Vec<bool>,
    touched: Vec<u32>,
    done: Vec<u32>,
    /// Settled nodes at the current distance whose tight arcs are still
    /// being followed, each with the next arc to look at.
    level: Vec<(u32, u32)>,
    heap: BinaryHeap<Reverse<(i64, u32)>>,
    phases: usize,
    augmentations: usize,
}

impl Solver {
    fn new(net: Net, pot: Vec<i64>) -> Self {
        let n = pot.len();
        Solver {
            net,
            pot,
            dist: vec![i64::MAX; n],
            parent: vec![NONE; n],
            settled: vec![false; n],
            touched: Vec::new(),
            done: Vec::new(),
            level: Vec::new(),
            heap: BinaryHeap::new(),
            phases: 0,
            augmentations: 0,
        }
    }

    fn reduced(&self, u: usize, a: usize) -> i64 {
        self.net.cost[a] + self.pot[u] - self.pot[self.net.to[a] as usize]
    }

    /// Settles `v` at distance `d`, reached through arc `a`.
    fn settle(&mut self, v: u32, d: i64, a: u32) {
        let vi = v as usize;
        if self.dist[vi] == i64::MAX {
            self.touched.push(v);
        }
        self.dist[vi] = d;
        self.parent[vi] = a;
        self.settled[vi] = true;
        self.done.push(v);
        self.level.push((v, self.net.first[vi]));
    }

    /// Sends up to `limit` units from `src` to `sink` along one shortest
    /// residual path and returns how many were sent (0 only if the sink is
    /// unreachable, which the unfilled-slot arc rules out).
    ///
    /// Dijkstra on reduced costs, with two shortcuts that keep it exact:
    /// `src`'s potential first drops by its smallest outgoing reduced cost
    /// (every reduced cost stays non-negative: the outgoing ones shrink by at
    /// most their minimum, the incoming ones grow), and nodes at the current
    /// distance follow their zero-cost arcs depth first before any other arc
    /// is relaxed, since nothing can be closer. A path through a free slot
    /// is then usually found without touching the heap.
    fn augment_from(&mut self, src: u32, sink: u32, limit: u32) -> u32 {
        self.phases += 1;
        let si = src as usize;
        let arcs = self.net.first[si] as usize..self.net.first[si + 1] as usize;
        if let Some(low) = arcs.filter(|&a| self.net.cap[a] > 0).map(|a| self.reduced(si, a)).min() {
            self.pot[si] -= low;
        }
        self.settle(src, 0, NONE);
        let mut d = 0;
        let mut reached = false;
        'search: loop {
            while let Some(&(u, from)) = self.level.last() {
                let ui = u as usize;
                let end = self.net.first[ui + 1];
                // A tight arc to a node not yet settled: follow it.
                let mut a = from;
                while a < end {
                    let ai = a as usize;
                    let v = self.net.to[ai];
                    if self.net.cap[ai] > 0 && !self.settled[v as usize] && self.reduced(ui, ai) == 0 {
                        break;
                    }
                    a += 1;
                }
                if a < end {
                    let v = self.net.to[a as usize];
                    if let Some(top) = self.level.last_mut() {
                        top.1 = a + 1;
                    }
                    self.settle(v, d, a);
                    if v == sink {
                        reached = true;
                        break 'search;
                    }
                    continue;
                }
                // No tight arc left: relax the others and leave the level.
                self.level.pop();
                for ai in self.net.first[ui] as usize..end as usize {
                    if self.net.cap[ai] == 0 {
                        continue;
                    }
                    let v = self.net.to[ai] as usize;
                    if self.settled[v] {
                        continue;
                    }
                    let nd = d + self.reduced(ui, ai);
                    if nd < self.dist[v] {
                        if self.dist[v] == i64::MAX {
                            self.touched.push(v as u32);
                        }
                        self.dist[v] = nd;
                        self.parent[v] = ai as u32;
                        self.heap.push(Reverse((nd, v as u32)));
                    }
                }
            }
            // The closest node not yet settled opens the next level.
            loop {
                let Some(Reverse((nd, v))) = self.heap.pop() else { break 'search };
                let vi = v as usize;
                if self.settled[vi] || nd > self.dist[vi] {
                    continue;
                }
                d = nd;
                self.settle(v, d, self.parent[vi]);
                if v == sink {
                    reached = true;
                    break 'search;
                }
                break;
            }
        }
        self.heap.clear();
        self.level.clear();

        let mut sent = 0;
        if reached {
            let big_d = d;
            for &v in &self.done {
                let vi = v as usize;
                self.pot[vi] += self.dist[vi] - big_d;
            }
            let mut amount = limit;
            let mut v = sink;
            while v != src {
                let a = self.parent[v as usize] as usize;
                amount = amount.min(self.net.cap[a]);
                v = self.net.to[self.net.rev[a] as usize];
            }
            let mut v = sink;
            while v != src {
                let a = self.parent[v as usize] as usize;
                let r = self.net.rev[a] as usize;
                self.net.cap[a] -= amount;
                self.net.cap[r] += amount;
                v = self.net.to[r];
            }
            self.augmentations += 1;
            sent = amount;
        }
        for &v in &self.done {
            self.settled[v as usize] = false;
        }
        for &v in &self.touched {
            self.dist[v as usize] = i64::MAX;
            self.parent[v as usize] = NONE;
        }
        self.done.clear();
        self.touched.clear();
        sent
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn edge(left: u32, right: u32, weight: i64) -> Edge {
        Edge { left, right, weight }
    }

    fn problem(demand: &[u32], capacity: &[u32], edges: &[Edge], objective: Objective) -> Problem {
        Problem {
            demand: demand.to_vec(),
            capacity: capacity.to_vec(),
            edges: edges.to_vec(),
            right_group: None,
            one_per_group: false,
            group_cap: None,
            objective,
        }
    }

    /// Every constraint of `p` holds for `chosen`, which must be strictly
    /// ascending and in range.
    fn feasible(p: &Problem, chosen: &[usize]) -> bool {
        if chosen.windows(2).any(|w| w[0] >= w[1]) || chosen.iter().any(|&k| k >= p.edges.len()) {
            return false;
        }
        let mut left = vec![0u32; p.demand.len()];
        let mut right = vec![0u32; p.capacity.len()];
        let mut pair_groups = Vec::new();
        let mut group_use = vec![0u32; p.group_cap.as_ref().map_or(0, Vec::len)];
        for &k in chosen {
            let e = p.edges[k];
            left[e.left as usize] += 1;
            right[e.right as usize] += 1;
            if let Some(groups) = &p.right_group {
                let g = groups[e.right as usize];
                if p.one_per_group {
                    if pair_groups.contains(&(e.left, g)) {
                        return false;
                    }
                    pair_groups.push((e.left, g));
                }
                if p.group_cap.is_some() {
                    group_use[g as usize] += 1;
                }
            }
        }
        let caps_ok =
            left.iter().zip(&p.demand).all(|(u, d)| u <= d) && right.iter().zip(&p.capacity).all(|(u, c)| u <= c);
        let groups_ok = match &p.group_cap {
            Some(gc) => group_use.iter().zip(gc).all(|(u, c)| u <= c),
            None => true,
        };
        caps_ok && groups_ok
    }

    fn score(p: &Problem, chosen: &[usize]) -> (usize, i64) {
        (chosen.len(), chosen.iter().map(|&k| p.edges[k].weight).sum())
    }

    fn better(obj: Objective, a: (usize, i64), b: (usize, i64)) -> bool {
        match obj {
            Objective::MaxWeight => a.1 > b.1,
            Objective::CoverageFirst => a > b,
        }
    }

    /// Best (pairs, weight) over all feasible edge subsets; for MaxWeight the
    /// pair count is the one of some weight-optimal subset.
    fn brute(p: &Problem) -> (usize, i64) {
        fn go(p: &Problem, k: usize, cur: &mut Vec<usize>, best: &mut (usize, i64)) {
            if !feasible(p, cur) {
                return;
            }
            let s = score(p, cur);
            if better(p.objective, s, *best) {
                *best = s;
            }
            for next in k..p.edges.len() {
                cur.push(next);
                go(p, next + 1, cur, best);
                cur.pop();
            }
        }
        let mut best = (0, 0);
        go(p, 0, &mut Vec::new(), &mut best);
        best
    }

    fn check(p: &Problem) -> Solution {
        let s = match solve(p) {
            Ok(s) => s,
            Err(e) => panic!("valid problem rejected: {e}"),
        };
        assert!(feasible(p, &s.chosen), "infeasible: {:?}", s.chosen);
        assert_eq!((s.pairs, s.total_weight), score(p, &s.chosen));
        s
    }

    #[test]
    fn simple_assignment() {
        let p = problem(
            &[1, 1],
            &[1, 1],
            &[edge(0, 0, 5), edge(0, 1, 4), edge(1, 0, 3), edge(1, 1, 1)],
            Objective::MaxWeight,
        );
        let s = check(&p);
        // 5 + 1 = 6 < 4 + 3 = 7
        assert_eq!(s.chosen, vec![1, 2]);
        assert_eq!(s.total_weight, 7);
    }

    #[test]
    fn max_weight_leaves_slot_empty_when_reassignment_costs_weight() {
        // Left 1 can only use right 0. Filling it means moving left 0 from
        // right 0 (10) to right 1 (2): 2 + 1 = 3 < 10, so MaxWeight leaves
        // left 1 empty although right 1 has room.
        let edges = [edge(0, 0, 10), edge(0, 1, 2), edge(1, 0, 1)];
        let s = check(&problem(&[1, 1], &[1, 1], &edges, Objective::MaxWeight));
        assert_eq!(s.chosen, vec![0]);
        assert_eq!((s.pairs, s.total_weight), (1, 10));

        let s = check(&problem(&[1, 1], &[1, 1], &edges, Objective::CoverageFirst));
        assert_eq!(s.chosen, vec![1, 2]);
        assert_eq!((s.pairs, s.total_weight), (2, 3));
    }

    #[test]
    fn coverage_first_prefers_weight_among_max_pairs() {
        // Both perfect assignments have 2 pairs; the heavier one wins.
        let edges = [edge(0, 0, 1), edge(0, 1, 7), edge(1, 0, 6), edge(1, 1, 1)];
        let s = check(&problem(&[1, 1], &[1, 1], &edges, Objective::CoverageFirst));
        assert_eq!(s.chosen, vec![1, 2]);
        assert_eq!(s.total_weight, 13);
    }

    #[test]
    fn zero_weight_pairs() {
        let edges = [edge(0, 0, 0)];
        let s = check(&problem(&[1], &[1], &edges, Objective::MaxWeight));
        assert_eq!(s.total_weight, 0);
        let s = check(&problem(&[1], &[1], &edges, Objective::CoverageFirst));
        assert_eq!((s.pairs, s.total_weight), (1, 0));
    }

    #[test]
    fn multi_unit_demand_and_capacity() {
        // Right 0 takes two initiatives, left 0 wants three experts.
        let edges = [edge(0, 0, 9), edge(0, 1, 8), edge(0, 2, 7), edge(1, 0, 6), edge(2, 0, 5), edge(2, 1, 1)];
        let s = check(&problem(&[3, 1, 1], &[2, 1, 1], &edges, Objective::MaxWeight));
        assert_eq!(s.chosen, vec![0, 1, 2, 3]);
        assert_eq!(s.total_weight, 30);
        let s = check(&problem(&[3, 1, 1], &[2, 1, 1], &edges, Objective::CoverageFirst));
        // Total capacity 4 caps the pair count; the heaviest 4 pairs fit.
        assert_eq!((s.pairs, s.total_weight), (4, 30));
    }

    #[test]
    fn one_per_group() {
        // Rights 0 and 1 are lent by the same municipality.
        let edges = [edge(0, 0, 9), edge(0, 1, 8), edge(0, 2, 1)];
        let mut p = problem(&[2], &[1, 1, 1], &edges, Objective::MaxWeight);
        assert_eq!(check(&p).chosen, vec![0, 1]);
        p.right_group = Some(vec![0, 0, 1]);
        p.one_per_group = true;
        let s = check(&p);
        assert_eq!(s.chosen, vec![0, 2]);
        assert_eq!(s.total_weight, 10);
        // Group ids need no group_cap entry when only one_per_group is used.
        p.right_group = Some(vec![7, 7, 3_000_000_000]);
        assert_eq!(check(&p).chosen, vec![0, 2]);
    }

    #[test]
    fn group_cap() {
        // Group 0 (rights 0, 1) lends at most one pair in total.
        let edges = [edge(0, 0, 5), edge(1, 1, 5), edge(1, 2, 1)];
        let mut p = problem(&[1, 1], &[1, 1, 1], &edges, Objective::MaxWeight);
        p.right_group = Some(vec![0, 0, 1]);
        p.group_cap = Some(vec![1, 5]);
        let s = check(&p);
        assert_eq!((s.pairs, s.total_weight), (2, 6));
        p.group_cap = Some(vec![0, 0]);
        let s = check(&p);
        assert_eq!((s.pairs, s.total_weight), (0, 0));
    }

    #[test]
    fn empty_and_unused() {
        let s = check(&problem(&[], &[], &[], Objective::MaxWeight));
        assert_eq!((s.pairs, s.total_weight), (0, 0));
        let s = check(&problem(&[0, 2], &[3, 0], &[edge(0, 0, 5), edge(1, 1, 5)], Objective::CoverageFirst));
        assert_eq!(s.pairs, 0);
    }

    #[test]
    fn invalid_problems() {
        let ok = problem(&[1], &[1], &[edge(0, 0, 1)], Objective::MaxWeight);
        let bad = |f: &dyn Fn(&mut Problem)| {
            let mut p = ok.clone();
            f(&mut p);
            solve(&p).err()
        };
        assert_eq!(bad(&|_| ()), None);
        assert!(matches!(
            bad(&|p| p.edges[0].left = 1),
            Some(FlowError::LeftOutOfRange { edge: 0, left: 1, lefts: 1 })
        ));
        assert!(matches!(bad(&|p| p.edges[0].right = 3), Some(FlowError::RightOutOfRange { .. })));
        assert!(matches!(bad(&|p| p.edges[0].weight = -1), Some(FlowError::WeightOutOfRange { .. })));
        assert!(matches!(bad(&|p| p.edges[0].weight = MAX_WEIGHT + 1), Some(FlowError::WeightOutOfRange { .. })));
        assert_eq!(bad(&|p| p.edges[0].weight = MAX_WEIGHT), None);
        assert!(matches!(bad(&|p| p.demand[0] = MAX_UNITS + 1), Some(FlowError::DemandTooLarge { .. })));
        assert!(matches!(bad(&|p| p.capacity[0] = MAX_UNITS + 1), Some(FlowError::CapacityTooLarge { .. })));
        assert_eq!(bad(&|p| p.capacity[0] = MAX_UNITS), None);
        assert!(matches!(
            bad(&|p| p.edges.push(edge(0, 0, 3))),
            Some(FlowError::DuplicateEdge { first: 0, second: 1 })
        ));
        assert!(matches!(bad(&|p| p.one_per_group = true), Some(FlowError::MissingGroups)));
        assert!(matches!(bad(&|p| p.group_cap = Some(vec![1])), Some(FlowError::MissingGroups)));
        assert!(matches!(bad(&|p| p.right_group = Some(vec![0, 0])), Some(FlowError::GroupLengthMismatch { .. })));
        assert!(matches!(
            bad(&|p| {
                p.right_group = Some(vec![1]);
                p.group_cap = Some(vec![1]);
            }),
            Some(FlowError::GroupOutOfRange { .. })
        ));
        let mut p = ok.clone();
        p.edges = vec![edge(0, 0, 0); MAX_EDGES + 1];
        assert!(matches!(solve(&p), Err(FlowError::TooManyEdges { .. })));
    }

    #[test]
    fn deterministic() {
        let edges: Vec<Edge> =
            (0..6u32).flat_map(|i| (0..4u32).map(move |j| edge(i, j, i64::from((i * 7 + j * 3) % 5)))).collect();
        let p = problem(&[2, 1, 2, 1, 1, 2], &[2, 2, 1, 1], &edges, Objective::CoverageFirst);
        assert_eq!(solve(&p), solve(&p));
    }

    /// Textbook successive shortest paths from an explicit source with
    /// Bellman-Ford, sharing nothing with `solve` beyond the problem type.
    /// Group ids must be below 3, as `arb_problem` makes them.
    fn reference(p: &Problem) -> (usize, i64) {
        let (nl, nr) = (p.demand.len(), p.capacity.len());
        let (s, t) = (nl + nr, nl + nr + 1);
        let ng = p.group_cap.as_ref().map_or(0, Vec::len);
        // Nodes: lefts, rights, source, sink, groups, then (left, group) pairs.
        let n = nl + nr + 2 + ng + nl * 3;
        let mut to = Vec::new();
        let mut cap: Vec<i64> = Vec::new();
        let mut cost = Vec::new();
        let mut adj = vec![Vec::new(); n];
        let mut add = |u: usize, v: usize, c: i64, w: i64, adj: &mut Vec<Vec<usize>>| {
            adj[u].push(to.len());
            to.push(v);
            cap.push(c);
            cost.push(w);
            adj[v].push(to.len());
            to.push(u);
            cap.push(0);
            cost.push(-w);
        };
        for i in 0..nl {
            add(s, i, i64::from(p.demand[i]), 0, &mut adj);
        }
        let group = |j: u32| p.right_group.as_ref().map_or(0, |g| g[j as usize] as usize);
        let pair_node = |i: u32, g: usize| nl + nr + 2 + ng + i as usize * 3 + g;
        if p.one_per_group {
            for i in 0..nl as u32 {
                for g in 0..3 {
                    add(i as usize, pair_node(i, g), 1, 0, &mut adj);
                }
            }
        }
        for e in &p.edges {
            let from = if p.one_per_group { pair_node(e.left, group(e.right)) } else { e.left as usize };
            add(from, nl + e.right as usize, 1, -e.weight, &mut adj);
        }
        for j in 0..nr {
            let head = if p.group_cap.is_some() { nl + nr + 2 + group(j as u32) } else { t };
            add(nl + j, head, i64::from(p.capacity[j]), 0, &mut adj);
        }
        if let Some(gc) = &p.group_cap {
            for (g, &c) in gc.iter().enumerate() {
                add(nl + nr + 2 + g, t, i64::from(c), 0, &mut adj);
            }
        }
        let (mut pairs, mut total) = (0usize, 0i64);
        loop {
            let mut dist = vec![i64::MAX; n];
            let mut par = vec![usize::MAX; n];
            dist[s] = 0;
            for _ in 0..n {
                for u in 0..n {
                    if dist[u] == i64::MAX {
                        continue;
                    }
                    for &a in &adj[u] {
                        if cap[a] > 0 && dist[u] + cost[a] < dist[to[a]] {
                            dist[to[a]] = dist[u] + cost[a];
                            par[to[a]] = a;
                        }
                    }
                }
            }
            if dist[t] == i64::MAX || (p.objective == Objective::MaxWeight && dist[t] >= 0) {
                return (pairs, total);
            }
            let mut v = t;
            while v != s {
                let a = par[v];
                cap[a] -= 1;
                cap[a ^ 1] += 1;
                v = to[a ^ 1];
            }
            pairs += 1;
            total -= dist[t];
        }
    }

    fn arb_problem(
        max_left: usize,
        max_right: usize,
        max_edges: usize,
        max_units: u32,
    ) -> impl Strategy<Value = Problem> {
        (1..=max_left, 1..=max_right)
            .prop_flat_map(move |(nl, nr)| {
                let weight = prop_oneof![0i64..=10, 0i64..=MAX_WEIGHT];
                (
                    prop::collection::vec(0..=max_units, nl),
                    prop::collection::vec(0..=max_units, nr),
                    prop::collection::vec((0..nl as u32, 0..nr as u32, weight), 0..=max_edges),
                    prop::collection::vec(0u32..3, nr),
                    prop::option::of(prop::collection::vec(0u32..=3, 3)),
                    any::<bool>(),
                    any::<bool>(),
                    any::<bool>(),
                )
            })
            .prop_map(|(demand, capacity, raw, groups, group_cap, one_per_group, use_groups, coverage)| {
                let mut edges: Vec<Edge> = Vec::new();
                for (l, r, w) in raw {
                    if !edges.iter().any(|e| e.left == l && e.right == r) {
                        edges.push(edge(l, r, w));
                    }
                }
                let use_groups = use_groups || one_per_group || group_cap.is_some();
                Problem {
                    demand,
                    capacity,
                    edges,
                    right_group: use_groups.then_some(groups),
                    one_per_group,
                    group_cap,
                    objective: if coverage { Objective::CoverageFirst } else { Objective::MaxWeight },
                }
            })
    }

    fn objective_value(p: &Problem, s: &Solution) -> (usize, i64) {
        match p.objective {
            Objective::MaxWeight => (0, s.total_weight),
            Objective::CoverageFirst => (s.pairs, s.total_weight),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

        #[test]
        fn optimum_matches_brute_force(p in arb_problem(5, 5, 16, 3)) {
            let s = check(&p);
            let mut best = brute(&p);
            if p.objective == Objective::MaxWeight {
                best.0 = 0;
            }
            prop_assert_eq!(objective_value(&p, &s), best);
        }

        #[test]
        fn optimum_matches_reference_flow(p in arb_problem(16, 16, 120, 4)) {
            let s = check(&p);
            let mut want = reference(&p);
            if p.objective == Objective::MaxWeight {
                want.0 = 0;
            }
            prop_assert_eq!(objective_value(&p, &s), want);
        }

        #[test]
        fn both_orientations_agree(p in arb_problem(8, 8, 40, 4)) {
            let a = solve_oriented(&p, Some(false));
            let b = solve_oriented(&p, Some(true));
            let (a, b) = match (a, b) {
                (Ok(a), Ok(b)) => (a, b),
                other => panic!("valid problem rejected: {other:?}"),
            };
            prop_assert!(feasible(&p, &a.chosen));
            prop_assert!(feasible(&p, &b.chosen));
            prop_assert_eq!(objective_value(&p, &a), objective_value(&p, &b));
            prop_assert_eq!(objective_value(&p, &a), objective_value(&p, &check(&p)));
        }

        #[test]
        fn edge_order_does_not_change_the_optimum(p in arb_problem(6, 6, 20, 3), rot in 0usize..20) {
            let s = check(&p);
            let mut q = p.clone();
            let n = q.edges.len();
            if n > 0 {
                q.edges.rotate_left(rot % n);
            }
            let t = check(&q);
            prop_assert_eq!(objective_value(&p, &s), objective_value(&q, &t));
        }
    }
}
