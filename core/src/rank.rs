//! Queries on a [`Matcher`]: top-k experts for an initiative, batches,
//! explanations, and the reverse direction (top-k initiatives for an expert).

use crate::error::{Code, Error, Problem, RecordKind, Result};
use crate::index::{Matcher, Scratch};
use crate::model::{Exclusion, Expert, Explanation, Initiative, Match, Ranking, Reason};
use crate::rules::{eligibility, eligibility_to_score, Eligible, ExpertFacts};
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

/// How the best experts are found; both give the same result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strategy {
    /// Walk the postings best first, with bounds that stop early.
    Walk,
    /// Bound every expert from one-byte codes, then score the best bounds.
    Sweep,
}

/// The sweep pays once the matching postings reach the experts divided by
/// this. Measured at 200,000 experts: the sweep costs about 1 ms whatever
/// the query, the walk from 0.4 ms to several ms once the postings number
/// more than a third of the experts (flat similarities keep its bounds
/// from closing).
const SWEEP_DIVISOR: usize = 4;

/// Buckets per tier of the sweep's histogram of bounds.
const BUCKETS: usize = 4096;

/// The sweep's integer bounds count shares in units of 1/65536 and values
/// in units of 1/255; a bucket spans `1 << BUCKET_SHIFT` of them.
const SHARE_SCALE: f64 = 65_536.0;
const BUCKET_SHIFT: u32 = 12;

/// Bit of a sweep sum set when the expert cannot cover a required need
/// (the sums stay below `1 << 25`: shares add up to 1).
const MISSING: u32 = 1 << 31;

/// Candidates the sweep sorts and scores per round, at least, and per
/// place in the lists (small under test, so that tests go through rounds).
const SWEEP_BATCH: usize = if cfg!(test) { 1 } else { 256 };
const SWEEP_BATCH_PER_PLACE: usize = if cfg!(test) { 0 } else { 4 };

/// A one-byte code for a value in [0, 1] whose `code / 255` is never below
/// it (0 only for 0).
fn upper_code(v: f64) -> u8 {
    if v <= 0.0 {
        0
    } else {
        ((v * 255.0).floor() + 1.0).min(255.0) as u8
    }
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
            .with_readings(&self.settings.config, |need, supported| self.reread(need, supported))
    }

    /// The matcher's labels that match a need, best first (computed once per analysis).
    fn need_matches<'a>(&self, need: &'a NeedQuery) -> &'a [(f64, u32)] {
        need.analysis.matches.get_or_init(|| {
            let config = &self.settings.config;
            let mut candidates = self.candidates(need);
            candidates.sort_unstable();
            candidates.dedup();

            let mut list: Vec<(f64, u32)> = candidates
                .into_iter()
                .map(|t| (similarity(need, &self.terms[t as usize], config).0, t))
                .filter(|&(sim, _)| sim > 0.0)
                .collect();
            list.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            list
        })
    }

    /// Every label that can match a need, and maybe some that do not: the
    /// labels linked to a concept the need reaches, the labels that share
    /// enough of its informative stems, and the labels close enough in
    /// length to be a spelling variant. The context has concepts only.
    fn candidates(&self, need: &NeedQuery) -> Vec<u32> {
        let config = &self.settings.config;
        let term = &need.analysis.term;
        let mut out: Vec<u32> = need
            .analysis
            .reach
            .concepts()
            .flat_map(|c| self.concept_terms.get(&c).map(Vec::as_slice).unwrap_or_default())
            .copied()
            .collect();
        if need.context {
            return out;
        }
        if term.label.tokens.is_empty() {
            out.extend(0..self.terms.len() as u32);
            return out;
        }
        // Shared stems: an overlap of at least `c` needs shared weight of at
        // least c² times the need's own (the skill's weight is at least the
        // shared weight), so a match holds one of the need's heaviest stems,
        // taken until the rest weigh less than that. A label with the same
        // stems (an exact match) holds the heaviest one.
        let floor = if config.word_similarity > 0.0 {
            let c = config.word_cutoff.max(config.min_similarity / config.word_similarity);
            c * c * term.weight_sum * (1.0 - 1e-9)
        } else {
            f64::INFINITY
        };
        let mut stems: Vec<(f64, u64)> = term.weights.iter().copied().zip(term.label.tokens.iter().copied()).collect();
        stems.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut rest = term.weight_sum;
        for (i, (w, stem)) in stems.into_iter().enumerate() {
            if i > 0 && rest < floor {
                break;
            }
            rest -= w;
            out.extend_from_slice(self.stem_terms.get(&stem).map(Vec::as_slice).unwrap_or_default());
        }
        // Spelling: an edit similarity of at least `c` needs a length within
        // [c * len, len / c], and the same gate as the comparison itself.
        let c = config.fuzzy_cutoff.max(config.min_similarity);
        let len = f64::from(term.label.len);
        let last = self.length_start.len() - 1;
        let (lo, hi) = if c > 0.0 {
            let lo = (c * len - 1e-9).ceil().max(0.0) as usize;
            let hi = ((len / c + 1e-9).floor() as usize).saturating_add(1);
            (lo.min(last), hi.min(last))
        } else {
            (0, last)
        };
        if lo < hi {
            let range = self.length_start[lo] as usize..self.length_start[hi] as usize;
            out.extend(
                self.by_length[range]
                    .iter()
                    .copied()
                    .filter(|&t| crate::score::may_be_variants(&term.label, &self.terms[t as usize].label, config)),
            );
        }
        out
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
        let eligible = eligibility_to_score(&self.facts[e as usize], &q.facts, &self.resolver, config).ok();
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
    /// Two exact strategies, chosen by how many postings the matching labels
    /// hold: when few, the walk ([`Matcher::walk`]) visits them best first
    /// and stops as soon as its bounds allow; when many, as with labels that
    /// share generic words, the sweep ([`Matcher::sweep`]) bounds every
    /// expert in a few passes over compact arrays. Both score in full every
    /// expert whose bound still reaches the lists and nobody else, so they
    /// give the same result bit for bit.
    fn top(&self, q: &Query, k: usize, with_excluded: bool, s: &mut Scratch) -> (Vec<Ranked>, Vec<Ranked>) {
        let strategy = if self.sweep_pays(q) { Strategy::Sweep } else { Strategy::Walk };
        self.top_by(q, k, with_excluded, s, strategy)
    }

    /// Computes the similarities, then ranks by the strategy given.
    fn top_by(
        &self,
        q: &Query,
        k: usize,
        with_excluded: bool,
        s: &mut Scratch,
        strategy: Strategy,
    ) -> (Vec<Ranked>, Vec<Ranked>) {
        let config = &self.settings.config;
        self.similarities(q, s);
        let factors: Vec<[f64; 6]> =
            q.needs.iter().map(|need| std::array::from_fn(|l| level_factor(l as u8, need.min_level, config))).collect();
        let mut lists = Lists { top: TopK::new(k), excluded: TopK::new(if with_excluded { k } else { 0 }) };
        match strategy {
            Strategy::Walk => self.walk(q, &factors, s, &mut lists),
            Strategy::Sweep => self.sweep(q, &factors, s, &mut lists),
        }
        (lists.top.into_sorted(), lists.excluded.into_sorted())
    }

    /// Whether the matching labels' postings cover so many experts that a
    /// sweep over all experts costs less than walking them.
    fn sweep_pays(&self, q: &Query) -> bool {
        let postings: usize =
            q.needs.iter().flat_map(|need| self.need_matches(need)).map(|&(_, t)| self.postings_of(t).len()).sum();
        postings * SWEEP_DIVISOR >= self.ids.len()
    }

    /// The sweep: per need, every expert's best value is bounded from above
    /// by a one-byte code written while running through the matching
    /// labels' postings, and the codes are added up per expert in integer
    /// units into a bound on its score. Experts are then scored in full in
    /// order of their bound, until the bound no longer reaches the lists.
    /// The same bounds as the walk, kept in flat arrays that stay in cache
    /// (a byte per expert for the need at hand, a word per expert for the
    /// sum) instead of a row per expert met, and summed in passes that run
    /// as vector code.
    fn sweep(&self, q: &Query, factors: &[[f64; 6]], s: &mut Scratch, lists: &mut Lists) {
        let config = &self.settings.config;
        let n = q.needs.len();
        let experts = self.ids.len();
        let mut codes = std::mem::take(&mut s.codes);
        let mut sums = std::mem::take(&mut s.sums);
        sums.clear();
        sums.resize(experts, 0);
        for (j, need) in q.needs.iter().enumerate() {
            codes.clear();
            codes.resize(experts, 0);
            for &(sim, t) in &s.lists[j] {
                let code: [u8; 6] = std::array::from_fn(|l| upper_code(sim * factors[j][l]));
                for p in self.postings_of(t) {
                    let cell = &mut codes[p.expert() as usize];
                    *cell = (*cell).max(code[p.level()]);
                }
            }
            // The share rounded up to units of 1/65536, the value to 1/255.
            let unit = (need.share * SHARE_SCALE).ceil() as u32;
            if need.required {
                for (sum, &c) in sums.iter_mut().zip(&codes) {
                    *sum = (*sum + unit * u32::from(c)) | if c == 0 { MISSING } else { 0 };
                }
            } else {
                for (sum, &c) in sums.iter_mut().zip(&codes) {
                    *sum += unit * u32::from(c);
                }
            }
        }
        let to_bound = |sum: u32| safe(f64::from(sum & !MISSING) / (SHARE_SCALE * 255.0));
        // Experts who can cover every required need above the others, then
        // by bound; bucket 0 holds exactly the experts no label matches.
        let key = |sum: u32| -> usize {
            let tier = ((sum >> 31) ^ 1) as usize;
            let bucket = ((sum & !MISSING).div_ceil(1 << BUCKET_SHIFT)).min(BUCKETS as u32 - 1) as usize;
            tier * BUCKETS + bucket
        };
        let mut histogram = vec![0u32; 2 * BUCKETS];
        for &sum in &sums {
            histogram[key(sum)] += 1;
        }
        histogram[0] = 0;
        histogram[BUCKETS] = 0;
        // Rounds of candidates by descending key, each scored in result order.
        let mut done = [false; 2]; // per tier (incomplete, complete): no one left can enter
        let mut hi = 2 * BUCKETS;
        let mut batch: Vec<(bool, u32, u32)> = Vec::new();
        let mut values = vec![0.0; n];
        loop {
            // A tier is done once its best remaining bucket cannot enter.
            for (tier, finished) in done.iter_mut().enumerate() {
                let first = tier * BUCKETS;
                let top = hi.clamp(first, first + BUCKETS);
                *finished = *finished
                    || match (first + 1..top).rev().find(|&b| histogram[b] > 0) {
                        None => true,
                        Some(b) if b + 1 < first + BUCKETS => {
                            let edge = to_bound(((b - first) as u32) << BUCKET_SHIFT);
                            !lists.admits(tier == 1, edge, config.min_score)
                        }
                        Some(_) => false,
                    };
            }
            if done[0] && done[1] {
                break;
            }
            let mut lo = hi;
            let mut count = 0usize;
            while lo > 0 && count < SWEEP_BATCH.max(SWEEP_BATCH_PER_PLACE * (lists.top.k + lists.excluded.k)) {
                lo -= 1;
                count += histogram[lo] as usize;
            }
            batch.clear();
            for (e, &sum) in sums.iter().enumerate() {
                let k = key(sum);
                if k >= lo && k < hi && k != 0 && k != BUCKETS {
                    batch.push((sum & MISSING == 0, sum & !MISSING, e as u32));
                }
            }
            batch.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
            for &(complete, sum, e) in &batch {
                let tier = usize::from(complete);
                if done[tier] {
                    continue;
                }
                if !lists.admits(complete, to_bound(sum), config.min_score) {
                    done[tier] = true;
                    continue;
                }
                s.rows.push(e);
                self.consider(q, e, factors, s, &mut values, lists);
            }
            hi = lo;
        }
        s.codes = codes;
        s.sums = sums;
    }

    /// The walk: all (need, label) pairs are visited in order of what they
    /// can add to a score (the need's weight share times the label's
    /// similarity), walking each label's postings in sequence and keeping
    /// every expert's best value per need so far. An expert not yet met
    /// holds no label visited so far, so for each need it scores at most the
    /// similarity of that need's next unvisited label (its cap). Once the
    /// caps add up to less than the k-th best score found, no new expert can
    /// enter: the walk goes on only to settle the experts already met, and
    /// stops early when few of them can still reach that score — those few
    /// are scored in full. Every bound is at least the true score, so the
    /// result is exact.
    fn walk(&self, q: &Query, factors: &[[f64; 6]], s: &mut Scratch, lists: &mut Lists) {
        let config = &self.settings.config;
        let n = q.needs.len();
        let need_lists = std::mem::take(&mut s.lists);
        let mut walk: Vec<(f64, u32, u32)> = Vec::with_capacity(need_lists.iter().take(n).map(Vec::len).sum());
        for (j, list) in need_lists.iter().take(n).enumerate() {
            walk.extend(list.iter().map(|&(sim, t)| (q.needs[j].share * sim, j as u32, t)));
        }
        walk.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        let mut next = vec![0usize; n];
        let mut caps: Vec<f64> = (0..n).map(|j| need_lists[j].first().map_or(0.0, |x| x.0)).collect();
        let mut values = vec![0.0; n];
        let mut since_check = 0usize;
        let mut open = true; // whether experts not met yet can still enter
        let mut candidates: Vec<u32> = Vec::new();
        let mut remaining: usize = walk.iter().map(|&(_, _, t)| self.postings_of(t).len()).sum();
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
            let postings = self.postings_of(t);
            since_check = since_check.saturating_add(postings.len());
            remaining -= postings.len();
            for p in postings {
                let slot = &mut s.slot[p.expert() as usize];
                if *slot == u32::MAX {
                    if !open {
                        continue;
                    }
                    *slot = s.rows.len() as u32;
                    s.rows.push(p.expert());
                    s.known.resize(s.known.len() + n, 0.0);
                }
                let v = sim * factors[j][p.level()];
                let cell = &mut s.known[*slot as usize * n + j];
                if v > *cell {
                    *cell = v;
                }
            }
            // Now and then, score the most promising experts met so far in
            // full: their scores raise the bar the caps must stay above.
            if open && since_check >= 4096.max(s.rows.len()) {
                since_check = 0;
                self.checkpoint(q, lists.top.k.max(lists.excluded.k), factors, s, &mut values, lists);
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
                    self.judge(q, e, &values, lists);
                }
            }
        } else {
            // In expert order the skill reads run forward through memory.
            let mut experts: Vec<u32> = candidates.iter().map(|&row| s.rows[row as usize]).collect();
            experts.sort_unstable();
            for e in experts {
                self.consider(q, e, factors, s, &mut values, lists);
            }
        }
        s.lists = need_lists;
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
            detail: format!("geen vaardigheid dekt de vereiste behoefte {need:?}"),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{generate, DemoSpec};
    use crate::model::{Need, Skill};
    use crate::{Config, Settings};
    use proptest::prelude::*;
    use rand_core::{Rng, SeedableRng};

    const DOMAIN: [&str; 6] = ["riolering", "privacy", "jeugdzorg", "subsidies", "monumenten", "evenementen"];
    const GENERIC: [&str; 6] = ["beleid", "advies", "medewerker", "senior", "projectleider", "coördinator"];

    /// Demo data, or demo data whose skills and needs are built from a few
    /// domain and generic words (flat similarities, ties everywhere), with
    /// needs misspelt by one dropped character and some made required.
    fn data(seed: u64, experts: usize, generic: bool, config: Config) -> (Matcher, Vec<Initiative>) {
        let mut d = generate(&DemoSpec { experts, initiatives: 6, seed });
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut below = |n: usize| (rng.next_u64() % n as u64) as usize;
        let label = |below: &mut dyn FnMut(usize) -> usize| {
            let (m, h) = (DOMAIN[below(6)], GENERIC[below(6)]);
            match below(3) {
                0 => format!("{h} {m}"),
                1 => format!("{m} {h}"),
                _ => format!("{h}{m}"),
            }
        };
        if generic {
            for e in &mut d.experts {
                e.skills =
                    (0..1 + below(6)).map(|_| Skill { label: label(&mut below), level: 1 + below(5) as u8 }).collect();
            }
        }
        for i in &mut d.initiatives {
            if generic {
                i.needs = (0..1 + below(5))
                    .map(|_| Need {
                        label: label(&mut below),
                        weight: 1.0 + below(3) as f64,
                        min_level: 1 + below(4) as u8,
                        required: false,
                    })
                    .collect();
            }
            for need in &mut i.needs {
                if below(3) == 0 {
                    let mut chars: Vec<char> = need.label.chars().collect();
                    chars.remove(below(chars.len()));
                    need.label = chars.into_iter().collect();
                }
                need.required = below(4) == 0;
            }
        }
        let m = Matcher::new(d.experts, Settings { registry: d.registry, taxonomy: None, config }).unwrap();
        (m, d.initiatives)
    }

    fn key(r: &[Ranked]) -> Vec<(bool, u64, u32)> {
        r.iter().map(|r| (r.complete, r.score.to_bits(), r.expert)).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

        #[test]
        fn walk_and_sweep_give_the_same_lists(
            seed in 0u64..10_000,
            k in 1usize..40,
            generic in any::<bool>(),
            strict_required in any::<bool>(),
            min_score in prop_oneof![Just(0.0), 0.0f64..0.5],
            distance_weight in prop_oneof![Just(0.0), 0.0f64..1.0],
        ) {
            let config = Config { strict_required, min_score, distance_weight, ..Config::default() };
            let (m, initiatives) = data(seed, 300, generic, config);
            for i in &initiatives {
                let q = m.query(i).unwrap();
                let (wt, we) = m.with_scratch(|s| m.top_by(&q, k, true, s, super::Strategy::Walk));
                let (st, se) = m.with_scratch(|s| m.top_by(&q, k, true, s, super::Strategy::Sweep));
                prop_assert_eq!(key(&wt), key(&st));
                prop_assert_eq!(key(&we), key(&se));
                let (only, _) = m.with_scratch(|s| m.top_by(&q, k, false, s, super::Strategy::Sweep));
                prop_assert_eq!(key(&only), key(&st));
            }
        }

        #[test]
        fn candidates_hold_every_matching_label(
            seed in 0u64..10_000,
            generic in any::<bool>(),
            word_similarity in prop_oneof![Just(0.8), Just(0.0), 0.3f64..1.0],
            word_cutoff in prop_oneof![Just(0.5), 0.0f64..1.0],
            fuzzy_cutoff in prop_oneof![Just(0.8), 0.5f64..1.0],
            min_similarity in prop_oneof![Just(0.4), 0.0f64..0.9],
        ) {
            let config = Config { word_similarity, word_cutoff, fuzzy_cutoff, min_similarity, ..Config::default() };
            let (m, initiatives) = data(seed, 120, generic, config.clone());
            for i in &initiatives {
                let q = m.query(i).unwrap();
                for need in &q.needs {
                    let mut all: Vec<(f64, u32)> = (0..m.terms.len() as u32)
                        .map(|t| (similarity(need, &m.terms[t as usize], &config).0, t))
                        .filter(|&(sim, _)| sim > 0.0)
                        .collect();
                    all.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                    if need.context {
                        // The context matches through concepts only.
                        all.retain(|&(_, t)| m.terms[t as usize].links.iter().any(|l| need.analysis.reach.get(l.concept).is_some()));
                    }
                    prop_assert_eq!(m.need_matches(need), &all[..], "{}", need.label);
                }
            }
        }
    }
}
