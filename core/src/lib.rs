//! # Participatienetwerk
//!
//! The matching engine of a national network in which civic initiatives find a
//! civil servant with the right knowledge — from **another** municipality. A
//! civil servant of the initiative's own municipality also grants its permits;
//! one from elsewhere gives independent help.
//!
//! The engine scores how well an expert's skills fit an initiative's needs,
//! enforces the different-municipality rule (after resolving municipal
//! mergers, and for every municipality of a shared-service organisation),
//! ranks and explains every score, and assigns many experts to many
//! initiatives at once.
//!
//! Data flows one way: raw records ([`validate`]) → validated model
//! ([`model`]) → index ([`Matcher`]) → queries ([`Matcher::rank`]) →
//! results with explanations ([`Match`]).
//!
//! ## Quick start
//!
//! ```
//! use participatienetwerk::{validate, Matcher, Settings, Via};
//!
//! let experts = validate::read_experts(
//!     validate::parse_json(r#"[
//!       {"id": "e-1", "municipalities": ["GM0363"],
//!        "skills": [{"label": "Omgevingsvergunning", "level": 4}]},
//!       {"id": "e-2", "municipalities": ["GM0344"],
//!        "skills": [{"label": "omgevingsvergunningen", "level": 5},
//!                   {"label": "subsidieverlening", "level": 3}]}
//!     ]"#, "experts")?,
//!     Default::default(),
//! )?;
//! let initiative = validate::read_initiative(
//!     validate::parse_json(r#"{"id": "i-1", "municipality": "GM0344",
//!       "needs": [{"label": "omgevingsvergunning", "weight": 2, "required": true}]}"#, "initiative")?,
//!     Default::default(),
//! )?;
//!
//! let matcher = Matcher::new(experts, Settings::default())?;
//! let top = matcher.rank(&initiative, 10)?;
//! // e-2 works for GM0344, the initiative's own municipality: never listed.
//! assert_eq!(top.len(), 1);
//! assert_eq!(top[0].expert_id, "e-1");
//! assert_eq!(top[0].needs[0].via, Via::Exact);
//! # Ok::<(), participatienetwerk::Error>(())
//! ```

#![deny(missing_docs)]
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used))]

pub mod assign;
pub mod config;
pub mod demo;
pub mod error;
pub mod index;
pub mod knowledge;
pub mod model;
pub mod rank;
pub mod rules;
pub mod score;
pub mod suggest;
pub mod taxonomy;
pub mod text;
pub mod validate;

pub use assign::{assign, Assignment};
pub use config::Config;
pub use error::{Code, Error, Problem, RecordKind, Result};
pub use index::{Matcher, MatcherData, Settings};
pub use model::{
    Exclusion, Expert, Explanation, Initiative, Location, Match, Need, NeedMatch, Ranking, Reason, Registry, Skill,
    SuggestedNeed, Via,
};
pub use rank::merge_rankings;
pub use taxonomy::{Taxonomy, TaxonomyData};
pub use validate::ReadOptions;

/// The README's Rust examples, compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
