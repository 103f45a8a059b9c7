//! One error type for the whole crate, with stable machine-readable codes.
//!
//! Validation never stops at the first problem: [`Error::Invalid`] carries every
//! [`Problem`] found in a record set, each naming the record, the field path and
//! what was wrong, so a user can fix a whole file in one pass.

use serde::Serialize;
use std::fmt;

/// What kind of record a [`Problem`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// An expert record.
    Expert,
    /// An initiative record.
    Initiative,
    /// The municipal registry (successors and names).
    Registry,
    /// A taxonomy (concepts and labels).
    Taxonomy,
    /// The scoring configuration.
    Config,
    /// A scored candidate edge (`initiative_id,expert_id,score`).
    Edge,
    /// A whole input document (file, list, argument).
    Input,
}

impl RecordKind {
    fn noun(self) -> &'static str {
        match self {
            RecordKind::Expert => "expert",
            RecordKind::Initiative => "initiative",
            RecordKind::Registry => "registry",
            RecordKind::Taxonomy => "taxonomy",
            RecordKind::Config => "config",
            RecordKind::Edge => "edge",
            RecordKind::Input => "input",
        }
    }
}

/// Stable codes for every kind of problem. They are part of the API: tools may
/// match on them, so they are never renamed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "snake_case")]
pub enum Code {
    /// A required field is absent (or null).
    MissingField,
    /// A field holds a value of the wrong type.
    WrongType,
    /// A field name that the format does not know.
    UnknownField,
    /// An id that is empty or only white space.
    EmptyId,
    /// Two records with the same id.
    DuplicateId,
    /// A municipality code that is not `GM` followed by four digits.
    InvalidMunicipality,
    /// A skill level or minimum level outside 1..=5.
    LevelOutOfRange,
    /// A number that is NaN, infinite, or outside its allowed range.
    InvalidNumber,
    /// A list that must not be empty is empty.
    EmptyList,
    /// A text over its length cap.
    TooLong,
    /// A list over its size cap.
    TooMany,
    /// A label that is empty once normalised (only punctuation or stop words).
    EmptyLabel,
    /// A latitude/longitude outside the globe.
    InvalidLocation,
    /// A language code that is not a 2–3 letter ISO 639 code.
    InvalidLanguage,
    /// The successor registry contains a cycle.
    SuccessorCycle,
    /// A reference to a concept that does not exist.
    UnknownConcept,
    /// A candidate edge between an expert and an initiative of the same municipality.
    SameMunicipality,
    /// A reference to an expert or initiative id that is not in the input.
    UnknownId,
    /// An input document that cannot be parsed at all (bad JSON, bad CSV).
    Parse,
    /// An argument of a call (for example `k`) outside its range.
    InvalidArgument,
}

impl Code {
    /// The code as the snake_case string used in JSON, Python and JS.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::MissingField => "missing_field",
            Code::WrongType => "wrong_type",
            Code::UnknownField => "unknown_field",
            Code::EmptyId => "empty_id",
            Code::DuplicateId => "duplicate_id",
            Code::InvalidMunicipality => "invalid_municipality",
            Code::LevelOutOfRange => "level_out_of_range",
            Code::InvalidNumber => "invalid_number",
            Code::EmptyList => "empty_list",
            Code::TooLong => "too_long",
            Code::TooMany => "too_many",
            Code::EmptyLabel => "empty_label",
            Code::InvalidLocation => "invalid_location",
            Code::InvalidLanguage => "invalid_language",
            Code::SuccessorCycle => "successor_cycle",
            Code::UnknownConcept => "unknown_concept",
            Code::SameMunicipality => "same_municipality",
            Code::UnknownId => "unknown_id",
            Code::Parse => "parse",
            Code::InvalidArgument => "invalid_argument",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing wrong with one field of one record.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[cfg_attr(feature = "js", tsify(missing_as_null))]
pub struct Problem {
    /// Stable machine-readable code.
    pub code: Code,
    /// What kind of record.
    pub kind: RecordKind,
    /// The record's id when it has a usable one.
    pub record_id: Option<String>,
    /// Position of the record in its input list (0-based), when it came from a list.
    pub index: Option<usize>,
    /// Field path inside the record, e.g. `skills[2].level`; empty for the whole record.
    pub field: String,
    /// Human-readable explanation, without the record prefix.
    pub message: String,
}

impl Problem {
    /// A problem with the given code and message; set the rest with the `with_*` helpers.
    pub fn new(code: Code, kind: RecordKind, field: impl Into<String>, message: impl Into<String>) -> Self {
        Problem { code, kind, record_id: None, index: None, field: field.into(), message: message.into() }
    }

    /// Attach the record id.
    pub fn with_id(mut self, id: Option<&str>) -> Self {
        self.record_id = id.map(str::to_owned);
        self
    }

    /// Attach the record's position in its input list.
    pub fn with_index(mut self, index: Option<usize>) -> Self {
        self.index = index;
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let noun = self.kind.noun();
        match (&self.record_id, self.index) {
            (Some(id), _) => write!(f, "{noun} {id:?}")?,
            (None, Some(i)) => write!(f, "{noun} #{i}")?,
            (None, None) => f.write_str(noun)?,
        }
        if self.field.is_empty() {
            write!(f, ": {}", self.message)
        } else {
            write!(f, ": {} {}", self.field, self.message)
        }
    }
}

/// The crate's error type.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The input has one or more problems; all of them are listed.
    #[error("{}", summarise(.0))]
    Invalid(Vec<Problem>),
}

impl Error {
    /// An error with a single problem.
    pub fn single(problem: Problem) -> Self {
        Error::Invalid(vec![problem])
    }

    /// Every problem, in input order.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Invalid(p) => p,
        }
    }

    /// The code of the first problem.
    pub fn code(&self) -> Code {
        self.problems().first().map_or(Code::InvalidArgument, |p| p.code)
    }
}

/// Shown when an error lists more problems than fit in one message.
const PROBLEMS_IN_MESSAGE: usize = 10;

fn summarise(problems: &[Problem]) -> String {
    let mut out = String::new();
    for (i, p) in problems.iter().take(PROBLEMS_IN_MESSAGE).enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&p.to_string());
    }
    if problems.len() > PROBLEMS_IN_MESSAGE {
        out.push_str(&format!("\n… and {} more problems", problems.len() - PROBLEMS_IN_MESSAGE));
    }
    out
}

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_record_and_field() {
        let p = Problem::new(Code::LevelOutOfRange, RecordKind::Expert, "skills[2].level", "must be 1..=5, got 9")
            .with_id(Some("e-17"));
        assert_eq!(p.to_string(), r#"expert "e-17": skills[2].level must be 1..=5, got 9"#);
        let q = Problem::new(Code::EmptyId, RecordKind::Initiative, "id", "must not be empty").with_index(Some(3));
        assert_eq!(q.to_string(), "initiative #3: id must not be empty");
    }

    #[test]
    fn long_error_messages_are_capped() {
        let ps: Vec<_> =
            (0..15).map(|i| Problem::new(Code::EmptyId, RecordKind::Expert, "id", "x").with_index(Some(i))).collect();
        let msg = Error::Invalid(ps).to_string();
        assert_eq!(msg.lines().count(), 11);
        assert!(msg.ends_with("and 5 more problems"));
    }
}
