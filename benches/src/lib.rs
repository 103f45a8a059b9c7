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
