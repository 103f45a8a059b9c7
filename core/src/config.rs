//! Every number that shapes a score, with its documented default.
//!
//! Load from JSON with [`Config::from_value`]; any field may be left out.

use crate::error::{Code, Error, Problem, RecordKind, Result};
use crate::validate::{self, Value};
use serde::{Deserialize, Serialize};

/// Scoring and eligibility settings. `Config::default()` is the documented default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// String similarity below this counts as no match (default 0.8). Edit
    /// similarity of labels of about 20 characters falls below 0.8 after four
    /// edits, where unrelated labels start to meet.
    pub fuzzy_cutoff: f64,
    /// Similarity of two labels that share informative words but no concept,
    /// as a factor on their weighted word overlap (default 0.6; 0 turns the
    /// signal off). Each stem counts by how informative it is among the
    /// taxonomy's labels ([`crate::Taxonomy::word_weight`]), so "riool" or
    /// "inburgering" in common decides and "advies" or "beleid" barely counts.
    pub word_similarity: f64,
    /// Weighted word overlap below this counts as none (default 0.5: at
    /// least half of the two labels' information must be shared).
    pub word_cutoff: f64,
    /// Share of the score that goes to the initiative's context: how well the
    /// expert's skills cover the taxonomy concepts its title and description
    /// name (default 0.1; 0 turns it off). The needs share the rest. The
    /// description says what the needs' own words may not: a need "de goede
    /// vergunning" in a text about a windmill is a monument permit.
    pub context_weight: f64,
    /// When a need's label links to several concepts (its readings) and the
    /// initiative's title and description support some of them but not
    /// all, the links of the unsupported readings are multiplied by this
    /// (default 0.4; 1 turns it off). "subsidie voor molens" in a text
    /// about a windmill's restoration leans to the mill. A need with one
    /// reading keeps it: the text may simply not mention it.
    pub reading_factor: f64,
    /// Similarity of two labels of the same concept (default 1.0).
    pub synonym_similarity: f64,
    /// Similarity when the skill's concept is one step broader than the need's;
    /// each further step multiplies again (default 0.65). Lower than
    /// narrower: a generalist of the whole field ("Beleidsadviseur sociaal
    /// domein") helps an initiative with a concrete need less than a
    /// specialist in it.
    pub broader_similarity: f64,
    /// Similarity when the skill's concept is one step narrower than the need's;
    /// each further step multiplies again (default 0.8): a specialist in a
    /// part of what the need asks ("ritjes regelen" and "Wmo-vervoer").
    pub narrower_similarity: f64,
    /// Similarity of concepts linked as related (default 0.6).
    pub related_similarity: f64,
    /// Similarity of concepts that share a broader concept (default 0.5); reported as `related`.
    pub sibling_similarity: f64,
    /// Similarity of concepts that share an ancestor within
    /// [`Config::max_hops`] steps up and down, the wider neighbourhood of
    /// one field (default 0.3; reported as `related`; 0 turns it off):
    /// "ouderen langer thuis laten wonen" and "Beleidsadviseur Wmo" both sit
    /// in the social domain. Reaches the floor only from a label that names
    /// its concept.
    pub cousin_similarity: f64,
    /// Label similarity below this counts as none (default 0.3). Two labels
    /// in one field's wider neighbourhood still meet (0.3); weaker chains (a
    /// relative of a weakly contained concept) say too little to explain a
    /// match.
    pub min_similarity: f64,
    /// Most broader/narrower steps followed (default 2).
    pub max_hops: u32,
    /// Strength of a link from a label that contains a concept's label rather
    /// than being one ("subsidie aanvragen" contains "subsidie"; default 0.95).
    pub contained_factor: f64,
    /// When a label contains several concepts' labels, each link's strength
    /// is [`Config::contained_factor`] times (its concept label's
    /// informativeness / the most informative one's) to this power (default
    /// 1; 0 gives every contained concept the full factor). Informativeness is
    /// the sum of the stems' [`crate::Taxonomy::word_weight`], so in
    /// "Projectleider riolering" the link to project management is weak and
    /// two project leaders of unrelated fields do not meet through it.
    pub contained_weight_power: f64,
    /// Strength of a link found through an everyday word's meaning
    /// ([`crate::TaxonomyData::expansions`]: "toestemming" stands for
    /// "vergunning"), used only when the label's own words name no concept,
    /// as a factor on the link it would have had with the word itself
    /// (default 0.85; 0 turns it off).
    pub expansion_factor: f64,
    /// How much the skill level weighs: a skill at level `l` (at or above the
    /// need's minimum) counts `1 - level_weight * (5 - l) / 4` (default 0.4, so
    /// level 1 counts 0.6 and level 5 counts 1).
    pub level_weight: f64,
    /// Each level a skill falls short of the need's `min_level` multiplies its
    /// contribution by this (default 0.5).
    pub below_min_level_factor: f64,
    /// Also exclude experts from the initiative's municipality when they live
    /// there (`home_municipality`; default true).
    pub exclude_home_municipality: bool,
    /// Exclude experts who leave a required need uncovered (default false).
    /// By default they stay listed, after every expert who covers all
    /// required needs, with the needs they miss in
    /// [`crate::Match::missing_required`]: whether a skill covers a need is a
    /// judgement of label similarity, and a judgement that can be wrong must
    /// not hide the best people.
    pub strict_required: bool,
    /// Exclude experts who do not speak the initiative's language, when both are known (default true).
    pub check_language: bool,
    /// How much distance lowers a score, 0..=1 (default 0: distance is reported
    /// but does not change the score). The factor is
    /// `1 - distance_weight * min(1, km / scale)` with `scale` the expert's
    /// `max_distance_km` or [`Config::distance_scale_km`]; remote experts get 1.
    pub distance_weight: f64,
    /// Distance at which the distance factor bottoms out when the expert gives
    /// no `max_distance_km` (default 100 km).
    pub distance_scale_km: f64,
    /// Matches scoring at or below this are not listed (default 0).
    pub min_score: f64,
    /// Global assignment settings.
    pub assign: crate::assign::AssignConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            fuzzy_cutoff: 0.8,
            word_similarity: 0.6,
            word_cutoff: 0.5,
            context_weight: 0.1,
            reading_factor: 0.4,
            synonym_similarity: 1.0,
            broader_similarity: 0.65,
            narrower_similarity: 0.8,
            related_similarity: 0.6,
            sibling_similarity: 0.5,
            cousin_similarity: 0.3,
            min_similarity: 0.3,
            max_hops: 2,
            contained_factor: 0.95,
            contained_weight_power: 1.0,
            expansion_factor: 0.85,
            level_weight: 0.4,
            below_min_level_factor: 0.5,
            exclude_home_municipality: true,
            strict_required: false,
            check_language: true,
            distance_weight: 0.0,
            distance_scale_km: 100.0,
            min_score: 0.0,
            assign: crate::assign::AssignConfig::default(),
        }
    }
}

impl Config {
    /// Reads a config from a [`Value`]; fields left out keep their default.
    pub fn from_value(v: Value) -> Result<Config> {
        let c: Config = validate::read_strict(v, RecordKind::Config)?;
        c.check()?;
        Ok(c)
    }

    /// Checks every field's range.
    pub fn check(&self) -> Result<()> {
        let mut out = Vec::new();
        let unit = [
            ("fuzzy_cutoff", self.fuzzy_cutoff),
            ("word_similarity", self.word_similarity),
            ("word_cutoff", self.word_cutoff),
            ("context_weight", self.context_weight),
            ("reading_factor", self.reading_factor),
            ("synonym_similarity", self.synonym_similarity),
            ("broader_similarity", self.broader_similarity),
            ("narrower_similarity", self.narrower_similarity),
            ("related_similarity", self.related_similarity),
            ("sibling_similarity", self.sibling_similarity),
            ("cousin_similarity", self.cousin_similarity),
            ("min_similarity", self.min_similarity),
            ("contained_factor", self.contained_factor),
            ("expansion_factor", self.expansion_factor),
            ("level_weight", self.level_weight),
            ("below_min_level_factor", self.below_min_level_factor),
            ("distance_weight", self.distance_weight),
            ("min_score", self.min_score),
        ];
        for (name, x) in unit {
            if !(x.is_finite() && (0.0..=1.0).contains(&x)) {
                out.push(Problem::new(
                    Code::InvalidNumber,
                    RecordKind::Config,
                    name,
                    format!("must be 0..=1, got {x}"),
                ));
            }
        }
        if self.fuzzy_cutoff <= 0.0 {
            out.push(Problem::new(
                Code::InvalidNumber,
                RecordKind::Config,
                "fuzzy_cutoff",
                format!("must be above 0 (0 would let every label match every other), got {}", self.fuzzy_cutoff),
            ));
        }
        if self.context_weight >= 1.0 {
            out.push(Problem::new(
                Code::InvalidNumber,
                RecordKind::Config,
                "context_weight",
                format!("must be below 1 (at 1 the needs would not count), got {}", self.context_weight),
            ));
        }
        if !(self.distance_scale_km.is_finite() && self.distance_scale_km > 0.0) {
            out.push(Problem::new(
                Code::InvalidNumber,
                RecordKind::Config,
                "distance_scale_km",
                format!("must be finite and > 0, got {}", self.distance_scale_km),
            ));
        }
        if !(self.contained_weight_power.is_finite() && (0.0..=4.0).contains(&self.contained_weight_power)) {
            out.push(Problem::new(
                Code::InvalidNumber,
                RecordKind::Config,
                "contained_weight_power",
                format!("must be 0..=4, got {}", self.contained_weight_power),
            ));
        }
        if self.max_hops > 10 {
            out.push(Problem::new(
                Code::InvalidNumber,
                RecordKind::Config,
                "max_hops",
                format!("must be 0..=10, got {}", self.max_hops),
            ));
        }
        self.assign.check(&mut out);
        if out.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(out))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_config_keeps_defaults() {
        let v = validate::parse_json(r#"{"fuzzy_cutoff": 0.9}"#, "config").unwrap();
        let c = Config::from_value(v).unwrap();
        assert_eq!(c.fuzzy_cutoff, 0.9);
        assert_eq!(c.broader_similarity, Config::default().broader_similarity);
    }

    #[test]
    fn misspelt_config_field_is_an_error_with_a_suggestion() {
        let v = validate::parse_json(r#"{"fuzzy_cutof": 0.9}"#, "config").unwrap();
        let e = Config::from_value(v).unwrap_err();
        assert_eq!(e.code(), Code::UnknownField);
        assert_eq!(e.problems()[0].field, "fuzzy_cutof");
        assert!(e.to_string().contains("did you mean `fuzzy_cutoff`?"), "{e}");
    }

    #[test]
    fn out_of_range_values_are_rejected() {
        let c = Config { level_weight: 1.5, distance_scale_km: f64::NAN, ..Config::default() };
        let e = c.check().unwrap_err();
        assert_eq!(e.problems().len(), 2);
    }
}
