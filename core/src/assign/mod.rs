//! Global assignment: who goes where, given every open initiative and every
//! expert's limited time.
//!
//! Candidate pairs are the eligible (rule-respecting) pairs scoring above
//! [`AssignConfig::score_floor`], by default each initiative's best
//! [`AssignConfig::candidates_per_initiative`]; or pairs with scores the
//! caller brings, by id ([`ScoredEdge`]) or by position ([`IndexedEdge`]),
//! which obey the same rule. The optimal mode
//! solves a min-cost flow exactly: initiatives want `experts_wanted`
//! experts, experts take at most `max_initiatives` (and at most
//! [`AssignConfig::rotation_cap`]); fairness options (one expert per lending
//! municipality per initiative, a cap on what one municipality lends in total)
//! are arcs of the same network, so the optimum stays exact. The stable mode
//! runs deferred acceptance instead.
//!
//! Scores become integers at [`SCORE_SCALE`] (10⁹ units per 1.0): scores
//! that differ by less than 10⁻⁹ tie, and every sum is exact.

mod flow;
mod stable;

use crate::error::{Code, Error, Problem, RecordKind, Result};
use crate::index::{Matcher, Settings};
use crate::model::{Expert, Initiative, NeedMatch, Reason};
use crate::rules::{eligibility, InitiativeFacts};
use crate::score::ordered_sum;
use crate::validate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Integer units per 1.0 of score.
pub const SCORE_SCALE: f64 = 1e9;

/// Most candidate pairs one assignment accepts; beyond it the caller is told
/// to lower `candidates_per_initiative` rather than wait for hours.
pub const MAX_CANDIDATES: usize = 20_000_000;

/// Optimal (total fit) or stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Exact optimum of the objective (min-cost flow).
    #[default]
    Optimal,
    /// Stable matching (deferred acceptance, initiatives propose): no
    /// initiative and expert would both rather be paired with each other.
    Stable,
}

/// What the optimal mode maximises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Total score; a slot stays empty when filling it would lower the total.
    #[default]
    MaxScore,
    /// Number of filled slots first, then total score.
    CoverageFirst,
}

/// Assignment settings; a field of [`crate::Config`] (`"assign": {...}`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[cfg_attr(feature = "js", tsify(missing_as_null))]
#[serde(default, deny_unknown_fields)]
pub struct AssignConfig {
    /// Optimal or stable (default optimal).
    pub mode: Mode,
    /// What the optimal mode maximises (default `max_score`).
    pub objective: Objective,
    /// Candidate pairs must score above this (default 0).
    pub score_floor: f64,
    /// Keep only each initiative's best this many candidates, 0 for all
    /// (default 50: far more than any initiative wants, and it keeps the
    /// network sparse at national scale).
    pub candidates_per_initiative: usize,
    /// At most one expert from the same lending municipality (or
    /// shared-service organisation) per initiative (default false).
    pub one_per_municipality: bool,
    /// At most this many pairs per lending municipality in total (default none).
    pub municipality_cap: Option<u32>,
    /// At most this many initiatives per expert, below their own capacity,
    /// so the same people are not always asked (default none).
    pub rotation_cap: Option<u32>,
    /// Rounds in which initiatives left short get [`REFILL_FACTOR`] times as
    /// many candidates and the problem is solved again (default 2; 0 solves once).
    /// Similar initiatives share their best experts, so a fixed candidate list
    /// can leave places empty while other fitting experts are free.
    pub refill_rounds: u32,
}

/// How much longer an initiative's candidate list gets in each refill round.
pub const REFILL_FACTOR: usize = 4;

impl Default for AssignConfig {
    fn default() -> Self {
        AssignConfig {
            mode: Mode::Optimal,
            objective: Objective::MaxScore,
            score_floor: 0.0,
            candidates_per_initiative: 50,
            one_per_municipality: false,
            municipality_cap: None,
            rotation_cap: None,
            refill_rounds: 2,
        }
    }
}

impl AssignConfig {
    pub(crate) fn check(&self, out: &mut Vec<Problem>) {
        if !(self.score_floor.is_finite() && (0.0..1.0).contains(&self.score_floor)) {
            out.push(Problem::new(
                Code::InvalidNumber,
                RecordKind::Config,
                "assign.score_floor",
                format!("must be 0..1, got {}", self.score_floor),
            ));
        }
        if self.refill_rounds > 5 {
            out.push(Problem::new(
                Code::InvalidNumber,
                RecordKind::Config,
                "assign.refill_rounds",
                format!("must be at most 5, got {}", self.refill_rounds),
            ));
        }
        if self.candidates_per_initiative > crate::rank::MAX_K {
            out.push(Problem::new(
                Code::InvalidNumber,
                RecordKind::Config,
                "assign.candidates_per_initiative",
                format!("must be at most {}, got {}", crate::rank::MAX_K, self.candidates_per_initiative),
            ));
        }
        if self.mode == Mode::Stable
            && (self.one_per_municipality || self.municipality_cap.is_some() || self.objective != Objective::MaxScore)
        {
            out.push(Problem::new(
                Code::InvalidArgument,
                RecordKind::Config,
                "assign.mode",
                "stable mode takes no objective or municipality options; they belong to the optimal mode",
            ));
        }
    }
}

/// A pair with a score the caller brings (bring-your-own-scores mode).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct ScoredEdge {
    /// The initiative.
    pub initiative_id: String,
    /// The expert.
    pub expert_id: String,
    /// Fit in [0, 1].
    pub score: f64,
}

/// A pair with a score the caller brings, by position: the entry of a sparse
/// score matrix whose rows are the initiatives and whose columns are the
/// experts, in the order they are passed in. Reads without any id lookup, so
/// it suits score matrices from numpy, scipy or typed arrays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndexedEdge {
    /// Position in the initiatives passed in, from 0.
    pub initiative_index: u32,
    /// Position in the experts passed in, from 0.
    pub expert_index: u32,
    /// Fit in [0, 1].
    pub score: f64,
}

impl IndexedEdge {
    /// Edges from three columns of equal length (the entries of a sparse
    /// score matrix); the error names the lengths when they differ.
    pub fn from_columns(initiative_index: &[u32], expert_index: &[u32], score: &[f64]) -> Result<Vec<IndexedEdge>> {
        let n = initiative_index.len();
        if expert_index.len() != n || score.len() != n {
            return Err(Error::single(Problem::new(
                Code::WrongType,
                RecordKind::Edge,
                "",
                format!(
                    "columns differ in length: initiative_index {n}, expert_index {}, score {}",
                    expert_index.len(),
                    score.len()
                ),
            )));
        }
        edge_count(n)?;
        Ok(initiative_index
            .iter()
            .zip(expert_index)
            .zip(score)
            .map(|((&initiative_index, &expert_index), &score)| IndexedEdge { initiative_index, expert_index, score })
            .collect())
    }
}

/// The cap on edges the caller brings.
fn edge_count(n: usize) -> Result<()> {
    if n > MAX_CANDIDATES {
        return Err(Error::single(Problem::new(
            Code::TooMany,
            RecordKind::Input,
            "",
            format!("{n} edges, at most {MAX_CANDIDATES}"),
        )));
    }
    Ok(())
}

/// One assigned pair.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Pair {
    /// The initiative.
    pub initiative_id: String,
    /// The expert.
    pub expert_id: String,
    /// The pair's score.
    pub score: f64,
    /// How each need is covered (empty for scores the caller brought).
    pub needs: Vec<NeedMatch>,
    /// How the expert covers the initiative's context, when it has one
    /// (its contribution is part of the score, as in a [`crate::Match`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<NeedMatch>,
    /// Required needs the expert's skills leave uncovered (empty for scores
    /// the caller brought). Such a pair takes part with its score; candidate
    /// lists follow the ranking order, so these experts are candidates only
    /// after every expert who covers all required needs.
    #[serde(default)]
    pub missing_required: Vec<String>,
}

/// How full an initiative got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Fill {
    /// The initiative.
    pub initiative_id: String,
    /// `experts_wanted`.
    pub wanted: u32,
    /// Experts assigned.
    pub filled: u32,
    /// Candidate pairs it had.
    pub candidates: u32,
}

/// How loaded an expert got.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Load {
    /// The expert.
    pub expert_id: String,
    /// Capacity used by the solver (`max_initiatives`, lowered by `rotation_cap`).
    pub capacity: u32,
    /// Initiatives assigned.
    pub load: u32,
}

/// Why an initiative did not get all the experts it wanted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum UnassignedReason {
    /// No expert may support it at all (the rule, capacity, language, distance) or none has a fitting skill.
    NoEligibleExpert,
    /// Experts would be eligible, but none covers a required need.
    RequiredNeedUncovered,
    /// It has fewer candidates than it wants.
    TooFewCandidates,
    /// Its candidates are needed elsewhere (at capacity, or the objective or
    /// a fairness option placed them elsewhere).
    ExpertsFull,
}

/// An initiative left (partly) unfilled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Unassigned {
    /// The initiative.
    pub initiative_id: String,
    /// Slots left empty.
    pub missing: u32,
    /// Why.
    pub reason: UnassignedReason,
    /// Specifics.
    pub detail: String,
}

/// Solver figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct AssignStats {
    /// Candidate pairs given to the solver.
    pub candidates: usize,
    /// Flow network nodes (optimal mode).
    pub nodes: usize,
    /// Residual arcs (optimal mode).
    pub arcs: usize,
    /// Shortest-path searches (optimal mode).
    pub phases: usize,
    /// Augmentations (optimal mode).
    pub augmentations: usize,
    /// Proposals (stable mode).
    pub proposals: usize,
    /// Times the problem was solved (more than once when places were refilled).
    pub rounds: u32,
}

/// The result of an assignment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Assignment {
    /// Optimal or stable.
    pub mode: Mode,
    /// The objective (optimal mode).
    pub objective: Objective,
    /// Assigned pairs, by initiative id, then score descending, then expert id.
    pub pairs: Vec<Pair>,
    /// Every initiative's fill, by id.
    pub initiatives: Vec<Fill>,
    /// Every expert with capacity and at least one candidate, by id.
    pub experts: Vec<Load>,
    /// Initiatives with empty slots, by id.
    pub unassigned: Vec<Unassigned>,
    /// Sum of the assigned scores.
    pub total_score: f64,
    /// Sum of the assigned scores in integer units ([`SCORE_SCALE`]): the exact objective.
    pub objective_value: i64,
    /// Solver figures.
    pub stats: AssignStats,
}

/// Progress of a long assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Candidates found for `done` of `total` initiatives.
    Candidates {
        /// Initiatives done.
        done: usize,
        /// Initiatives in all.
        total: usize,
    },
    /// The solver is running on this many candidate pairs.
    Solving {
        /// Candidate pairs.
        candidates: usize,
    },
}

/// Score in integer units.
pub fn units(score: f64) -> i64 {
    (score * SCORE_SCALE).round() as i64
}

/// A candidate pair. Explanations are built for the chosen pairs only: at
/// national scale there are millions of candidates and a few percent chosen.
struct Candidate {
    initiative: u32,
    expert: u32,
    score: f64,
}

/// Assigns the matcher's experts to the initiatives, with candidates from the
/// matcher's scores.
pub fn assign(matcher: &Matcher, initiatives: &[Initiative]) -> Result<Assignment> {
    assign_with(matcher, initiatives, None, silent)
}

/// Assigns with scores the caller brings, by id. Skills and needs may be empty.
pub fn assign_edges(
    experts: Vec<Expert>,
    initiatives: &[Initiative],
    edges: &[ScoredEdge],
    settings: Settings,
) -> Result<Assignment> {
    let matcher = Matcher::build(experts, settings, false)?;
    run(&matcher, initiatives, Some(Given::Ids(edges)), silent)
}

/// Assigns with scores the caller brings by position ([`IndexedEdge`]): the
/// same result as [`assign_edges`] with the ids at those positions.
pub fn assign_indexed(
    experts: Vec<Expert>,
    initiatives: &[Initiative],
    edges: &[IndexedEdge],
    settings: Settings,
) -> Result<Assignment> {
    // The matcher keeps experts in id order (ids are unique once it is built):
    // the place there of each position passed in.
    let mut by_id: Vec<usize> = (0..experts.len()).collect();
    by_id.sort_unstable_by(|&a, &b| experts[a].id.cmp(&experts[b].id));
    let mut place = vec![0u32; experts.len()];
    for (k, &p) in by_id.iter().enumerate() {
        place[p] = k as u32;
    }
    let matcher = Matcher::build(experts, settings, false)?;
    run(&matcher, initiatives, Some(Given::Indexed(edges, place)), silent)
}

/// No progress reports; one function, so the calls without a callback share
/// one copy of the solver pipeline.
fn silent(_: Progress) {}

/// [`assign`] / [`assign_edges`] with a progress callback.
pub fn assign_with(
    matcher: &Matcher,
    initiatives: &[Initiative],
    edges: Option<&[ScoredEdge]>,
    progress: impl Fn(Progress) + Sync,
) -> Result<Assignment> {
    run(matcher, initiatives, edges.map(Given::Ids), progress)
}

/// Candidate pairs the caller brings.
enum Given<'a> {
    Ids(&'a [ScoredEdge]),
    /// With the matcher's place of each expert position.
    Indexed(&'a [IndexedEdge], Vec<u32>),
}

fn run(
    matcher: &Matcher,
    initiatives: &[Initiative],
    given: Option<Given<'_>>,
    progress: impl Fn(Progress) + Sync,
) -> Result<Assignment> {
    let config = &matcher.settings.config;
    let ac = &config.assign;
    let scored = given.is_none();
    let mut problems = validate::check_initiatives_with(initiatives, scored);
    ac.check(&mut problems);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    // Initiatives in id order, so ties break on id whatever the input order.
    let mut order: Vec<usize> = (0..initiatives.len()).collect();
    order.sort_by(|&a, &b| initiatives[a].id.cmp(&initiatives[b].id));
    let sorted: Vec<&Initiative> = order.iter().map(|&i| &initiatives[i]).collect();

    let mut candidates = match &given {
        Some(given) => given_candidates(matcher, &order, &sorted, given)?,
        None => scored_candidates(matcher, &sorted, &progress)?,
    };
    let capacity: Vec<u32> = matcher
        .facts
        .iter()
        .map(|f| {
            let c = f.max_initiatives.min(ac.rotation_cap.unwrap_or(u32::MAX));
            if f.hours_per_month == Some(0.0) {
                0
            } else {
                c
            }
        })
        .collect();
    let demand: Vec<u32> = sorted.iter().map(|i| i.experts_wanted).collect();
    let mut per_initiative = vec![ac.candidates_per_initiative; sorted.len()];
    let mut round = 0;
    loop {
        candidates.sort_by(|a, b| a.initiative.cmp(&b.initiative).then(a.expert.cmp(&b.expert)));
        if candidates.len() > MAX_CANDIDATES {
            return Err(Error::single(Problem::new(
                Code::TooMany,
                RecordKind::Input,
                "",
                format!(
                    "{} candidate pairs, at most {MAX_CANDIDATES}: lower assign.candidates_per_initiative or raise assign.score_floor",
                    candidates.len()
                ),
            )));
        }
        progress(Progress::Solving { candidates: candidates.len() });
        let (chosen, mut stats) = solve(matcher, &candidates, &demand, &capacity)?;
        stats.rounds = round + 1;
        // Initiatives left short whose candidate list was cut at the limit get
        // a longer list, and the whole problem is solved again: candidates
        // only grow, so the total never falls, and the answer is the exact
        // optimum over the final candidate set.
        let refill = scored && ac.candidates_per_initiative > 0 && round < ac.refill_rounds;
        let more = if refill {
            refill_candidates(matcher, &sorted, &candidates, &chosen, &mut per_initiative)
        } else {
            Vec::new()
        };
        if more.is_empty() {
            return Ok(report(matcher, &sorted, candidates, &chosen, &capacity, stats, scored));
        }
        candidates.extend(more);
        round += 1;
    }
}

/// Solves one round over the candidates.
fn solve(
    matcher: &Matcher,
    candidates: &[Candidate],
    demand: &[u32],
    capacity: &[u32],
) -> Result<(Vec<usize>, AssignStats)> {
    let ac = &matcher.settings.config.assign;
    let flow_edges: Vec<flow::Edge> =
        candidates.iter().map(|c| flow::Edge { left: c.initiative, right: c.expert, weight: units(c.score) }).collect();
    let mut stats = AssignStats { candidates: candidates.len(), ..AssignStats::default() };
    let chosen = match ac.mode {
        Mode::Optimal => {
            let grouped = ac.one_per_municipality || ac.municipality_cap.is_some();
            let (group, groups) = if grouped { lending_groups(matcher) } else { (Vec::new(), 0) };
            let problem = flow::Problem {
                demand: demand.to_vec(),
                capacity: capacity.to_vec(),
                edges: flow_edges,
                right_group: grouped.then_some(group),
                one_per_group: ac.one_per_municipality,
                group_cap: ac.municipality_cap.map(|c| vec![c; groups]),
                objective: match ac.objective {
                    Objective::MaxScore => flow::Objective::MaxWeight,
                    Objective::CoverageFirst => flow::Objective::CoverageFirst,
                },
            };
            let sol = flow::solve(&problem).map_err(solver_error)?;
            stats.nodes = sol.stats.nodes;
            stats.arcs = sol.stats.arcs;
            stats.phases = sol.stats.phases;
            stats.augmentations = sol.stats.augmentations;
            sol.chosen
        }
        Mode::Stable => {
            let sol = stable::stable(demand, capacity, &flow_edges).map_err(solver_error)?;
            stats.proposals = sol.proposals;
            sol.chosen
        }
    };
    Ok((chosen, stats))
}

/// Further candidates for initiatives left short whose list was full: the
/// next ones in score order, [`REFILL_FACTOR`] times as many as before.
fn refill_candidates(
    matcher: &Matcher,
    sorted: &[&Initiative],
    candidates: &[Candidate],
    chosen: &[usize],
    per_initiative: &mut [usize],
) -> Vec<Candidate> {
    let floor = matcher.settings.config.assign.score_floor;
    let mut filled = vec![0u32; sorted.len()];
    let mut offered = vec![0usize; sorted.len()];
    for &c in chosen {
        filled[candidates[c].initiative as usize] += 1;
    }
    for c in candidates {
        offered[c.initiative as usize] += 1;
    }
    let short: Vec<usize> = (0..sorted.len())
        .filter(|&i| filled[i] < sorted[i].experts_wanted && offered[i] >= per_initiative[i])
        .collect();
    let one = |&i: &usize| -> Vec<Candidate> {
        let k = per_initiative[i].saturating_mul(REFILL_FACTOR).min(matcher.len());
        // Top lists are prefix-stable (ties break on id), so the new ones follow the old.
        matcher
            .top_scores(sorted[i], k)
            .into_iter()
            .skip(per_initiative[i])
            .filter(|&(_, score)| score > floor)
            .map(|(expert, score)| Candidate { initiative: i as u32, expert, score })
            .collect()
    };
    #[cfg(feature = "parallel")]
    let more: Vec<Vec<Candidate>> = {
        use rayon::prelude::*;
        short.par_iter().map(one).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let more: Vec<Vec<Candidate>> = short.iter().map(one).collect();
    for &i in &short {
        per_initiative[i] = per_initiative[i].saturating_mul(REFILL_FACTOR);
    }
    more.into_iter().flatten().collect()
}

fn solver_error(e: flow::FlowError) -> Error {
    Error::single(Problem::new(Code::TooMany, RecordKind::Input, "", format!("assignment too large: {e}")))
}

/// Each expert's lending municipality: the set of municipalities they work
/// for, resolved, so a shared-service organisation lends as one.
fn lending_groups(matcher: &Matcher) -> (Vec<u32>, usize) {
    let mut ids: BTreeMap<Vec<u16>, u32> = BTreeMap::new();
    let keys: Vec<Vec<u16>> = matcher
        .facts
        .iter()
        .map(|f| {
            let mut k: Vec<u16> = f.municipalities.iter().map(|&m| matcher.resolver.resolve(m)).collect();
            k.sort_unstable();
            k.dedup();
            k
        })
        .collect();
    for k in &keys {
        let next = ids.len() as u32;
        ids.entry(k.clone()).or_insert(next);
    }
    (keys.iter().map(|k| ids[k]).collect(), ids.len())
}

fn scored_candidates(
    matcher: &Matcher,
    sorted: &[&Initiative],
    progress: &(impl Fn(Progress) + Sync),
) -> Result<Vec<Candidate>> {
    let ac = &matcher.settings.config.assign;
    let k = if ac.candidates_per_initiative == 0 { matcher.len().max(1) } else { ac.candidates_per_initiative };
    let total = sorted.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let one = |(ii, i): (usize, &&Initiative)| -> Vec<Candidate> {
        let found = matcher.top_scores(i, k);
        let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if d % 256 == 0 || d == total {
            progress(Progress::Candidates { done: d, total });
        }
        found
            .into_iter()
            .filter(|&(_, score)| score > ac.score_floor)
            .map(|(expert, score)| Candidate { initiative: ii as u32, expert, score })
            .collect()
    };
    #[cfg(feature = "parallel")]
    let lists: Vec<Vec<Candidate>> = {
        use rayon::prelude::*;
        sorted.par_iter().enumerate().map(one).collect()
    };
    #[cfg(not(feature = "parallel"))]
    let lists: Vec<Vec<Candidate>> = sorted.iter().enumerate().map(one).collect();
    Ok(lists.into_iter().flatten().collect())
}

impl Given<'_> {
    fn len(&self) -> usize {
        match self {
            Given::Ids(e) => e.len(),
            Given::Indexed(e, _) => e.len(),
        }
    }
}

fn given_candidates(
    matcher: &Matcher,
    order: &[usize],
    sorted: &[&Initiative],
    given: &Given<'_>,
) -> Result<Vec<Candidate>> {
    let config = &matcher.settings.config;
    let count = given.len();
    edge_count(count)?;
    // Place in id order of each initiative, by id or by position passed in.
    let initiative_index: HashMap<&str, u32> = match given {
        Given::Ids(_) => sorted.iter().enumerate().map(|(i, x)| (x.id.as_str(), i as u32)).collect(),
        Given::Indexed(..) => HashMap::new(),
    };
    let expert_index: HashMap<&str, u32> = match given {
        Given::Ids(_) => matcher.ids.iter().enumerate().map(|(e, id)| (&**id, e as u32)).collect(),
        Given::Indexed(..) => HashMap::new(),
    };
    let mut initiative_place = vec![0u32; order.len()];
    for (k, &i) in order.iter().enumerate() {
        initiative_place[i] = k as u32;
    }
    let facts: Vec<InitiativeFacts> = sorted.iter().map(|i| InitiativeFacts::of(i, &matcher.resolver)).collect();
    let mut problems = Vec::new();
    // Both ends in matcher places, or what is wrong with each, and the score.
    let ends = |n: usize| -> (std::result::Result<u32, String>, std::result::Result<u32, String>, f64) {
        match given {
            Given::Ids(edges) => {
                let e = &edges[n];
                (
                    initiative_index
                        .get(e.initiative_id.as_str())
                        .copied()
                        .ok_or_else(|| "names no initiative in the input".into()),
                    expert_index
                        .get(e.expert_id.as_str())
                        .copied()
                        .ok_or_else(|| "names no expert in the input".into()),
                    e.score,
                )
            }
            Given::Indexed(edges, place) => {
                let e = &edges[n];
                let at = |p: u32, places: &[u32], what: &str| {
                    places.get(p as usize).copied().ok_or_else(|| {
                        format!("must be 0..{} (a position in the {what} passed in), got {p}", places.len())
                    })
                };
                (
                    at(e.initiative_index, &initiative_place, "initiatives"),
                    at(e.expert_index, place, "experts"),
                    e.score,
                )
            }
        }
    };
    // The pair as the caller knows it, for messages.
    let name = |n: usize| -> String {
        match given {
            Given::Ids(edges) => format!("{} / {}", edges[n].initiative_id, edges[n].expert_id),
            Given::Indexed(edges, place) => {
                let (i, x) = (edges[n].initiative_index as usize, edges[n].expert_index as usize);
                let i = order
                    .get(i)
                    .map_or_else(|| format!("initiative #{i}"), |_| sorted[initiative_place[i] as usize].id.clone());
                let x = place.get(x).map_or_else(|| format!("expert #{x}"), |&p| matcher.ids[p as usize].to_string());
                format!("{i} / {x}")
            }
        }
    };
    let (initiative_field, expert_field) = match given {
        Given::Ids(_) => ("initiative_id", "expert_id"),
        Given::Indexed(..) => ("initiative_index", "expert_index"),
    };
    let problem = |n: usize, code: Code, field: &str, msg: String| {
        Problem::new(code, RecordKind::Edge, field, msg).with_id(Some(&name(n))).with_index(Some(n))
    };
    // Both ends and the score of every edge whose ends exist.
    let mut ok: Vec<(u32, u32, f64)> = vec![(0, 0, 0.0); count];
    let mut readable: Vec<u32> = Vec::with_capacity(count);
    for (n, slot) in ok.iter_mut().enumerate() {
        let (i, x, score) = ends(n);
        if let Err(msg) = &i {
            problems.push(problem(n, Code::UnknownId, initiative_field, msg.clone()));
        }
        if let Err(msg) = &x {
            problems.push(problem(n, Code::UnknownId, expert_field, msg.clone()));
        }
        if !(score.is_finite() && (0.0..=1.0).contains(&score)) {
            problems.push(problem(n, Code::InvalidNumber, "score", format!("must be 0..=1, got {score}")));
        }
        if let (Ok(i), Ok(x)) = (i, x) {
            *slot = (i, x, score);
            readable.push(n as u32);
        }
    }
    // By initiative, then expert, then edge number: repeats sit side by side
    // and the candidates come out in the order the solver takes them.
    let (start, by_initiative) = flow::bucket(&readable, sorted.len(), |n| ok[n as usize].0 as usize);
    drop(readable);
    let mut in_order = by_initiative;
    for w in start.windows(2) {
        in_order[w[0] as usize..w[1] as usize].sort_by_key(|&n| ok[n as usize].1);
    }
    let mut out = Vec::with_capacity(in_order.len());
    let mut repeats = Vec::new();
    let mut last: Option<(u32, u32, u32)> = None;
    for &n in &in_order {
        let (i, x, score) = ok[n as usize];
        if let Some((_, _, first)) = last.filter(|&(li, lx, _)| (li, lx) == (i, x)) {
            repeats.push(problem(n as usize, Code::DuplicateId, "", format!("repeats edge #{first}")));
            continue;
        }
        last = Some((i, x, n));
        let (code, msg) = match eligibility(&matcher.facts[x as usize], &facts[i as usize], &matcher.resolver, config) {
            Err((Reason::NoCapacity, _)) | Ok(_) => {
                if score.is_finite() && score > config.assign.score_floor {
                    out.push(Candidate { initiative: i, expert: x, score });
                }
                continue;
            }
            Err((Reason::SameMunicipality, detail)) => (
                Code::SameMunicipality,
                format!("pairs an expert with an initiative of their own municipality: {detail}"),
            ),
            Err((reason, detail)) => {
                let reason =
                    serde_json::to_value(reason).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
                (Code::InvalidArgument, format!("pairs an expert who is not eligible ({reason}: {detail})"))
            }
        };
        problems.push(problem(n as usize, code, "", msg));
    }
    // Every problem in edge order (stable, so an edge's own problems keep
    // their order), repeats last.
    problems.sort_by_key(|p| p.index);
    repeats.sort_by_key(|p| p.index);
    problems.extend(repeats);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Invalid(problems))
    }
}

fn report(
    matcher: &Matcher,
    sorted: &[&Initiative],
    candidates: Vec<Candidate>,
    chosen: &[usize],
    capacity: &[u32],
    stats: AssignStats,
    scored: bool,
) -> Assignment {
    let ac = &matcher.settings.config.assign;
    let mut filled = vec![0u32; sorted.len()];
    let mut offered = vec![0u32; sorted.len()];
    // Load per expert; `None` for experts without any candidate (not reported).
    let mut load: Vec<Option<u32>> = vec![None; matcher.ids.len()];
    for c in &candidates {
        offered[c.initiative as usize] += 1;
        load[c.expert as usize].get_or_insert(0);
    }
    let mut is_chosen = vec![false; candidates.len()];
    for &c in chosen {
        is_chosen[c] = true;
    }
    let mut pairs = Vec::with_capacity(chosen.len());
    let mut units_total = 0i64;
    let mut scores = Vec::with_capacity(chosen.len());
    // Candidates are sorted by initiative: analyse each initiative once.
    let mut query: Option<(u32, crate::score::Query)> = None;
    for (c, keep) in candidates.into_iter().zip(is_chosen) {
        if !keep {
            continue;
        }
        filled[c.initiative as usize] += 1;
        *load[c.expert as usize].get_or_insert(0) += 1;
        units_total += units(c.score);
        scores.push(c.score);
        let needs = if scored {
            if query.as_ref().is_none_or(|(i, _)| *i != c.initiative) {
                query = matcher.query(sorted[c.initiative as usize]).ok().map(|q| (c.initiative, q));
            }
            let explained = query.as_ref().and_then(|(_, q)| matcher.evaluate(q, c.expert as usize).ok());
            debug_assert!(explained.as_ref().is_some_and(|m| m.score.to_bits() == c.score.to_bits()));
            explained.map(|m| (m.needs, m.context, m.missing_required)).unwrap_or_default()
        } else {
            Default::default()
        };
        pairs.push(Pair {
            initiative_id: sorted[c.initiative as usize].id.clone(),
            expert_id: matcher.ids[c.expert as usize].to_string(),
            score: c.score,
            needs: needs.0,
            context: needs.1,
            missing_required: needs.2,
        });
    }
    pairs.sort_by(|a, b| {
        a.initiative_id
            .cmp(&b.initiative_id)
            .then(b.missing_required.is_empty().cmp(&a.missing_required.is_empty()))
            .then(b.score.total_cmp(&a.score))
            .then_with(|| a.expert_id.cmp(&b.expert_id))
    });
    let initiatives: Vec<Fill> = sorted
        .iter()
        .enumerate()
        .map(|(i, x)| Fill {
            initiative_id: x.id.clone(),
            wanted: x.experts_wanted,
            filled: filled[i],
            candidates: offered[i],
        })
        .collect();
    let unassigned = sorted
        .iter()
        .enumerate()
        .filter(|&(i, x)| filled[i] < x.experts_wanted)
        .map(|(i, x)| {
            let missing = x.experts_wanted - filled[i];
            let (reason, detail) = if offered[i] == 0 && !scored {
                (UnassignedReason::NoEligibleExpert, "geen gescoord paar noemt het".into())
            } else if offered[i] == 0 {
                why_no_candidates(matcher, x)
            } else if offered[i] < x.experts_wanted {
                (
                    UnassignedReason::TooFewCandidates,
                    format!(
                        "{} {} voor {} plaatsen",
                        offered[i],
                        if offered[i] == 1 { "kandidaat" } else { "kandidaten" },
                        x.experts_wanted
                    ),
                )
            } else {
                let mut causes = vec!["vol", "elders ingedeeld"];
                if ac.one_per_municipality || ac.municipality_cap.is_some() {
                    causes.push("tegengehouden door een gemeente-optie");
                }
                if ac.mode == Mode::Optimal && ac.objective == Objective::MaxScore {
                    causes.push("elders meer waard dan hier");
                }
                let last = causes.pop().unwrap_or_default();
                (
                    UnassignedReason::ExpertsFull,
                    format!(
                        "{} {} {} of {last}",
                        if offered[i] == 1 { "de" } else { "alle" },
                        if offered[i] == 1 {
                            "kandidaat is".to_string()
                        } else {
                            format!("{} kandidaten zijn", offered[i])
                        },
                        causes.join(", ")
                    ),
                )
            };
            Unassigned { initiative_id: x.id.clone(), missing, reason, detail }
        })
        .collect();
    let experts = load
        .into_iter()
        .enumerate()
        .filter_map(|(e, l)| Some(Load { expert_id: matcher.ids[e].to_string(), capacity: capacity[e], load: l? }))
        .collect();
    Assignment {
        mode: ac.mode,
        objective: ac.objective,
        pairs,
        initiatives,
        experts,
        unassigned,
        total_score: ordered_sum(&mut scores),
        objective_value: units_total,
        stats,
    }
}

fn why_no_candidates(matcher: &Matcher, i: &Initiative) -> (UnassignedReason, String) {
    let excluded = matcher.rank_detailed(i, 1).map(|r| r.excluded).unwrap_or_default();
    match excluded.first() {
        Some(x) if x.reason == Reason::RequiredNeedUncovered => {
            (UnassignedReason::RequiredNeedUncovered, x.detail.clone())
        }
        Some(x) => (
            UnassignedReason::NoEligibleExpert,
            format!(
                "de experts met passende vaardigheden komen niet in aanmerking, bijv. {}: {}",
                x.expert_id, x.detail
            ),
        ),
        None => (UnassignedReason::NoEligibleExpert, "geen expert heeft een passende vaardigheid".into()),
    }
}
