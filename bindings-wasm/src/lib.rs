//! WebAssembly bindings of [`participatienetwerk`]: the npm package
//! `participatienetwerk`.
//!
//! Conversion and error mapping only. Records arrive as plain JS objects in
//! the interchange format and go through the core's readers, so every check
//! (unknown fields with a suggestion, ranges, codes) is the core's, word for
//! word. Results leave as plain JSON-compatible objects. Errors are thrown as
//! `Error` objects named `ValidationError` that carry `code`, `recordId`,
//! `field` and every `problems` entry.

#![cfg(target_family = "wasm")]
#![deny(clippy::unwrap_used, clippy::expect_used)]

use js_sys::{Array, Object, Reflect};
use participatienetwerk::assign::{self, ScoredEdge};
use participatienetwerk::demo::{self, DemoSpec};
use participatienetwerk::validate::{self, Value};
use participatienetwerk::{
    Code, Config, Error, Expert, Initiative, Problem, ReadOptions, RecordKind, Registry, Settings, Taxonomy,
};
use serde::Serialize;
use std::collections::BTreeMap;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** Scoring and assignment settings; any field may be left out (see the Rust docs of `Config` for defaults). */
export interface Config {
    fuzzy_cutoff?: number;
    word_similarity?: number;
    word_cutoff?: number;
    context_weight?: number;
    reading_factor?: number;
    synonym_similarity?: number;
    broader_similarity?: number;
    narrower_similarity?: number;
    related_similarity?: number;
    sibling_similarity?: number;
    cousin_similarity?: number;
    min_similarity?: number;
    max_hops?: number;
    contained_factor?: number;
    contained_weight_power?: number;
    expansion_factor?: number;
    level_weight?: number;
    below_min_level_factor?: number;
    exclude_home_municipality?: boolean;
    strict_required?: boolean;
    check_language?: boolean;
    distance_weight?: number;
    distance_scale_km?: number;
    min_score?: number;
    assign?: AssignConfig;
}

/** A taxonomy concept: preferred label, synonyms and links. */
export interface ConceptData {
    id: string;
    label: string;
    alt_labels?: string[];
    broader?: string[];
    related?: string[];
}

/** A taxonomy; replaces the built-in one unless `extend_builtin` is set. */
export interface TaxonomyData {
    extend_builtin?: boolean;
    concepts?: ConceptData[];
    stopwords?: string[];
    words?: string[];
    /** Everyday words spelled right: never corrected into a taxonomy word. */
    vocabulary?: string[];
    /** Everyday words and the words of municipal work they stand for ("toestemming" → ["vergunning"]). */
    expansions?: Record<string, string[]>;
}

/** Options of `new Matcher(...)`. */
export interface MatcherOptions {
    registry?: Registry;
    taxonomy?: TaxonomyData;
    config?: Config;
    /** Skip fields the format does not know instead of rejecting the record. */
    ignoreUnknownFields?: boolean;
}

/** Options of `assign(...)`; with `edges`, the scores come from the caller. */
export interface AssignOptions extends MatcherOptions {
    edges?: ScoredEdge[];
}

/** Options of `suggestNeeds(...)`. */
export interface SuggestOptions {
    taxonomy?: TaxonomyData;
    config?: Config;
    ignoreUnknownFields?: boolean;
}

/** Options of `validate(...)`. */
export interface ValidateOptions {
    ignoreUnknownFields?: boolean;
}

/** Options of `demoData(...)`. */
export interface DemoOptions {
    seed?: number;
    experts?: number;
    initiatives?: number;
}

/** A generated, seeded demo data set. */
export interface DemoData {
    experts: Expert[];
    initiatives: Initiative[];
    registry: Registry;
}

/** What every function throws for bad input. */
export interface ValidationError extends Error {
    name: "ValidationError";
    /** Code of the first problem. */
    code: Code;
    /** Record id of the first problem, when it has one. */
    recordId: string | null;
    /** Field path of the first problem. */
    field: string;
    /** Every problem found. */
    problems: Problem[];
}
"#;

#[wasm_bindgen]
extern "C" {
    /// Options objects, typed for TypeScript; read like records.
    #[wasm_bindgen(typescript_type = "MatcherOptions")]
    pub type MatcherOptionsJs;
    #[wasm_bindgen(typescript_type = "AssignOptions")]
    pub type AssignOptionsJs;
    #[wasm_bindgen(typescript_type = "ValidateOptions")]
    pub type ValidateOptionsJs;
    #[wasm_bindgen(typescript_type = "DemoOptions")]
    pub type DemoOptionsJs;
    #[wasm_bindgen(typescript_type = "SuggestOptions")]
    pub type SuggestOptionsJs;
}

/// Deepest nesting accepted in input; records are at most four levels deep,
/// and the bound keeps cyclic or hostile objects from exhausting the stack.
const MAX_DEPTH: usize = 32;

/// Largest demo data set, so a typo cannot exhaust the module's memory.
const MAX_DEMO_EXPERTS: f64 = 250_000.0;
const MAX_DEMO_INITIATIVES: f64 = 50_000.0;

/// Rankings return this many results when `k` is left out.
const DEFAULT_K: usize = 10;

fn problem(code: Code, kind: RecordKind, field: &str, message: impl Into<String>) -> Error {
    Error::single(Problem::new(code, kind, field, message))
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_sys::Error::new(&format!("cannot convert the result to JS: {e}")).into())
}

/// A result as a JS value, or the error to throw.
fn respond<T: Serialize>(r: Result<T, Error>) -> Result<JsValue, JsValue> {
    to_js(&r.map_err(js_error)?)
}

/// The thrown form of a core error: an `Error` named `ValidationError`.
fn js_error(e: Error) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    err.set_name("ValidationError");
    let first = e.problems().first();
    let record_id = first.and_then(|p| p.record_id.as_deref()).map_or(JsValue::NULL, JsValue::from);
    let field = first.map_or("", |p| p.field.as_str());
    let problems = to_js(e.problems()).unwrap_or_else(|_| Array::new().into());
    // Setting a property on a fresh Error object cannot fail.
    let _ = Reflect::set(&err, &"code".into(), &e.code().as_str().into());
    let _ = Reflect::set(&err, &"recordId".into(), &record_id);
    let _ = Reflect::set(&err, &"field".into(), &field.into());
    let _ = Reflect::set(&err, &"problems".into(), &problems);
    err.into()
}

/// A JS value as the core's loosely typed [`Value`], the way a JSON parser
/// would give it: numbers that are safe integers become integers.
fn to_value(js: &JsValue, kind: RecordKind, depth: usize) -> Result<Value, Error> {
    let bad = |what: &str| problem(Code::WrongType, kind, "", what);
    if depth > MAX_DEPTH {
        return Err(problem(
            Code::TooLong,
            kind,
            "",
            format!("is nested deeper than {MAX_DEPTH} levels (or refers to itself)"),
        ));
    }
    if js.is_null() || js.is_undefined() {
        return Ok(Value::Unit);
    }
    if let Some(b) = js.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(x) = js.as_f64() {
        let safe = x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_991.0;
        return Ok(if safe { Value::I64(x as i64) } else { Value::F64(x) });
    }
    if let Some(s) = js.as_string() {
        return Ok(Value::String(s));
    }
    if js.is_bigint() || js.is_symbol() || js.is_function() || !js.is_object() {
        return Err(bad("holds a function, symbol or BigInt; only JSON values are accepted"));
    }
    // Reflect calls report throwing getters and proxies as errors instead of
    // unwinding through the module.
    let get = |key: &JsValue| Reflect::get(js, key).map_err(|_| bad("cannot be read: a getter or proxy threw"));
    if Array::is_array(js) {
        let len = get(&"length".into())?.as_f64().unwrap_or(0.0);
        if !(0.0..=f64::from(u32::MAX)).contains(&len) {
            return Err(bad("is a list of impossible length"));
        }
        let items = (0..len as u32).map(|i| to_value(&get(&i.into())?, kind, depth + 1));
        return items.collect::<Result<Vec<_>, _>>().map(Value::Seq);
    }
    let keys = Reflect::own_keys(js).map_err(|_| bad("cannot be read: a proxy threw"))?;
    let mut map = BTreeMap::new();
    for key in keys.iter() {
        let Some(name) = key.as_string() else { continue };
        // Like JSON.stringify: own enumerable fields only.
        let desc = Reflect::get_own_property_descriptor(js.unchecked_ref::<Object>(), &key)
            .map_err(|_| bad("cannot be read: a getter or proxy threw"))?;
        if !Reflect::get(&desc, &"enumerable".into()).is_ok_and(|e| e.is_truthy()) {
            continue;
        }
        map.insert(Value::String(name), to_value(&get(&key)?, kind, depth + 1)?);
    }
    Ok(Value::Map(map))
}

/// What an options object of `new Matcher` or `assign` sets.
#[derive(Default)]
struct Options {
    settings: Settings,
    read: ReadOptions,
    edges: Option<Vec<ScoredEdge>>,
}

/// The fields of an options object (`null`/`undefined` for none); unknown
/// names are errors with a suggestion, like unknown record fields, because a
/// misspelt option must not be silently ignored.
fn option_fields(js: Option<impl Into<JsValue>>, allowed: &[&str]) -> Result<BTreeMap<String, Value>, Error> {
    let Some(js) = js.map(Into::into).filter(|v: &JsValue| !v.is_null() && !v.is_undefined()) else {
        return Ok(BTreeMap::new());
    };
    let Value::Map(map) = to_value(&js, RecordKind::Input, 0)? else {
        return Err(problem(Code::WrongType, RecordKind::Input, "options", "must be an object"));
    };
    let mut fields = BTreeMap::new();
    let mut problems = Vec::new();
    for (k, v) in map {
        let Value::String(name) = k else { continue };
        if allowed.contains(&name.as_str()) {
            fields.insert(name, v);
            continue;
        }
        let message = match validate::suggest(&name, allowed.iter().copied()) {
            Some(s) => format!("is an unknown option, did you mean `{s}`?"),
            None => format!("is an unknown option (known: {})", allowed.join(", ")),
        };
        problems.push(Problem::new(Code::UnknownField, RecordKind::Input, name, message));
    }
    if problems.is_empty() {
        Ok(fields)
    } else {
        Err(Error::Invalid(problems))
    }
}

fn read_options(js: Option<impl Into<JsValue>>, allowed: &[&str]) -> Result<Options, Error> {
    let mut out = Options::default();
    let mut fields = option_fields(js, allowed)?;
    let mut problems = Vec::new();
    let given = |v: &Value| !matches!(v, Value::Unit);
    match fields.remove("ignoreUnknownFields") {
        Some(Value::Bool(b)) => out.read.ignore_unknown_fields = b,
        Some(v) if given(&v) => problems.push(Problem::new(
            Code::WrongType,
            RecordKind::Input,
            "ignoreUnknownFields",
            "must be true or false",
        )),
        _ => {}
    }
    let mut keep = |r: Result<(), Error>| {
        if let Err(e) = r {
            problems.extend(e.problems().iter().cloned());
        }
    };
    let read = out.read;
    let settings = &mut out.settings;
    if let Some(v) = fields.remove("registry").filter(given) {
        keep(validate::read_registry(v, read).map(|r| settings.registry = r));
    }
    match fields.remove("taxonomy").filter(given) {
        Some(v) => keep(Taxonomy::from_value(v).map(|t| settings.taxonomy = Some(t))),
        None => keep(builtin_ready()),
    }
    if let Some(v) = fields.remove("config").filter(given) {
        keep(Config::from_value(v).map(|c| settings.config = c));
    }
    if let Some(v) = fields.remove("edges").filter(given) {
        let edges = &mut out.edges;
        keep(validate::read_edges(v, read).map(|e| *edges = Some(e)));
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(Error::Invalid(problems))
    }
}

/// The built-in taxonomy is a data file beside the module that the package's
/// `init()` (browsers) or `require` (Node) loads; without it every label
/// would meet only its own spelling.
fn builtin_ready() -> Result<(), Error> {
    if Taxonomy::builtin_loaded() {
        return Ok(());
    }
    Err(problem(
        Code::InvalidArgument,
        RecordKind::Taxonomy,
        "",
        "the built-in taxonomy is not loaded: import the package's entry point and `await init()` \
         (browsers) before use, or pass `options.taxonomy`",
    ))
}

/// Installs the built-in knowledge: taxonomy, municipality list and demo
/// templates (the text of the package's `knowledge.json.gz`, decompressed).
/// The package's entry points call it; a second call does nothing.
#[wasm_bindgen(js_name = loadBuiltinKnowledge)]
pub fn load_builtin_knowledge(json: &str) -> Result<(), JsValue> {
    participatienetwerk::knowledge::load(json).map_err(js_error)
}

/// `k` as given from JS: a whole number, or left out for the default. The
/// core checks its range.
fn read_k(k: Option<f64>) -> Result<usize, Error> {
    match k {
        None => Ok(DEFAULT_K),
        Some(k) if k.fract() == 0.0 && k >= 0.0 => Ok(k as usize),
        Some(k) => {
            Err(problem(Code::InvalidArgument, RecordKind::Input, "k", format!("must be a whole number, got {k}")))
        }
    }
}

#[wasm_bindgen(inline_js = r#"
// JSON text of a list of plain records, or an exception for anything JSON
// would change silently (NaN and Infinity become null; undefined, functions
// and symbols vanish; Dates, Maps and typed arrays turn into other shapes).
export function strictJson(value) {
  if (!Array.isArray(value)) throw new TypeError("not a list");
  return JSON.stringify(value, function (key, v) {
    const o = this[key];
    const t = typeof o;
    if (t === "number" && !Number.isFinite(o)) throw new TypeError("not finite");
    if (o === undefined || t === "function" || t === "symbol" || t === "bigint") throw new TypeError("no JSON value");
    if (o !== null && t === "object" && !Array.isArray(o)) {
      const proto = Object.getPrototypeOf(o);
      if (proto !== Object.prototype && proto !== null) throw new TypeError("not a plain object");
    }
    return v;
  });
}
"#)]
extern "C" {
    #[wasm_bindgen(catch, js_name = strictJson)]
    fn strict_json(value: &JsValue) -> Result<JsValue, JsValue>;
}

/// A list of records read straight into the core's types from JSON text,
/// when the browser's encoder takes it unchanged and the text parses as
/// well-formed records: many times faster than walking every property.
/// `None` sends the caller to the walker, which names every problem.
fn typed_list<T: serde::de::DeserializeOwned>(js: &JsValue) -> Option<Vec<T>> {
    let text = strict_json(js).ok()?.as_string()?;
    serde_json::from_str(&text).ok()
}

fn experts(js: &JsValue, read: ReadOptions) -> Result<Vec<Expert>, Error> {
    match typed_list::<Expert>(js) {
        Some(list) => validate::accept_experts(list, read),
        None => validate::read_experts(to_value(js, RecordKind::Expert, 0)?, read),
    }
}

/// Initiatives take the walker only: lists are short, and a second typed
/// reader would cost the download more than it saves.
fn initiatives(js: &JsValue, read: ReadOptions) -> Result<Vec<Initiative>, Error> {
    validate::read_initiatives(to_value(js, RecordKind::Initiative, 0)?, read)
}

fn initiative(js: &JsValue, read: ReadOptions) -> Result<Initiative, Error> {
    validate::read_initiative(to_value(js, RecordKind::Initiative, 0)?, read)
}

/// An index over experts, built once and queried many times. Calls that fail
/// throw a `ValidationError` and leave the matcher as it was.
#[wasm_bindgen]
pub struct Matcher {
    inner: participatienetwerk::Matcher,
    read: ReadOptions,
}

#[wasm_bindgen]
impl Matcher {
    /// Validates the experts and options and builds the index.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = experts, unchecked_param_type = "Expert[]")] experts_js: JsValue,
        options: Option<MatcherOptionsJs>,
    ) -> Result<Matcher, JsValue> {
        let build = || {
            let opts = read_options(options, &["registry", "taxonomy", "config", "ignoreUnknownFields"])?;
            let inner = participatienetwerk::Matcher::new(experts(&experts_js, opts.read)?, opts.settings)?;
            Ok(Matcher { inner, read: opts.read })
        };
        build().map_err(js_error)
    }

    /// Number of experts.
    #[wasm_bindgen(getter)]
    pub fn length(&self) -> usize {
        self.inner.len()
    }

    /// The best `k` (default 10) eligible experts: score descending, then expert id.
    #[wasm_bindgen(unchecked_return_type = "Match[]")]
    pub fn rank(
        &self,
        #[wasm_bindgen(js_name = initiative, unchecked_param_type = "Initiative")] initiative_js: JsValue,
        k: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        respond(initiative(&initiative_js, self.read).and_then(|i| self.inner.rank(&i, read_k(k)?)))
    }

    /// `rank` for each initiative, in input order.
    #[wasm_bindgen(js_name = rankMany, unchecked_return_type = "Match[][]")]
    pub fn rank_many(
        &self,
        #[wasm_bindgen(js_name = initiatives, unchecked_param_type = "Initiative[]")] initiatives_js: JsValue,
        k: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        respond(initiatives(&initiatives_js, self.read).and_then(|i| self.inner.rank_many(&i, read_k(k)?)))
    }

    /// `rank`, plus the best-fitting experts that were excluded and why.
    #[wasm_bindgen(js_name = rankDetailed, unchecked_return_type = "Ranking")]
    pub fn rank_detailed(
        &self,
        #[wasm_bindgen(js_name = initiative, unchecked_param_type = "Initiative")] initiative_js: JsValue,
        k: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        respond(initiative(&initiative_js, self.read).and_then(|i| self.inner.rank_detailed(&i, read_k(k)?)))
    }

    /// Why one expert does (`kind: "match"`) or does not (`kind: "exclusion"`) fit.
    #[wasm_bindgen(unchecked_return_type = "Explanation")]
    pub fn explain(
        &self,
        #[wasm_bindgen(js_name = initiative, unchecked_param_type = "Initiative")] initiative_js: JsValue,
        #[wasm_bindgen(js_name = expertId, unchecked_param_type = "string")] expert_id: JsValue,
    ) -> Result<JsValue, JsValue> {
        let id = expert_id
            .as_string()
            .ok_or_else(|| problem(Code::WrongType, RecordKind::Expert, "id", "must be a string (the expert id)"));
        respond(both(initiative(&initiative_js, self.read), id).and_then(|(i, id)| self.inner.explain(&i, &id)))
    }

    /// The best `k` initiatives for one expert, who need not be in the matcher.
    #[wasm_bindgen(js_name = rankInitiatives, unchecked_return_type = "Match[]")]
    pub fn rank_initiatives(
        &self,
        #[wasm_bindgen(js_name = expert, unchecked_param_type = "Expert")] expert_js: JsValue,
        #[wasm_bindgen(js_name = initiatives, unchecked_param_type = "Initiative[]")] initiatives_js: JsValue,
        k: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        let expert = to_value(&expert_js, RecordKind::Expert, 0).and_then(|v| validate::read_expert(v, self.read));
        respond(
            both(expert, initiatives(&initiatives_js, self.read))
                .and_then(|(e, i)| self.inner.rank_initiatives(&e, &i, read_k(k)?)),
        )
    }

    /// Needs suggested from the initiative's title and description, with
    /// this matcher's taxonomy; the initiative may list no needs.
    #[wasm_bindgen(js_name = suggestNeeds, unchecked_return_type = "SuggestedNeed[]")]
    pub fn suggest_needs(
        &self,
        #[wasm_bindgen(js_name = initiative, unchecked_param_type = "Initiative")] initiative_js: JsValue,
    ) -> Result<JsValue, JsValue> {
        let read = ReadOptions { labels_optional: true, ..self.read };
        respond(initiative(&initiative_js, read).and_then(|i| self.inner.suggest_needs(&i)))
    }

    /// Assigns this matcher's experts to the initiatives, respecting capacities.
    #[wasm_bindgen(unchecked_return_type = "Assignment")]
    pub fn assign(
        &self,
        #[wasm_bindgen(js_name = initiatives, unchecked_param_type = "Initiative[]")] initiatives_js: JsValue,
    ) -> Result<JsValue, JsValue> {
        respond(initiatives(&initiatives_js, self.read).and_then(|i| assign::assign(&self.inner, &i)))
    }
}

/// Assigns experts to initiatives in one call. With `options.edges`, the
/// scores come from the caller and skills and needs may be left out.
#[wasm_bindgen(js_name = assign, unchecked_return_type = "Assignment")]
pub fn assign_all(
    #[wasm_bindgen(js_name = initiatives, unchecked_param_type = "Initiative[]")] initiatives_js: JsValue,
    #[wasm_bindgen(js_name = experts, unchecked_param_type = "Expert[]")] experts_js: JsValue,
    options: Option<AssignOptionsJs>,
) -> Result<JsValue, JsValue> {
    let run = || {
        let mut opts = read_options(options, &["registry", "taxonomy", "config", "edges", "ignoreUnknownFields"])?;
        match opts.edges.take() {
            Some(edges) => {
                let read = ReadOptions { labels_optional: true, ..opts.read };
                let (e, i) = both(experts(&experts_js, read), initiatives(&initiatives_js, read))?;
                assign::assign_edges(e, &i, &edges, opts.settings)
            }
            None => {
                let (e, i) = both(experts(&experts_js, opts.read), initiatives(&initiatives_js, opts.read))?;
                assign::assign(&participatienetwerk::Matcher::new(e, opts.settings)?, &i)
            }
        }
    };
    respond(run())
}

/// Needs suggested from an initiative's title and description (it may list
/// no needs), with the built-in taxonomy or `options.taxonomy`.
#[wasm_bindgen(js_name = suggestNeeds, unchecked_return_type = "SuggestedNeed[]")]
pub fn suggest_needs(
    #[wasm_bindgen(js_name = initiative, unchecked_param_type = "Initiative")] initiative_js: JsValue,
    options: Option<SuggestOptionsJs>,
) -> Result<JsValue, JsValue> {
    let run = || {
        let opts = read_options(options, &["taxonomy", "config", "ignoreUnknownFields"])?;
        let read = ReadOptions { labels_optional: true, ..opts.read };
        let taxonomy = opts.settings.taxonomy.unwrap_or_else(Taxonomy::builtin);
        participatienetwerk::suggest::suggest_needs(
            &initiative(&initiative_js, read)?,
            &taxonomy,
            &opts.settings.config,
        )
    };
    respond(run())
}

/// Both results, or every problem of both.
fn both<A, B>(a: Result<A, Error>, b: Result<B, Error>) -> Result<(A, B), Error> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => {
            let mut problems: Vec<Problem> = Vec::new();
            for e in [a.err(), b.err()].into_iter().flatten() {
                problems.extend(e.problems().iter().cloned());
            }
            Err(Error::Invalid(problems))
        }
    }
}

/// Every problem with experts and/or initiatives (either may be `null`), as
/// a list; throws only for bad options.
#[wasm_bindgen(unchecked_return_type = "Problem[]")]
pub fn validate(
    #[wasm_bindgen(js_name = experts, unchecked_param_type = "Expert[] | null")] experts_js: JsValue,
    #[wasm_bindgen(js_name = initiatives, unchecked_param_type = "Initiative[] | null")] initiatives_js: JsValue,
    options: Option<ValidateOptionsJs>,
) -> Result<JsValue, JsValue> {
    let opts = read_options(options, &["ignoreUnknownFields"]).map_err(js_error)?;
    let mut problems = Vec::new();
    for (js, kind) in [(&experts_js, RecordKind::Expert), (&initiatives_js, RecordKind::Initiative)] {
        if js.is_null() || js.is_undefined() {
            continue;
        }
        let read = match kind {
            RecordKind::Expert => experts(js, opts.read).map(drop),
            _ => initiatives(js, opts.read).map(drop),
        };
        if let Err(e) = read {
            problems.extend(e.problems().iter().cloned());
        }
    }
    to_js(&problems)
}

fn show(v: &Value) -> String {
    match v {
        Value::I64(n) => n.to_string(),
        Value::F64(x) => x.to_string(),
        Value::String(s) => format!("{s:?}"),
        Value::Bool(b) => b.to_string(),
        _ => "a list or object".into(),
    }
}

#[derive(Serialize)]
struct DemoOut<'a> {
    experts: &'a [Expert],
    initiatives: &'a [Initiative],
    registry: &'a Registry,
}

/// A seeded synthetic data set with realistic Dutch labels (the same seed
/// gives the same data as the CLI's `demo`).
#[wasm_bindgen(js_name = demoData, unchecked_return_type = "DemoData")]
pub fn demo_data(options: Option<DemoOptionsJs>) -> Result<JsValue, JsValue> {
    let run = || {
        builtin_ready()?;
        let mut spec = DemoSpec::default();
        let limits =
            [("seed", 9_007_199_254_740_991.0), ("experts", MAX_DEMO_EXPERTS), ("initiatives", MAX_DEMO_INITIATIVES)];
        for (name, v) in option_fields(options, &["seed", "experts", "initiatives"])? {
            let max = limits.iter().find(|(f, _)| *f == name).map_or(0.0, |l| l.1);
            let n = match v {
                Value::Unit => continue,
                Value::I64(n) if n >= 0 && n as f64 <= max => n as u64,
                other => {
                    let msg = format!("must be a whole number 0..={max}, got {}", show(&other));
                    return Err(problem(Code::InvalidArgument, RecordKind::Input, &name, msg));
                }
            };
            match name.as_str() {
                "seed" => spec.seed = n,
                "experts" => spec.experts = n as usize,
                _ => spec.initiatives = n as usize,
            }
        }
        Ok(spec)
    };
    let data = demo::generate(&run().map_err(js_error)?);
    to_js(&DemoOut { experts: &data.experts, initiatives: &data.initiatives, registry: &data.registry })
}

/// The version of the engine.
#[wasm_bindgen]
pub fn version() -> String {
    participatienetwerk::VERSION.to_owned()
}
