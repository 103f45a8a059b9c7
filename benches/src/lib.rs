//! Shared inputs for the benchmarks: the national-scale data set and a
//! representative five-need initiative.

use participatienetwerk::demo::{generate, DemoData, DemoSpec};
use participatienetwerk::{Initiative, Need};

/// The national-scale data set: `experts` experts, `initiatives` initiatives, seed 2026.
pub fn national(experts: usize, initiatives: usize) -> DemoData {
    generate(&DemoSpec { experts, initiatives, seed: 2026 })
}

/// A five-need initiative in Utrecht, as a coordinator would enter it.
pub fn five_needs() -> Initiative {
    let need = |label: &str, weight: f64| Need { label: label.into(), weight, min_level: 1, required: false };
    Initiative {
        id: "bench-1".into(),
        municipality: "GM0344".into(),
        title: "Zonnepanelen op het buurthuis".into(),
        description: String::new(),
        needs: vec![
            need("omgevingsvergunning zonnepanelen", 2.0),
            need("subsidie aanvragen", 1.5),
            need("energiecoöperatie oprichten", 1.0),
            need("statuten stichting", 1.0),
            need("AVG ledenadministratie", 0.5),
        ],
        experts_wanted: 1,
        hours_needed: None,
        language: None,
        location: None,
    }
}

/// Domain words of the generic-word data set: what a skill is about.
const DOMAIN_WORDS: [&str; 40] = [
    "riolering",
    "inburgering",
    "stichtingen",
    "subsidies",
    "omgevingsvergunningen",
    "schuldhulp",
    "jeugdzorg",
    "mantelzorg",
    "evenementen",
    "horeca",
    "monumenten",
    "archeologie",
    "bodemkwaliteit",
    "geluidhinder",
    "verkeersveiligheid",
    "parkeren",
    "groenbeheer",
    "speelruimte",
    "sportaccommodaties",
    "bibliotheken",
    "kinderopvang",
    "leerplicht",
    "statushouders",
    "participatiewet",
    "armoedebeleid",
    "dementie",
    "energiecoöperaties",
    "warmtenetten",
    "zonnepanelen",
    "klimaatadaptatie",
    "afvalinzameling",
    "grondzaken",
    "erfpacht",
    "aanbestedingen",
    "privacy",
    "archiefbeheer",
    "crisisbeheersing",
    "ondermijning",
    "wijkteams",
    "vrijwilligerswerk",
];

/// Generic words of the generic-word data set: what real municipal HR
/// labels wrap around every topic.
const GENERIC_WORDS: [&str; 20] = [
    "beleid",
    "advies",
    "medewerker",
    "adviseur",
    "ondersteuning",
    "coördinator",
    "specialist",
    "senior",
    "projectleider",
    "regisseur",
    "consulent",
    "team",
    "zaken",
    "beheer",
    "uitvoering",
    "programma",
    "kwaliteit",
    "informatie",
    "dienstverlening",
    "vergunning",
];

/// The national data set with every skill relabelled the way real HR lists
/// label expertise: about 5,000 labels built from 40 domain words and 20
/// generic ones ("beleid riolering", "riolering advies",
/// "adviesriolering", "beleid - riolering team"), 8 skills per expert; and
/// `queries` five-need initiatives whose needs are such labels lower-cased
/// with one character dropped, so every query is new to the matcher. Every
/// need shares generic words with hundreds of labels: the case where a
/// ranking must not turn into a scan.
pub fn generic_words(experts: usize, queries: usize) -> DemoData {
    use rand_core::{Rng, SeedableRng};
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let mut below = |n: usize| (rng.next_u64() % n as u64) as usize;
    let mut pool: Vec<String> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    while pool.len() < 5_000 {
        let (m, h, h2) = (DOMAIN_WORDS[below(40)], GENERIC_WORDS[below(20)], GENERIC_WORDS[below(20)]);
        let label = match below(4) {
            0 => format!("{} {m}", capitalise(h)),
            1 => format!("{} {h}", capitalise(m)),
            2 => format!("{}{m}", capitalise(h)),
            _ => format!("{} - {m} {h2}", capitalise(h)),
        };
        if seen.insert(label.clone()) {
            pool.push(label);
        }
    }
    let mut data = national(experts, queries);
    for e in &mut data.experts {
        e.skills = (0..8)
            .map(|_| participatienetwerk::Skill { label: pool[below(pool.len())].clone(), level: 1 + below(5) as u8 })
            .collect();
    }
    for i in &mut data.initiatives {
        i.needs = (0..5)
            .map(|_| {
                let mut label: Vec<char> = pool[below(pool.len())].to_lowercase().chars().collect();
                label.remove(below(label.len()));
                Need { label: label.into_iter().collect(), weight: 1.0, min_level: 1, required: false }
            })
            .collect();
        i.title.clear();
        i.description.clear();
    }
    data
}

fn capitalise(w: &str) -> String {
    let mut c = w.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}
