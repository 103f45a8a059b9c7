//! Concepts with preferred and alternative labels and broader/narrower/related
//! links, and how a free-text label links to them.
//!
//! A label links to a concept in one of two ways: its key equals the key of one
//! of the concept's labels (full strength), or its stems contain all stems of
//! one of the concept's labels ("subsidie aanvragen voor een buurthuis" contains
//! "subsidie"; strength [`Config::contained_factor`]). Of the contained
//! concepts only the most specific are kept, and a concept label of one short
//! stem links only labels that are exactly it (abbreviations excepted).

use crate::config::Config;
use crate::error::{Code, Error, Problem, RecordKind, Result};
use crate::model::Via;
use crate::text::{Label, Normalizer};
use crate::validate::{self, Value};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, OnceLock};

/// Most concepts in one taxonomy.
pub const MAX_CONCEPTS: usize = 100_000;
/// Most alternative labels, broader or related links of one concept.
pub const MAX_LINKS: usize = 64;
/// Most stop words or dictionary words.
pub const MAX_WORDS: usize = 200_000;
/// Most concepts one label links to; a label naming more is a sentence, not a label.
const MAX_LABEL_LINKS: usize = 8;
/// Most concepts taken from an initiative's title and description.
pub const MAX_TEXT_CONCEPTS: usize = 16;
/// Words a concept label's words may be spread over in free text beyond its own number.
const TEXT_WINDOW_SLACK: usize = 3;
/// Most characters of an initiative's title and description read for concepts.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// A concept found in free text, and the concept label that was found.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// Concept index.
    pub concept: u32,
    /// The concept's label (preferred or alternative) whose words all occur in the text.
    pub label: String,
    /// That label's stems (hashes, as in [`Label::tokens`]).
    pub stems: Vec<u64>,
}

/// One concept of a taxonomy, as written in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConceptData {
    /// Unique id.
    pub id: String,
    /// Preferred label.
    pub label: String,
    /// Synonyms, abbreviations, spelled-out forms.
    #[serde(default)]
    pub alt_labels: Vec<String>,
    /// Ids of broader concepts.
    #[serde(default)]
    pub broader: Vec<String>,
    /// Ids of related concepts.
    #[serde(default)]
    pub related: Vec<String>,
}

/// A taxonomy as written in JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyData {
    /// Add these concepts to the built-in taxonomy instead of replacing it.
    /// A concept with an existing id replaces that concept.
    #[serde(default)]
    pub extend_builtin: bool,
    /// The concepts.
    #[serde(default)]
    pub concepts: Vec<ConceptData>,
    /// Words that carry no meaning in a label.
    #[serde(default)]
    pub stopwords: Vec<String>,
    /// Extra words for splitting compounds (labels' own words are added automatically).
    #[serde(default)]
    pub words: Vec<String>,
    /// Everyday words that are spelled right: the spelling correction
    /// leaves them alone ("manier" is not a misspelt "maaier"), and they do
    /// not split compounds.
    #[serde(default)]
    pub vocabulary: Vec<String>,
    /// Everyday words and the words of municipal work they stand for
    /// ("toestemming" → "vergunning", "ontheffing"): a label whose own
    /// words name no concept is read again with these words added, and the
    /// concepts then found link at [`Config::expansion_factor`] of the
    /// strength.
    #[serde(default)]
    pub expansions: BTreeMap<String, Vec<String>>,
}

/// A label's link to a concept.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// Concept index.
    pub concept: u32,
    /// 1 when the label names the concept, less when it only contains it.
    pub strength: f64,
}

/// A label analysed against a taxonomy: its text forms and concept links.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// Text forms.
    pub label: Label,
    /// Linked concepts, most specific only, sorted by concept.
    pub links: Vec<Link>,
    /// How informative each stem of `label.tokens` is, in (0, 1] (parallel to it).
    pub weights: Vec<f64>,
    /// Sum of `weights`.
    pub weight_sum: f64,
}

impl Term {
    /// Overlap of the two labels' stems, each stem counted by how
    /// informative it is, in [0, 1]: the weight of the shared stems over the
    /// geometric mean of the two labels' weights (a cosine of weighted stem
    /// sets). "riool" or "stichting" in common decides, "advies" or "beleid"
    /// in common barely counts, and a long sentence that holds a short
    /// label's one informative word still meets it halfway.
    pub fn word_overlap(&self, other: &Term) -> f64 {
        if self.label.mask & other.label.mask == 0 {
            return 0.0;
        }
        let total = (self.weight_sum * other.weight_sum).sqrt();
        if total <= 0.0 {
            return 0.0;
        }
        let (a, b) = (&self.label.tokens, &other.label.tokens);
        let (mut i, mut j, mut common) = (0, 0, 0.0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    // The same stem has the same weight on both sides.
                    common += self.weights[i];
                    i += 1;
                    j += 1;
                }
            }
        }
        (common / total).min(1.0)
    }
}

/// How far a need's concepts reach through the taxonomy: the concepts reached,
/// each with its factor and relation, sorted by concept.
#[derive(Debug, Clone, Default)]
pub struct Reach {
    entries: Vec<(u32, f64, Via)>,
    /// Bit per concept reached: most concepts a label links to are not,
    /// and one bit says so without a search.
    members: Vec<u64>,
    /// Factors below this are not kept.
    floor: f64,
}

impl Reach {
    /// The concepts reached, ascending.
    pub fn concepts(&self) -> impl Iterator<Item = u32> + '_ {
        self.entries.iter().map(|e| e.0)
    }

    /// The factor and relation with which a concept is reached, if at all.
    pub fn get(&self, concept: u32) -> Option<(f64, Via)> {
        let (word, bit) = ((concept / 64) as usize, 1u64 << (concept % 64));
        if self.members.get(word).is_none_or(|w| w & bit == 0) {
            return None;
        }
        self.entries.binary_search_by_key(&concept, |e| e.0).ok().map(|i| (self.entries[i].1, self.entries[i].2))
    }

    fn offer(&mut self, concept: u32, factor: f64, via: Via) {
        if factor < self.floor {
            return;
        }
        match self.entries.binary_search_by_key(&concept, |e| e.0) {
            Ok(i) => {
                let e = &mut self.entries[i];
                if factor > e.1 || (factor == e.1 && via < e.2) {
                    *e = (concept, factor, via);
                }
            }
            Err(i) => {
                self.entries.insert(i, (concept, factor, via));
                let word = (concept / 64) as usize;
                if self.members.len() <= word {
                    self.members.resize(word + 1, 0);
                }
                self.members[word] |= 1 << (concept % 64);
            }
        }
    }
}

/// A concept label that other labels may contain: (concept, its stems, the label).
type ConceptLabel = (u32, Vec<u64>, Arc<str>);

/// A validated taxonomy with its label index. Cloning shares the index.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    data: Arc<TaxonomyData>,
    index: Arc<Index>,
}

/// What a taxonomy is analysed into once.
#[derive(Debug)]
struct Index {
    normalizer: Normalizer,
    broader: Vec<Vec<u32>>,
    narrower: Vec<Vec<u32>>,
    related: Vec<Vec<u32>>,
    /// Full label key → concepts.
    by_key: HashMap<String, Vec<u32>>,
    /// First stem of a concept label → (concept, all stems of that label, the label).
    by_token: HashMap<u64, Vec<ConceptLabel>>,
    /// Stem → number of the taxonomy's labels that hold it.
    label_frequency: HashMap<u64, u32>,
    /// Number of distinct labels counted in `label_frequency`.
    label_count: u32,
    /// Everyday words (their stems) → the stems of the words they stand for.
    expansions: Vec<(Vec<u64>, Vec<u64>)>,
}

/// The built-in taxonomy, one file per domain (file name, text), merged in
/// file-name order. The WebAssembly package ships the same files merged into
/// one compressed data file and loads it at init ([`Taxonomy::load_builtin`]).
#[cfg(feature = "embedded-knowledge")]
pub const BUILTIN_FILES: [(&str, &str); 11] = [
    ("energie-klimaat-natuur.json", include_str!("../data/taxonomy/energie-klimaat-natuur.json")),
    // Everyday words and the words of municipal work they stand for.
    ("expansions.json", include_str!("../data/taxonomy/expansions.json")),
    ("financien-subsidies-vastgoed.json", include_str!("../data/taxonomy/financien-subsidies-vastgoed.json")),
    ("omgevingswet.json", include_str!("../data/taxonomy/omgevingswet.json")),
    ("openbare-ruimte-mobiliteit.json", include_str!("../data/taxonomy/openbare-ruimte-mobiliteit.json")),
    ("participatie-cultuur-sport.json", include_str!("../data/taxonomy/participatie-cultuur-sport.json")),
    ("recht-organisatie-veiligheid.json", include_str!("../data/taxonomy/recht-organisatie-veiligheid.json")),
    ("sociaal-domein.json", include_str!("../data/taxonomy/sociaal-domein.json")),
    // Everyday words: known, so never "corrected" into a taxonomy word.
    ("vocabulary.json", include_str!("../data/taxonomy/vocabulary.json")),
    ("wonen.json", include_str!("../data/taxonomy/wonen.json")),
    // Stop words and compound-splitting words.
    ("words.json", include_str!("../data/taxonomy/words.json")),
];

/// The built-in taxonomy once built (or loaded).
static BUILTIN: OnceLock<Taxonomy> = OnceLock::new();

impl Taxonomy {
    /// The built-in taxonomy of Dutch municipal expertise. In a build
    /// without the `embedded-knowledge` feature it is empty until
    /// [`crate::knowledge::load`] has run.
    pub fn builtin() -> Taxonomy {
        #[cfg(feature = "embedded-knowledge")]
        let built = BUILTIN.get_or_init(|| {
            // The built-in data is checked by a unit test; an empty taxonomy is the fallback.
            Taxonomy::build(merge_files(BUILTIN_FILES.map(|(_, text)| text)))
                .unwrap_or_else(|_| Taxonomy::index(TaxonomyData::default()))
        });
        #[cfg(not(feature = "embedded-knowledge"))]
        let built = match BUILTIN.get() {
            Some(t) => t,
            None => return Taxonomy::index(TaxonomyData::default()),
        };
        built.clone()
    }

    /// Whether the built-in taxonomy is there: always with the
    /// `embedded-knowledge` feature, otherwise once [`crate::knowledge::load`] ran.
    pub fn builtin_loaded() -> bool {
        cfg!(feature = "embedded-knowledge") || BUILTIN.get().is_some()
    }

    /// Installs the built-in taxonomy from its data (the merged files under
    /// `core/data/taxonomy/`), for builds without the `embedded-knowledge`
    /// feature; see [`crate::knowledge::load`]. Loading again is a no-op.
    pub(crate) fn load_builtin(data: Value) -> Result<()> {
        if Taxonomy::builtin_loaded() {
            return Ok(());
        }
        let data: TaxonomyData = validate::read_strict(data, RecordKind::Taxonomy)?;
        let built = Taxonomy::build(data)?;
        let _ = BUILTIN.set(built);
        Ok(())
    }

    /// The built-in taxonomy's data, e.g. to extend and pass back.
    pub fn builtin_data() -> TaxonomyData {
        Taxonomy::builtin().data().clone()
    }

    /// Reads a taxonomy from a [`Value`], extending the built-in one when
    /// `extend_builtin` is set.
    pub fn from_value(v: Value) -> Result<Taxonomy> {
        let data: TaxonomyData = validate::read_strict(v, RecordKind::Taxonomy)?;
        Taxonomy::new(data)
    }

    /// Validates and indexes taxonomy data.
    pub fn new(data: TaxonomyData) -> Result<Taxonomy> {
        if data.extend_builtin {
            let mut merged = Taxonomy::builtin_data();
            let mut pos: BTreeMap<String, usize> =
                merged.concepts.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
            for c in data.concepts {
                match pos.get(&c.id) {
                    Some(&i) => merged.concepts[i] = c,
                    None => {
                        pos.insert(c.id.clone(), merged.concepts.len());
                        merged.concepts.push(c);
                    }
                }
            }
            merged.stopwords.extend(data.stopwords);
            merged.words.extend(data.words);
            merged.vocabulary.extend(data.vocabulary);
            merged.expansions.extend(data.expansions);
            return Taxonomy::build(merged);
        }
        Taxonomy::build(data)
    }

    /// The data this taxonomy was built from.
    pub fn data(&self) -> &TaxonomyData {
        &self.data
    }

    /// Whether this is the built-in taxonomy (unchanged).
    pub fn is_builtin(&self) -> bool {
        Arc::ptr_eq(&self.data, &Taxonomy::builtin().data)
    }

    /// Number of concepts.
    pub fn len(&self) -> usize {
        self.data.concepts.len()
    }

    /// Whether there are no concepts.
    pub fn is_empty(&self) -> bool {
        self.data.concepts.is_empty()
    }

    /// Id of concept `i`.
    pub fn concept_id(&self, i: u32) -> &str {
        &self.data.concepts[i as usize].id
    }

    /// Preferred label of concept `i`.
    pub fn concept_label(&self, i: u32) -> &str {
        &self.data.concepts[i as usize].label
    }

    /// The normaliser built from this taxonomy's words.
    pub fn normalizer(&self) -> &Normalizer {
        &self.index.normalizer
    }

    fn build(data: TaxonomyData) -> Result<Taxonomy> {
        let problems = check(&data);
        if !problems.is_empty() {
            return Err(Error::Invalid(problems));
        }
        Ok(Taxonomy::index(data))
    }

    /// Indexes checked data.
    fn index(data: TaxonomyData) -> Taxonomy {
        let index: HashMap<&str, u32> =
            data.concepts.iter().enumerate().map(|(i, c)| (c.id.as_str(), i as u32)).collect();
        let label_words = data
            .concepts
            .iter()
            .flat_map(|c| std::iter::once(c.label.as_str()).chain(c.alt_labels.iter().map(String::as_str)));
        let normalizer = Normalizer::with_label_words(
            data.stopwords.iter().map(String::as_str),
            data.words.iter().map(String::as_str),
            label_words,
        )
        .with_vocabulary(data.vocabulary.iter().map(String::as_str));
        let n = data.concepts.len();
        let mut broader = vec![Vec::new(); n];
        let mut narrower = vec![Vec::new(); n];
        let mut related = vec![Vec::new(); n];
        let mut by_key: HashMap<String, Vec<u32>> = HashMap::new();
        let mut by_token: HashMap<u64, Vec<ConceptLabel>> = HashMap::new();
        let mut label_frequency: HashMap<u64, u32> = HashMap::new();
        for (i, c) in data.concepts.iter().enumerate() {
            let i = i as u32;
            for b in &c.broader {
                let Some(&b) = index.get(b.as_str()) else { continue };
                broader[i as usize].push(b);
                narrower[b as usize].push(i);
            }
            for r in &c.related {
                let Some(&r) = index.get(r.as_str()) else { continue };
                related[i as usize].push(r);
                related[r as usize].push(i);
            }
            for l in std::iter::once(&c.label).chain(&c.alt_labels) {
                let label = normalizer.label(l);
                if !by_key.contains_key(&label.key) {
                    for &t in &label.tokens {
                        *label_frequency.entry(t).or_default() += 1;
                    }
                }
                let keyed = by_key.entry(label.key.clone()).or_default();
                if !keyed.contains(&i) {
                    keyed.push(i);
                }
                if let Some(&first) = label.tokens.first().filter(|_| containable(l, &label)) {
                    let entry = by_token.entry(first).or_default();
                    if !entry.iter().any(|(c, t, _)| *c == i && *t == label.tokens) {
                        entry.push((i, label.tokens.clone(), l.as_str().into()));
                    }
                }
            }
        }
        for list in broader.iter_mut().chain(narrower.iter_mut()).chain(related.iter_mut()) {
            list.sort_unstable();
            list.dedup();
        }
        let label_count = by_key.len() as u32;
        let mut expansions: Vec<(Vec<u64>, Vec<u64>)> = data
            .expansions
            .iter()
            .map(|(word, targets)| {
                let mut to: Vec<u64> = targets.iter().flat_map(|t| normalizer.label(t).tokens).collect();
                to.sort_unstable();
                to.dedup();
                (normalizer.label(word).tokens, to)
            })
            .collect();
        expansions.sort();
        expansions.dedup();
        let index = Index {
            normalizer,
            broader,
            narrower,
            related,
            by_key,
            by_token,
            label_frequency,
            label_count,
            expansions,
        };
        Taxonomy { data: Arc::new(data), index: Arc::new(index) }
    }

    /// Analyses a label: text forms, concept links and stem weights.
    pub fn term(&self, raw: &str, config: &Config) -> Term {
        let label = self.index.normalizer.label(raw);
        let links = self.links(&label, config);
        let weights: Vec<f64> = label.tokens.iter().map(|&t| self.word_weight(t)).collect();
        let weight_sum = weights.iter().sum();
        Term { label, links, weights, weight_sum }
    }

    /// How informative a stem is, in (0, 1]: an inverse document frequency
    /// over the taxonomy's labels, scaled so a stem no label holds weighs 1.
    ///
    /// Counted over the taxonomy rather than over a matcher's own skill
    /// labels so that a pair's score never depends on which other experts a
    /// matcher holds: shards of one expert set rank and merge exactly like
    /// the whole, and adding an expert changes no other expert's score.
    pub fn word_weight(&self, stem: u64) -> f64 {
        if self.index.label_count == 0 {
            return 1.0;
        }
        let n = f64::from(self.index.label_count) + 1.0;
        let df = f64::from(self.index.label_frequency.get(&stem).copied().unwrap_or(0));
        // At least a little: a label of common words only still overlaps its own kind.
        ((n / (df + 1.0)).ln() / n.ln()).max(0.05)
    }

    fn links(&self, label: &Label, config: &Config) -> Vec<Link> {
        if let Some(cs) = self.index.by_key.get(&label.key) {
            let mut links: Vec<Link> = cs.iter().map(|&c| Link { concept: c, strength: 1.0 }).collect();
            links.sort_by_key(|l| l.concept);
            links.truncate(MAX_LABEL_LINKS);
            return links;
        }
        // A label that holds several concepts is mostly about the most
        // informative of them: "Projectleider riolering" is about riolering,
        // so its link to project management weighs by how informative
        // "projectleider" is next to "riolering".
        let weigh = |stems: &[u64]| stems.iter().map(|&t| self.word_weight(t)).sum::<f64>();
        let mut found: Vec<(u32, f64)> = self.contained(label).into_iter().map(|(c, s, _)| (c, weigh(s))).collect();
        // A label whose own words name no concept is read again with the
        // words of municipal work its everyday words stand for, and links weaker.
        let mut factor = 1.0;
        if found.is_empty() {
            if let Some(expanded) = self.expand(label, config) {
                found = self.contained(&expanded).into_iter().map(|(c, s, _)| (c, weigh(s))).collect();
                factor = config.expansion_factor;
            }
        }
        let heaviest = found.iter().map(|f| f.1).fold(0.0, f64::max);
        let mut links: Vec<Link> = Vec::with_capacity(found.len());
        for (concept, weight) in found {
            let share = if heaviest > 0.0 { weight / heaviest } else { 1.0 };
            let strength = config.contained_factor * factor * share.powf(config.contained_weight_power);
            match links.iter_mut().find(|l| l.concept == concept) {
                Some(l) => l.strength = l.strength.max(strength),
                None => links.push(Link { concept, strength }),
            }
        }
        // The strongest links, at most MAX_LABEL_LINKS, in concept order.
        links.sort_by(|a, b| b.strength.total_cmp(&a.strength).then(a.concept.cmp(&b.concept)));
        links.truncate(MAX_LABEL_LINKS);
        links.sort_by_key(|l| l.concept);
        links
    }

    /// The label with the stems its everyday words stand for added (see
    /// [`TaxonomyData::expansions`]); `None` when it holds none or
    /// [`Config::expansion_factor`] is 0.
    fn expand(&self, label: &Label, config: &Config) -> Option<Label> {
        if config.expansion_factor <= 0.0 {
            return None;
        }
        let mut tokens = label.tokens.clone();
        for t in &label.tokens {
            let from = self.index.expansions.partition_point(|e| e.0.first() < Some(t));
            for (word, to) in self.index.expansions[from..].iter().take_while(|e| e.0.first() == Some(t)) {
                if label.contains_all(word) {
                    tokens.extend(to);
                }
            }
        }
        if tokens.len() == label.tokens.len() {
            return None;
        }
        tokens.sort_unstable();
        tokens.dedup();
        Some(Label { tokens, ..label.clone() })
    }

    /// Concept labels all of whose stems occur in `label`, keeping only those
    /// not inside a larger one found: (concept, stems, the concept label).
    fn contained<'a>(&'a self, label: &Label) -> Vec<(u32, &'a [u64], &'a Arc<str>)> {
        maximal(self.all_contained(&label.tokens))
    }

    /// Every concept label all of whose stems occur in `tokens` (sorted stems).
    fn all_contained<'a>(&'a self, tokens: &[u64]) -> Vec<(u32, &'a [u64], &'a Arc<str>)> {
        let mut found: Vec<(u32, &[u64], &Arc<str>)> = Vec::new();
        for t in tokens {
            for (c, toks, l) in self.index.by_token.get(t).map(Vec::as_slice).unwrap_or_default() {
                if toks.iter().all(|x| tokens.binary_search(x).is_ok()) {
                    found.push((*c, toks, l));
                }
            }
        }
        found
    }

    /// The concepts named in free text (an initiative's title and
    /// description): every concept label whose words all occur close
    /// together in the text (within [`TEXT_WINDOW_SLACK`] words more than
    /// the label has), keeping only those not inside a larger one found, the
    /// most specific first (most words, then concept order), at most
    /// [`MAX_TEXT_CONCEPTS`] concepts. "moestuin ... geen grond" far apart
    /// does not name "grond van een moestuin".
    pub fn find_concepts(&self, text: &str) -> Vec<Found> {
        let words: Vec<Vec<u64>> = self.index.normalizer.word_stems(text).into_iter().map(|w| w.1).collect();
        let mut tokens: Vec<u64> = words.iter().flatten().copied().collect();
        tokens.sort_unstable();
        tokens.dedup();
        let near = |stems: &[u64]| {
            let span = stems.len() + TEXT_WINDOW_SLACK;
            stems.len() < 2
                || (0..words.len()).any(|start| {
                    let window = &words[start..(start + span).min(words.len())];
                    stems.iter().all(|t| window.iter().any(|w| w.contains(t)))
                })
        };
        let mut found = maximal(self.all_contained(&tokens).into_iter().filter(|f| near(f.1)).collect());
        found.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then(a.0.cmp(&b.0)).then_with(|| a.2.cmp(b.2)));
        let mut out: Vec<Found> = Vec::new();
        for (c, stems, l) in found {
            if out.len() == MAX_TEXT_CONCEPTS {
                break;
            }
            if !out.iter().any(|f| f.concept == c) {
                out.push(Found { concept: c, label: l.to_string(), stems: stems.to_vec() });
            }
        }
        out
    }

    /// Every concept reachable from `links` within [`Config::max_hops`], with its
    /// factor (the link strength times the relation's decay) and relation.
    pub fn reach(&self, links: &[Link], config: &Config) -> Reach {
        // A concept reached below the floor cannot lift a similarity above it.
        let mut reach = Reach { floor: config.min_similarity, ..Reach::default() };
        for link in links {
            let c = link.concept;
            reach.offer(c, link.strength * config.synonym_similarity, Via::Synonym);
            let (broader, narrower) = (&self.index.broader, &self.index.narrower);
            Self::each_within(broader, c, config.max_hops, |x, steps| {
                reach.offer(x, link.strength * config.broader_similarity.powi(steps as i32), Via::Broader);
            });
            Self::each_within(narrower, c, config.max_hops, |x, steps| {
                reach.offer(x, link.strength * config.narrower_similarity.powi(steps as i32), Via::Narrower);
            });
            for &r in &self.index.related[c as usize] {
                reach.offer(r, link.strength * config.related_similarity, Via::Related);
            }
            for &parent in &self.index.broader[c as usize] {
                for &sibling in &self.index.narrower[parent as usize] {
                    if sibling != c {
                        reach.offer(sibling, link.strength * config.sibling_similarity, Via::Related);
                    }
                }
            }
            if link.strength * config.cousin_similarity >= config.min_similarity && config.cousin_similarity > 0.0 {
                let cousin = link.strength * config.cousin_similarity;
                Self::each_within(broader, c, config.max_hops, |ancestor, _| {
                    Self::each_within(narrower, ancestor, config.max_hops, |x, _| {
                        if x != c {
                            reach.offer(x, cousin, Via::Related);
                        }
                    });
                });
            }
        }
        reach
    }

    /// Visits every concept within `max_hops` steps along `edges` from
    /// `start` (not `start` itself), each once, nearest first, with its
    /// number of steps.
    fn each_within(edges: &[Vec<u32>], start: u32, max_hops: u32, mut visit: impl FnMut(u32, u32)) {
        let mut queue = VecDeque::from([(start, 0u32)]);
        let mut seen = vec![start];
        while let Some((c, d)) = queue.pop_front() {
            if d >= max_hops {
                continue;
            }
            for &next in &edges[c as usize] {
                if !seen.contains(&next) {
                    seen.push(next);
                    visit(next, d + 1);
                    queue.push_back((next, d + 1));
                }
            }
        }
    }
}

/// The built-in files merged into one taxonomy, in the order given; a file
/// that does not parse is left out (a unit test checks that all do).
#[cfg(feature = "embedded-knowledge")]
fn merge_files<'a>(texts: impl IntoIterator<Item = &'a str>) -> TaxonomyData {
    let mut data = TaxonomyData::default();
    for text in texts {
        if let Ok(part) = serde_json::from_str::<TaxonomyData>(text) {
            data.concepts.extend(part.concepts);
            data.stopwords.extend(part.stopwords);
            data.words.extend(part.words);
            data.vocabulary.extend(part.vocabulary);
            data.expansions.extend(part.expansions);
        }
    }
    data
}

/// Concept labels found, keeping only those not inside a larger one found.
fn maximal<'a>(found: Vec<(u32, &'a [u64], &'a Arc<str>)>) -> Vec<(u32, &'a [u64], &'a Arc<str>)> {
    let maximal: Vec<bool> = found
        .iter()
        .map(|(_, t, _)| !found.iter().any(|(_, u, _)| u.len() > t.len() && t.iter().all(|x| u.contains(x))))
        .collect();
    found.into_iter().zip(maximal).filter(|(_, keep)| *keep).map(|(f, _)| f).collect()
}

/// Whether a concept label may link labels that merely contain it. A single
/// short stem ("open", from "openbaarheid") turns up in too many unrelated
/// labels; abbreviations ("AVG", "Wmo") are short but specific.
fn containable(raw: &str, label: &Label) -> bool {
    let abbreviation = raw.len() <= 5 && !raw.contains(' ') && raw.chars().any(char::is_uppercase);
    label.tokens.len() > 1 || label.key.chars().count() >= 5 || abbreviation
}

fn check(data: &TaxonomyData) -> Vec<Problem> {
    let mut out = Vec::new();
    fn add(out: &mut Vec<Problem>, code: Code, id: Option<&str>, field: String, msg: String) {
        out.push(Problem::new(code, RecordKind::Taxonomy, field, msg).with_id(id));
    }
    macro_rules! push {
        ($($a:expr),* $(,)?) => { add(&mut out, $($a),*) };
    }
    if data.concepts.len() > MAX_CONCEPTS {
        push!(
            Code::TooMany,
            None,
            "concepts".into(),
            format!("has {} concepts, at most {MAX_CONCEPTS}", data.concepts.len())
        );
        return out;
    }
    for (name, list) in [("stopwords", &data.stopwords), ("words", &data.words), ("vocabulary", &data.vocabulary)] {
        if list.len() > MAX_WORDS {
            push!(Code::TooMany, None, name.into(), format!("has {} entries, at most {MAX_WORDS}", list.len()));
        }
        if let Some((i, w)) = list.iter().enumerate().find(|(_, w)| w.chars().count() > validate::MAX_LABEL_CHARS) {
            push!(
                Code::TooLong,
                None,
                format!("{name}[{i}]"),
                format!("has {} characters, at most {}", w.chars().count(), validate::MAX_LABEL_CHARS)
            );
        }
    }
    if data.expansions.len() > MAX_WORDS {
        push!(
            Code::TooMany,
            None,
            "expansions".into(),
            format!("has {} entries, at most {MAX_WORDS}", data.expansions.len())
        );
    }
    for (word, targets) in &data.expansions {
        let field = format!("expansions[{word:?}]");
        if targets.len() > MAX_LINKS {
            push!(Code::TooMany, None, field.clone(), format!("has {} words, at most {MAX_LINKS}", targets.len()));
        }
        for (w, name) in std::iter::once((word, field.clone()))
            .chain(targets.iter().enumerate().map(|(j, t)| (t, format!("{field}[{j}]"))))
        {
            if let Some((code, message)) = validate::label_problem(w) {
                push!(code, None, name, message);
            }
        }
    }
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, c) in data.concepts.iter().enumerate() {
        if c.id.trim().is_empty() {
            push!(Code::EmptyId, None, format!("concepts[{i}].id"), "must not be empty".into());
        } else if c.id.chars().count() > validate::MAX_ID_CHARS {
            push!(
                Code::TooLong,
                None,
                format!("concepts[{i}].id"),
                format!("has more than {} characters", validate::MAX_ID_CHARS)
            );
        } else if let Some(j) = ids.insert(&c.id, i) {
            push!(
                Code::DuplicateId,
                Some(&c.id),
                format!("concepts[{i}].id"),
                format!("is also used by concepts[{j}]")
            );
        }
    }
    for (i, c) in data.concepts.iter().enumerate() {
        let id = Some(c.id.as_str());
        for (field, list) in [("alt_labels", &c.alt_labels), ("broader", &c.broader), ("related", &c.related)] {
            if list.len() > MAX_LINKS {
                push!(
                    Code::TooMany,
                    id,
                    format!("concepts[{i}].{field}"),
                    format!("has {} entries, at most {MAX_LINKS}", list.len())
                );
            }
        }
        for (field, l) in std::iter::once(("label".to_string(), &c.label))
            .chain(c.alt_labels.iter().enumerate().map(|(j, l)| (format!("alt_labels[{j}]"), l)))
        {
            if let Some((code, message)) = validate::label_problem(l) {
                push!(code, id, format!("concepts[{i}].{field}"), message);
            }
        }
        for (field, list) in [("broader", &c.broader), ("related", &c.related)] {
            for (j, r) in list.iter().enumerate() {
                if !ids.contains_key(r.as_str()) {
                    let hint = crate::validate::suggest(r, ids.keys().copied())
                        .map(|s| format!(", did you mean {s:?}?"))
                        .unwrap_or_default();
                    push!(
                        Code::UnknownConcept,
                        id,
                        format!("concepts[{i}].{field}[{j}]"),
                        format!("names unknown concept {r:?}{hint}")
                    );
                } else if r == &c.id {
                    push!(
                        Code::UnknownConcept,
                        id,
                        format!("concepts[{i}].{field}[{j}]"),
                        "names the concept itself".into()
                    );
                }
            }
        }
    }
    if out.is_empty() {
        // Broader links must not form a cycle: walking up must end.
        let index: HashMap<&str, usize> = data.concepts.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
        let mut state = vec![0u8; data.concepts.len()]; // 0 new, 1 on stack, 2 done
        for start in 0..data.concepts.len() {
            if state[start] != 0 {
                continue;
            }
            let mut stack = vec![(start, 0usize)];
            state[start] = 1;
            while let Some(&mut (node, ref mut next)) = stack.last_mut() {
                let parents = &data.concepts[node].broader;
                if *next < parents.len() {
                    let p = index[parents[*next].as_str()];
                    *next += 1;
                    match state[p] {
                        0 => {
                            state[p] = 1;
                            stack.push((p, 0));
                        }
                        1 => {
                            let c = &data.concepts[node];
                            push!(
                                Code::UnknownConcept,
                                Some(&c.id),
                                format!("concepts[{node}].broader"),
                                format!(
                                    "forms a cycle through {:?}; broader links must lead up to a top concept",
                                    data.concepts[p].id
                                ),
                            );
                        }
                        _ => {}
                    }
                } else {
                    state[node] = 2;
                    stack.pop();
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Taxonomy {
        let data: TaxonomyData = serde_json::from_str(
            r#"{"concepts": [
                {"id": "ow", "label": "Omgevingswet", "alt_labels": ["Ow"]},
                {"id": "ovg", "label": "omgevingsvergunning", "alt_labels": ["bouwvergunning"], "broader": ["ow"]},
                {"id": "zon", "label": "vergunning zonnepanelen", "broader": ["ovg"]},
                {"id": "plan", "label": "omgevingsplan", "broader": ["ow"]},
                {"id": "sub", "label": "subsidie", "related": ["ovg"]}
            ], "stopwords": ["voor", "de"], "words": ["zon", "panelen", "omgeving", "vergunning", "plan"]}"#,
        )
        .unwrap();
        Taxonomy::new(data).unwrap()
    }

    #[test]
    fn exact_label_links_at_full_strength() {
        let t = small();
        let c = Config::default();
        let term = t.term("Omgevingsvergunningen", &c);
        assert_eq!(term.links, vec![Link { concept: 1, strength: 1.0 }]);
        assert_eq!(t.term("vergunning voor zonnepanelen", &c).links, vec![Link { concept: 2, strength: 1.0 }]);
    }

    #[test]
    fn contained_label_links_only_the_most_specific() {
        let t = small();
        let c = Config::default();
        let term = t.term("subsidie aanvragen", &c);
        assert_eq!(term.links, vec![Link { concept: 4, strength: c.contained_factor }]);
        let term = t.term("vergunning voor zonnepanelen op het dak", &c);
        assert_eq!(term.links.iter().map(|l| l.concept).collect::<Vec<_>>(), vec![2]);
    }

    #[test]
    fn a_label_of_several_concepts_links_most_to_the_most_informative() {
        // "projectleider" occurs in many labels, "riolering" in one.
        let data: TaxonomyData = serde_json::from_str(
            r#"{"concepts": [
                {"id": "pm", "label": "projectleider", "alt_labels": ["projectleider wonen", "projectleider zorg",
                    "projectleider sport", "projectleider cultuur", "projectleider jeugd", "projectleider groen"]},
                {"id": "riool", "label": "riolering"}
            ]}"#,
        )
        .unwrap();
        let t = Taxonomy::new(data).unwrap();
        let c = Config::default();
        let links = t.term("Projectleider riolering", &c).links;
        let strength = |id: &str| links.iter().find(|l| t.concept_id(l.concept) == id).map(|l| l.strength);
        assert_eq!(strength("riool"), Some(c.contained_factor));
        let pm = strength("pm").unwrap();
        assert!(pm < 0.5 * c.contained_factor, "{pm}");
        // Off: every contained concept gets the full factor.
        let flat = Config { contained_weight_power: 0.0, ..Config::default() };
        assert!(t.term("Projectleider riolering", &flat).links.iter().all(|l| l.strength == c.contained_factor));
    }

    #[test]
    fn reach_decays_with_distance() {
        let t = small();
        let c = Config::default();
        let r = t.reach(&[Link { concept: 2, strength: 1.0 }], &c);
        assert_eq!(r.get(2), Some((1.0, Via::Synonym)));
        assert_eq!(r.get(1), Some((c.broader_similarity, Via::Broader)));
        assert_eq!(r.get(0), Some((c.broader_similarity * c.broader_similarity, Via::Broader)));
        let r = t.reach(&[Link { concept: 0, strength: 1.0 }], &c);
        assert_eq!(r.get(1), Some((c.narrower_similarity, Via::Narrower)));
        let r = t.reach(&[Link { concept: 1, strength: 1.0 }], &c);
        assert_eq!(r.get(4), Some((c.related_similarity, Via::Related)));
        assert_eq!(r.get(3), Some((c.sibling_similarity, Via::Related)));
    }

    #[test]
    fn bad_references_and_cycles_are_reported() {
        let data: TaxonomyData = serde_json::from_str(
            r#"{"concepts": [{"id": "a", "label": "A", "broader": ["b"]}, {"id": "b", "label": "B", "broader": ["a"]},
                             {"id": "c", "label": "C", "related": ["zz"]}]}"#,
        )
        .unwrap();
        let e = Taxonomy::new(data.clone()).unwrap_err();
        assert_eq!(e.problems().len(), 1);
        assert!(e.problems()[0].message.contains("unknown concept \"zz\""));
        let mut fixed = data;
        fixed.concepts[2].related.clear();
        let e = Taxonomy::new(fixed).unwrap_err();
        assert!(e.problems()[0].message.contains("cycle"));
    }

    #[test]
    fn the_vocabulary_keeps_everyday_words_from_being_corrected_into_concepts() {
        let c = Config::default();
        let text = r#"{"concepts": [{"id": "berm", "label": "maaier"}]}"#;
        let without = Taxonomy::new(serde_json::from_str(text).unwrap()).unwrap();
        assert_eq!(without.term("op de goede manier", &c).links.len(), 1, "manier read as maaier");
        let text = r#"{"concepts": [{"id": "berm", "label": "maaier"}], "vocabulary": ["manier"]}"#;
        let with = Taxonomy::new(serde_json::from_str(text).unwrap()).unwrap();
        assert!(with.term("op de goede manier", &c).links.is_empty());
        assert_eq!(with.term("de maaeir", &c).links.len(), 1, "a typo is still corrected");
        // The built-in taxonomy knows the everyday word too.
        let builtin = Taxonomy::builtin();
        assert!(!builtin.term("manier", &c).label.key.contains("maaier"));
    }

    #[test]
    fn everyday_words_link_through_the_words_they_stand_for() {
        let c = Config::default();
        let text = r#"{"concepts": [{"id": "evenement", "label": "evenementenvergunning", "alt_labels": ["vergunning voor een feest"]},
            {"id": "kap", "label": "kapvergunning"}],
            "stopwords": ["voor", "een", "ons"],
            "expansions": {"toestemming": ["vergunning", "ontheffing"], "buurtfeest": ["feest"]}}"#;
        let t = Taxonomy::new(serde_json::from_str(text).unwrap()).unwrap();
        let links = |label: &str, c: &Config| -> Vec<(String, f64)> {
            t.term(label, c).links.iter().map(|l| (t.concept_id(l.concept).to_owned(), l.strength)).collect()
        };
        // Through the meaning: weaker than the word itself would link.
        let through = links("toestemming voor ons feest", &c);
        assert_eq!(through, vec![("evenement".to_owned(), c.contained_factor * c.expansion_factor)]);
        assert_eq!(
            links("vergunning voor ons feest op straat", &c),
            vec![("evenement".to_owned(), c.contained_factor)]
        );
        // A compound everyday word; both of a concept label's words may come from expansions.
        assert_eq!(links("toestemming buurtfeest", &c).len(), 1);
        // Off: no link.
        assert!(links("toestemming voor ons feest", &Config { expansion_factor: 0.0, ..c.clone() }).is_empty());
        // An expansion is data like any other: bad entries are named.
        let bad = r#"{"concepts": [], "expansions": {"toestemming": ["", "vergunning"]}}"#;
        let e = Taxonomy::new(serde_json::from_str(bad).unwrap()).unwrap_err();
        assert!(e.to_string().contains(r#"expansions["toestemming"][0]"#), "{e}");
        // The same label rules as for records: a concept label that spells out too long is named.
        let long = format!(r#"{{"concepts": [{{"id": "x", "label": "{}"}}]}}"#, "\u{FDFA}".repeat(200));
        let e = Taxonomy::new(serde_json::from_str(&long).unwrap()).unwrap_err();
        assert!(e.to_string().contains("concepts[0].label has more than 400 characters once spelled out"), "{e}");
    }

    #[test]
    fn free_text_names_a_concept_only_when_its_words_stand_close() {
        let text = r#"{"concepts": [{"id": "bodem", "label": "grond van de moestuin"}, {"id": "moestuin", "label": "moestuin"}],
            "stopwords": ["de", "van", "een", "we", "willen", "nog", "geen", "maar", "hebben", "al", "en"]}"#;
        let t = Taxonomy::new(serde_json::from_str(text).unwrap()).unwrap();
        let ids = |text: &str| -> Vec<String> {
            t.find_concepts(text).iter().map(|f| t.concept_id(f.concept).to_owned()).collect()
        };
        assert_eq!(ids("We testen de grond van de moestuin"), ["bodem"]);
        assert_eq!(ids("We willen een moestuin voor de buurt beginnen. De school doet mee met lessen. We hebben al zaden en gereedschap maar nog geen grond"), ["moestuin"]);
    }

    #[test]
    fn builtin_files_parse_and_no_label_names_two_concepts() {
        let mut total = 0;
        for (name, text) in BUILTIN_FILES {
            let part: TaxonomyData = serde_json::from_str(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            total += part.concepts.len();
        }
        // Every file of the folder, in file-name order (the order the WebAssembly data file is merged in).
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/taxonomy");
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json"))
            .collect();
        names.sort();
        assert_eq!(names, BUILTIN_FILES.map(|(n, _)| n.to_owned()));
        let data = merge_files(BUILTIN_FILES.map(|(_, text)| text));
        let t = Taxonomy::new(data.clone()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(Taxonomy::builtin_data().concepts.len(), total, "a built-in file was left out");
        let mut owner: HashMap<String, &str> = HashMap::new();
        let mut clashes = Vec::new();
        for c in &data.concepts {
            for l in std::iter::once(&c.label).chain(&c.alt_labels) {
                let key = t.normalizer().label(l).key;
                match owner.get(&key) {
                    Some(&other) if other != c.id => clashes.push(format!("{l:?} in {} and {other}", c.id)),
                    _ => {
                        owner.insert(key, &c.id);
                    }
                }
            }
        }
        assert!(clashes.is_empty(), "{} labels name two concepts: {clashes:#?}", clashes.len());
    }

    #[test]
    fn builtin_taxonomy_is_valid_and_knows_abbreviations() {
        let data = Taxonomy::builtin_data();
        assert!(data.concepts.len() >= 200, "{}", data.concepts.len());
        let t = Taxonomy::new(data).unwrap();
        let c = Config::default();
        for (short, long) in
            [("Wmo", "Wet maatschappelijke ondersteuning"), ("AVG", "Algemene verordening gegevensbescherming")]
        {
            let (a, b) = (t.term(short, &c), t.term(long, &c));
            assert!(!a.links.is_empty() && a.links == b.links, "{short} / {long}");
        }
    }

    #[test]
    fn user_taxonomy_can_extend_the_builtin() {
        let data = TaxonomyData {
            extend_builtin: true,
            concepts: vec![ConceptData {
                id: "repair-cafe-x".into(),
                label: "reparatiewerkplaats".into(),
                alt_labels: vec![],
                broader: vec![],
                related: vec![],
            }],
            ..Default::default()
        };
        let t = Taxonomy::new(data).unwrap();
        assert_eq!(t.len(), Taxonomy::builtin().len() + 1);
    }
}
