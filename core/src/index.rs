//! The [`Matcher`]: an index built once over the experts.
//!
//! Skill labels are analysed once per distinct folded text (a few thousand
//! for a national data set), and each analysed label keeps a posting list of
//! the experts that hold it. A query compares each need with the distinct
//! labels only, then walks the postings of the labels that match — it never
//! compares every expert's every skill.
//!
//! Experts are kept in id order, so an expert's position is also its
//! tie-break rank and results do not depend on input order.

use crate::config::Config;
use crate::error::{Error, Result};
use crate::model::{Expert, Registry, Skill};
use crate::rules::{ExpertFacts, Resolver};
use crate::score::NeedAnalysis;
use crate::taxonomy::{Taxonomy, TaxonomyData, Term};
use crate::text::fold;
use crate::validate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

/// Everything besides the experts that shapes results.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// Merger successors and names.
    pub registry: Registry,
    /// Taxonomy; `None` means the built-in one.
    pub taxonomy: Option<Taxonomy>,
    /// Scoring configuration.
    pub config: Config,
}

/// One expert holding a label, at a level: the expert's position in the
/// low 29 bits (at most [`validate::MAX_EXPERTS`] < 2^29), the level in the
/// top 3. Four bytes, so a query reads half the memory of a padded pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Posting(u32);

impl Posting {
    const EXPERT_BITS: u32 = 29;

    pub fn new(expert: u32, level: u8) -> Posting {
        debug_assert!(expert < 1 << Self::EXPERT_BITS && level < 8);
        Posting(expert | u32::from(level) << Self::EXPERT_BITS)
    }

    /// The expert's position.
    pub fn expert(self) -> u32 {
        self.0 & ((1 << Self::EXPERT_BITS) - 1)
    }

    /// The level at which the expert holds the label.
    pub fn level(self) -> usize {
        (self.0 >> Self::EXPERT_BITS) as usize
    }
}

const _: () = assert!(validate::MAX_EXPERTS < 1 << Posting::EXPERT_BITS);

/// Per-thread working memory of a query, reused between queries.
pub(crate) struct Scratch {
    /// Expert → its row of partial values, or `u32::MAX`.
    pub slot: Vec<u32>,
    /// Expert of each row.
    pub rows: Vec<u32>,
    /// Best value per (row, need) among the labels visited so far.
    pub known: Vec<f64>,
    /// Bit per expert: already scored in full by the current query.
    pub done: Vec<u64>,
    /// Similarity of need `j` and term `t` at `t * needs + j` (term-major:
    /// one expert's skill reads one contiguous row).
    pub sims: Vec<f64>,
    /// Per need: matching terms as (similarity, term), best first.
    pub lists: Vec<Vec<(f64, u32)>>,
    /// The sweep's one-byte bound per expert for the need at hand.
    pub codes: Vec<u8>,
    /// The sweep's integer bound per expert, summed over the needs.
    pub sums: Vec<u32>,
}

impl Scratch {
    fn new(experts: usize) -> Scratch {
        Scratch {
            slot: vec![u32::MAX; experts],
            rows: Vec::new(),
            known: Vec::new(),
            done: vec![0; experts.div_ceil(64)],
            sims: Vec::new(),
            lists: Vec::new(),
            codes: Vec::new(),
            sums: Vec::new(),
        }
    }

    /// Marks an expert as scored; false when it already was.
    pub fn mark_done(&mut self, e: u32) -> bool {
        let (word, bit) = ((e / 64) as usize, 1u64 << (e % 64));
        let fresh = self.done[word] & bit == 0;
        self.done[word] |= bit;
        fresh
    }

    pub fn reset(&mut self) {
        for &e in &self.rows {
            self.slot[e as usize] = u32::MAX;
            self.done[(e / 64) as usize] = 0;
        }
        self.rows.clear();
        self.known.clear();
        for l in &mut self.lists {
            l.clear();
        }
    }
}

/// An index over experts, built once and queried many times. Immutable:
/// share it between threads freely.
///
/// ```
/// use participatienetwerk::{Matcher, Settings, demo};
/// let data = demo::generate(&demo::DemoSpec { experts: 300, initiatives: 5, seed: 1 });
/// let m = Matcher::new(data.experts, Settings { registry: data.registry, ..Settings::default() }).unwrap();
/// let top = m.rank(&data.initiatives[0], 3).unwrap();
/// assert!(top.len() <= 3);
/// ```
pub struct Matcher {
    pub(crate) settings: Settings,
    pub(crate) taxonomy: Taxonomy,
    pub(crate) resolver: Resolver,
    /// Expert ids, ascending.
    pub(crate) ids: Vec<Box<str>>,
    pub(crate) facts: Vec<ExpertFacts>,
    /// Expert `e`'s skills are `skills[skill_start[e]..skill_start[e + 1]]`.
    pub(crate) skill_start: Vec<u32>,
    /// (raw label, level).
    pub(crate) skills: Vec<(u32, u8)>,
    /// (term, level), parallel to `skills`: what scoring reads.
    pub(crate) skill_terms: Vec<(u32, u8)>,
    pub(crate) raw_labels: Vec<Box<str>>,
    /// Raw label → analysed term.
    pub(crate) raw_term: Vec<u32>,
    pub(crate) terms: Vec<Term>,
    /// Concept → the terms that link to it, ascending: what a need that only
    /// has concepts (an initiative's context) can match.
    pub(crate) concept_terms: HashMap<u32, Vec<u32>>,
    /// Stem → the terms that hold it, ascending: what shares words with a need.
    pub(crate) stem_terms: HashMap<u64, Vec<u32>>,
    /// Terms by length in characters, shortest first, and where each length
    /// starts (`by_length[length_start[l]..length_start[l + 1]]` have length
    /// `l`): what is close enough in length to be a spelling variant.
    pub(crate) by_length: Vec<u32>,
    pub(crate) length_start: Vec<u32>,
    /// Term `t`'s postings are `postings[posting_start[t]..posting_start[t + 1]]`.
    pub(crate) posting_start: Vec<u32>,
    pub(crate) postings: Vec<Posting>,
    scratch: Mutex<Vec<Scratch>>,
    /// Need analyses by folded label: initiatives repeat their needs, and
    /// analysing a label and comparing it with every skill label is most of
    /// a query's fixed cost.
    needs: RwLock<HashMap<String, Arc<NeedAnalysis>>>,
    /// Context analyses by an initiative's title and description, for texts
    /// up to [`CONTEXT_CACHE_CHARS`]: batches repeat their descriptions too.
    contexts: RwLock<HashMap<String, Context>>,
}

/// An initiative's context: its label and analysis, or none.
type Context = Option<(String, Arc<NeedAnalysis>)>;

/// Longest title and description whose context analysis is kept.
const CONTEXT_CACHE_CHARS: usize = 1_000;

/// Most need labels kept analysed; beyond it new labels are analysed per query.
const NEED_CACHE: usize = 8_192;

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher").field("experts", &self.ids.len()).field("labels", &self.terms.len()).finish()
    }
}

impl Matcher {
    /// Validates the experts and settings and builds the index.
    pub fn new(experts: Vec<Expert>, settings: Settings) -> Result<Matcher> {
        Matcher::build(experts, settings, true)
    }

    /// `scoring: false` builds the rules part only (ids, facts, resolver) for
    /// assignment with scores the caller brings: skills are optional and not analysed.
    pub(crate) fn build(experts: Vec<Expert>, settings: Settings, scoring: bool) -> Result<Matcher> {
        let mut problems = validate::check_experts_with(&experts, scoring);
        if experts.len() > validate::MAX_EXPERTS {
            problems.push(crate::error::Problem::new(
                crate::error::Code::TooMany,
                crate::error::RecordKind::Input,
                "",
                format!("holds {} experts, at most {} are accepted", experts.len(), validate::MAX_EXPERTS),
            ));
        }
        if let Err(e) = settings.config.check() {
            problems.extend(e.problems().iter().cloned());
        }
        let resolver = match Resolver::new(&settings.registry) {
            Ok(r) => Some(r),
            Err(e) => {
                problems.extend(e.problems().iter().cloned());
                None
            }
        };
        let Some(resolver) = resolver.filter(|_| problems.is_empty()) else {
            return Err(Error::Invalid(problems));
        };
        let taxonomy = settings.taxonomy.clone().unwrap_or_else(Taxonomy::builtin);
        let mut experts = experts;
        experts.sort_unstable_by(|a, b| a.id.cmp(&b.id));

        let mut raw_index: HashMap<&str, u32> = HashMap::new();
        let mut raw_labels: Vec<Box<str>> = Vec::new();
        let mut skill_start = Vec::with_capacity(experts.len() + 1);
        let mut skills = Vec::with_capacity(experts.iter().map(|e| e.skills.len()).sum());
        for e in &experts {
            skill_start.push(skills.len() as u32);
            for Skill { label, level } in &e.skills {
                let next = raw_labels.len() as u32;
                let id = *raw_index.entry(label.as_str()).or_insert_with(|| {
                    raw_labels.push(label.as_str().into());
                    next
                });
                skills.push((id, *level));
            }
        }
        skill_start.push(skills.len() as u32);
        drop(raw_index);

        // One analysed term per distinct folded text.
        let mut text_index: HashMap<String, u32> = HashMap::new();
        let mut raw_term = Vec::with_capacity(raw_labels.len());
        let mut term_labels: Vec<u32> = Vec::new();
        for (r, raw) in raw_labels.iter().enumerate() {
            let next = term_labels.len() as u32;
            let t = *text_index.entry(fold(raw)).or_insert_with(|| {
                term_labels.push(r as u32);
                next
            });
            raw_term.push(t);
        }
        let config = &settings.config;
        let terms: Vec<Term> = if scoring {
            analyse_all(&term_labels, &raw_labels, &taxonomy, config)
        } else {
            // Never ranked: no skill postings, and no term a posting could name.
            skills.clear();
            raw_term.clear();
            skill_start.iter_mut().for_each(|s| *s = 0);
            Vec::new()
        };

        let mut counts = vec![0u32; terms.len() + 1];
        for &(raw, _) in &skills {
            counts[raw_term[raw as usize] as usize + 1] += 1;
        }
        for t in 0..terms.len() {
            counts[t + 1] += counts[t];
        }
        let posting_start = counts.clone();
        let mut fill = counts;
        let mut postings = vec![Posting::new(0, 0); skills.len()];
        for e in 0..experts.len() {
            for &(raw, level) in &skills[skill_start[e] as usize..skill_start[e + 1] as usize] {
                let t = raw_term[raw as usize] as usize;
                postings[fill[t] as usize] = Posting::new(e as u32, level);
                fill[t] += 1;
            }
        }

        let mut concept_terms: HashMap<u32, Vec<u32>> = HashMap::new();
        for (t, term) in terms.iter().enumerate() {
            for link in &term.links {
                concept_terms.entry(link.concept).or_default().push(t as u32);
            }
        }
        let mut stem_terms: HashMap<u64, Vec<u32>> = HashMap::new();
        for (t, term) in terms.iter().enumerate() {
            for &stem in &term.label.tokens {
                stem_terms.entry(stem).or_default().push(t as u32);
            }
        }
        let mut by_length: Vec<u32> = (0..terms.len() as u32).collect();
        by_length.sort_by_key(|&t| (terms[t as usize].label.len, t));
        let longest = terms.iter().map(|t| t.label.len as usize).max().unwrap_or(0);
        let mut length_start = vec![0u32; longest + 2];
        for t in &terms {
            length_start[t.label.len as usize + 1] += 1;
        }
        for l in 1..length_start.len() {
            length_start[l] += length_start[l - 1];
        }
        let skill_terms = skills.iter().map(|&(raw, level)| (raw_term[raw as usize], level)).collect();
        let facts = experts.iter().map(ExpertFacts::of).collect();
        let ids = experts.into_iter().map(|e| e.id.into_boxed_str()).collect();
        Ok(Matcher {
            settings,
            taxonomy,
            resolver,
            ids,
            facts,
            skill_start,
            skills,
            skill_terms,
            raw_labels,
            raw_term,
            terms,
            concept_terms,
            stem_terms,
            by_length,
            length_start,
            posting_start,
            postings,
            scratch: Mutex::new(Vec::new()),
            needs: RwLock::new(HashMap::new()),
            contexts: RwLock::new(HashMap::new()),
        })
    }

    /// The analysis of a need label, from the cache when it is there.
    pub(crate) fn need(&self, label: &str) -> Arc<NeedAnalysis> {
        cached(&self.needs, fold(label), || Arc::new(NeedAnalysis::new(label, &self.taxonomy, &self.settings.config)))
    }

    /// A need read in a context (see [`crate::score::Query::with_readings`]),
    /// from the cache when the same label was read with the same readings
    /// supported before.
    pub(crate) fn reread(&self, need: &crate::score::NeedQuery, supported: &[bool]) -> Arc<NeedAnalysis> {
        let marks: String = supported.iter().map(|&s| if s { '1' } else { '0' }).collect();
        cached(&self.needs, format!("{}\u{1}{marks}", fold(&need.label)), || {
            Arc::new(need.analysis.reread(supported, &self.taxonomy, &self.settings.config))
        })
    }

    /// The context of an initiative (the concepts its title and description
    /// name), from the cache when it is there.
    pub(crate) fn context(&self, i: &crate::model::Initiative) -> Context {
        let analyse =
            || NeedAnalysis::context(i, &self.taxonomy, &self.settings.config).map(|(label, a)| (label, Arc::new(a)));
        if i.title.len() + i.description.len() > CONTEXT_CACHE_CHARS {
            return analyse();
        }
        cached(&self.contexts, format!("{}\u{0}{}", i.title, i.description), analyse)
    }

    /// Number of experts.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the matcher holds no experts.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The distinct skill labels, folded, in index order.
    pub fn label_texts(&self) -> impl ExactSizeIterator<Item = &str> {
        self.terms.iter().map(|t| t.label.text.as_str())
    }

    /// The distinct skill labels, analysed, in index order.
    pub fn label_terms(&self) -> impl ExactSizeIterator<Item = &Term> {
        self.terms.iter()
    }

    /// Number of distinct analysed skill labels.
    pub fn label_count(&self) -> usize {
        self.terms.len()
    }

    /// The settings the matcher was built with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The taxonomy in use.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// Position of an expert by id.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.ids.binary_search_by(|x| (**x).cmp(id)).ok()
    }

    /// Expert ids, ascending.
    pub fn expert_ids(&self) -> impl ExactSizeIterator<Item = &str> {
        self.ids.iter().map(|s| &**s)
    }

    pub(crate) fn skill_range(&self, e: usize) -> std::ops::Range<usize> {
        self.skill_start[e] as usize..self.skill_start[e + 1] as usize
    }

    /// The experts who hold term `t`, with their levels.
    pub(crate) fn postings_of(&self, t: u32) -> &[Posting] {
        &self.postings[self.posting_start[t as usize] as usize..self.posting_start[t as usize + 1] as usize]
    }

    /// The expert record at a position, as given (skills in their order).
    pub fn expert(&self, e: usize) -> Expert {
        let mut x = self.facts[e].to_expert(&self.ids[e]);
        x.skills = self.skills[self.skill_range(e)]
            .iter()
            .map(|&(raw, level)| Skill { label: self.raw_labels[raw as usize].to_string(), level })
            .collect();
        x
    }

    /// All expert records, in id order.
    pub fn experts(&self) -> Vec<Expert> {
        (0..self.len()).map(|e| self.expert(e)).collect()
    }

    /// Approximate heap memory held by the index, in bytes.
    pub fn memory_bytes(&self) -> usize {
        use std::mem::size_of;
        let ids: usize = self.ids.iter().map(|s| s.len() + size_of::<Box<str>>()).sum();
        let facts: usize = self
            .facts
            .iter()
            .map(|f| {
                size_of::<ExpertFacts>()
                    + f.municipalities.len() * 2
                    + f.languages.iter().map(|l| l.len() + 16).sum::<usize>()
            })
            .sum();
        let raw: usize = self.raw_labels.iter().map(|s| s.len() + 16).sum();
        let terms: usize = self
            .terms
            .iter()
            .map(|t| {
                size_of::<Term>()
                    + t.label.text.len()
                    + t.label.key.len()
                    + t.label.tokens.len() * 8
                    + t.weights.len() * 8
                    + t.links.len() * 16
            })
            .sum();
        let concept_terms: usize = self.concept_terms.values().map(|v| v.len() * 4 + 48).sum();
        let stem_terms: usize = self.stem_terms.values().map(|v| v.len() * 4 + 56).sum();
        ids + facts
            + stem_terms
            + (self.by_length.len() + self.length_start.len()) * 4
            + raw
            + terms
            + concept_terms
            + self.skill_start.len() * 4
            + self.skills.len() * size_of::<(u32, u8)>() * 2
            + self.raw_term.len() * 4
            + self.posting_start.len() * 4
            + self.postings.len() * size_of::<Posting>()
    }

    pub(crate) fn with_scratch<T>(&self, f: impl FnOnce(&mut Scratch) -> T) -> T {
        let taken = self.scratch.lock().ok().and_then(|mut pool| pool.pop());
        let mut s = taken.unwrap_or_else(|| Scratch::new(self.ids.len()));
        let out = f(&mut s);
        s.reset();
        if let Ok(mut pool) = self.scratch.lock() {
            pool.push(s);
        }
        out
    }

    /// The matcher's inputs, for saving and shipping to other processes.
    pub fn to_data(&self) -> MatcherData {
        MatcherData {
            experts: self.experts(),
            registry: self.settings.registry.clone(),
            taxonomy: self.settings.taxonomy.as_ref().map(|t| t.data().clone()),
            config: self.settings.config.clone(),
        }
    }

    /// Rebuilds a matcher from [`MatcherData`].
    pub fn from_data(data: MatcherData) -> Result<Matcher> {
        let taxonomy = data.taxonomy.map(Taxonomy::new).transpose()?;
        Matcher::new(data.experts, Settings { registry: data.registry, taxonomy, config: data.config })
    }
}

impl Clone for Matcher {
    fn clone(&self) -> Self {
        Matcher {
            settings: self.settings.clone(),
            taxonomy: self.taxonomy.clone(),
            resolver: self.resolver.clone(),
            ids: self.ids.clone(),
            facts: self.facts.clone(),
            skill_start: self.skill_start.clone(),
            skills: self.skills.clone(),
            skill_terms: self.skill_terms.clone(),
            raw_labels: self.raw_labels.clone(),
            raw_term: self.raw_term.clone(),
            terms: self.terms.clone(),
            concept_terms: self.concept_terms.clone(),
            stem_terms: self.stem_terms.clone(),
            by_length: self.by_length.clone(),
            length_start: self.length_start.clone(),
            posting_start: self.posting_start.clone(),
            postings: self.postings.clone(),
            scratch: Mutex::new(Vec::new()),
            needs: RwLock::new(HashMap::new()),
            contexts: RwLock::new(HashMap::new()),
        }
    }
}

/// The value cached under `key`, computed and kept (up to [`NEED_CACHE`]
/// entries) when it is not there yet.
fn cached<V: Clone>(cache: &RwLock<HashMap<String, V>>, key: String, compute: impl FnOnce() -> V) -> V {
    if let Some(v) = cache.read().ok().and_then(|m| m.get(&key).cloned()) {
        return v;
    }
    let v = compute();
    if let Ok(mut m) = cache.write() {
        if m.len() < NEED_CACHE {
            return m.entry(key).or_insert(v).clone();
        }
    }
    v
}

#[cfg(feature = "parallel")]
fn analyse_all(term_labels: &[u32], raw: &[Box<str>], taxonomy: &Taxonomy, config: &Config) -> Vec<Term> {
    use rayon::prelude::*;
    term_labels.par_iter().map(|&r| taxonomy.term(&raw[r as usize], config)).collect()
}

#[cfg(not(feature = "parallel"))]
fn analyse_all(term_labels: &[u32], raw: &[Box<str>], taxonomy: &Taxonomy, config: &Config) -> Vec<Term> {
    term_labels.iter().map(|&r| taxonomy.term(&raw[r as usize], config)).collect()
}

/// A matcher's inputs: what it is saved as and rebuilt from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatcherData {
    /// The experts.
    pub experts: Vec<Expert>,
    /// The registry.
    #[serde(default)]
    pub registry: Registry,
    /// A user taxonomy; absent for the built-in one.
    #[serde(default)]
    pub taxonomy: Option<TaxonomyData>,
    /// The configuration.
    #[serde(default)]
    pub config: Config,
}
