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
}

/// How far a need's concepts reach through the taxonomy: the concepts reached,
/// each with its factor and relation, sorted by concept.
#[derive(Debug, Clone, Default)]
pub struct Reach {
    entries: Vec<(u32, f64, Via)>,
}

impl Reach {
    /// The factor and relation with which a concept is reached, if at all.
    pub fn get(&self, concept: u32) -> Option<(f64, Via)> {
        self.entries.binary_search_by_key(&concept, |e| e.0).ok().map(|i| (self.entries[i].1, self.entries[i].2))
    }

    fn offer(&mut self, concept: u32, factor: f64, via: Via) {
        match self.entries.binary_search_by_key(&concept, |e| e.0) {
            Ok(i) => {
                let e = &mut self.entries[i];
                if factor > e.1 || (factor == e.1 && via < e.2) {
                    *e = (concept, factor, via);
                }
            }
            Err(i) => self.entries.insert(i, (concept, factor, via)),
        }
    }
}

/// A validated taxonomy with its label index.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    data: Arc<TaxonomyData>,
    normalizer: Normalizer,
    broader: Vec<Vec<u32>>,
    narrower: Vec<Vec<u32>>,
    related: Vec<Vec<u32>>,
    /// Full label key → concepts.
    by_key: HashMap<String, Vec<u32>>,
    /// First stem of a concept label → (concept, all stems of that label).
    by_token: HashMap<u64, Vec<(u32, Vec<u64>)>>,
}

const BUILTIN_JSON: &str = include_str!("../data/taxonomy.json");

impl Taxonomy {
    /// The built-in taxonomy of Dutch municipal expertise.
    pub fn builtin() -> Taxonomy {
        static BUILTIN: OnceLock<Taxonomy> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                // The built-in data is checked by a unit test; an empty taxonomy is the fallback.
                Taxonomy::build(Taxonomy::builtin_data()).unwrap_or_else(|_| Taxonomy::index(TaxonomyData::default()))
            })
            .clone()
    }

    /// The built-in taxonomy's data, e.g. to extend and pass back.
    pub fn builtin_data() -> TaxonomyData {
        serde_json::from_str(BUILTIN_JSON).unwrap_or_default()
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
        &self.normalizer
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
        let words = data.words.iter().map(String::as_str).chain(
            data.concepts
                .iter()
                .flat_map(|c| std::iter::once(c.label.as_str()).chain(c.alt_labels.iter().map(String::as_str))),
        );
        let normalizer = Normalizer::new(data.stopwords.iter().map(String::as_str), words);
        let n = data.concepts.len();
        let mut broader = vec![Vec::new(); n];
        let mut narrower = vec![Vec::new(); n];
        let mut related = vec![Vec::new(); n];
        let mut by_key: HashMap<String, Vec<u32>> = HashMap::new();
        let mut by_token: HashMap<u64, Vec<(u32, Vec<u64>)>> = HashMap::new();
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
                let keyed = by_key.entry(label.key.clone()).or_default();
                if !keyed.contains(&i) {
                    keyed.push(i);
                }
                if let Some(&first) = label.tokens.first().filter(|_| containable(l, &label)) {
                    let entry = by_token.entry(first).or_default();
                    if !entry.iter().any(|(c, t)| *c == i && *t == label.tokens) {
                        entry.push((i, label.tokens.clone()));
                    }
                }
            }
        }
        for list in broader.iter_mut().chain(narrower.iter_mut()).chain(related.iter_mut()) {
            list.sort_unstable();
            list.dedup();
        }
        Taxonomy { data: Arc::new(data), normalizer, broader, narrower, related, by_key, by_token }
    }

    /// Analyses a label: text forms plus concept links.
    pub fn term(&self, raw: &str, config: &Config) -> Term {
        let label = self.normalizer.label(raw);
        let links = self.links(&label, config);
        Term { label, links }
    }

    fn links(&self, label: &Label, config: &Config) -> Vec<Link> {
        if let Some(cs) = self.by_key.get(&label.key) {
            let mut links: Vec<Link> = cs.iter().map(|&c| Link { concept: c, strength: 1.0 }).collect();
            links.sort_by_key(|l| l.concept);
            links.truncate(MAX_LABEL_LINKS);
            return links;
        }
        // Contained concept labels; keep only those not inside a larger contained one.
        let mut found: Vec<(u32, &[u64])> = Vec::new();
        for t in &label.tokens {
            for (c, toks) in self.by_token.get(t).map(Vec::as_slice).unwrap_or_default() {
                if label.contains_all(toks) {
                    found.push((*c, toks));
                }
            }
        }
        let maximal: Vec<u32> = found
            .iter()
            .filter(|(_, t)| !found.iter().any(|(_, u)| u.len() > t.len() && t.iter().all(|x| u.contains(x))))
            .map(|(c, _)| *c)
            .collect();
        let mut concepts = maximal;
        concepts.sort_unstable();
        concepts.dedup();
        concepts.truncate(MAX_LABEL_LINKS);
        concepts.into_iter().map(|c| Link { concept: c, strength: config.contained_factor }).collect()
    }

    /// Every concept reachable from `links` within [`Config::max_hops`], with its
    /// factor (the link strength times the relation's decay) and relation.
    pub fn reach(&self, links: &[Link], config: &Config) -> Reach {
        let mut reach = Reach::default();
        for link in links {
            let c = link.concept;
            reach.offer(c, link.strength * config.synonym_similarity, Via::Synonym);
            self.walk(c, &self.broader, link.strength, config.broader_similarity, Via::Broader, config, &mut reach);
            self.walk(c, &self.narrower, link.strength, config.narrower_similarity, Via::Narrower, config, &mut reach);
            for &r in &self.related[c as usize] {
                reach.offer(r, link.strength * config.related_similarity, Via::Related);
            }
            for &parent in &self.broader[c as usize] {
                for &sibling in &self.narrower[parent as usize] {
                    if sibling != c {
                        reach.offer(sibling, link.strength * config.sibling_similarity, Via::Related);
                    }
                }
            }
        }
        reach
    }

    #[allow(clippy::too_many_arguments)]
    fn walk(
        &self,
        start: u32,
        edges: &[Vec<u32>],
        strength: f64,
        step: f64,
        via: Via,
        config: &Config,
        reach: &mut Reach,
    ) {
        let mut queue = VecDeque::from([(start, 0u32)]);
        let mut seen = vec![start];
        while let Some((c, d)) = queue.pop_front() {
            if d >= config.max_hops {
                continue;
            }
            for &next in &edges[c as usize] {
                if !seen.contains(&next) {
                    seen.push(next);
                    reach.offer(next, strength * step.powi(d as i32 + 1), via);
                    queue.push_back((next, d + 1));
                }
            }
        }
    }
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
    for (name, list) in [("stopwords", &data.stopwords), ("words", &data.words)] {
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
            let n = l.chars().count();
            if n > validate::MAX_LABEL_CHARS {
                push!(
                    Code::TooLong,
                    id,
                    format!("concepts[{i}].{field}"),
                    format!("has {n} characters, at most {}", validate::MAX_LABEL_CHARS)
                );
            } else if crate::text::is_blank_label(l) {
                push!(
                    Code::EmptyLabel,
                    id,
                    format!("concepts[{i}].{field}"),
                    format!("has no letters or digits: {l:?}")
                );
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
