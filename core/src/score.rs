//! Need/skill fit and its explanation.
//!
//! For each need the expert's best skill counts: label similarity (taxonomy
//! relation or string likeness) times a level factor. The fit is the
//! need-weighted mean of those, times the distance factor. Contributions are
//! summed in ascending order so the score does not depend on the order of the
//! needs, and every path (ranking, explanation, reverse ranking, assignment)
//! computes it with the same functions, so the same pair always gets the same
//! bits.

use crate::config::Config;
use crate::model::{Initiative, Match, NeedMatch, Via};
use crate::rules::{Eligible, InitiativeFacts, Resolver};
use crate::taxonomy::{Link, Reach, Taxonomy, Term};

/// A need label analysed: its text forms, concept links and the concepts it
/// reaches. Depends only on the folded label, the taxonomy and the config, so
/// a [`crate::Matcher`] keeps it between queries.
#[derive(Debug)]
pub struct NeedAnalysis {
    /// Its analysed form.
    pub term: Term,
    /// Concepts it reaches.
    pub reach: Reach,
    /// The matcher's labels that match it, as (similarity, label), best
    /// first; filled by the matcher that owns this analysis on first use.
    pub(crate) matches: std::sync::OnceLock<Vec<(f64, u32)>>,
}

impl NeedAnalysis {
    /// Analyses a need label.
    pub fn new(label: &str, taxonomy: &Taxonomy, config: &Config) -> NeedAnalysis {
        let term = taxonomy.term(label, config);
        let reach = taxonomy.reach(&term.links, config);
        NeedAnalysis { term, reach, matches: std::sync::OnceLock::new() }
    }

    /// The same need read in a context: the links to the concepts marked
    /// unsupported (parallel to `term.links`) weakened by
    /// [`Config::reading_factor`], and the reach computed anew.
    pub fn reread(&self, supported: &[bool], taxonomy: &Taxonomy, config: &Config) -> NeedAnalysis {
        let mut term = self.term.clone();
        for (link, &s) in term.links.iter_mut().zip(supported) {
            if !s {
                link.strength *= config.reading_factor;
            }
        }
        let reach = taxonomy.reach(&term.links, config);
        NeedAnalysis { term, reach, matches: std::sync::OnceLock::new() }
    }

    /// The concepts an initiative's title and description name, analysed
    /// like a need that links to exactly those concepts (no words of its
    /// own, so only taxonomy links can cover it). `None` when the text names
    /// no concept.
    pub fn context(i: &Initiative, taxonomy: &Taxonomy, config: &Config) -> Option<(String, NeedAnalysis)> {
        let found = taxonomy.find_concepts(&i.text());
        if found.is_empty() {
            return None;
        }
        let mut term = taxonomy.term("", config);
        term.links = found.iter().map(|f| Link { concept: f.concept, strength: 1.0 }).collect();
        term.links.sort_by_key(|l| l.concept);
        let reach = taxonomy.reach(&term.links, config);
        let names: Vec<&str> = found.iter().map(|f| taxonomy.concept_label(f.concept)).collect();
        Some((names.join(", "), NeedAnalysis { term, reach, matches: std::sync::OnceLock::new() }))
    }
}

/// One need of a query.
#[derive(Debug, Clone)]
pub struct NeedQuery {
    /// The need's label as given.
    pub label: String,
    /// Its analysis.
    pub analysis: std::sync::Arc<NeedAnalysis>,
    /// Weight divided by the sum of weights.
    pub share: f64,
    /// Minimum level.
    pub min_level: u8,
    /// Whether an expert must cover it.
    pub required: bool,
    /// Whether this is the initiative's context (the concepts its title and
    /// description name) rather than one of its needs; always the last entry.
    pub context: bool,
}

/// An initiative analysed for scoring.
#[derive(Debug, Clone)]
pub struct Query {
    /// The initiative's id.
    pub id: String,
    /// What the rules need.
    pub facts: InitiativeFacts,
    /// The needs, in the initiative's order.
    pub needs: Vec<NeedQuery>,
}

/// Sum of values in ascending order: the same multiset gives the same bits in any order.
pub fn ordered_sum(values: &mut [f64]) -> f64 {
    values.sort_unstable_by(f64::total_cmp);
    // From +0, so that nothing to add is 0 and not -0.
    values.iter().fold(0.0, |sum, x| sum + x)
}

impl Query {
    /// Analyses a validated initiative.
    pub fn new(i: &Initiative, taxonomy: &Taxonomy, resolver: &Resolver, config: &Config) -> Query {
        Query::with(i, resolver, |label| std::sync::Arc::new(NeedAnalysis::new(label, taxonomy, config)))
            .with_context(i, taxonomy, config)
            .with_readings(config, |need, supported| {
                std::sync::Arc::new(need.analysis.reread(supported, taxonomy, config))
            })
    }

    /// Adds the initiative's context as a last, never required entry with
    /// [`Config::context_weight`] of the score; the needs share the rest.
    /// Nothing changes when the weight is 0 or the text names no concept.
    pub fn with_context(self, i: &Initiative, taxonomy: &Taxonomy, config: &Config) -> Query {
        self.with_context_from(config, || {
            NeedAnalysis::context(i, taxonomy, config).map(|(label, a)| (label, std::sync::Arc::new(a)))
        })
    }

    /// [`Query::with_context`], taking the context's analysis from `context`.
    pub fn with_context_from(
        mut self,
        config: &Config,
        context: impl FnOnce() -> Option<(String, std::sync::Arc<NeedAnalysis>)>,
    ) -> Query {
        if config.context_weight <= 0.0 || self.needs.last().is_some_and(|n| n.context) {
            return self;
        }
        let Some((label, analysis)) = context() else { return self };
        for n in &mut self.needs {
            n.share *= 1.0 - config.context_weight;
        }
        self.needs.push(NeedQuery {
            label,
            analysis,
            share: config.context_weight,
            min_level: 1,
            required: false,
            context: true,
        });
        self
    }

    /// Chooses between each need's readings by the context: when a need
    /// links to several concepts and the concepts the context reaches
    /// include some of them but not all, the need is read again by
    /// `reread`, with the links marked unsupported (see
    /// [`NeedAnalysis::reread`]). Nothing changes without a context or with
    /// [`Config::reading_factor`] 1.
    pub fn with_readings(
        mut self,
        config: &Config,
        mut reread: impl FnMut(&NeedQuery, &[bool]) -> std::sync::Arc<NeedAnalysis>,
    ) -> Query {
        if config.reading_factor >= 1.0 {
            return self;
        }
        let Some(context) = self.needs.last().filter(|n| n.context).map(|n| n.analysis.clone()) else {
            return self;
        };
        for need in self.needs.iter_mut().filter(|n| !n.context) {
            let links = &need.analysis.term.links;
            let supported: Vec<bool> = links.iter().map(|l| context.reach.get(l.concept).is_some()).collect();
            if links.len() > 1 && supported.contains(&true) && supported.contains(&false) {
                need.analysis = reread(need, &supported);
            }
        }
        self
    }

    /// Analyses a validated initiative, taking need analyses from `analyse`.
    pub fn with(
        i: &Initiative,
        resolver: &Resolver,
        mut analyse: impl FnMut(&str) -> std::sync::Arc<NeedAnalysis>,
    ) -> Query {
        let mut weights: Vec<f64> = i.needs.iter().map(|n| n.weight).collect();
        let total = ordered_sum(&mut weights);
        let needs = i
            .needs
            .iter()
            .map(|n| NeedQuery {
                label: n.label.clone(),
                analysis: analyse(&n.label),
                share: n.weight / total,
                min_level: n.min_level,
                required: n.required,
                context: false,
            })
            .collect();
        Query { id: i.id.clone(), facts: InitiativeFacts::of(i, resolver), needs }
    }
}

/// Whether two labels can be spelling variants at all: both at most
/// [`MAX_FUZZY_CHARS`] long, and edit similarity reaches
/// [`Config::fuzzy_cutoff`] only when the distance is at most (1 - cutoff)
/// times the longer length, so the length difference and then the
/// histogram bound rule most pairs out cheaply.
pub(crate) fn may_be_variants(a: &crate::text::Label, b: &crate::text::Label, config: &Config) -> bool {
    let longest = a.len.max(b.len);
    let most = (1.0 - config.fuzzy_cutoff) * f64::from(longest) + 1e-9;
    longest > 0
        && longest <= MAX_FUZZY_CHARS
        && f64::from(a.len.abs_diff(b.len)) <= most
        && f64::from(a.distance_bound(b)) <= most
}

/// Longest folded label compared by edit distance. Longer labels are
/// sentences: their typing errors are corrected word by word, and the
/// quadratic edit distance of two of them would cost more than the rest of
/// a query.
pub const MAX_FUZZY_CHARS: u32 = 64;

/// Similarity of a need and a skill label in [0, 1], and how they met.
pub fn similarity(need: &NeedQuery, skill: &Term, config: &Config) -> (f64, Via) {
    let (a, b) = (&need.analysis.term.label, &skill.label);
    if a.key == b.key {
        return (1.0, Via::Exact);
    }
    let mut best = (0.0, Via::None);
    for link in &skill.links {
        if let Some((factor, via)) = need.analysis.reach.get(link.concept) {
            let s = factor * link.strength;
            if s > best.0 || (s == best.0 && via < best.1) {
                best = (s, via);
            }
        }
    }
    let overlap = need.analysis.term.word_overlap(skill);
    if overlap >= config.word_cutoff && overlap * config.word_similarity > best.0 {
        best = (overlap * config.word_similarity, Via::Words);
    }
    let mut fuzzy = 0.0;
    if may_be_variants(a, b, config) {
        let edit = strsim::normalized_levenshtein(&a.text, &b.text);
        if edit >= config.fuzzy_cutoff && edit > fuzzy {
            fuzzy = edit;
        }
    }
    if fuzzy > best.0 {
        best = (fuzzy, Via::Fuzzy);
    }
    if best.0 < config.min_similarity {
        return (0.0, Via::None);
    }
    best
}

/// Factor for a skill level against a need's minimum level.
pub fn level_factor(level: u8, min_level: u8, config: &Config) -> f64 {
    let base = 1.0 - config.level_weight * f64::from(5 - level.min(5)) / 4.0;
    if level < min_level {
        base * config.below_min_level_factor.powi(i32::from(min_level - level))
    } else {
        base
    }
}

/// How one need is covered by an expert's best skill.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cover {
    /// Similarity times level factor.
    pub value: f64,
    /// Label similarity.
    pub similarity: f64,
    /// Level factor.
    pub level_factor: f64,
    /// How the labels met.
    pub via: Via,
    /// Position of the skill in the expert's list.
    pub skill: Option<usize>,
}

impl Cover {
    /// No skill covers the need.
    pub const NONE: Cover = Cover { value: 0.0, similarity: 0.0, level_factor: 0.0, via: Via::None, skill: None };
}

/// The best skill for each need: highest value, then earliest skill.
pub fn covers(query: &Query, skills: &[(&Term, u8)], config: &Config) -> Vec<Cover> {
    query
        .needs
        .iter()
        .map(|need| {
            let mut best = Cover::NONE;
            for (pos, (term, level)) in skills.iter().enumerate() {
                let (sim, via) = similarity(need, term, config);
                if sim <= 0.0 {
                    continue;
                }
                let lf = level_factor(*level, need.min_level, config);
                let value = sim * lf;
                if value > best.value {
                    best = Cover { value, similarity: sim, level_factor: lf, via, skill: Some(pos) };
                }
            }
            best
        })
        .collect()
}

/// The required needs that are not covered, in the initiative's order.
pub fn uncovered_required<'q, 'v>(query: &'q Query, values: &'v [f64]) -> impl Iterator<Item = &'q str> + use<'q, 'v> {
    query.needs.iter().zip(values).filter(|(n, v)| n.required && **v <= 0.0).map(|(n, _)| n.label.as_str())
}

/// Whether every required need is covered.
pub fn covers_required(query: &Query, values: &[f64]) -> bool {
    uncovered_required(query, values).next().is_none()
}

/// Contribution of each need: its weight share times its value times the distance factor.
fn contribution(need: &NeedQuery, value: f64, distance_factor: f64) -> f64 {
    need.share * value * distance_factor
}

/// The score from per-need values. The single place a score is computed.
pub fn score(query: &Query, values: &[f64], distance_factor: f64) -> f64 {
    let mut c: Vec<f64> = query.needs.iter().zip(values).map(|(n, &v)| contribution(n, v, distance_factor)).collect();
    ordered_sum(&mut c)
}

/// A cheap upper bound on [`score`] (the distance factor is at most 1), for pruning.
pub fn score_bound(query: &Query, values: &[f64]) -> f64 {
    let s: f64 = query.needs.iter().zip(values).map(|(n, &v)| n.share * v).sum();
    // Summation order changes the last bits; the margin keeps the bound safe.
    s * (1.0 + 1e-12) + 1e-15
}

/// The explained match of an eligible expert.
pub fn explain(query: &Query, expert_id: &str, skill_labels: &[&str], covers: &[Cover], eligible: Eligible) -> Match {
    let values: Vec<f64> = covers.iter().map(|c| c.value).collect();
    let mut needs: Vec<NeedMatch> = query
        .needs
        .iter()
        .zip(covers)
        .map(|(n, c)| NeedMatch {
            need: n.label.clone(),
            skill: c.skill.map(|p| skill_labels[p].to_owned()),
            via: c.via,
            similarity: c.similarity,
            level_factor: c.level_factor,
            contribution: contribution(n, c.value, eligible.distance_factor),
        })
        .collect();
    let context = if query.needs.last().is_some_and(|n| n.context) { needs.pop() } else { None };
    Match {
        initiative_id: query.id.clone(),
        expert_id: expert_id.to_owned(),
        score: score(query, &values, eligible.distance_factor),
        needs,
        context,
        missing_required: uncovered_required(query, &values).map(str::to_owned).collect(),
        distance_km: eligible.distance_km,
        distance_factor: eligible.distance_factor,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Need;

    fn query(needs: &[(&str, f64, u8)]) -> Query {
        query_with(needs, &Config::default())
    }

    fn query_with(needs: &[(&str, f64, u8)], config: &Config) -> Query {
        let i = Initiative {
            id: "i".into(),
            municipality: "GM0344".into(),
            title: String::new(),
            description: String::new(),
            needs: needs
                .iter()
                .map(|&(l, w, m)| Need { label: l.into(), weight: w, min_level: m, required: false })
                .collect(),
            experts_wanted: 1,
            hours_needed: None,
            language: None,
            location: None,
        };
        Query::new(&i, &Taxonomy::builtin(), &Resolver::default(), config)
    }

    #[test]
    fn exact_labels_score_one_at_level_five() {
        let c = Config::default();
        let q = query(&[("Omgevingsvergunning", 1.0, 1)]);
        let t = Taxonomy::builtin().term("omgevingsvergunningen", &c);
        let cv = covers(&q, &[(&t, 5)], &c);
        assert_eq!(cv[0].via, Via::Exact);
        assert_eq!(cv[0].value, 1.0);
        assert_eq!(score(&q, &[cv[0].value], 1.0), 1.0);
    }

    #[test]
    fn typos_meet_fuzzily_and_noise_does_not() {
        let c = Config::default();
        let q = query(&[("omgevingsvergunning", 1.0, 1)]);
        // One typing error is corrected against the taxonomy's words.
        let one = Taxonomy::builtin().term("omgevingsvregunning", &c);
        assert_eq!(similarity(&q.needs[0], &one, &c), (1.0, Via::Exact));
        // Two are left to the edit distance.
        let two = Taxonomy::builtin().term("omgevngsvregunning", &c);
        let (s, via) = similarity(&q.needs[0], &two, &c);
        assert_eq!(via, Via::Fuzzy);
        assert!(s > 0.8 && s < 1.0, "{s}");
        let noise = Taxonomy::builtin().term("kinderopvang", &c);
        assert_eq!(similarity(&q.needs[0], &noise, &c), (0.0, Via::None));
    }

    #[test]
    fn an_empty_sum_is_plus_zero() {
        assert_eq!(ordered_sum(&mut []).to_bits(), 0.0f64.to_bits());
        assert_eq!(ordered_sum(&mut [0.25, 0.5]), 0.75);
    }

    #[test]
    fn long_labels_are_not_compared_by_edit_distance() {
        let n = Taxonomy::builtin();
        let c = Config::default();
        let words = |k: usize| (0..k).map(|i| format!("woord{i}")).collect::<Vec<_>>();
        let (short, long) = (words(5).join(" "), words(14).join(" "));
        let typo = |s: &str| s.replacen("woord1", "wooord1", 1);
        let label = |s: &str| n.term(s, &c).label;
        assert!(may_be_variants(&label(&short), &label(&typo(&short)), &c));
        assert!(label(&long).len > MAX_FUZZY_CHARS);
        assert!(!may_be_variants(&label(&long), &label(&typo(&long)), &c));
    }

    #[test]
    fn distant_relatives_below_the_floor_count_as_none() {
        let c = Config { cousin_similarity: 0.0, ..Config::default() };
        let q = query_with(&[("subsidie aanvragen voor het buurthuis", 1.0, 1)], &c);
        let skill = Taxonomy::builtin().term("subsidieverlening", &c);
        let (s, via) = similarity(&q.needs[0], &skill, &c);
        assert_eq!(via, Via::Related);
        // Siblings under "subsidies", through the need's (contained, weighed) link.
        let t = Taxonomy::builtin();
        let link = q.needs[0].analysis.term.links.iter().find(|l| t.concept_id(l.concept) == "subsidieaanvraag");
        assert_eq!(s, c.sibling_similarity * link.unwrap().strength);
        // Just above the floor it still counts, just below it does not.
        let at = Config { min_similarity: s, ..c.clone() };
        let q = query_with(&[("subsidie aanvragen voor het buurthuis", 1.0, 1)], &at);
        assert_eq!(similarity(&q.needs[0], &skill, &at).0, s);
        let above = Config { min_similarity: s + 1e-9, ..c.clone() };
        let q = query_with(&[("subsidie aanvragen voor het buurthuis", 1.0, 1)], &above);
        assert_eq!(similarity(&q.needs[0], &skill, &above), (0.0, Via::None));
    }

    #[test]
    fn level_below_minimum_shrinks() {
        let c = Config::default();
        assert_eq!(level_factor(5, 1, &c), 1.0);
        assert_eq!(level_factor(1, 1, &c), 0.6);
        assert_eq!(level_factor(3, 3, &c), 0.8);
        assert_eq!(level_factor(2, 4, &c), 0.7 * 0.25);
    }

    #[test]
    fn weights_share_the_score_whatever_the_order() {
        let a = query(&[("a", 2.0, 1), ("b", 1.0, 1), ("c", 0.1, 1)]);
        let b = query(&[("c", 0.1, 1), ("a", 2.0, 1), ("b", 1.0, 1)]);
        let va = [0.3, 0.7, 0.9];
        let vb = [0.9, 0.3, 0.7];
        assert_eq!(score(&a, &va, 1.0).to_bits(), score(&b, &vb, 1.0).to_bits());
        assert!(score_bound(&a, &va) >= score(&a, &va, 1.0));
    }
}
