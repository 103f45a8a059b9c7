//! A seeded synthetic data set with realistic Dutch labels: the CLI's demo,
//! the benchmarks' national-scale input and the tests' random instances all
//! come from here.
//!
//! Municipalities are drawn in proportion to their population; some experts
//! work for a shared-service organisation (several municipalities at once),
//! some records still carry the code of a municipality that has since merged,
//! and skill labels come in the variants real profiles show (typos, plurals,
//! compounds, abbreviations). The same spec and seed give the same data on
//! every platform.

use crate::model::{Expert, Initiative, Location, Need, Registry, Skill};
use crate::taxonomy::TaxonomyData;
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Deserialize)]
struct Municipality {
    code: String,
    name: String,
    population: u32,
}

#[derive(Deserialize)]
struct SharedService {
    name: String,
    municipalities: Vec<String>,
}

#[derive(Deserialize, Default)]
struct MunicipalityData {
    municipalities: Vec<Municipality>,
    successors: BTreeMap<String, String>,
    successor_names: BTreeMap<String, String>,
    shared_services: Vec<SharedService>,
}

#[derive(Deserialize)]
struct NeedTemplate {
    label: String,
    #[serde(default = "one")]
    weight: f64,
    #[serde(default)]
    min_level: Option<u8>,
    #[serde(default)]
    required: bool,
}

fn one() -> f64 {
    1.0
}

#[derive(Deserialize)]
struct InitiativeTemplate {
    title: String,
    description: String,
    needs: Vec<NeedTemplate>,
    #[serde(default)]
    hours_needed: Option<f64>,
}

#[derive(Deserialize)]
struct SkillPhrase {
    label: String,
    concept: String,
}

#[derive(Deserialize, Default)]
struct Templates {
    initiatives: Vec<InitiativeTemplate>,
    skill_phrases: Vec<SkillPhrase>,
}

#[cfg(feature = "embedded-knowledge")]
const MUNICIPALITIES_JSON: &str = include_str!("../data/municipalities.json");
#[cfg(feature = "embedded-knowledge")]
const DEMO_JSON: &str = include_str!("../data/demo.json");

/// The municipality list and the templates: compiled in and read on first
/// use, or loaded at init in builds without the `embedded-knowledge`
/// feature (see [`crate::knowledge::load`]).
static DATA: std::sync::OnceLock<(MunicipalityData, Templates)> = std::sync::OnceLock::new();

/// Installs the municipality list and the templates; loading again is a no-op.
pub(crate) fn load_builtin(
    municipalities: crate::validate::Value,
    templates: crate::validate::Value,
) -> crate::Result<()> {
    fn read<T: serde::de::DeserializeOwned>(v: crate::validate::Value, field: &str) -> crate::Result<T> {
        v.deserialize_into().map_err(|e| {
            crate::Error::single(crate::Problem::new(
                crate::Code::WrongType,
                crate::RecordKind::Input,
                field,
                format!("is not the demo's {field} data: {e}"),
            ))
        })
    }
    let data = (read(municipalities, "municipalities")?, read(templates, "demo")?);
    let _ = DATA.set(data);
    Ok(())
}

/// The municipality list and the templates: compiled in, or as loaded (empty before).
fn sources() -> &'static (MunicipalityData, Templates) {
    #[cfg(feature = "embedded-knowledge")]
    return DATA.get_or_init(|| {
        let mun = serde_json::from_str(MUNICIPALITIES_JSON).unwrap_or_default();
        (mun, serde_json::from_str(DEMO_JSON).unwrap_or_default())
    });
    #[cfg(not(feature = "embedded-knowledge"))]
    {
        static EMPTY: std::sync::LazyLock<(MunicipalityData, Templates)> = std::sync::LazyLock::new(Default::default);
        DATA.get().unwrap_or(&EMPTY)
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSpec {
    /// Number of experts.
    pub experts: usize,
    /// Number of initiatives.
    pub initiatives: usize,
    /// Random seed.
    pub seed: u64,
}

impl Default for DemoSpec {
    fn default() -> Self {
        DemoSpec { experts: 2_000, initiatives: 40, seed: 0 }
    }
}

/// Most experts a demo data set may have (the national scale is 200,000).
pub const MAX_DEMO_EXPERTS: usize = 2_000_000;
/// Most initiatives a demo data set may have.
pub const MAX_DEMO_INITIATIVES: usize = 1_000_000;

impl DemoSpec {
    /// Checks the sizes against [`MAX_DEMO_EXPERTS`] and [`MAX_DEMO_INITIATIVES`],
    /// so a typo cannot make [`generate`] run out of memory.
    pub fn check(&self) -> crate::Result<()> {
        let mut problems = Vec::new();
        for (field, n, max) in
            [("experts", self.experts, MAX_DEMO_EXPERTS), ("initiatives", self.initiatives, MAX_DEMO_INITIATIVES)]
        {
            if n > max {
                problems.push(crate::Problem::new(
                    crate::Code::InvalidArgument,
                    crate::RecordKind::Input,
                    field,
                    format!("must be at most {max}, got {n}"),
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::Invalid(problems))
        }
    }
}

/// A generated data set.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DemoData {
    /// Experts, ids `e-000000` upwards.
    pub experts: Vec<Expert>,
    /// Initiatives, ids `i-00000` upwards.
    pub initiatives: Vec<Initiative>,
    /// Mergers and names of every municipality used.
    pub registry: Registry,
    /// Shared-service organisations: name and member codes.
    pub shared_services: Vec<(String, Vec<String>)>,
}

/// Distinct skill labels in a data set of `experts` experts: grows like real
/// profile data (new spellings keep appearing), about 5,000 at 200,000 experts.
fn label_target(experts: usize) -> usize {
    ((experts as f64).sqrt() * 11.0) as usize + 200
}

struct Gen {
    rng: ChaCha8Rng,
}

impl Gen {
    fn below(&mut self, n: usize) -> usize {
        (self.rng.next_u64() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn unit(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Index drawn with probability proportional to `cumulative` steps.
    fn weighted(&mut self, cumulative: &[u64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(0).max(1);
        let x = self.rng.next_u64() % total;
        cumulative.partition_point(|&c| c <= x)
    }
}

/// A deterministic spot inside the Netherlands for a municipality code.
fn place(code: &str, gen: &mut Gen, spread: f64) -> Location {
    let n: u64 = code.bytes().fold(1469598103934665603u64, |h, b| (h ^ u64::from(b)).wrapping_mul(1099511628211));
    let lat = 50.8 + (n % 10_000) as f64 / 10_000.0 * 2.6;
    let lon = 3.6 + ((n / 10_000) % 10_000) as f64 / 10_000.0 * 3.4;
    Location {
        lat: ((lat + gen.range(-spread, spread)) * 1e4).round() / 1e4,
        lon: ((lon + gen.range(-spread, spread)) * 1e4).round() / 1e4,
    }
}

fn typo(s: &str, gen: &mut Gen) -> String {
    let chars: Vec<char> = s.chars().collect();
    let letters: Vec<usize> = (1..chars.len().saturating_sub(1)).filter(|&i| chars[i].is_alphabetic()).collect();
    if letters.is_empty() {
        return s.to_owned();
    }
    let i = letters[gen.below(letters.len())];
    let mut out = chars.clone();
    match gen.below(3) {
        0 => {
            out.remove(i);
        }
        1 if i + 1 < out.len() => out.swap(i, i + 1),
        _ => out.insert(i, chars[i]),
    }
    out.into_iter().collect()
}

fn variant(base: &str, other: &str, gen: &mut Gen) -> String {
    match gen.below(7) {
        0 => typo(base, gen),
        1 => {
            if base.ends_with('e') {
                format!("{base}n")
            } else if base.ends_with(['a', 'o', 'u', 'y']) {
                format!("{base}'s")
            } else {
                format!("{base}en")
            }
        }
        2 => base.to_uppercase(),
        3 => format!("{base} en {}", other.to_lowercase()),
        4 => format!("advies {}", base.to_lowercase()),
        5 => format!("{base} (senior)"),
        _ => format!("beleidsadviseur {}", base.to_lowercase()),
    }
}

/// Generates a data set.
pub fn generate(spec: &DemoSpec) -> DemoData {
    let (mun, templates) = sources();
    let taxonomy: TaxonomyData = crate::taxonomy::Taxonomy::builtin_data();
    let mut gen = Gen { rng: ChaCha8Rng::seed_from_u64(spec.seed) };

    let mut cumulative = Vec::with_capacity(mun.municipalities.len());
    let mut acc = 0u64;
    for m in &mun.municipalities {
        acc += u64::from(m.population.max(1));
        cumulative.push(acc);
    }
    let codes: Vec<&str> = mun.municipalities.iter().map(|m| m.code.as_str()).collect();
    // Old codes per current code, for records exported before a merger.
    let mut predecessors: HashMap<&str, Vec<&str>> = HashMap::new();
    for old in mun.successors.keys() {
        let mut cur = old.as_str();
        for _ in 0..mun.successors.len() {
            match mun.successors.get(cur) {
                Some(next) => cur = next,
                None => break,
            }
        }
        predecessors.entry(cur).or_default().push(old);
    }
    let service_of: HashMap<&str, usize> = mun
        .shared_services
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.municipalities.iter().map(move |m| (m.as_str(), i)))
        .collect();

    // Domain (top concept) of every concept, for coherent skill profiles.
    let index: HashMap<&str, usize> = taxonomy.concepts.iter().enumerate().map(|(i, c)| (c.id.as_str(), i)).collect();
    let top_of = |mut i: usize| {
        for _ in 0..32 {
            match taxonomy.concepts[i].broader.first().and_then(|b| index.get(b.as_str())) {
                Some(&p) => i = p,
                None => break,
            }
        }
        i
    };

    // The label pool: phrases and concepts' preferred labels first, then variants up to the target size.
    let mut pool: Vec<(String, usize)> = Vec::new();
    let mut seen = BTreeSet::new();
    for p in &templates.skill_phrases {
        if let Some(&c) = index.get(p.concept.as_str()) {
            if seen.insert(p.label.clone()) {
                pool.push((p.label.clone(), top_of(c)));
            }
        }
    }
    // Preferred labels only: alternative labels include citizens' task
    // phrases ("AED kopen"), which no HR system lists as a skill.
    for (i, c) in taxonomy.concepts.iter().enumerate() {
        if seen.insert(c.label.clone()) {
            pool.push((c.label.clone(), top_of(i)));
        }
    }
    let base = pool.len();
    let target = label_target(spec.experts).max(base.min(label_target(spec.experts)));
    let mut attempts = 0;
    while pool.len() < target && base > 0 && attempts < target * 4 {
        attempts += 1;
        let (b, domain) = pool[gen.below(base)].clone();
        let other = pool[gen.below(base)].0.clone();
        let v = variant(&b, &other, &mut gen);
        if v.chars().count() <= crate::validate::MAX_LABEL_CHARS && seen.insert(v.clone()) {
            pool.push((v, domain));
        }
    }
    // Originals are common, variants rarer: draw originals three times as often.
    let used = &pool[..];
    let mut by_domain: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, (_, d)) in used.iter().enumerate() {
        by_domain.entry(*d).or_default().push(i);
    }
    let domains: Vec<usize> = by_domain.keys().copied().collect();
    let pick_label = |gen: &mut Gen, list: &[usize]| -> usize {
        let originals = list.partition_point(|&i| i < base);
        if originals > 0 && (originals == list.len() || gen.chance(0.75)) {
            list[gen.below(originals)]
        } else {
            list[originals + gen.below(list.len() - originals)]
        }
    };

    let levels = [10u64, 30, 65, 90, 100];
    let mut experts = Vec::with_capacity(spec.experts);
    for n in 0..spec.experts {
        let m = gen.weighted(&cumulative).min(codes.len().saturating_sub(1));
        let code = codes.get(m).copied().unwrap_or("GM0363");
        let mut municipalities = match service_of.get(code) {
            Some(&s) if gen.chance(0.5) => mun.shared_services[s].municipalities.clone(),
            _ => vec![code.to_owned()],
        };
        if let Some(olds) = predecessors.get(code) {
            if gen.chance(0.3) {
                municipalities[0] = olds[gen.below(olds.len())].to_string();
            }
        }
        let home = if gen.chance(0.5) {
            Some(code.to_owned())
        } else if gen.chance(0.6) {
            Some(codes[gen.weighted(&cumulative).min(codes.len() - 1)].to_owned())
        } else {
            None
        };
        let mut skills: Vec<Skill> = Vec::new();
        let count = 5 + gen.below(7);
        if !domains.is_empty() {
            let main = domains[gen.below(domains.len())];
            let second = domains[gen.below(domains.len())];
            for s in 0..count * 3 {
                if skills.len() >= count {
                    break;
                }
                let d = if s % 3 == 2 { second } else { main };
                let i = pick_label(&mut gen, &by_domain[&d]);
                let label = &used[i].0;
                if skills.iter().all(|k| &k.label != label) {
                    let level = (gen.weighted(&levels) + 1) as u8;
                    skills.push(Skill { label: label.clone(), level });
                }
            }
        }
        let mut languages = vec!["nl".to_owned()];
        if gen.chance(0.4) {
            languages.push("en".into());
        }
        if gen.chance(0.05) {
            languages.push(["de", "fr", "ar", "tr", "pl"][gen.below(5)].into());
        }
        let travels = gen.chance(0.5);
        experts.push(Expert {
            id: format!("e-{n:06}"),
            municipalities,
            home_municipality: home,
            skills,
            max_initiatives: 1 + gen.below(3) as u32,
            hours_per_month: gen.chance(0.8).then(|| (4 + 2 * gen.below(11)) as f64),
            languages,
            location: Some(place(code, &mut gen, 0.05)),
            max_distance_km: travels.then(|| (20 + 10 * gen.below(14)) as f64),
            remote: Some(gen.chance(0.6)),
        });
    }

    let mut initiatives = Vec::with_capacity(spec.initiatives);
    for n in 0..spec.initiatives {
        let m = gen.weighted(&cumulative).min(codes.len().saturating_sub(1));
        let (code, name) =
            mun.municipalities.get(m).map_or(("GM0363", "Amsterdam"), |x| (x.code.as_str(), x.name.as_str()));
        let Some(t) = templates.initiatives.get(gen.below(templates.initiatives.len())) else { break };
        let needs = t
            .needs
            .iter()
            .map(|nt| Need {
                label: if gen.chance(0.05) { typo(&nt.label, &mut gen) } else { nt.label.clone() },
                weight: nt.weight,
                min_level: nt.min_level.unwrap_or(1),
                required: nt.required,
            })
            .collect();
        let municipality = match predecessors.get(code) {
            Some(olds) if gen.chance(0.2) => olds[gen.below(olds.len())].to_string(),
            _ => code.to_owned(),
        };
        let wanted = match gen.below(20) {
            0 => 3,
            1..=3 => 2,
            _ => 1,
        };
        initiatives.push(Initiative {
            id: format!("i-{n:05}"),
            municipality,
            title: format!("{} ({name})", t.title),
            description: t.description.clone(),
            needs,
            experts_wanted: wanted,
            hours_needed: t.hours_needed,
            language: Some(if gen.chance(0.9) { "nl" } else { "en" }.to_owned()),
            location: Some(place(code, &mut gen, 0.03)),
        });
    }

    let mut names: BTreeMap<String, String> =
        mun.municipalities.iter().map(|m| (m.code.clone(), m.name.clone())).collect();
    names.extend(mun.successor_names.iter().map(|(c, n)| (c.clone(), n.clone())));
    DemoData {
        experts,
        initiatives,
        registry: Registry { successors: mun.successors.clone(), names },
        shared_services: mun.shared_services.iter().map(|s| (s.name.clone(), s.municipalities.clone())).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_data_and_all_valid() {
        let spec = DemoSpec { experts: 500, initiatives: 30, seed: 7 };
        let a = generate(&spec);
        assert_eq!(a, generate(&spec));
        assert_ne!(a.experts, generate(&DemoSpec { seed: 8, ..spec }).experts);
        assert!(crate::validate::check_experts(&a.experts).is_empty());
        assert!(crate::validate::check_initiatives(&a.initiatives).is_empty());
        assert!(crate::validate::check_registry(&a.registry).is_empty());
        assert_eq!(a.experts.len(), 500);
        assert_eq!(a.initiatives.len(), 30);
    }

    #[test]
    fn contains_shared_services_and_merged_codes() {
        let d = generate(&DemoSpec { experts: 3_000, initiatives: 10, seed: 1 });
        assert!(d.experts.iter().any(|e| e.municipalities.len() > 1));
        assert!(d.experts.iter().any(|e| e.municipalities.iter().any(|m| d.registry.successors.contains_key(m))));
    }
}
