//! Raw records → validated model.
//!
//! Input arrives as a loosely typed [`Value`] (from JSON, a Python dict or a JS
//! object). Reading it happens in three passes, each reporting *every* problem
//! it finds rather than the first:
//!
//! 1. field names: unknown fields are errors with a did-you-mean suggestion,
//!    unless [`ReadOptions::ignore_unknown_fields`] is set;
//! 2. types: each record is deserialised on its own, so one bad record names
//!    its field path (`skills[2].level`) without hiding the others;
//! 3. values: ranges, codes, caps and duplicate ids ([`check_experts`],
//!    [`check_initiatives`], which also run on values built in Rust).
//!
//! Nothing is clamped or dropped: a record set with a problem is rejected whole.

use crate::error::{Code, Error, Problem, RecordKind, Result};
use crate::model::{Expert, Initiative, Location, Registry};
use serde::de::DeserializeOwned;
use serde_value::DeserializerError;
pub use serde_value::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Longest id, in characters.
pub const MAX_ID_CHARS: usize = 128;
/// Longest skill or need label, in characters. Labels are names, not prose;
/// the cap bounds the cost of every string comparison.
pub const MAX_LABEL_CHARS: usize = 200;
/// A label may spell out (Unicode compatibility decomposition, as folding
/// does) to at most this many times [`MAX_LABEL_CHARS`]: accents and
/// ligatures fit, a run of characters that each expand 18-fold does not.
pub const MAX_SPELLED_OUT_FACTOR: usize = 2;
/// Longest initiative title, in characters.
pub const MAX_TITLE_CHARS: usize = 500;
/// Longest initiative description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 20_000;
/// Most skills of one expert.
pub const MAX_SKILLS: usize = 64;
/// Most needs of one initiative.
pub const MAX_NEEDS: usize = 32;
/// Most municipalities one expert works for (the Netherlands has about 340).
pub const MAX_MUNICIPALITIES: usize = 400;
/// Most languages of one expert.
pub const MAX_LANGUAGES: usize = 16;
/// Most experts in one Matcher.
pub const MAX_EXPERTS: usize = 5_000_000;
/// Most initiatives in one call.
pub const MAX_INITIATIVES: usize = 2_000_000;
/// Largest `max_initiatives` / `experts_wanted`; keeps assignment sizes bounded.
pub const MAX_SLOTS: u32 = 1_000;
/// Largest hour figure accepted (hours per month / hours needed).
pub const MAX_HOURS: f64 = 100_000.0;
/// Largest need weight accepted; keeps weighted sums far from overflow and precision loss.
pub const MAX_WEIGHT: f64 = 1_000_000.0;
/// Most entries in a registry (successors plus names).
pub const MAX_REGISTRY_ENTRIES: usize = 100_000;

/// How strictly to read records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Skip fields the format does not know instead of reporting them, for
    /// records that are knowingly wider (a table with `name` and `email` columns).
    pub ignore_unknown_fields: bool,
    /// Accept experts without skills and initiatives without needs, for
    /// assignment with scores the caller brings ([`crate::assign::ScoredEdge`]).
    pub labels_optional: bool,
}

/// The known field names of a record, nested.
#[derive(Debug)]
enum Shape {
    Object(&'static [(&'static str, Shape)]),
    List(&'static Shape),
    Leaf,
}

const LOCATION: Shape = Shape::Object(&[("lat", Shape::Leaf), ("lon", Shape::Leaf)]);
const SKILL: Shape = Shape::Object(&[("label", Shape::Leaf), ("level", Shape::Leaf)]);
const NEED: Shape = Shape::Object(&[
    ("label", Shape::Leaf),
    ("weight", Shape::Leaf),
    ("min_level", Shape::Leaf),
    ("required", Shape::Leaf),
]);
const EXPERT: Shape = Shape::Object(&[
    ("id", Shape::Leaf),
    ("municipalities", Shape::Leaf),
    ("home_municipality", Shape::Leaf),
    ("skills", Shape::List(&SKILL)),
    ("max_initiatives", Shape::Leaf),
    ("hours_per_month", Shape::Leaf),
    ("languages", Shape::Leaf),
    ("location", LOCATION),
    ("max_distance_km", Shape::Leaf),
    ("remote", Shape::Leaf),
]);
const INITIATIVE: Shape = Shape::Object(&[
    ("id", Shape::Leaf),
    ("municipality", Shape::Leaf),
    ("title", Shape::Leaf),
    ("description", Shape::Leaf),
    ("needs", Shape::List(&NEED)),
    ("experts_wanted", Shape::Leaf),
    ("hours_needed", Shape::Leaf),
    ("language", Shape::Leaf),
    ("location", LOCATION),
]);
const EDGE: Shape =
    Shape::Object(&[("initiative_id", Shape::Leaf), ("expert_id", Shape::Leaf), ("score", Shape::Leaf)]);
const REGISTRY: Shape = Shape::Object(&[("successors", Shape::Leaf), ("names", Shape::Leaf)]);

/// Strips `Option`/newtype wrappers that some front-ends put around values.
pub(crate) fn plain(v: &Value) -> &Value {
    match v {
        Value::Option(Some(inner)) | Value::Newtype(inner) => plain(inner),
        other => other,
    }
}

fn key_name(k: &Value) -> String {
    match plain(k) {
        Value::String(s) => s.clone(),
        Value::Char(c) => c.to_string(),
        other => format!("{other:?}"),
    }
}

/// The known field closest to a misspelt one, if any is close enough to be a
/// plausible typo.
pub fn suggest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = unknown.to_lowercase();
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(&lower, k), k))
        .filter(|(s, _)| *s >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, k)| k)
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

/// Reports unknown fields (pass 1), or removes them when they are to be ignored.
fn check_fields(v: &mut Value, shape: &Shape, path: &str, opts: ReadOptions, out: &mut Vec<(String, String)>) {
    match (shape, v) {
        (Shape::Object(fields), Value::Map(map)) => {
            let mut unknown = Vec::new();
            for (k, child) in map.iter_mut() {
                let known = match plain(k) {
                    Value::String(name) => fields.iter().find(|(f, _)| f == name),
                    _ => None,
                };
                match known {
                    // Leaves have no fields of their own: nothing to walk.
                    Some((_, Shape::Leaf)) => {}
                    Some((name, sub)) => check_fields(child, sub, &join(path, name), opts, out),
                    None => unknown.push(k.clone()),
                }
            }
            // Unknown fields are removed either way, so the rest of the
            // record can still be checked and every problem reported at once.
            for k in unknown {
                if !opts.ignore_unknown_fields {
                    out.push((path.to_owned(), key_name(&k)));
                }
                map.remove(&k);
            }
        }
        (Shape::Object(_), Value::Option(Some(inner)) | Value::Newtype(inner)) => {
            check_fields(inner, shape, path, opts, out)
        }
        (Shape::List(item), Value::Seq(items)) => {
            for (i, child) in items.iter_mut().enumerate() {
                check_fields(child, item, &format!("{path}[{i}]"), opts, out);
            }
        }
        _ => {}
    }
}

fn unknown_field_problem(kind: RecordKind, shape: &'static Shape, path: &str, name: &str) -> Problem {
    let known: Vec<&str> = shape_at(shape, path).map(|fs| fs.iter().map(|(f, _)| *f).collect()).unwrap_or_default();
    let message = match suggest(name, known.iter().copied()) {
        Some(s) => format!("is an unknown field, did you mean `{s}`?"),
        None => format!("is an unknown field (known: {})", known.join(", ")),
    };
    Problem::new(Code::UnknownField, kind, join(path, name), message)
}

/// The field list of the object at `path` (indices ignored).
fn shape_at(shape: &'static Shape, path: &str) -> Option<&'static [(&'static str, Shape)]> {
    let mut cur = shape;
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let name = part.split('[').next().unwrap_or(part);
        let Shape::Object(fields) = cur else { return None };
        cur = &fields.iter().find(|(f, _)| *f == name)?.1;
        if let Shape::List(item) = cur {
            cur = item;
        }
    }
    match cur {
        Shape::Object(fields) => Some(fields),
        _ => None,
    }
}

fn describe(unexpected: &serde_value::Unexpected) -> String {
    use serde_value::Unexpected as U;
    match unexpected {
        U::Bool(b) => format!("{b}"),
        U::Unsigned(n) => format!("{n}"),
        U::Signed(n) => format!("{n}"),
        U::Float(f) => format!("{f}"),
        U::Char(c) => format!("{c:?}"),
        U::Str(s) => format!("{:?}", truncate(s, 40)),
        U::Bytes(_) => "bytes".into(),
        U::Unit | U::Option => "null".into(),
        U::NewtypeStruct | U::NewtypeVariant | U::TupleVariant | U::StructVariant | U::UnitVariant => "a value".into(),
        U::Seq => "a list".into(),
        U::Map => "an object".into(),
        U::Enum => "an enum".into(),
        U::Other(s) => s.clone(),
    }
}

/// serde's name for an expected type, in words.
fn expected(exp: &str) -> String {
    match exp {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number >= 0".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a sequence" => "a list".into(),
        e if e.starts_with("struct ") => "an object".into(),
        e => e.to_owned(),
    }
}

/// What is wrong with a label (a skill's, a need's, a taxonomy's), if
/// anything: longer than [`MAX_LABEL_CHARS`], longer than
/// [`MAX_SPELLED_OUT_FACTOR`] times that once spelled out, or without a
/// letter or digit.
pub(crate) fn label_problem(s: &str) -> Option<(Code, String)> {
    let n = s.chars().count();
    let most = MAX_SPELLED_OUT_FACTOR * MAX_LABEL_CHARS;
    if n > MAX_LABEL_CHARS {
        Some((Code::TooLong, format!("has {n} characters, at most {MAX_LABEL_CHARS}")))
    } else if crate::text::spelled_out_chars(s, most + 1) > most {
        Some((
            Code::TooLong,
            format!("has more than {most} characters once spelled out (Unicode compatibility forms), at most {most}"),
        ))
    } else if crate::text::is_blank_label(s) {
        Some((Code::EmptyLabel, format!("has no letters or digits: {:?}", truncate(s, 40))))
    } else {
        None
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(n).collect();
        t.push('…');
        t
    }
}

/// Type pass for one record: deserialise it, naming the failing field path.
fn deserialize_record<T: DeserializeOwned>(v: Value, kind: RecordKind) -> std::result::Result<T, Problem> {
    let de = serde_value::ValueDeserializer::<DeserializerError>::new(v);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        match e.inner() {
            DeserializerError::MissingField(f) => {
                Problem::new(Code::MissingField, kind, join(&path, f), "is required but missing")
            }
            DeserializerError::InvalidType(unexp, exp) | DeserializerError::InvalidValue(unexp, exp) => {
                let code = if matches!(unexp, serde_value::Unexpected::Unit | serde_value::Unexpected::Option) {
                    Code::MissingField
                } else {
                    Code::WrongType
                };
                Problem::new(code, kind, path, format!("must be {}, got {}", expected(exp), describe(unexp)))
            }
            DeserializerError::UnknownField(name, known) => {
                let message = match suggest(name, known.iter().copied()) {
                    Some(s) => format!("is an unknown field, did you mean `{s}`?"),
                    None => format!("is an unknown field (known: {})", known.join(", ")),
                };
                // The path already ends at the unknown field when serde names it there.
                let field = if path == *name || path.ends_with(&format!(".{name}")) { path } else { join(&path, name) };
                Problem::new(Code::UnknownField, kind, field, message)
            }
            other => Problem::new(Code::WrongType, kind, path, other.to_string()),
        }
    })
}

fn record_id(v: &Value) -> Option<String> {
    let Value::Map(map) = plain(v) else { return None };
    match map.get(&Value::String("id".into())).map(plain) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(truncate(s, MAX_ID_CHARS)),
        _ => None,
    }
}

fn read_one<T: DeserializeOwned>(
    mut v: Value,
    shape: &'static Shape,
    kind: RecordKind,
    index: Option<usize>,
    opts: ReadOptions,
    out: &mut Vec<Problem>,
) -> Option<T> {
    let id = record_id(&v);
    let tag = |p: Problem| p.with_id(id.as_deref()).with_index(index);
    if !matches!(plain(&v), Value::Map(_)) {
        out.push(tag(Problem::new(Code::WrongType, kind, "", format!("must be an object, got {}", value_kind(&v)))));
        return None;
    }
    let mut unknown = Vec::new();
    check_fields(&mut v, shape, "", opts, &mut unknown);
    out.extend(unknown.iter().map(|(path, name)| tag(unknown_field_problem(kind, shape, path, name))));
    match deserialize_record::<T>(v, kind) {
        Ok(t) => Some(t),
        Err(p) => {
            out.push(tag(p));
            None
        }
    }
}

fn value_kind(v: &Value) -> &'static str {
    match plain(v) {
        Value::Bool(_) => "true/false",
        Value::U8(_) | Value::U16(_) | Value::U32(_) | Value::U64(_) => "a number",
        Value::I8(_) | Value::I16(_) | Value::I32(_) | Value::I64(_) => "a number",
        Value::F32(_) | Value::F64(_) => "a number",
        Value::Char(_) | Value::String(_) => "a string",
        Value::Unit | Value::Option(None) => "null",
        Value::Seq(_) => "a list",
        Value::Map(_) => "an object",
        Value::Bytes(_) => "bytes",
        Value::Option(Some(_)) | Value::Newtype(_) => "a value",
    }
}

fn read_list<T: DeserializeOwned>(
    v: Value,
    shape: &'static Shape,
    kind: RecordKind,
    cap: usize,
    opts: ReadOptions,
    out: &mut Vec<Problem>,
) -> Vec<T> {
    let items = match v {
        Value::Seq(items) => items,
        Value::Option(Some(inner)) | Value::Newtype(inner) => return read_list(*inner, shape, kind, cap, opts, out),
        other => {
            out.push(Problem::new(
                Code::WrongType,
                RecordKind::Input,
                "",
                format!("{} records must be a list, got {}", kind_noun(kind), value_kind(&other)),
            ));
            return Vec::new();
        }
    };
    if items.len() > cap {
        out.push(Problem::new(
            Code::TooMany,
            RecordKind::Input,
            "",
            format!("holds {} {} records, at most {cap} are accepted", items.len(), kind_noun(kind)),
        ));
        return Vec::new();
    }
    items.into_iter().enumerate().filter_map(|(i, item)| read_one(item, shape, kind, Some(i), opts, out)).collect()
}

fn kind_noun(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Expert => "expert",
        RecordKind::Initiative => "initiative",
        RecordKind::Edge => "edge",
        _ => "input",
    }
}

fn finish<T>(value: T, problems: Vec<Problem>) -> Result<T> {
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(Error::Invalid(problems))
    }
}

/// Reads and validates a list of experts.
pub fn read_experts(v: Value, opts: ReadOptions) -> Result<Vec<Expert>> {
    let mut problems = Vec::new();
    let experts = read_list(v, &EXPERT, RecordKind::Expert, MAX_EXPERTS, opts, &mut problems);
    problems.extend(check_experts_with(&experts, !opts.labels_optional));
    finish(experts, problems)
}

/// Reads and validates a list of initiatives.
pub fn read_initiatives(v: Value, opts: ReadOptions) -> Result<Vec<Initiative>> {
    let mut problems = Vec::new();
    let initiatives = read_list(v, &INITIATIVE, RecordKind::Initiative, MAX_INITIATIVES, opts, &mut problems);
    problems.extend(check_initiatives_with(&initiatives, !opts.labels_optional));
    finish(initiatives, problems)
}

fn too_many(n: usize, cap: usize, what: &str) -> Option<Problem> {
    (n > cap).then(|| {
        Problem::new(
            Code::TooMany,
            RecordKind::Input,
            "",
            format!("holds {n} {what} records, at most {cap} are accepted"),
        )
    })
}

/// The checks [`read_experts`] runs after typing, for experts that arrived
/// already typed (a front-end deserialised them straight into [`Expert`]s;
/// whenever that fails, it must fall back to [`read_experts`], which names
/// every problem).
pub fn accept_experts(experts: Vec<Expert>, opts: ReadOptions) -> Result<Vec<Expert>> {
    let mut problems: Vec<Problem> = too_many(experts.len(), MAX_EXPERTS, "expert").into_iter().collect();
    if problems.is_empty() {
        problems.extend(check_experts_with(&experts, !opts.labels_optional));
    }
    finish(experts, problems)
}

/// [`accept_experts`] for initiatives.
pub fn accept_initiatives(initiatives: Vec<Initiative>, opts: ReadOptions) -> Result<Vec<Initiative>> {
    let mut problems: Vec<Problem> = too_many(initiatives.len(), MAX_INITIATIVES, "initiative").into_iter().collect();
    if problems.is_empty() {
        problems.extend(check_initiatives_with(&initiatives, !opts.labels_optional));
    }
    finish(initiatives, problems)
}

/// Reads experts from JSON text. Well-formed files take a direct typed
/// parse; any file that fails it is read again value by value, so that every
/// problem is named with its record and field.
pub fn read_experts_json(text: &str, what: &str, opts: ReadOptions) -> Result<Vec<Expert>> {
    match serde_json::from_str::<Vec<Expert>>(text) {
        Ok(experts) => accept_experts(experts, opts),
        Err(_) => read_experts(parse_json(text, what)?, opts),
    }
}

/// [`read_experts_json`] for initiatives.
pub fn read_initiatives_json(text: &str, what: &str, opts: ReadOptions) -> Result<Vec<Initiative>> {
    match serde_json::from_str::<Vec<Initiative>>(text) {
        Ok(initiatives) => accept_initiatives(initiatives, opts),
        Err(_) => read_initiatives(parse_json(text, what)?, opts),
    }
}

/// Reads scored candidate edges (`initiative_id`, `expert_id`, `score`);
/// ids and scores are checked against the records by [`crate::assign`].
pub fn read_edges(v: Value, opts: ReadOptions) -> Result<Vec<crate::assign::ScoredEdge>> {
    let mut problems = Vec::new();
    let edges = read_list(v, &EDGE, RecordKind::Edge, crate::assign::MAX_CANDIDATES, opts, &mut problems);
    finish(edges, problems)
}

/// The columns of edges by position ([`crate::assign::IndexedEdge`]).
pub const INDEXED_EDGE_COLUMNS: [&str; 3] = ["initiative_index", "expert_index", "score"];

/// A number of any width, as `f64`.
fn number(v: &Value) -> Option<f64> {
    Some(match plain(v) {
        Value::U8(x) => f64::from(*x),
        Value::U16(x) => f64::from(*x),
        Value::U32(x) => f64::from(*x),
        Value::U64(x) => *x as f64,
        Value::I8(x) => f64::from(*x),
        Value::I16(x) => f64::from(*x),
        Value::I32(x) => f64::from(*x),
        Value::I64(x) => *x as f64,
        Value::F32(x) => f64::from(*x),
        Value::F64(x) => *x,
        _ => return None,
    })
}

/// Reads edges by position given as columns, the form of a sparse score
/// matrix: `{"initiative_index": [...], "expert_index": [...], "score": [...]}`.
/// Positions are checked against the records by [`crate::assign`].
pub fn read_indexed_edges(v: Value, opts: ReadOptions) -> Result<Vec<crate::assign::IndexedEdge>> {
    let Value::Map(map) = plain(&v) else {
        return Err(Error::single(Problem::new(
            Code::WrongType,
            RecordKind::Input,
            "",
            format!("edges by position must be an object of columns, got {}", value_kind(&v)),
        )));
    };
    let mut problems = Vec::new();
    for name in
        map.keys().map(key_name).filter(|n| !opts.ignore_unknown_fields && !INDEXED_EDGE_COLUMNS.contains(&n.as_str()))
    {
        let hint = suggest(&name, INDEXED_EDGE_COLUMNS).map(|s| format!(", did you mean `{s}`?")).unwrap_or_default();
        problems.push(Problem::new(Code::UnknownField, RecordKind::Edge, name, format!("is an unknown column{hint}")));
    }
    let mut columns: [Vec<f64>; 3] = Default::default();
    for (c, field) in INDEXED_EDGE_COLUMNS.iter().enumerate() {
        let items = match map.get(&Value::String((*field).into())).map(plain) {
            Some(Value::Seq(items)) => items,
            Some(other) => {
                let msg = format!("must be a list, got {}", value_kind(other));
                problems.push(Problem::new(Code::WrongType, RecordKind::Edge, *field, msg));
                continue;
            }
            None => {
                problems.push(Problem::new(
                    Code::MissingField,
                    RecordKind::Edge,
                    *field,
                    "is a required column but missing",
                ));
                continue;
            }
        };
        for (n, item) in items.iter().enumerate() {
            let x = number(item).filter(|x| c == 2 || (x.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(x)));
            match x {
                Some(x) => columns[c].push(x),
                None => {
                    let got = number(item).map_or_else(|| describe_value(item), |x| x.to_string());
                    let what = if c == 2 { "a number" } else { "a whole number >= 0" };
                    let msg = format!("must be {what}, got {got}");
                    problems.push(Problem::new(Code::WrongType, RecordKind::Edge, format!("{field}[{n}]"), msg));
                }
            }
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let [ini, exp, score] = columns;
    let position = |v: Vec<f64>| -> Vec<u32> { v.into_iter().map(|x| x as u32).collect() };
    crate::assign::IndexedEdge::from_columns(&position(ini), &position(exp), &score)
}

/// A value in words, for messages.
fn describe_value(v: &Value) -> String {
    match plain(v) {
        Value::String(t) => format!("{:?}", truncate(t, 40)),
        Value::Bool(b) => b.to_string(),
        other => value_kind(other).to_string(),
    }
}

/// `field[n]` is no position: not a whole number in `0..2^32`.
pub fn position_problem(field: &str, n: usize, got: &str) -> Problem {
    Problem::new(
        Code::WrongType,
        RecordKind::Edge,
        format!("{field}[{n}]"),
        format!("must be {}, got {got}", expected("u32")),
    )
}

/// Reads and validates one expert.
pub fn read_expert(v: Value, opts: ReadOptions) -> Result<Expert> {
    let mut problems = Vec::new();
    match read_one::<Expert>(v, &EXPERT, RecordKind::Expert, None, opts, &mut problems) {
        Some(e) => {
            check_expert(&e, None, &mut problems);
            finish(e, problems)
        }
        None => Err(Error::Invalid(problems)),
    }
}

/// Reads and validates one initiative.
pub fn read_initiative(v: Value, opts: ReadOptions) -> Result<Initiative> {
    let mut problems = Vec::new();
    match read_one::<Initiative>(v, &INITIATIVE, RecordKind::Initiative, None, opts, &mut problems) {
        Some(i) => {
            check_initiative_with(&i, None, !opts.labels_optional, &mut problems);
            finish(i, problems)
        }
        None => Err(Error::Invalid(problems)),
    }
}

/// Reads and validates a registry.
pub fn read_registry(v: Value, opts: ReadOptions) -> Result<Registry> {
    let mut problems = Vec::new();
    match read_one::<Registry>(v, &REGISTRY, RecordKind::Registry, None, opts, &mut problems) {
        Some(r) => {
            problems.extend(check_registry(&r));
            finish(r, problems)
        }
        None => Err(Error::Invalid(problems)),
    }
}

/// Reads any serde type whose unknown fields are found by its own
/// `deny_unknown_fields` (configuration, taxonomy).
pub(crate) fn read_strict<T: DeserializeOwned>(v: Value, kind: RecordKind) -> Result<T> {
    deserialize_record::<T>(v, kind).map_err(Error::single)
}

/// Parses JSON text into a [`Value`]. A key given twice in one object is
/// an error: a record that says two different things is not read as the
/// last of them.
pub fn parse_json(text: &str, what: &str) -> Result<Value> {
    // A byte-order mark, as some editors write it, is no part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str::<Unique>(text).map(|u| u.0).map_err(|e| {
        Error::single(Problem::new(Code::Parse, RecordKind::Input, "", format!("{what}: invalid JSON: {e}")))
    })
}

/// A JSON value whose objects name each key once.
struct Unique(Value);

impl<'de> serde::Deserialize<'de> for Unique {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(UniqueVisitor).map(Unique)
    }
}

struct UniqueVisitor;

impl<'de> serde::de::Visitor<'de> for UniqueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> std::result::Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> std::result::Result<Value, E> {
        Ok(Value::I64(v))
    }
    fn visit_u64<E>(self, v: u64) -> std::result::Result<Value, E> {
        Ok(Value::U64(v))
    }
    fn visit_f64<E>(self, v: f64) -> std::result::Result<Value, E> {
        Ok(Value::F64(v))
    }
    fn visit_str<E>(self, v: &str) -> std::result::Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> std::result::Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> std::result::Result<Value, E> {
        Ok(Value::Unit)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Unique(v)) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::Seq(out))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> std::result::Result<Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let Unique(v) = map.next_value()?;
            if out.insert(Value::String(key.clone()), v).is_some() {
                return Err(serde::de::Error::custom(format!("the key {:?} is given twice", truncate(&key, 40))));
            }
        }
        Ok(Value::Map(out))
    }
}

/// Every problem with a record set, for reporting without failing. Either side may be absent.
pub fn problems(experts: Option<Value>, initiatives: Option<Value>, opts: ReadOptions) -> Vec<Problem> {
    let mut out = Vec::new();
    if let Some(v) = experts {
        if let Err(e) = read_experts(v, opts) {
            out.extend(e.problems().iter().cloned());
        }
    }
    if let Some(v) = initiatives {
        if let Err(e) = read_initiatives(v, opts) {
            out.extend(e.problems().iter().cloned());
        }
    }
    out
}

/// Whether `code` is a CBS municipality code: `GM` and four digits.
pub fn is_municipality_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 6 && b.starts_with(b"GM") && b[2..].iter().all(u8::is_ascii_digit)
}

struct Checker<'a> {
    kind: RecordKind,
    id: Option<&'a str>,
    index: Option<usize>,
    out: &'a mut Vec<Problem>,
}

impl Checker<'_> {
    fn push(&mut self, code: Code, field: impl Into<String>, message: impl Into<String>) {
        self.out.push(Problem::new(code, self.kind, field, message).with_id(self.id).with_index(self.index));
    }

    fn id(&mut self, id: &str) {
        if id.trim().is_empty() {
            self.push(Code::EmptyId, "id", "must not be empty");
        } else if id.chars().count() > MAX_ID_CHARS {
            self.push(Code::TooLong, "id", format!("has {} characters, at most {MAX_ID_CHARS}", id.chars().count()));
        }
    }

    fn municipality(&mut self, field: &str, code: &str) {
        if !is_municipality_code(code) {
            let hint = if is_municipality_code(&code.trim().to_uppercase()) {
                format!(" (write {:?})", code.trim().to_uppercase())
            } else {
                String::new()
            };
            self.push(
                Code::InvalidMunicipality,
                field,
                format!("must be `GM` followed by 4 digits, got {:?}{hint}", truncate(code, 40)),
            );
        }
    }

    fn text(&mut self, field: &str, s: &str, cap: usize, code_if_empty: Option<Code>) {
        let n = s.chars().count();
        if n > cap {
            self.push(Code::TooLong, field, format!("has {n} characters, at most {cap}"));
        } else if let Some(code) = code_if_empty {
            if s.trim().is_empty() {
                self.push(code, field, "must not be empty");
            } else if let Some((code, message)) = label_problem(s) {
                self.push(code, field, message);
            }
        }
    }

    fn level(&mut self, field: &str, level: u8) {
        if !(1..=5).contains(&level) {
            self.push(Code::LevelOutOfRange, field, format!("must be 1..=5, got {level}"));
        }
    }

    fn number(&mut self, field: &str, x: f64, min: f64, min_inclusive: bool, max: f64) {
        let ok = x.is_finite() && (if min_inclusive { x >= min } else { x > min }) && x <= max;
        if !ok {
            let low = if min_inclusive { format!(">= {min}") } else { format!("> {min}") };
            self.push(Code::InvalidNumber, field, format!("must be finite, {low} and <= {max}, got {x}"));
        }
    }

    fn count(&mut self, field: &str, n: usize, cap: usize, what: &str) {
        if n > cap {
            self.push(Code::TooMany, field, format!("has {n} {what}, at most {cap}"));
        }
    }

    fn location(&mut self, field: &str, loc: &Option<Location>) {
        if let Some(l) = loc {
            if !(l.lat.is_finite() && (-90.0..=90.0).contains(&l.lat)) {
                self.push(Code::InvalidLocation, format!("{field}.lat"), format!("must be -90..=90, got {}", l.lat));
            }
            if !(l.lon.is_finite() && (-180.0..=180.0).contains(&l.lon)) {
                self.push(Code::InvalidLocation, format!("{field}.lon"), format!("must be -180..=180, got {}", l.lon));
            }
        }
    }

    fn language(&mut self, field: &str, lang: &str) {
        let ok = (2..=3).contains(&lang.len()) && lang.bytes().all(|b| b.is_ascii_lowercase());
        if !ok {
            self.push(
                Code::InvalidLanguage,
                field,
                format!("must be a lowercase ISO 639 code such as \"nl\", got {:?}", truncate(lang, 20)),
            );
        }
    }

    fn slots(&mut self, field: &str, n: u32) {
        if n > MAX_SLOTS {
            self.push(Code::InvalidNumber, field, format!("must be at most {MAX_SLOTS}, got {n}"));
        }
    }
}

/// Value checks (pass 3) for one expert.
pub fn check_expert(e: &Expert, index: Option<usize>, out: &mut Vec<Problem>) {
    check_expert_with(e, index, true, out)
}

/// [`check_expert`], with skills optional (for scores the caller brings).
pub fn check_expert_with(e: &Expert, index: Option<usize>, require_skills: bool, out: &mut Vec<Problem>) {
    let id = (!e.id.trim().is_empty()).then_some(e.id.as_str());
    let mut c = Checker { kind: RecordKind::Expert, id, index, out };
    c.id(&e.id);
    if e.municipalities.is_empty() {
        c.push(Code::EmptyList, "municipalities", "must name at least one municipality");
    }
    c.count("municipalities", e.municipalities.len(), MAX_MUNICIPALITIES, "codes");
    for (i, m) in e.municipalities.iter().enumerate().take(MAX_MUNICIPALITIES) {
        c.municipality(&format!("municipalities[{i}]"), m);
    }
    if let Some(h) = &e.home_municipality {
        c.municipality("home_municipality", h);
    }
    if require_skills && e.skills.is_empty() {
        c.push(Code::EmptyList, "skills", "must list at least one skill");
    }
    c.count("skills", e.skills.len(), MAX_SKILLS, "skills");
    for (i, s) in e.skills.iter().enumerate().take(MAX_SKILLS) {
        c.text(&format!("skills[{i}].label"), &s.label, MAX_LABEL_CHARS, Some(Code::EmptyLabel));
        c.level(&format!("skills[{i}].level"), s.level);
    }
    c.slots("max_initiatives", e.max_initiatives);
    if let Some(h) = e.hours_per_month {
        c.number("hours_per_month", h, 0.0, true, MAX_HOURS);
    }
    c.count("languages", e.languages.len(), MAX_LANGUAGES, "languages");
    for (i, l) in e.languages.iter().enumerate().take(MAX_LANGUAGES) {
        c.language(&format!("languages[{i}]"), l);
    }
    c.location("location", &e.location);
    if let Some(d) = e.max_distance_km {
        c.number("max_distance_km", d, 0.0, true, 40_075.0);
    }
}

/// Value checks (pass 3) for one initiative.
pub fn check_initiative(i: &Initiative, index: Option<usize>, out: &mut Vec<Problem>) {
    check_initiative_with(i, index, true, out)
}

/// [`check_initiative`], with needs optional (for scores the caller brings).
pub fn check_initiative_with(i: &Initiative, index: Option<usize>, require_needs: bool, out: &mut Vec<Problem>) {
    let id = (!i.id.trim().is_empty()).then_some(i.id.as_str());
    let mut c = Checker { kind: RecordKind::Initiative, id, index, out };
    c.id(&i.id);
    c.municipality("municipality", &i.municipality);
    c.text("title", &i.title, MAX_TITLE_CHARS, None);
    c.text("description", &i.description, MAX_DESCRIPTION_CHARS, None);
    if require_needs && i.needs.is_empty() {
        c.push(Code::EmptyList, "needs", "must list at least one need");
    }
    c.count("needs", i.needs.len(), MAX_NEEDS, "needs");
    for (j, n) in i.needs.iter().enumerate().take(MAX_NEEDS) {
        c.text(&format!("needs[{j}].label"), &n.label, MAX_LABEL_CHARS, Some(Code::EmptyLabel));
        c.number(&format!("needs[{j}].weight"), n.weight, 0.0, false, MAX_WEIGHT);
        c.level(&format!("needs[{j}].min_level"), n.min_level);
    }
    if i.experts_wanted == 0 {
        c.push(Code::InvalidNumber, "experts_wanted", "must be at least 1, got 0");
    }
    c.slots("experts_wanted", i.experts_wanted);
    if let Some(h) = i.hours_needed {
        c.number("hours_needed", h, 0.0, true, MAX_HOURS);
    }
    if let Some(l) = &i.language {
        c.language("language", l);
    }
    c.location("location", &i.location);
}

fn duplicates<'a>(kind: RecordKind, ids: impl Iterator<Item = &'a str>, out: &mut Vec<Problem>) {
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, id) in ids.enumerate() {
        if id.trim().is_empty() {
            continue;
        }
        if let Some(&j) = first.get(id) {
            out.push(
                Problem::new(Code::DuplicateId, kind, "id", format!("is also used by record #{j}"))
                    .with_id(Some(id))
                    .with_index(Some(i)),
            );
        } else {
            first.insert(id, i);
        }
    }
}

/// Value checks for a set of experts, including duplicate ids.
pub fn check_experts(experts: &[Expert]) -> Vec<Problem> {
    check_experts_with(experts, true)
}

/// [`check_experts`], with skills optional (for scores the caller brings).
pub fn check_experts_with(experts: &[Expert], require_skills: bool) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, e) in experts.iter().enumerate() {
        check_expert_with(e, Some(i), require_skills, &mut out);
    }
    duplicates(RecordKind::Expert, experts.iter().map(|e| e.id.as_str()), &mut out);
    out
}

/// Value checks for a set of initiatives, including duplicate ids.
pub fn check_initiatives(initiatives: &[Initiative]) -> Vec<Problem> {
    check_initiatives_with(initiatives, true)
}

/// [`check_initiatives`], with needs optional (for scores the caller brings).
pub fn check_initiatives_with(initiatives: &[Initiative], require_needs: bool) -> Vec<Problem> {
    let mut out = Vec::new();
    for (i, x) in initiatives.iter().enumerate() {
        check_initiative_with(x, Some(i), require_needs, &mut out);
    }
    duplicates(RecordKind::Initiative, initiatives.iter().map(|x| x.id.as_str()), &mut out);
    out
}

/// Value checks for a registry: code formats, caps and successor cycles.
pub fn check_registry(r: &Registry) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut c = Checker { kind: RecordKind::Registry, id: None, index: None, out: &mut out };
    c.count("successors", r.successors.len() + r.names.len(), MAX_REGISTRY_ENTRIES, "entries");
    for (old, new) in &r.successors {
        c.municipality(&format!("successors.{old}"), old);
        c.municipality(&format!("successors.{old}"), new);
        if old == new {
            c.push(Code::SuccessorCycle, format!("successors.{old}"), "names itself as its successor");
        }
    }
    for (code, name) in &r.names {
        c.municipality(&format!("names.{code}"), code);
        c.text(&format!("names.{code}"), name, MAX_TITLE_CHARS, None);
    }
    // Each code is walked once (linear in the number of successors): a walk
    // stops at a code an earlier walk finished, or at one on its own path,
    // which closes a cycle.
    let mut finished: HashSet<&str> = HashSet::new();
    for start in r.successors.keys() {
        let mut path: Vec<&str> = Vec::new();
        let mut on_path: HashMap<&str, usize> = HashMap::new();
        let mut code = start.as_str();
        while !finished.contains(code) {
            if let Some(&pos) = on_path.get(code) {
                let cycle = &path[pos..];
                if cycle.len() > 1 {
                    let first = cycle.iter().min().copied().unwrap_or(code);
                    let mut shown: Vec<&str> = cycle.to_vec();
                    shown.push(code);
                    c.push(
                        Code::SuccessorCycle,
                        format!("successors.{first}"),
                        format!("is part of a cycle ({}); successor chains must end", shown.join(" → ")),
                    );
                }
                break;
            }
            on_path.insert(code, path.len());
            path.push(code);
            match r.successors.get(code) {
                Some(next) => code = next,
                None => break,
            }
        }
        finished.extend(path);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(s: &str) -> Value {
        parse_json(s, "test").unwrap()
    }

    fn messages(e: Error) -> Vec<String> {
        e.problems().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn reads_a_valid_expert_with_defaults() {
        let e = read_expert(
            json(r#"{"id": "e-1", "municipalities": ["GM0363"], "skills": [{"label": "Wmo", "level": 3}]}"#),
            ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(e.max_initiatives, 1);
        assert_eq!(e.skills[0].level, 3);
        assert!(e.languages.is_empty());
    }

    #[test]
    fn misspelt_field_gets_a_suggestion() {
        let err = read_experts(
            json(r#"[{"id": "e-1", "municipalities": ["GM0363"], "skils": [{"label": "Wmo", "level": 3}]}]"#),
            ReadOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            messages(err),
            vec![
                r#"expert "e-1": skils is an unknown field, did you mean `skills`?"#,
                r#"expert "e-1": skills must list at least one skill"#
            ]
        );
    }

    #[test]
    fn unknown_fields_can_be_ignored_explicitly() {
        let v = json(
            r#"[{"id": "e-1", "name": "Jan", "municipalities": ["GM0363"], "skills": [{"label": "Wmo", "level": 3, "note": "x"}]}]"#,
        );
        assert!(read_experts(v.clone(), ReadOptions::default()).is_err());
        let ok = read_experts(v, ReadOptions { ignore_unknown_fields: true, ..ReadOptions::default() }).unwrap();
        assert_eq!(ok[0].skills.len(), 1);
    }

    #[test]
    fn nested_unknown_field_is_named_with_its_path() {
        let err = read_initiative(
            json(r#"{"id": "i-1", "municipality": "GM0344", "needs": [{"label": "x", "wieght": 2}]}"#),
            ReadOptions::default(),
        )
        .unwrap_err();
        assert_eq!(
            messages(err),
            vec![r#"initiative "i-1": needs[0].wieght is an unknown field, did you mean `weight`?"#]
        );
    }

    #[test]
    fn every_problem_is_reported() {
        let err = read_experts(
            json(
                r#"[{"id": "e-17", "municipalities": ["GM363"], "skills": [{"label": "a", "level": 3}, {"label": "b", "level": 1}, {"label": "c", "level": 9}]},
                    {"id": "e-17", "municipalities": [], "skills": [{"label": "x", "level": 2}]},
                    {"id": "e-3", "municipalities": ["GM0001"], "skills": [{"label": "x", "level": "high"}]}]"#,
            ),
            ReadOptions::default(),
        )
        .unwrap_err();
        let m = messages(err);
        assert!(m.contains(&r#"expert "e-17": skills[2].level must be 1..=5, got 9"#.to_string()), "{m:?}");
        assert!(m.contains(
            &r#"expert "e-17": municipalities[0] must be `GM` followed by 4 digits, got "GM363""#.to_string()
        ));
        assert!(m.contains(&r#"expert "e-17": municipalities must name at least one municipality"#.to_string()));
        assert!(m.contains(&r#"expert "e-17": id is also used by record #0"#.to_string()));
        assert!(
            m.contains(&r#"expert "e-3": skills[0].level must be a whole number >= 0, got "high""#.to_string()),
            "{m:?}"
        );
        assert_eq!(m.len(), 5);
    }

    #[test]
    fn nan_and_bad_weights_are_named() {
        let mut i: Initiative = serde_json::from_str(
            r#"{"id": "i-1", "municipality": "GM0344", "needs": [{"label": "a"}, {"label": "b", "weight": 0}]}"#,
        )
        .unwrap();
        i.needs[0].weight = f64::NAN;
        let mut out = Vec::new();
        check_initiative(&i, None, &mut out);
        let m: Vec<String> = out.iter().map(ToString::to_string).collect();
        assert_eq!(
            m,
            vec![
                r#"initiative "i-1": needs[0].weight must be finite, > 0 and <= 1000000, got NaN"#,
                r#"initiative "i-1": needs[1].weight must be finite, > 0 and <= 1000000, got 0"#
            ]
        );
    }

    #[test]
    fn null_for_a_required_number_is_missing() {
        let err = read_initiative(
            json(r#"{"id": "i-1", "municipality": "GM0344", "needs": [{"label": "a", "weight": null}]}"#),
            ReadOptions::default(),
        )
        .unwrap_err();
        assert_eq!(err.problems()[0].code, Code::MissingField);
        assert_eq!(err.problems()[0].field, "needs[0].weight");
    }

    #[test]
    fn typed_fast_path_and_value_path_agree() {
        let good = r#"[{"id": "e-1", "municipalities": ["GM0363"], "skills": [{"label": "Wmo", "level": 3}]}]"#;
        let bad = r#"[{"id": "e-1", "municipalities": ["GM363"], "skils": [{"label": "Wmo", "level": 3}]}]"#;
        let opts = ReadOptions::default();
        assert_eq!(read_experts_json(good, "t", opts).unwrap(), read_experts(json(good), opts).unwrap());
        assert_eq!(read_experts_json(bad, "t", opts).unwrap_err(), read_experts(json(bad), opts).unwrap_err());
        // Typed but invalid values are still checked.
        let level = r#"[{"id": "e-1", "municipalities": ["GM0363"], "skills": [{"label": "Wmo", "level": 9}]}]"#;
        assert_eq!(read_experts_json(level, "t", opts).unwrap_err(), read_experts(json(level), opts).unwrap_err());
        let loose = ReadOptions { ignore_unknown_fields: true, ..opts };
        assert_eq!(read_experts_json(bad, "t", loose).unwrap_err().problems().len(), 2);
    }

    #[test]
    fn huge_label_is_rejected_by_length() {
        let label = "a".repeat(1_000_000);
        let v = json(&format!(
            r#"{{"id": "e-1", "municipalities": ["GM0363"], "skills": [{{"label": "{label}", "level": 2}}]}}"#
        ));
        let err = read_expert(v, ReadOptions::default()).unwrap_err();
        assert_eq!(err.problems()[0].code, Code::TooLong);
        assert_eq!(err.problems()[0].field, "skills[0].label");
    }

    #[test]
    fn a_key_given_twice_is_an_error() {
        let text = r#"[{"id": "e-1", "municipalities": ["GM0363"], "skills": [{"label": "Wmo", "level": 3}],
            "municipalities": ["GM0344"]}]"#;
        let e = read_experts_json(text, "experts.json", ReadOptions::default()).unwrap_err();
        assert_eq!(e.code(), Code::Parse);
        assert!(e.to_string().contains(r#"the key "municipalities" is given twice"#), "{e}");
        // The same keys in different objects are fine, and values keep their kinds.
        let v = parse_json(r#"{"a": {"x": 1}, "b": {"x": -2.5, "y": [true, null, "s"]}}"#, "t").unwrap();
        let Value::Map(m) = v else { panic!() };
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn a_byte_order_mark_before_json_is_accepted() {
        let text = r#"{"id": "e-1", "municipalities": ["GM0363"], "skills": [{"label": "Wmo", "level": 3}]}"#;
        let v = parse_json(&format!("\u{feff}{text}"), "experts");
        assert_eq!(read_expert(v.unwrap(), ReadOptions::default()).unwrap().id, "e-1");
        let list = format!("\u{feff}[{text}]");
        assert_eq!(read_experts_json(&list, "experts.json", ReadOptions::default()).unwrap().len(), 1);
    }

    #[test]
    fn a_label_that_spells_out_far_beyond_the_cap_is_rejected() {
        let expert = |label: &str| {
            json(&format!(
                r#"{{"id": "e-1", "municipalities": ["GM0363"], "skills": [{{"label": "{label}", "level": 2}}]}}"#
            ))
        };
        // 200 characters written, 3,600 spelled out.
        let err = read_expert(expert(&"\u{FDFA}".repeat(200)), ReadOptions::default()).unwrap_err();
        assert_eq!(err.problems()[0].code, Code::TooLong);
        assert_eq!(err.problems()[0].field, "skills[0].label");
        assert!(err.to_string().contains("spelled out"), "{err}");
        // Accents spell out to two characters each: still fine.
        assert!(read_expert(expert(&"\u{E9}".repeat(200)), ReadOptions::default()).is_ok());
    }

    #[test]
    fn registry_cycles_and_codes_are_reported() {
        let r = read_registry(
            json(r#"{"successors": {"GM0001": "GM0002", "GM0002": "GM0001", "gm3": "GM0004"}}"#),
            ReadOptions::default(),
        )
        .unwrap_err();
        let codes: Vec<Code> = r.problems().iter().map(|p| p.code).collect();
        assert!(codes.contains(&Code::SuccessorCycle));
        assert!(codes.contains(&Code::InvalidMunicipality));
    }

    #[test]
    fn records_must_be_objects_in_a_list() {
        let err = read_experts(json(r#"{"id": "e-1"}"#), ReadOptions::default()).unwrap_err();
        assert_eq!(err.problems()[0].message, "expert records must be a list, got an object");
        let err = read_experts(json(r#"[3]"#), ReadOptions::default()).unwrap_err();
        assert_eq!(err.to_string(), "expert #0: must be an object, got a number");
    }
}
