//! The records of the interchange format and the results the engine returns.
//!
//! Field names are the same in Rust, JSON, Python, JS and the CLI. Records that
//! come from outside should go through [`crate::validate`], which reports every
//! problem with its record and field; values built in Rust are checked again by
//! the [`crate::Matcher`] before use.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A point on the globe (WGS 84 degrees).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Latitude, -90..=90.
    pub lat: f64,
    /// Longitude, -180..=180.
    pub lon: f64,
}

/// A labelled piece of expertise with a proficiency level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Skill {
    /// Free text, e.g. `"Omgevingswet - vergunningverlening"`.
    pub label: String,
    /// 1 basic, 3 experienced, 5 authority.
    pub level: u8,
}

/// A civil servant offering expertise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Expert {
    /// Unique, non-empty.
    pub id: String,
    /// CBS codes of every municipality the expert works for (a shared-service
    /// organisation serves several). Non-empty.
    pub municipalities: Vec<String>,
    /// Where the expert lives; excluded like a municipality worked for when
    /// [`crate::Config::exclude_home_municipality`] is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_municipality: Option<String>,
    /// Labelled skills with levels. Non-empty unless scores come from explicit edges.
    #[serde(default)]
    pub skills: Vec<Skill>,
    /// How many initiatives the expert can support at once (default 1; 0 means none now).
    #[serde(default = "one")]
    pub max_initiatives: u32,
    /// Hours a month the expert can give; 0 means none now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_per_month: Option<f64>,
    /// ISO 639 codes (`nl`, `en`, …). Empty means unknown: no language check.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Where the expert works from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Furthest the expert will travel, in km.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_distance_km: Option<f64>,
    /// Whether the expert can help remotely (then distance never excludes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote: Option<bool>,
}

fn one() -> u32 {
    1
}

fn default_weight() -> f64 {
    1.0
}

fn default_min_level() -> u8 {
    1
}

/// Something an initiative needs help with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Need {
    /// Free text, e.g. `"vergunning voor zonnepanelen"`.
    pub label: String,
    /// Importance; finite and > 0 (default 1).
    #[serde(default = "default_weight")]
    pub weight: f64,
    /// Level below which a skill's contribution shrinks (default 1).
    #[serde(default = "default_min_level")]
    pub min_level: u8,
    /// An expert who covers no skill for this need is not eligible at all.
    #[serde(default)]
    pub required: bool,
}

/// A civic initiative looking for support.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(deny_unknown_fields)]
pub struct Initiative {
    /// Unique, non-empty.
    pub id: String,
    /// CBS code of the municipality the initiative is in.
    pub municipality: String,
    /// Short title.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// Longer description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// What the initiative needs help with. Non-empty unless scores come from explicit edges.
    #[serde(default)]
    pub needs: Vec<Need>,
    /// How many experts it wants (default 1).
    #[serde(default = "one")]
    pub experts_wanted: u32,
    /// Hours of help it expects to need.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours_needed: Option<f64>,
    /// ISO 639 code of the language the initiative works in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Where the initiative is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

/// Municipal mergers and names. Codes are resolved through `successors`
/// (transitively) before the different-municipality rule is applied.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[cfg_attr(feature = "js", tsify(hashmap_as_object))]
#[serde(deny_unknown_fields)]
pub struct Registry {
    /// Old code → code of the municipality it merged into.
    #[serde(default)]
    pub successors: BTreeMap<String, String>,
    /// Code → name, used in explanations.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
}

/// How a need was covered by a skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Via {
    /// The labels are the same once normalised.
    Exact,
    /// The labels name the same taxonomy concept.
    Synonym,
    /// The skill's concept is broader than the need's.
    Broader,
    /// The skill's concept is narrower than the need's.
    Narrower,
    /// The concepts are linked as related.
    Related,
    /// The labels share informative words ([`crate::Config::word_similarity`]).
    Words,
    /// The labels are alike as strings.
    Fuzzy,
    /// No skill covered the need.
    None,
}

/// How one need was covered in a [`Match`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[cfg_attr(feature = "js", tsify(missing_as_null))]
pub struct NeedMatch {
    /// The need's label.
    pub need: String,
    /// The expert's skill label that covered it best; `None` when nothing did.
    pub skill: Option<String>,
    /// How the skill matched.
    pub via: Via,
    /// Label similarity in [0, 1].
    pub similarity: f64,
    /// Factor for the skill's level relative to the need's minimum level.
    pub level_factor: f64,
    /// This need's share of the score; the contributions sum to the score.
    pub contribution: f64,
}

/// A scored, explained pairing of an expert and an initiative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Match {
    /// The initiative.
    pub initiative_id: String,
    /// The expert.
    pub expert_id: String,
    /// Fit in [0, 1].
    pub score: f64,
    /// One entry per need of the initiative, in the initiative's order.
    pub needs: Vec<NeedMatch>,
    /// How the expert's skills cover the concepts the initiative's title and
    /// description name (`need` lists those concepts); absent when the text
    /// names none or [`crate::Config::context_weight`] is 0. Its contribution
    /// is part of the score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<NeedMatch>,
    /// Labels of the required needs no skill of the expert covers, in the
    /// initiative's order. Experts who miss none rank before those who do.
    #[serde(default)]
    pub missing_required: Vec<String>,
    /// Distance between expert and initiative, when both locations are known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
    /// Factor the distance applied to the score (1 when distance plays no part).
    #[serde(default = "default_weight")]
    pub distance_factor: f64,
}

impl Initiative {
    /// The title and the start of the description, as read for concepts
    /// (the initiative's context and suggested needs): at most
    /// [`crate::taxonomy::MAX_TEXT_CHARS`] characters, so reading stays cheap
    /// whatever the length of the description.
    pub fn text(&self) -> String {
        let mut text = format!("{}. {}", self.title, self.description);
        if let Some((cut, _)) = text.char_indices().nth(crate::taxonomy::MAX_TEXT_CHARS) {
            text.truncate(cut);
        }
        text
    }
}

/// A need suggested from an initiative's title and description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct SuggestedNeed {
    /// The concept's preferred label, ready to use as a need label.
    pub label: String,
    /// The taxonomy concept's id.
    pub concept: String,
    /// The concept label whose words all occur in the text.
    pub found: String,
    /// The words of the text (folded) that named it, in text order.
    pub triggers: Vec<String>,
}

/// Why an expert may not support an initiative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The expert works for (or lives in) the initiative's municipality.
    SameMunicipality,
    /// The expert has no capacity (`max_initiatives` or `hours_per_month` is 0).
    NoCapacity,
    /// The expert does not speak the initiative's language.
    Language,
    /// The initiative is beyond the expert's travel distance and the expert cannot work remotely.
    TooFar,
    /// A need marked `required` is not covered by any skill of the expert
    /// (only with [`crate::Config::strict_required`]).
    RequiredNeedUncovered,
}

/// An expert that is not eligible for an initiative, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Exclusion {
    /// The initiative.
    pub initiative_id: String,
    /// The expert.
    pub expert_id: String,
    /// The first rule that failed.
    pub reason: Reason,
    /// Specifics, in Dutch, e.g. `werkt voor GM0363 Amsterdam (via opvolger van GM0457)`.
    pub detail: String,
}

/// The answer of [`crate::Matcher::explain`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Explanation {
    /// Eligible, with the score and its explanation.
    Match(Match),
    /// Not eligible.
    Exclusion(Exclusion),
}

/// Ranked matches of one initiative, with the excluded experts that would
/// otherwise have scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
pub struct Ranking {
    /// The initiative.
    pub initiative_id: String,
    /// Best first: score descending, then `expert_id` ascending.
    pub matches: Vec<Match>,
    /// Excluded experts whose skills fit, best-fitting first.
    pub excluded: Vec<Exclusion>,
}
