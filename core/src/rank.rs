//! Queries on a [`Matcher`]: top-k experts for an initiative, batches,
//! explanations, and the reverse direction (top-k initiatives for an expert).

use crate::error::{Code, Error, Problem, RecordKind, Result};
use crate::index::{Matcher, Scratch};
use crate::model::{Exclusion, Expert, Explanation, Initiative, Match, Ranking, Reason};
use crate::rules::{eligibility, Eligible, ExpertFacts};
use crate::score::{self, covers, covers_required, level_factor, score_bound, similarity, NeedQuery, Query};
use crate::validate;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Largest `k` accepted by ranking calls.
pub const MAX_K: usize = 100_000;

/// Checks `k`.
pub fn check_k(k: usize) -> Result<()> {
    k_from_i64(i64::try_from(k).unwrap_or(i64::MAX)).map(|_| ())
}

/// Checks a `k` that arrives signed (from Python or JS).
pub fn k_from_i64(k: i64) -> Result<usize> {
    match usize::try_from(k) {
        Ok(k) if (1..=MAX_K).contains(&k) => Ok(k),
        _ => Err(Error::single(Problem::new(
            Code::InvalidArgument,
            RecordKind::Input,
            "k",
            format!("must be 1..={MAX_K}, got {k}"),
        ))),
    }
}

/// A candidate in a top-k heap; "greater" means worse, so the heap's top is
/// the one to drop. Experts who cover every required need (`complete`) come
/// first, then score, then position.
#[derive(Clone, Copy)]
struct Ranked {
    complete: bool,
    score: f64,
    expert: u32,
}

impl Ranked {
    fn better_than(&self, other: &Ranked) -> bool {
        self.cmp(other) == Ordering::Less
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        other.complete.cmp(&self.complete).then(other.score.total_cmp(&self.score)).then(self.expert.cmp(&other.expert))
    }
}

/// The order of every result list: experts who cover every required need
/// first, then score descending, then `tie` (the id) ascending.
pub fn result_order(a: &Match, b: &Match, tie: impl FnOnce() -> Ordering) -> Ordering {
    b.missing_required.is_empty().cmp(&a.missing_required.is_empty()).then(b.score.total_cmp(&a.score)).then_with(tie)
}

/// Adds a margin for summation order: bounds are sums in another order than scores.
fn safe(bound: f64) -> f64 {
    bound * (1.0 + 1e-12) + 1e-15
}

/// The best matches and, when asked for, the best-fitting excluded experts.
struct Lists {
    top: TopK,
    excluded: TopK,
}

impl Lists {
    /// Whether a candidate with this score bound, which may or may not
    /// cover every required need, could still enter either list (the
    /// excluded list orders by score alone).
    fn admits(&self, complete: bool, bound: f64, min_score: f64) -> bool {
        bound > min_score && (self.top.admits(complete, bound) || self.excluded.admits(true, bound))
    }
}

/// Keeps the best `k`.
struct TopK {
    k: usize,
    heap: BinaryHeap<Ranked>,
}

impl TopK {
    fn new(k: usize) -> TopK {
        TopK { k, heap: BinaryHeap::with_capacity(k + 1) }
    }

    /// Whether a candidate with this score bound could still enter.
    fn admits(&self, complete: bool, bound: f64) -> bool {
        self.k > 0
            && (self.heap.len() < self.k
                || self
                    .heap
                    .peek()
                    .is_none_or(|w| (complete && !w.complete) || (complete == w.complete && bound >= w.score)))
    }

    fn offer(&mut self, r: Ranked) {
        if self.heap.len() < self.k {
            self.heap.push(r);
        } else if self.heap.peek().is_some_and(|w| r.better_than(w)) {
            self.heap.pop();
            self.heap.push(r);
        }
    }

    fn into_sorted(self) -> Vec<Ranked> {
        self.heap.into_sorted_vec()
    }
}

impl Matcher {
    /// Validates and analyses an initiative for querying.
    pub fn query(&self, initiative: &Initiative) -> Result<Query> {
        let mut problems = Vec::new();
        validate::check_initiative(initiative, None, &mut problems);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(self.analyse(initiative))
    }

    /// Analyses a validated initiative, with need analyses from the cache.
    fn analyse(&self, initiative: &Initiative) -> Query {
        Query::with(initiative, &self.resolver, |label| self.need(label))
            .with_context_from(&self.settings.config, || self.context(initiative))
    }

    /// The matcher's labels that match a need, best first (computed once per analysis).
    fn need_matches<'a>(&self, need: &'a NeedQuery) -> &'a [(f64, u32)] {
        need.analysis.matches.get_or_init(|| {
            let config = &self.settings.config;
            let score = |t: u32| (similarity(need, &self.terms[t as usize], config).0, t);
            let mut list: Vec<(f64, u32)> = if need.context {
                // Only taxonomy links can cover the context: the terms linked
                // to the concepts it reaches are all there is to compare.
                let mut candidates: Vec<u32> = need
                    .analysis
                    .reach
                    .concepts()
                    .flat_map(|c| self.concept_terms.get(&c).map(Vec::as_slice).unwrap_or_default())
                    .copied()
                    .collect();
                candidates.sort_unstable();
                candidates.dedup();
                candidates.into_iter().map(score).filter(|&(sim, _)| sim > 0.0).collect()
            } else {
                (0..self.terms.len() as u32).map(score).filter(|&(sim, _)| sim > 0.0).collect()
            };
            list.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            list
        })
    }

    /// Similarity of every need with every distinct label, and per need the
    /// matching labels best first.
    fn similarities(&self, q: &Query, s: &mut Scratch) {
        let n = q.needs.len();
        s.sims.clear();
        s.sims.resize(n * self.terms.len(), 0.0);
        if s.lists.len() < n {
            s.lists.resize_with(n, Vec::new);
        }
        for (j, need) in q.needs.iter().enumerate() {
            let matches = self.need_matches(need);
            for &(sim, t) in matches {
                s.sims[t as usize * n + j] = sim;
            }
            s.lists[j].extend_from_slice(matches);
        }
    }

    /// An expert's best value per need, from the similarity table.
    fn values(&self, e: u32, sims: &[f64], factors: &[[f64; 6]], out: &mut [f64]) {
        let n = out.len();
        out.fill(0.0);
        for &(t, level) in &self.skill_terms[self.skill_range(e as usize)] {
            let row = &sims[t as usize * n..(t as usize + 1) * n];
            for (j, (v, sim)) in out.iter_mut().zip(row).enumerate() {
                let x = sim * factors[j][level as usize];
                if x > *v {
                    *v = x;
                }
            }
        }
    }

    /// Scores one expert in full (from its skills) and offers it to the lists.
    fn consider(
        &self,
        q: &Query,
        e: u32,
        factors: &[[f64; 6]],
        s: &mut Scratch,
        values: &mut [f64],
        lists: &mut Lists,
    ) {
        if s.mark_done(e) {
            self.values(e, &s.sims, factors, values);
            self.judge(q, e, values, lists);
        }
    }

    /// Offers an expert with exact per-need values to the lists.
    fn judge(&self, q: &Query, e: u32, values: &[f64], lists: &mut Lists) {
        let config = &self.settings.config;
        let complete = covers_required(q, values);
        if !lists.admits(complete, score_bound(q, values), config.min_score) {
            return;
        }
        let eligible = eligibility(&self.facts[e as usize], &q.facts, &self.resolver, config).ok();
        match eligible.filter(|_| complete || !config.strict_required) {
            Some(el) => {
                let sc = score::score(q, values, el.distance_factor);
                if sc > config.min_score {
                    lists.top.offer(Ranked { complete, score: sc, expert: e });
                }
            }
            None => {
                if lists.excluded.k > 0 {
                    lists.excluded.offer(Ranked { complete: true, score: score::score(q, values, 1.0), expert: e });
                }
            }
        }
    }

    /// The core of every ranking: best `k` eligible experts, and optionally
    /// the best `k` excluded ones.
    ///
    /// All (need, label) pairs are visited in order of what they can add to a
    /// score (the need's weight share times the label's similarity), walking
    /// each label's postings in sequence and keeping every expert's best
    /// value per need so far. An expert not yet met holds no label visited
    /// so far, so for each need it scores at most the similarity of that
    /// need's next unvisited label (its cap). Once the caps add up to less
    /// than the k-th best score found, no new expert can enter: the walk goes
    /// on only to settle the experts already met, and stops early when few
    /// of them can still reach that score — those few are scored in full.
    /// Every bound is at least the true score, so the result is exact.
    fn top(&self, q: &Query, k: usize, with_excluded: bool, s: &mut Scratch) -> (Vec<Ranked>, Vec<Ranked>) {
        let config = &self.settings.config;
        self.similarities(q, s);
        let n = q.needs.len();
        let factors: Vec<[f64; 6]> =
            q.needs.iter().map(|need| std::array::from_fn(|l| level_factor(l as u8, need.min_level, config))).collect();
        let need_lists = std::mem::take(&mut s.lists);
        let mut walk: Vec<(f64, u32, u32)> = Vec::with_capacity(need_lists.iter().take(n).map(Vec::len).sum());
        for (j, list) in need_lists.iter().take(n).enumerate() {
            walk.extend(list.iter().map(|&(sim, t)| (q.needs[j].share * sim, j as u32, t)));
        }
        walk.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut next = vec![0usize; n];
        let mut caps: Vec<f64> = (0..n).map(|j| need_lists[j].first().map_or(0.0, |x| x.0)).collect();
        let mut lists = Lists { top: TopK::new(k), excluded: TopK::new(if with_excluded { k } else { 0 }) };
        let mut values = vec![0.0; n];
        let mut since_check = 0usize;
        let mut open = true; // whether experts not met yet can still enter
        let mut candidates: Vec<u32> = Vec::new();
        let posting_count = |t: u32| (self.posting_start[t as usize + 1] - self.posting_start[t as usize]) as usize;
        let mut remaining: usize = walk.iter().map(|&(_, _, t)| posting_count(t)).sum();
        let mut w = 0;
        while w < walk.len() {
            if open {
                let unseen: f64 = q.needs.iter().zip(&caps).map(|(need, c)| need.share * c).sum();
                // An expert not met yet holds no label visited so far: it can
                // cover a required need only while that need has labels left.
                let complete = q.needs.iter().zip(&caps).all(|(need, &c)| !need.required || c > 0.0);
                if !lists.admits(complete, safe(unseen), config.min_score) {
                    open = false;
                    candidates = (0..s.rows.len() as u32).collect();
                    since_check = usize::MAX;
                }
            }
            if !open && since_check >= 8192.max(2 * candidates.len()) {
                since_check = 0;
                let known = &s.known;
                candidates.retain(|&row| {
                    let known = &known[row as usize * n..(row as usize + 1) * n];
                    let (mut ub, mut complete) = (0.0, true);
                    for (need, (&v, &c)) in q.needs.iter().zip(known.iter().zip(&caps)) {
                        ub += need.share * v.max(c);
                        complete &= !need.required || v > 0.0 || c > 0.0;
                    }
                    lists.admits(complete, safe(ub), config.min_score)
                });
                // Scoring one expert in full costs about as much as walking a
                // few dozen postings; stop walking once that is the cheaper way.
                if candidates.len() * 32 <= remaining {
                    break;
                }
            }
            let (_, j, t) = walk[w];
            w += 1;
            let j = j as usize;
            next[j] += 1;
            caps[j] = need_lists[j].get(next[j]).map_or(0.0, |x| x.0);
            let sim = s.sims[t as usize * n + j];
            let range = self.posting_start[t as usize] as usize..self.posting_start[t as usize + 1] as usize;
            since_check = since_check.saturating_add(range.len());
            remaining -= range.len();
            for p in &self.postings[range] {
                let slot = &mut s.slot[p.expert as usize];
                if *slot == u32::MAX {
                    if !open {
                        continue;
                    }
                    *slot = s.rows.len() as u32;
                    s.rows.push(p.expert);
                    s.known.resize(s.known.len() + n, 0.0);
                }
                let v = sim * factors[j][p.level as usize];
                let cell = &mut s.known[*slot as usize * n + j];
                if v > *cell {
                    *cell = v;
                }
            }
            // Now and then, score the most promising experts met so far in
            // full: their scores raise the bar the caps must stay above.
            if open && since_check >= 4096.max(s.rows.len()) {
                since_check = 0;
                self.checkpoint(q, k.max(lists.excluded.k), &factors, s, &mut values, &mut lists);
            }
        }
        if open {
            candidates = (0..s.rows.len() as u32).collect();
        }
        if w == walk.len() {
            // Every label was visited: the known values are exact.
            for &row in &candidates {
                let e = s.rows[row as usize];
                if s.mark_done(e) {
                    values.copy_from_slice(&s.known[row as usize * n..(row as usize + 1) * n]);
                    self.judge(q, e, &values, &mut lists);
                }
            }
        } else {
            // In expert order the skill reads run forward through memory.
            let mut experts: Vec<u32> = candidates.iter().map(|&row| s.rows[row as usize]).collect();
            experts.sort_unstable();
            for e in experts {
                self.consider(q, e, &factors, s, &mut values, &mut lists);
            }
        }
        s.lists = need_lists;
        (lists.top.into_sorted(), lists.excluded.into_sorted())
    }

    /// Scores in full the `k` experts met so far with the best known values.
    fn checkpoint(
        &self,
        q: &Query,
        k: usize,
        factors: &[[f64; 6]],
        s: &mut Scratch,
        values: &mut [f64],
        lists: &mut Lists,
    ) {
        let n = q.needs.len();
        let mut best: Vec<(f64, u32)> = (0..s.rows.len())
            .map(|row| {
                let lb: f64 =
                    q.needs.iter().zip(&s.known[row * n..(row + 1) * n]).map(|(need, v)| need.share * v).sum();
                (lb, row as u32)
            })
            .collect();
        let k = k.min(best.len());
        if k == 0 {
            return;
        }
        best.select_nth_unstable_by(k - 1, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, row) in &best[..k] {
            let e = s.rows[row as usize];
            self.consider(q, e, factors, s, values, lists);
        }
    }

    /// Scores one expert against a query: a [`Match`] or the [`Exclusion`] that applies.
    pub fn evaluate(&self, q: &Query, expert: usize) -> std::result::Result<Match, Exclusion> {
        let config = &self.settings.config;
        let facts = &self.facts[expert];
        let id = &*self.ids[expert];
        let el = eligibility(facts, &q.facts, &self.resolver, config).map_err(|(reason, detail)| Exclusion {
            initiative_id: q.id.clone(),
            expert_id: id.to_owned(),
            reason,
            detail,
        })?;
        let range = self.skill_range(expert);
        let skills: Vec<_> = self.skills[range.clone()]
            .iter()
            .map(|&(raw, level)| (&self.terms[self.raw_term[raw as usize] as usize], level))
            .collect();
        let labels: Vec<&str> = self.skills[range].iter().map(|&(raw, _)| &*self.raw_labels[raw as usize]).collect();
        finish(q, id, &labels, &skills, el, config)
    }

    fn matches(&self, q: &Query, ranked: &[Ranked]) -> Vec<Match> {
        ranked
            .iter()
            .filter_map(|r| {
                let m = self.evaluate(q, r.expert as usize).ok();
                debug_assert!(m.as_ref().is_some_and(|m| m.score.to_bits() == r.score.to_bits()));
                m
            })
            .collect()
    }

    /// The best `k` eligible experts for an initiative: those who cover every
    /// required need first, then score descending, then expert id ascending.
    /// Experts with no fitting skill are not listed.
    pub fn rank(&self, initiative: &Initiative, k: usize) -> Result<Vec<Match>> {
        check_k(k)?;
        let q = self.query(initiative)?;
        Ok(self.ranked(&q, k))
    }

    fn ranked(&self, q: &Query, k: usize) -> Vec<Match> {
        self.with_scratch(|s| {
            let (top, _) = self.top(q, k, false, s);
            self.matches(q, &top)
        })
    }

    /// [`Matcher::rank`] for an initiative already validated, with any `k`.
    pub(crate) fn rank_unchecked(&self, initiative: &Initiative, k: usize) -> Vec<Match> {
        self.ranked(&self.analyse(initiative), k)
    }

    /// The best `k` as (expert position, score), without explanations.
    pub(crate) fn top_scores(&self, initiative: &Initiative, k: usize) -> Vec<(u32, f64)> {
        let q = self.analyse(initiative);
        self.with_scratch(|s| self.top(&q, k, false, s).0.into_iter().map(|r| (r.expert, r.score)).collect())
    }

    /// Like [`Matcher::rank`], plus the `k` best-fitting experts that were
    /// excluded, each with the reason.
    pub fn rank_detailed(&self, initiative: &Initiative, k: usize) -> Result<Ranking> {
        check_k(k)?;
        let q = self.query(initiative)?;
        Ok(self.with_scratch(|s| {
            let (top, excluded) = self.top(&q, k, true, s);
            let excluded = excluded.iter().filter_map(|r| self.evaluate(&q, r.expert as usize).err()).collect();
            Ranking { initiative_id: q.id.clone(), matches: self.matches(&q, &top), excluded }
        }))
    }

    /// [`Matcher::rank`] for many initiatives, in parallel with the `parallel`
    /// feature. Results are in input order and identical to one-by-one calls.
    pub fn rank_many(&self, initiatives: &[Initiative], k: usize) -> Result<Vec<Vec<Match>>> {
        self.rank_many_with(initiatives, k, |_| {})
    }

    /// [`Matcher::rank_many`] calling `progress(done)` as initiatives finish
    /// (from worker threads; `done` counts up to `initiatives.len()`).
    pub fn rank_many_with(
        &self,
        initiatives: &[Initiative],
        k: usize,
        progress: impl Fn(usize) + Sync,
    ) -> Result<Vec<Vec<Match>>> {
        check_k(k)?;
        let problems = validate::check_initiatives(initiatives);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let done = std::sync::atomic::AtomicUsize::new(0);
        let one = |i: &Initiative| {
            let out = self.rank_unchecked(i, k);
            progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1);
            out
        };
        #[cfg(feature = "parallel")]
        {
            use rayon::prelude::*;
            Ok(initiatives.par_iter().map(one).collect())
        }
        #[cfg(not(feature = "parallel"))]
        {
            Ok(initiatives.iter().map(one).collect())
        }
    }

    /// Why an expert does or does not fit an initiative.
    pub fn explain(&self, initiative: &Initiative, expert_id: &str) -> Result<Explanation> {
        let q = self.query(initiative)?;
        let e = self.position(expert_id).ok_or_else(|| unknown_expert(expert_id))?;
        Ok(match self.evaluate(&q, e) {
            Ok(m) => Explanation::Match(m),
            Err(x) => Explanation::Exclusion(x),
        })
    }

    /// Needs suggested from an initiative's title and description, with this
    /// matcher's taxonomy ([`crate::suggest::suggest_needs`]); the initiative
    /// may list no needs.
    pub fn suggest_needs(&self, initiative: &Initiative) -> Result<Vec<crate::SuggestedNeed>> {
        crate::suggest::suggest_needs(initiative, &self.taxonomy, &self.settings.config)
    }

    /// The best `k` initiatives for one expert (who need not be in the
    /// matcher): score descending, then initiative id ascending.
    pub fn rank_initiatives(&self, expert: &Expert, initiatives: &[Initiative], k: usize) -> Result<Vec<Match>> {
        check_k(k)?;
        let mut problems = Vec::new();
        validate::check_expert(expert, None, &mut problems);
        problems.extend(validate::check_initiatives(initiatives));
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        let config = &self.settings.config;
        let facts = ExpertFacts::of(expert);
        let terms: Vec<_> = expert.skills.iter().map(|s| self.taxonomy.term(&s.label, config)).collect();
        let skills: Vec<_> = terms.iter().zip(&expert.skills).map(|(t, s)| (t, s.level)).collect();
        let labels: Vec<&str> = expert.skills.iter().map(|s| s.label.as_str()).collect();
        let one = |i: &Initiative| {
            let q = Query::new(i, &self.taxonomy, &self.resolver, config);
            let el = eligibility(&facts, &q.facts, &self.resolver, config).ok()?;
            finish(&q, &expert.id, &labels, &skills, el, config).ok().filter(|m| m.score > config.min_score)
        };
        #[cfg(feature = "parallel")]
        let mut found: Vec<Match> = {
            use rayon::prelude::*;
            initiatives.par_iter().filter_map(one).collect()
        };
        #[cfg(not(feature = "parallel"))]
        let mut found: Vec<Match> = initiatives.iter().filter_map(one).collect();
        found.sort_by(|a, b| result_order(a, b, || a.initiative_id.cmp(&b.initiative_id)));
        found.truncate(k);
        Ok(found)
    }
}

fn finish(
    q: &Query,
    expert_id: &str,
    labels: &[&str],
    skills: &[(&crate::taxonomy::Term, u8)],
    el: Eligible,
    config: &crate::Config,
) -> std::result::Result<Match, Exclusion> {
    let cv = covers(q, skills, config);
    let values: Vec<f64> = cv.iter().map(|c| c.value).collect();
    if let Some(need) = score::uncovered_required(q, &values).next().filter(|_| config.strict_required) {
        return Err(Exclusion {
            initiative_id: q.id.clone(),
            expert_id: expert_id.to_owned(),
            reason: Reason::RequiredNeedUncovered,
            detail: format!("no skill covers the required need {need:?}"),
        });
    }
    Ok(score::explain(q, expert_id, labels, &cv, el))
}

fn unknown_expert(id: &str) -> Error {
    Error::single(Problem::new(Code::UnknownId, RecordKind::Expert, "id", "is not in the matcher").with_id(Some(id)))
}

/// Merges rankings of the same initiative computed over disjoint sets of
/// experts (for example on cluster workers) into the top `k` overall. Because
/// a score depends only on the pair, the result equals ranking all experts at once.
pub fn merge_rankings(parts: impl IntoIterator<Item = Vec<Match>>, k: usize) -> Vec<Match> {
    let mut all: Vec<Match> = parts.into_iter().flatten().collect();
    all.sort_by(|a, b| result_order(a, b, || a.expert_id.cmp(&b.expert_id)));
    all.dedup_by(|a, b| a.expert_id == b.expert_id);
    all.truncate(k);
    all
}
