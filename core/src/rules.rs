//! Eligibility: the different-municipality rule and its companions
//! (capacity, language, travel distance).
//!
//! An expert never supports an initiative in a municipality the expert works
//! for — after both sides' codes are resolved through the registry of merger
//! successors, and counting every municipality of a shared-service
//! organisation. A failed rule is an [`Exclusion`](crate::Exclusion) with a
//! reason and a detail, never a low score.

use crate::config::Config;
use crate::error::Result;
use crate::model::{Expert, Initiative, Location, Reason, Registry};
use crate::validate;
use std::collections::HashMap;

/// A municipality code as its number (`GM0363` → 363).
pub type Code = u16;

/// Number of a code already known to be valid.
pub fn code_number(code: &str) -> Code {
    code.get(2..).and_then(|d| d.parse().ok()).unwrap_or(0)
}

/// Code text of a number (363 → `GM0363`).
pub fn code_text(code: Code) -> String {
    format!("GM{code:04}")
}

/// Resolves merged municipalities to their current code and names codes.
#[derive(Debug, Clone)]
pub struct Resolver {
    /// Current code per code: codes are four digits, so a table beats hashing
    /// on the hot path of every eligibility check.
    current: Vec<Code>,
    names: HashMap<Code, String>,
}

impl Default for Resolver {
    fn default() -> Self {
        Resolver { current: (0..=9999).collect(), names: HashMap::new() }
    }
}

impl Resolver {
    /// Validates the registry and resolves every successor chain once.
    pub fn new(registry: &Registry) -> Result<Resolver> {
        let problems = validate::check_registry(registry);
        if !problems.is_empty() {
            return Err(crate::Error::Invalid(problems));
        }
        let step: HashMap<Code, Code> =
            registry.successors.iter().map(|(a, b)| (code_number(a), code_number(b))).collect();
        // Each chain is walked once: a walk stops at a code already resolved
        // and gives its end to every code on the way (chains are acyclic,
        // checked above), so resolving all codes is linear.
        let mut current: Vec<Code> = (0..=9999).collect();
        let mut resolved = vec![false; current.len()];
        let mut path: Vec<Code> = Vec::new();
        for start in 0..=9999u16 {
            let mut cur = start;
            while !resolved[usize::from(cur)] {
                path.push(cur);
                match step.get(&cur) {
                    Some(&next) if usize::from(next) < current.len() => cur = next,
                    _ => break,
                }
            }
            let end = if resolved[usize::from(cur)] { current[usize::from(cur)] } else { cur };
            for c in path.drain(..) {
                current[usize::from(c)] = end;
                resolved[usize::from(c)] = true;
            }
        }
        let names = registry.names.iter().map(|(c, n)| (code_number(c), n.clone())).collect();
        Ok(Resolver { current, names })
    }

    /// The current code of a possibly merged municipality.
    pub fn resolve(&self, code: Code) -> Code {
        self.current.get(usize::from(code)).copied().unwrap_or(code)
    }

    /// `GM0363 Amsterdam`, or just the code when no name is known.
    pub fn describe(&self, code: Code) -> String {
        match self.names.get(&code) {
            Some(n) => format!("{} {n}", code_text(code)),
            None => code_text(code),
        }
    }
}

/// What the rules need to know of an expert, in compact form.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpertFacts {
    /// Codes as given.
    pub municipalities: Box<[Code]>,
    /// Home code as given.
    pub home: Option<Code>,
    /// See [`Expert::max_initiatives`].
    pub max_initiatives: u32,
    /// See [`Expert::hours_per_month`].
    pub hours_per_month: Option<f64>,
    /// See [`Expert::languages`].
    pub languages: Box<[Box<str>]>,
    /// See [`Expert::location`].
    pub location: Option<Location>,
    /// See [`Expert::max_distance_km`].
    pub max_distance_km: Option<f64>,
    /// See [`Expert::remote`].
    pub remote: Option<bool>,
}

impl ExpertFacts {
    /// Facts of a validated expert.
    pub fn of(e: &Expert) -> ExpertFacts {
        ExpertFacts {
            municipalities: e.municipalities.iter().map(|m| code_number(m)).collect(),
            home: e.home_municipality.as_deref().map(code_number),
            max_initiatives: e.max_initiatives,
            hours_per_month: e.hours_per_month,
            languages: e.languages.iter().map(|l| l.as_str().into()).collect(),
            location: e.location,
            max_distance_km: e.max_distance_km,
            remote: e.remote,
        }
    }

    /// Writes the facts back into an expert record (skills left empty).
    pub fn to_expert(&self, id: &str) -> Expert {
        Expert {
            id: id.to_owned(),
            municipalities: self.municipalities.iter().map(|&c| code_text(c)).collect(),
            home_municipality: self.home.map(code_text),
            skills: Vec::new(),
            max_initiatives: self.max_initiatives,
            hours_per_month: self.hours_per_month,
            languages: self.languages.iter().map(|l| l.to_string()).collect(),
            location: self.location,
            max_distance_km: self.max_distance_km,
            remote: self.remote,
        }
    }
}

/// What the rules need to know of an initiative.
#[derive(Debug, Clone, PartialEq)]
pub struct InitiativeFacts {
    /// Code as given.
    pub municipality: Code,
    /// Code after merger resolution.
    pub current: Code,
    /// See [`Initiative::language`].
    pub language: Option<String>,
    /// See [`Initiative::location`].
    pub location: Option<Location>,
}

impl InitiativeFacts {
    /// Facts of a validated initiative.
    pub fn of(i: &Initiative, resolver: &Resolver) -> InitiativeFacts {
        let municipality = code_number(&i.municipality);
        InitiativeFacts {
            municipality,
            current: resolver.resolve(municipality),
            language: i.language.clone(),
            location: i.location,
        }
    }
}

/// Great-circle distance in km (haversine, mean Earth radius).
pub fn distance_km(a: Location, b: Location) -> f64 {
    const R: f64 = 6371.0088;
    // libm's functions, not the platform's: the same bits on every target.
    let (p1, p2) = (a.lat.to_radians(), b.lat.to_radians());
    let dp = p2 - p1;
    let dl = (b.lon - a.lon).to_radians();
    let (sp, sl) = (libm::sin(dp / 2.0), libm::sin(dl / 2.0));
    let h = sp * sp + libm::cos(p1) * libm::cos(p2) * (sl * sl);
    2.0 * R * libm::asin(h.sqrt().min(1.0))
}

/// The code, as given, of a municipality the expert works for that is
/// (after mergers) the initiative's municipality.
fn shared_workplace(e: &ExpertFacts, i: &InitiativeFacts, resolver: &Resolver) -> Option<Code> {
    e.municipalities.iter().copied().find(|&m| resolver.resolve(m) == i.current)
}

/// The expert's home code, as given, when it is (after mergers) the
/// initiative's municipality and home counts.
fn shared_home(e: &ExpertFacts, i: &InitiativeFacts, resolver: &Resolver, config: &Config) -> Option<Code> {
    e.home.filter(|&h| config.exclude_home_municipality && resolver.resolve(h) == i.current)
}

/// Whether an expert works for (or, when configured, lives in) the initiative's
/// municipality. This is the different-municipality rule alone; every path
/// that pairs an expert with an initiative goes through [`eligibility`],
/// which starts with it.
pub fn same_municipality(e: &ExpertFacts, i: &InitiativeFacts, resolver: &Resolver, config: &Config) -> bool {
    shared_workplace(e, i, resolver).is_some() || shared_home(e, i, resolver, config).is_some()
}

/// A number as Dutch readers write it: a decimal comma.
fn dutch_number(text: String) -> String {
    text.replace('.', ",")
}

fn successor_note(given: Code, current: Code) -> String {
    if given == current {
        String::new()
    } else {
        format!(" (via opvolger van {})", code_text(given))
    }
}

/// The outcome of the eligibility rules for an eligible pair.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Eligible {
    /// Distance when both locations are known.
    pub distance_km: Option<f64>,
    /// Factor the distance applies to the score.
    pub distance_factor: f64,
}

/// Checks every rule in a fixed order (municipality, capacity, language,
/// distance) and reports the first that fails.
pub fn eligibility(
    e: &ExpertFacts,
    i: &InitiativeFacts,
    resolver: &Resolver,
    config: &Config,
) -> std::result::Result<Eligible, (Reason, String)> {
    check(e, i, resolver, config, true)
}

/// [`eligibility`] without working out a distance that decides nothing (no
/// travel limit, no distance weight): for scoring many candidates, of which
/// only the listed ones report their distance. The same outcome and factor.
pub(crate) fn eligibility_to_score(
    e: &ExpertFacts,
    i: &InitiativeFacts,
    resolver: &Resolver,
    config: &Config,
) -> std::result::Result<Eligible, (Reason, String)> {
    check(e, i, resolver, config, false)
}

fn check(
    e: &ExpertFacts,
    i: &InitiativeFacts,
    resolver: &Resolver,
    config: &Config,
    report_distance: bool,
) -> std::result::Result<Eligible, (Reason, String)> {
    if let Some(m) = shared_workplace(e, i, resolver) {
        let mut detail = format!("werkt voor {}{}", resolver.describe(i.current), successor_note(m, i.current));
        if i.municipality != i.current {
            detail.push_str(&format!(
                "; de gemeente van het initiatief, {}, is nu {}",
                code_text(i.municipality),
                code_text(i.current)
            ));
        }
        return Err((Reason::SameMunicipality, detail));
    }
    if let Some(h) = shared_home(e, i, resolver, config) {
        let detail = format!("woont in {}{}", resolver.describe(i.current), successor_note(h, i.current));
        return Err((Reason::SameMunicipality, detail));
    }
    if e.max_initiatives == 0 {
        return Err((Reason::NoCapacity, "neemt geen initiatieven aan (max_initiatives is 0)".into()));
    }
    if e.hours_per_month == Some(0.0) {
        return Err((Reason::NoCapacity, "heeft geen uren (hours_per_month is 0)".into()));
    }
    if config.check_language && !e.languages.is_empty() {
        if let Some(lang) = &i.language {
            if !e.languages.iter().any(|l| **l == **lang) {
                let spoken: Vec<&str> = e.languages.iter().map(|l| &**l).collect();
                return Err((
                    Reason::Language,
                    format!("spreekt {}; het initiatief werkt in het {lang}", spoken.join(", ")),
                ));
            }
        }
    }
    let remote = e.remote == Some(true);
    let decides = !remote && (e.max_distance_km.is_some() || config.distance_weight > 0.0);
    let distance = match (e.location, i.location) {
        (Some(a), Some(b)) if report_distance || decides => Some(distance_km(a, b)),
        _ => None,
    };
    if let (Some(d), Some(max)) = (distance, e.max_distance_km) {
        if d > max && !remote {
            return Err((
                Reason::TooFar,
                format!(
                    "{} km ver; reist hoogstens {} km en werkt niet op afstand",
                    dutch_number(format!("{d:.1}")),
                    dutch_number(max.to_string())
                ),
            ));
        }
    }
    let distance_factor = match distance {
        Some(d) if config.distance_weight > 0.0 && !remote => {
            let scale = e.max_distance_km.filter(|m| *m > 0.0).unwrap_or(config.distance_scale_km);
            1.0 - config.distance_weight * (d / scale).min(1.0)
        }
        _ => 1.0,
    };
    Ok(Eligible { distance_km: distance, distance_factor })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        serde_json::from_str(
            r#"{"successors": {"GM0457": "GM0363", "GM9001": "GM0457"}, "names": {"GM0363": "Amsterdam", "GM0457": "Weesp"}}"#,
        )
        .unwrap()
    }

    fn expert(m: &[&str]) -> ExpertFacts {
        ExpertFacts::of(&Expert {
            id: "e".into(),
            municipalities: m.iter().map(|s| s.to_string()).collect(),
            home_municipality: None,
            skills: vec![],
            max_initiatives: 1,
            hours_per_month: None,
            languages: vec![],
            location: None,
            max_distance_km: None,
            remote: None,
        })
    }

    fn initiative(m: &str, r: &Resolver) -> InitiativeFacts {
        InitiativeFacts {
            municipality: code_number(m),
            current: r.resolve(code_number(m)),
            language: None,
            location: None,
        }
    }

    #[test]
    fn scoring_without_the_distance_decides_the_same() {
        let r = Resolver::default();
        let mut i = initiative("GM0344", &r);
        i.location = Some(Location { lat: 52.09, lon: 5.12 });
        for max in [None, Some(10.0), Some(500.0)] {
            for remote in [None, Some(true), Some(false)] {
                for weight in [0.0, 0.5] {
                    let mut e = expert(&["GM0363"]);
                    e.location = Some(Location { lat: 52.37, lon: 4.90 });
                    (e.max_distance_km, e.remote) = (max, remote);
                    let c = Config { distance_weight: weight, ..Config::default() };
                    let (full, lazy) = (eligibility(&e, &i, &r, &c), eligibility_to_score(&e, &i, &r, &c));
                    match (full, lazy) {
                        (Ok(a), Ok(b)) => {
                            assert_eq!(a.distance_factor.to_bits(), b.distance_factor.to_bits());
                            assert!(a.distance_km.is_some());
                        }
                        (Err(a), Err(b)) => assert_eq!(a, b),
                        other => panic!("{max:?} {remote:?} {weight}: {other:?}"),
                    }
                }
            }
        }
    }

    #[test]
    fn long_successor_chains_resolve_to_their_end_and_cycles_are_named_once() {
        // GM0001 → GM0002 → … → GM9000, and a separate chain into GM9500.
        let mut reg = Registry::default();
        for i in 1..9000u16 {
            reg.successors.insert(format!("GM{i:04}"), format!("GM{:04}", i + 1));
        }
        for i in 9100..9500u16 {
            reg.successors.insert(format!("GM{i:04}"), format!("GM{:04}", i + 1));
        }
        let t = std::time::Instant::now();
        let r = Resolver::new(&reg).unwrap();
        assert!(t.elapsed() < std::time::Duration::from_secs(5), "took {:?}", t.elapsed());
        assert_eq!((r.resolve(1), r.resolve(4500), r.resolve(9000)), (9000, 9000, 9000));
        assert_eq!((r.resolve(9100), r.resolve(9499), r.resolve(9500), r.resolve(9600)), (9500, 9500, 9500, 9600));
        // Closing the long chain into a loop: one problem, naming the cycle.
        reg.successors.insert("GM9000".into(), "GM0001".into());
        let problems = crate::validate::check_registry(&reg);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, "successors.GM0001");
        assert!(problems[0].message.contains("cycle"));
    }

    #[test]
    fn successors_resolve_transitively_on_both_sides() {
        let r = Resolver::new(&registry()).unwrap();
        let c = Config::default();
        assert_eq!(r.resolve(9001), 363);
        let e = expert(&["GM9001"]);
        let err = eligibility(&e, &initiative("GM0363", &r), &r, &c).unwrap_err();
        assert_eq!(err, (Reason::SameMunicipality, "werkt voor GM0363 Amsterdam (via opvolger van GM9001)".into()));
        let e = expert(&["GM0363"]);
        let err = eligibility(&e, &initiative("GM0457", &r), &r, &c).unwrap_err();
        assert_eq!(err.0, Reason::SameMunicipality);
        assert!(err.1.ends_with("de gemeente van het initiatief, GM0457, is nu GM0363"), "{}", err.1);
        assert!(eligibility(&expert(&["GM0344"]), &initiative("GM0363", &r), &r, &c).is_ok());
    }

    #[test]
    fn every_municipality_of_a_shared_service_counts() {
        let r = Resolver::default();
        let e = expert(&["GM0373", "GM0383", "GM0399"]);
        for m in ["GM0373", "GM0383", "GM0399"] {
            assert!(same_municipality(&e, &initiative(m, &r), &r, &Config::default()));
        }
        assert!(!same_municipality(&e, &initiative("GM0450", &r), &r, &Config::default()));
    }

    #[test]
    fn home_municipality_is_configurable() {
        let r = Resolver::default();
        let mut e = expert(&["GM0344"]);
        e.home = Some(363);
        let on = Config::default();
        let off = Config { exclude_home_municipality: false, ..Config::default() };
        assert_eq!(eligibility(&e, &initiative("GM0363", &r), &r, &on).unwrap_err().1, "woont in GM0363");
        assert!(eligibility(&e, &initiative("GM0363", &r), &r, &off).is_ok());
    }

    #[test]
    fn capacity_language_and_distance() {
        let r = Resolver::default();
        let c = Config::default();
        let mut i = initiative("GM0344", &r);
        let mut e = expert(&["GM0363"]);
        e.max_initiatives = 0;
        assert_eq!(eligibility(&e, &i, &r, &c).unwrap_err().0, Reason::NoCapacity);
        e.max_initiatives = 2;
        e.languages = vec!["en".into()].into();
        i.language = Some("nl".into());
        assert_eq!(
            eligibility(&e, &i, &r, &c).unwrap_err(),
            (Reason::Language, "spreekt en; het initiatief werkt in het nl".into())
        );
        e.languages = vec!["en".into(), "nl".into()].into();
        e.location = Some(Location { lat: 52.37, lon: 4.90 });
        i.location = Some(Location { lat: 51.44, lon: 5.47 });
        e.max_distance_km = Some(60.5);
        let (reason, detail) = eligibility(&e, &i, &r, &c).unwrap_err();
        assert_eq!(reason, Reason::TooFar);
        assert!(detail.ends_with(" km ver; reist hoogstens 60,5 km en werkt niet op afstand"), "{detail}");
        let km: f64 = detail.split(' ').next().unwrap().replace(',', ".").parse().unwrap();
        assert!((km - 110.0).abs() < 5.0 && detail.contains(','), "a decimal comma: {detail}");
        e.remote = Some(true);
        let ok = eligibility(&e, &i, &r, &c).unwrap();
        assert!((ok.distance_km.unwrap() - 110.0).abs() < 5.0, "{:?}", ok.distance_km);
        assert_eq!(ok.distance_factor, 1.0);
    }

    #[test]
    fn distance_factor_when_weighted() {
        let r = Resolver::default();
        let c = Config { distance_weight: 0.5, ..Config::default() };
        let mut e = expert(&["GM0363"]);
        let mut i = initiative("GM0344", &r);
        e.location = Some(Location { lat: 52.0, lon: 5.0 });
        i.location = Some(Location { lat: 52.0, lon: 5.0 });
        assert_eq!(eligibility(&e, &i, &r, &c).unwrap().distance_factor, 1.0);
        i.location = Some(Location { lat: 54.0, lon: 5.0 });
        assert_eq!(eligibility(&e, &i, &r, &c).unwrap().distance_factor, 0.5);
    }
}
