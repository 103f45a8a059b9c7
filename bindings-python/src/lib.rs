//! Python bindings of the `participatienetwerk` matching engine.
//!
//! Conversion and error mapping only: records cross as dicts and lists, are
//! read and validated by the core, and results come back as dicts. Heavy
//! calls convert their inputs to owned values first and then release the GIL.

#![deny(clippy::unwrap_used, clippy::expect_used)]

use participatienetwerk::assign::{self, IndexedEdge, ScoredEdge};
use participatienetwerk::validate::{self, ReadOptions, Value};
use participatienetwerk::{
    demo, rank, suggest, Code, Config, Match, MatcherData, Problem, RecordKind, Settings, Taxonomy,
};
use pyo3::buffer::{Element, PyBuffer};
use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType};
use serde::Serialize;
use std::collections::BTreeMap;

create_exception!(participatienetwerk, Error, PyException, "Base class of every error the engine raises.");

/// `ValidationError(Error, ValueError)`: `create_exception!` takes one base only.
static VALIDATION_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The interchange format is at most five levels deep; the cap keeps hostile
/// nesting from overflowing the stack of the converter and of the core's
/// recursive reader.
const MAX_DEPTH: usize = 32;

type CoreResult<T> = participatienetwerk::Result<T>;

fn validation_error_type(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    let t = VALIDATION_ERROR.get_or_try_init(py, || -> PyResult<Py<PyType>> {
        let bases = PyTuple::new(py, [py.get_type::<Error>(), py.get_type::<PyValueError>()])?;
        let ns = PyDict::new(py);
        ns.set_item("__module__", "participatienetwerk")?;
        ns.set_item("__doc__", "Input that the engine rejects; `.problems` lists every problem found.")?;
        let t = py.get_type::<PyType>().call1(("ValidationError", bases, ns))?;
        Ok(t.cast_into::<PyType>()?.unbind())
    })?;
    Ok(t.bind(py))
}

fn raise(py: Python<'_>, e: &participatienetwerk::Error) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let err = validation_error_type(py)?.call1((e.to_string(),))?;
        let first = e.problems().first();
        err.setattr("code", e.code().as_str())?;
        err.setattr("record_id", first.and_then(|p| p.record_id.as_deref()))?;
        err.setattr("field", first.map(|p| p.field.as_str()))?;
        err.setattr("problems", pythonize::pythonize(py, e.problems())?)?;
        Ok(PyErr::from_value(err))
    };
    build().unwrap_or_else(|failed| failed)
}

fn invalid(kind: RecordKind, index: Option<usize>, field: &str, message: String) -> participatienetwerk::Error {
    participatienetwerk::Error::single(Problem::new(Code::WrongType, kind, field, message).with_index(index))
}

/// A value the converter cannot read, with its path inside the record.
struct Bad {
    path: Vec<String>,
    message: String,
}

impl Bad {
    fn at(mut self, part: String) -> Bad {
        self.path.push(part);
        self
    }

    fn field(&self) -> String {
        let mut out = String::new();
        for part in self.path.iter().rev() {
            if !out.is_empty() && !part.starts_with('[') {
                out.push('.');
            }
            out.push_str(part);
        }
        out
    }
}

fn bad(message: impl Into<String>) -> Bad {
    Bad { path: Vec::new(), message: message.into() }
}

/// Python → the core's loosely typed `Value`. numpy scalars and arrays cross
/// through `.tolist()`; NaN stays NaN so the core rejects it by name.
fn value(obj: &Bound<'_, PyAny>, depth: usize) -> Result<Value, Bad> {
    if depth > MAX_DEPTH {
        return Err(bad(format!("is nested deeper than {MAX_DEPTH} levels")));
    }
    // Exact-type checks for the common cases first; subclasses fall through.
    if obj.is_exact_instance_of::<PyString>() {
        let s = obj.cast::<PyString>().map_err(|e| bad(e.to_string()))?;
        return s
            .to_cow()
            .map(|s| Value::String(s.into_owned()))
            .map_err(|_| bad("is a string that is not valid Unicode"));
    }
    if obj.is_exact_instance_of::<PyDict>() {
        let d = obj.cast::<PyDict>().map_err(|e| bad(e.to_string()))?;
        return map(&d.items(), depth);
    }
    if obj.is_none() {
        Ok(Value::Unit)
    } else if let Ok(b) = obj.cast::<PyBool>() {
        Ok(Value::Bool(b.is_true()))
    } else if let Ok(i) = obj.cast::<PyInt>() {
        // Mirror serde_json: non-negative integers are unsigned, so messages match the Rust side.
        if let Ok(u) = i.extract::<u64>() {
            Ok(Value::U64(u))
        } else {
            i.extract::<i64>().map(Value::I64).map_err(|_| bad(format!("is an integer out of range: {i}")))
        }
    } else if let Ok(f) = obj.cast::<PyFloat>() {
        Ok(Value::F64(f.value()))
    } else if let Ok(s) = obj.cast::<PyString>() {
        s.to_cow().map(|s| Value::String(s.into_owned())).map_err(|_| bad("is a string that is not valid Unicode"))
    } else if let Ok(d) = obj.cast::<PyDict>() {
        map(&d.items(), depth)
    } else if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let items = obj.try_iter().map_err(|e| bad(e.to_string()))?;
        let mut out = Vec::new();
        for (i, item) in items.enumerate() {
            let item = item.map_err(|e| bad(e.to_string()))?;
            out.push(value(&item, depth + 1).map_err(|b| b.at(format!("[{i}]")))?);
        }
        Ok(Value::Seq(out))
    } else if obj.hasattr("dtype").unwrap_or(false) && obj.hasattr("tolist").unwrap_or(false) {
        let plain = obj.call_method0("tolist").map_err(|e| bad(e.to_string()))?;
        value(&plain, depth + 1)
    } else if let Ok(m) = obj.cast::<PyMapping>() {
        map(&m.items().map_err(|e| bad(e.to_string()))?, depth)
    } else {
        let name = obj.get_type().fully_qualified_name().map(|n| n.to_string()).unwrap_or_default();
        Err(bad(format!("has a value of unsupported type {name}")))
    }
}

/// Dict items are a snapshot list, so code run by the converter cannot resize what it walks.
fn map(items: &Bound<'_, PyList>, depth: usize) -> Result<Value, Bad> {
    let mut out = BTreeMap::new();
    for pair in items.iter() {
        let (k, v) = pair.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>().map_err(|e| bad(e.to_string()))?;
        let key = value(&k, depth + 1)?;
        let v = value(&v, depth + 1).map_err(|b| {
            b.at(match &key {
                Value::String(s) => s.clone(),
                other => format!("{other:?}"),
            })
        })?;
        out.insert(key, v);
    }
    Ok(Value::Map(out))
}

/// One record or settings object.
fn record(obj: &Bound<'_, PyAny>, kind: RecordKind) -> CoreResult<Value> {
    value(obj, 0).map_err(|b| invalid(kind, None, &b.field(), b.message))
}

/// A list of records from any iterable (generators, `DataFrame.to_dict("records")`).
fn records(obj: &Bound<'_, PyAny>, kind: RecordKind) -> CoreResult<Value> {
    let listed =
        !(obj.is_instance_of::<PyDict>() || obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>());
    let items: Vec<Bound<'_, PyAny>> = match obj.try_iter() {
        Ok(it) if listed => it
            .collect::<PyResult<_>>()
            .map_err(|e| invalid(RecordKind::Input, None, "", format!("could not iterate the records: {e}")))?,
        // Not a list: the core names what it got instead.
        _ => return record(obj, RecordKind::Input),
    };
    let mut out = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match value(item, 1) {
            Ok(v) => out.push(v),
            Err(b) => {
                let id = item.get_item("id").ok().and_then(|id| id.extract::<String>().ok());
                problems.push(
                    Problem::new(Code::WrongType, kind, b.field(), b.message)
                        .with_index(Some(i))
                        .with_id(id.as_deref()),
                );
            }
        }
    }
    if problems.is_empty() {
        Ok(Value::Seq(out))
    } else {
        Err(participatienetwerk::Error::Invalid(problems))
    }
}

/// Edges by id given as columns (`{"initiative_id": [...], "expert_id": [...],
/// "score": [...]}`, e.g. `DataFrame.to_dict("list")` or numpy arrays), read
/// straight into edges: a million per-row dicts would cost more than solving.
fn edge_columns(d: &Bound<'_, PyDict>) -> CoreResult<Vec<ScoredEdge>> {
    const COLUMNS: [&str; 3] = ["initiative_id", "expert_id", "score"];
    let edge_problem = |code: Code, index: Option<usize>, field: &str, message: String| {
        participatienetwerk::Error::single(Problem::new(code, RecordKind::Edge, field, message).with_index(index))
    };
    for key in d.keys() {
        let name = key.extract::<String>().unwrap_or_default();
        if !COLUMNS.contains(&name.as_str()) {
            let hint = validate::suggest(&name, COLUMNS).map(|s| format!(", did you mean `{s}`?")).unwrap_or_default();
            return Err(edge_problem(Code::UnknownField, None, &name, format!("is an unknown column{hint}")));
        }
    }
    let column = |name: &str| -> CoreResult<Vec<Bound<'_, PyAny>>> {
        let col =
            d.get_item(name).ok().flatten().ok_or_else(|| {
                edge_problem(Code::MissingField, None, name, "is a required column but missing".into())
            })?;
        let col = if col.hasattr("tolist").unwrap_or(false) { col.call_method0("tolist").unwrap_or(col) } else { col };
        let items = col
            .try_iter()
            .map_err(|e| edge_problem(Code::WrongType, None, name, format!("must be a sequence: {e}")))?;
        items.collect::<PyResult<Vec<_>>>().map_err(|e| edge_problem(Code::WrongType, None, name, e.to_string()))
    };
    let (ini, exp) = (column(COLUMNS[0])?, column(COLUMNS[1])?);
    let score = match d.get_item(COLUMNS[2]).ok().flatten().and_then(|s| numbers::<f64>(&s)) {
        Some(s) => s,
        None => column(COLUMNS[2])?
            .iter()
            .enumerate()
            .map(|(n, s)| {
                s.extract::<f64>()
                    .map_err(|_| edge_problem(Code::WrongType, Some(n), "score", "must be a number".into()))
            })
            .collect::<CoreResult<_>>()?,
    };
    if ini.len() != exp.len() || ini.len() != score.len() {
        return Err(edge_problem(
            Code::WrongType,
            None,
            "",
            format!("columns differ in length: {}, {} and {}", ini.len(), exp.len(), score.len()),
        ));
    }
    let mut out = Vec::with_capacity(ini.len());
    for (n, ((i, e), &score)) in ini.iter().zip(&exp).zip(&score).enumerate() {
        let text = |o: &Bound<'_, PyAny>, field: &str| {
            o.cast::<PyString>()
                .ok()
                .and_then(|s| s.to_str().ok().map(str::to_owned))
                .ok_or_else(|| edge_problem(Code::WrongType, Some(n), field, "must be a string".into()))
        };
        out.push(ScoredEdge { initiative_id: text(i, "initiative_id")?, expert_id: text(e, "expert_id")?, score });
    }
    Ok(out)
}

/// A one-dimensional buffer of `T` (a numpy array, `array.array`), copied at
/// once; `None` for anything else.
fn numbers<T: Element>(obj: &Bound<'_, PyAny>) -> Option<Vec<T>> {
    let buffer = PyBuffer::<T>::get(obj).ok()?;
    if buffer.dimensions() != 1 {
        return None;
    }
    buffer.to_vec(obj.py()).ok()
}

/// A column of positions from an integer buffer; `None` for anything else.
fn positions(obj: &Bound<'_, PyAny>, field: &str) -> Option<CoreResult<Vec<u32>>> {
    fn checked<T: Copy + std::fmt::Display>(
        v: Vec<T>,
        field: &str,
        fits: impl Fn(T) -> Option<u32>,
    ) -> CoreResult<Vec<u32>> {
        let mut problems = Vec::new();
        let out = v
            .iter()
            .enumerate()
            .map(|(n, &x)| {
                fits(x).unwrap_or_else(|| {
                    problems.push(validate::position_problem(field, n, &x.to_string()));
                    0
                })
            })
            .collect();
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(participatienetwerk::Error::Invalid(problems))
        }
    }
    if let Some(v) = numbers::<u32>(obj) {
        return Some(Ok(v));
    }
    if let Some(v) = numbers::<i64>(obj) {
        return Some(checked(v, field, |x| u32::try_from(x).ok()));
    }
    if let Some(v) = numbers::<i32>(obj) {
        return Some(checked(v, field, |x| u32::try_from(x).ok()));
    }
    numbers::<u64>(obj).map(|v| checked(v, field, |x| u32::try_from(x).ok()))
}

/// Edges by position as columns. Integer and float buffers (numpy arrays)
/// are read at once; any other column goes through the core's reader.
fn indexed_columns(d: &Bound<'_, PyDict>) -> CoreResult<Edges> {
    let [ini, exp, score] = validate::INDEXED_EDGE_COLUMNS.map(|name| d.get_item(name).ok().flatten());
    if let (3, Some(ini), Some(exp), Some(score)) = (d.len(), ini, exp, score) {
        let read = (
            positions(&ini, validate::INDEXED_EDGE_COLUMNS[0]),
            positions(&exp, validate::INDEXED_EDGE_COLUMNS[1]),
            numbers::<f64>(&score).or_else(|| numbers::<f32>(&score).map(|v| v.into_iter().map(f64::from).collect())),
        );
        if let (Some(ini), Some(exp), Some(score)) = read {
            return IndexedEdge::from_columns(&ini?, &exp?, &score).map(Edges::Indexed);
        }
    }
    record(d.as_any(), RecordKind::Edge).map(Edges::IndexedValue)
}

/// Edges as records (a list of dicts by id) or as columns (a dict of
/// sequences, by id or by position).
enum Edges {
    Records(Value),
    Columns(Vec<ScoredEdge>),
    Indexed(Vec<IndexedEdge>),
    IndexedValue(Value),
}

fn edges_of(obj: &Bound<'_, PyAny>) -> CoreResult<Edges> {
    match obj.cast::<PyDict>() {
        Ok(d) if validate::INDEXED_EDGE_COLUMNS[..2].iter().any(|c| d.contains(c).unwrap_or(false)) => {
            indexed_columns(d)
        }
        Ok(d) => edge_columns(d).map(Edges::Columns),
        Err(_) => records(obj, RecordKind::Edge).map(Edges::Records),
    }
}

/// A list of experts or initiatives, as JSON text when Python's C encoder
/// takes it (plain dicts, lists, strings, numbers, booleans; no NaN), which
/// the core reads with a typed parse several times faster than value by
/// value; otherwise as values. JSON keeps every type apart (`true` is no
/// `1`), so both ways accept and reject the same records.
enum Many {
    Json(String),
    Values(Value),
}

fn many(obj: &Bound<'_, PyAny>, kind: RecordKind) -> CoreResult<Many> {
    if obj.is_instance_of::<PyList>() {
        let py = obj.py();
        let kwargs = PyDict::new(py);
        let encoded = kwargs
            .set_item("allow_nan", false)
            .and_then(|_| py.import("json"))
            .and_then(|json| json.call_method("dumps", (obj,), Some(&kwargs)))
            .and_then(|text| text.extract::<String>());
        if let Ok(text) = encoded {
            return Ok(Many::Json(text));
        }
    }
    records(obj, kind).map(Many::Values)
}

fn experts_of(m: Many, opts: ReadOptions) -> CoreResult<Vec<participatienetwerk::Expert>> {
    match m {
        Many::Json(text) => validate::read_experts_json(&text, "experts", opts),
        Many::Values(v) => validate::read_experts(v, opts),
    }
}

fn initiatives_of(m: Many, opts: ReadOptions) -> CoreResult<Vec<participatienetwerk::Initiative>> {
    match m {
        Many::Json(text) => validate::read_initiatives_json(&text, "initiatives", opts),
        Many::Values(v) => validate::read_initiatives(v, opts),
    }
}

fn optional(obj: Option<&Bound<'_, PyAny>>, kind: RecordKind) -> CoreResult<Option<Value>> {
    obj.filter(|o| !o.is_none()).map(|o| record(o, kind)).transpose()
}

/// Registry, taxonomy and config as values, read into `Settings` without the GIL.
struct RawSettings {
    registry: Option<Value>,
    taxonomy: Option<Value>,
    config: Option<Value>,
}

impl RawSettings {
    fn new(
        registry: Option<&Bound<'_, PyAny>>,
        taxonomy: Option<&Bound<'_, PyAny>>,
        config: Option<&Bound<'_, PyAny>>,
    ) -> CoreResult<RawSettings> {
        Ok(RawSettings {
            registry: optional(registry, RecordKind::Registry)?,
            taxonomy: optional(taxonomy, RecordKind::Taxonomy)?,
            config: optional(config, RecordKind::Config)?,
        })
    }

    fn read(self) -> CoreResult<Settings> {
        Ok(Settings {
            registry: self
                .registry
                .map(|v| validate::read_registry(v, ReadOptions::default()))
                .transpose()?
                .unwrap_or_default(),
            taxonomy: self.taxonomy.map(Taxonomy::from_value).transpose()?,
            config: self.config.map(Config::from_value).transpose()?.unwrap_or_default(),
        })
    }
}

/// `k` arrives as a Python int, which may be negative where `usize` cannot.
fn k_arg(k: i64) -> CoreResult<usize> {
    match usize::try_from(k) {
        Ok(k) => rank::check_k(k).map(|()| k),
        Err(_) => Err(participatienetwerk::Error::single(Problem::new(
            Code::InvalidArgument,
            RecordKind::Input,
            "k",
            format!("must be 1..={}, got {k}", rank::MAX_K),
        ))),
    }
}

/// Runs core work without the GIL. A panic there would be a core bug; it
/// surfaces as `pn.Error`, because a `PanicException` slips past `except Exception`.
fn detached<T: Send>(py: Python<'_>, work: impl FnOnce() -> CoreResult<T> + Send) -> PyResult<T> {
    match py.detach(|| std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(raise(py, &e)),
        Err(panic) => {
            let what =
                panic.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| panic.downcast_ref::<String>().cloned());
            Err(Error::new_err(format!("internal error, please report it: {}", what.unwrap_or_default())))
        }
    }
}

fn out<T: Serialize>(py: Python<'_>, result: PyResult<T>) -> PyResult<Bound<'_, PyAny>> {
    Ok(pythonize::pythonize(py, &result?)?)
}

/// What `__reduce__` returns: `Matcher.from_bytes` and its arguments.
type Reduced<'py> = (Bound<'py, PyAny>, (Bound<'py, PyBytes>, bool));

/// An index over experts, built once and queried many times. Immutable and
/// safe to share between threads; picklable, so it can be shipped to workers.
#[pyclass(module = "participatienetwerk._native", name = "Matcher", frozen)]
struct PyMatcher {
    inner: participatienetwerk::Matcher,
    ignore_unknown_fields: bool,
}

impl PyMatcher {
    fn opts(&self) -> ReadOptions {
        ReadOptions { ignore_unknown_fields: self.ignore_unknown_fields, ..ReadOptions::default() }
    }
}

#[pymethods]
impl PyMatcher {
    #[new]
    #[pyo3(signature = (experts, registry=None, taxonomy=None, config=None, ignore_unknown_fields=false))]
    fn new(
        py: Python<'_>,
        experts: &Bound<'_, PyAny>,
        registry: Option<&Bound<'_, PyAny>>,
        taxonomy: Option<&Bound<'_, PyAny>>,
        config: Option<&Bound<'_, PyAny>>,
        ignore_unknown_fields: bool,
    ) -> PyResult<Self> {
        let opts = ReadOptions { ignore_unknown_fields, ..ReadOptions::default() };
        let input =
            many(experts, RecordKind::Expert).and_then(|e| Ok((e, RawSettings::new(registry, taxonomy, config)?)));
        let inner = detached(py, || {
            let (experts, raw) = input?;
            participatienetwerk::Matcher::new(experts_of(experts, opts)?, raw.read()?)
        })?;
        Ok(PyMatcher { inner, ignore_unknown_fields })
    }

    /// The best `k` eligible experts for an initiative.
    #[pyo3(signature = (initiative, k=10))]
    fn rank<'py>(&self, py: Python<'py>, initiative: &Bound<'py, PyAny>, k: i64) -> PyResult<Bound<'py, PyAny>> {
        let (opts, input) = (self.opts(), record(initiative, RecordKind::Initiative));
        out(py, detached(py, || self.inner.rank(&validate::read_initiative(input?, opts)?, k_arg(k)?)))
    }

    /// `rank` for many initiatives, in parallel.
    #[pyo3(signature = (initiatives, k=10))]
    fn rank_many<'py>(&self, py: Python<'py>, initiatives: &Bound<'py, PyAny>, k: i64) -> PyResult<Bound<'py, PyAny>> {
        let (opts, input) = (self.opts(), many(initiatives, RecordKind::Initiative));
        out(py, detached(py, || self.inner.rank_many(&initiatives_of(input?, opts)?, k_arg(k)?)))
    }

    /// `rank`, plus the best-fitting experts that were excluded and why.
    #[pyo3(signature = (initiative, k=10))]
    fn rank_detailed<'py>(
        &self,
        py: Python<'py>,
        initiative: &Bound<'py, PyAny>,
        k: i64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (opts, input) = (self.opts(), record(initiative, RecordKind::Initiative));
        out(py, detached(py, || self.inner.rank_detailed(&validate::read_initiative(input?, opts)?, k_arg(k)?)))
    }

    /// Why an expert does or does not fit an initiative.
    fn explain<'py>(
        &self,
        py: Python<'py>,
        initiative: &Bound<'py, PyAny>,
        expert_id: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (opts, input) = (self.opts(), record(initiative, RecordKind::Initiative));
        out(py, detached(py, || self.inner.explain(&validate::read_initiative(input?, opts)?, expert_id)))
    }

    /// Needs suggested from an initiative's title and description (it may list no needs).
    fn suggest_needs<'py>(&self, py: Python<'py>, initiative: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let opts = ReadOptions { labels_optional: true, ..self.opts() };
        let input = record(initiative, RecordKind::Initiative);
        out(py, detached(py, || self.inner.suggest_needs(&validate::read_initiative(input?, opts)?)))
    }

    /// The best `k` initiatives for one expert (who need not be in the matcher).
    #[pyo3(signature = (expert, initiatives, k=10))]
    fn rank_initiatives<'py>(
        &self,
        py: Python<'py>,
        expert: &Bound<'py, PyAny>,
        initiatives: &Bound<'py, PyAny>,
        k: i64,
    ) -> PyResult<Bound<'py, PyAny>> {
        let opts = self.opts();
        let input =
            record(expert, RecordKind::Expert).and_then(|e| Ok((e, records(initiatives, RecordKind::Initiative)?)));
        out(
            py,
            detached(py, || {
                let (e, i) = input?;
                self.inner.rank_initiatives(
                    &validate::read_expert(e, opts)?,
                    &validate::read_initiatives(i, opts)?,
                    k_arg(k)?,
                )
            }),
        )
    }

    /// Assigns the matcher's experts to the initiatives.
    fn assign<'py>(&self, py: Python<'py>, initiatives: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let (opts, input) = (self.opts(), records(initiatives, RecordKind::Initiative));
        out(py, detached(py, || assign::assign(&self.inner, &validate::read_initiatives(input?, opts)?)))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    fn __repr__(&self) -> String {
        format!("Matcher(experts={}, labels={})", self.inner.len(), self.inner.label_count())
    }

    /// The matcher's inputs as JSON bytes; `Matcher.from_bytes` rebuilds it.
    fn to_bytes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        let json = py.detach(|| serde_json::to_vec(&self.inner.to_data()));
        json.map(|b| PyBytes::new(py, &b)).map_err(|e| Error::new_err(e.to_string()))
    }

    /// Rebuilds a matcher from `to_bytes()` output.
    #[classmethod]
    #[pyo3(signature = (data, ignore_unknown_fields=false))]
    fn from_bytes(
        _cls: &Bound<'_, PyType>,
        py: Python<'_>,
        data: &[u8],
        ignore_unknown_fields: bool,
    ) -> PyResult<Self> {
        let inner = detached(py, || {
            let data: MatcherData = serde_json::from_slice(data).map_err(|e| {
                participatienetwerk::Error::single(Problem::new(
                    Code::Parse,
                    RecordKind::Input,
                    "",
                    format!("matcher data: {e}"),
                ))
            })?;
            participatienetwerk::Matcher::from_data(data)
        })?;
        Ok(PyMatcher { inner, ignore_unknown_fields })
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduced<'py>> {
        let restore = py.get_type::<PyMatcher>().getattr("from_bytes")?;
        Ok((restore, (self.to_bytes(py)?, self.ignore_unknown_fields)))
    }
}

/// Assigns experts to initiatives; with `edges`, on the caller's own scores.
#[pyfunction]
#[pyo3(name = "assign", signature = (initiatives, experts, registry=None, taxonomy=None, config=None, edges=None, ignore_unknown_fields=false))]
#[allow(clippy::too_many_arguments)]
fn assign_all<'py>(
    py: Python<'py>,
    initiatives: &Bound<'py, PyAny>,
    experts: &Bound<'py, PyAny>,
    registry: Option<&Bound<'py, PyAny>>,
    taxonomy: Option<&Bound<'py, PyAny>>,
    config: Option<&Bound<'py, PyAny>>,
    edges: Option<&Bound<'py, PyAny>>,
    ignore_unknown_fields: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let opts = ReadOptions { ignore_unknown_fields, ..ReadOptions::default() };
    let input = (|| -> CoreResult<_> {
        let e = many(experts, RecordKind::Expert)?;
        let i = many(initiatives, RecordKind::Initiative)?;
        let edges = edges.filter(|o| !o.is_none()).map(edges_of).transpose()?;
        Ok((e, i, edges, RawSettings::new(registry, taxonomy, config)?))
    })();
    // Same reading order as the Rust vector tests, so the first problem reported agrees.
    let result = detached(py, || {
        let (experts, initiatives, edges, raw) = input?;
        match edges {
            Some(edges) => {
                let loose = ReadOptions { labels_optional: true, ..opts };
                let experts = experts_of(experts, loose)?;
                let initiatives = initiatives_of(initiatives, loose)?;
                match edges {
                    Edges::Records(v) => {
                        assign::assign_edges(experts, &initiatives, &validate::read_edges(v, opts)?, raw.read()?)
                    }
                    Edges::Columns(c) => assign::assign_edges(experts, &initiatives, &c, raw.read()?),
                    Edges::Indexed(c) => assign::assign_indexed(experts, &initiatives, &c, raw.read()?),
                    Edges::IndexedValue(v) => assign::assign_indexed(
                        experts,
                        &initiatives,
                        &validate::read_indexed_edges(v, opts)?,
                        raw.read()?,
                    ),
                }
            }
            None => {
                let matcher = participatienetwerk::Matcher::new(experts_of(experts, opts)?, raw.read()?)?;
                assign::assign(&matcher, &initiatives_of(initiatives, opts)?)
            }
        }
    });
    out(py, result)
}

/// Needs suggested from an initiative's title and description (it may list no needs).
#[pyfunction]
#[pyo3(signature = (initiative, taxonomy=None, config=None, ignore_unknown_fields=false))]
fn suggest_needs<'py>(
    py: Python<'py>,
    initiative: &Bound<'py, PyAny>,
    taxonomy: Option<&Bound<'py, PyAny>>,
    config: Option<&Bound<'py, PyAny>>,
    ignore_unknown_fields: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let opts = ReadOptions { ignore_unknown_fields, labels_optional: true };
    let input =
        record(initiative, RecordKind::Initiative).and_then(|i| Ok((i, RawSettings::new(None, taxonomy, config)?)));
    out(
        py,
        detached(py, || {
            let (initiative, raw) = input?;
            let settings = raw.read()?;
            let taxonomy = settings.taxonomy.unwrap_or_else(Taxonomy::builtin);
            suggest::suggest_needs(&validate::read_initiative(initiative, opts)?, &taxonomy, &settings.config)
        }),
    )
}

/// Every problem with experts and/or initiatives; never raises for data errors.
#[pyfunction]
#[pyo3(name = "validate", signature = (experts=None, initiatives=None, ignore_unknown_fields=false))]
fn problems<'py>(
    py: Python<'py>,
    experts: Option<&Bound<'py, PyAny>>,
    initiatives: Option<&Bound<'py, PyAny>>,
    ignore_unknown_fields: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let opts = ReadOptions { ignore_unknown_fields, ..ReadOptions::default() };
    let mut unreadable = Vec::new();
    let mut side = |obj: Option<&Bound<'py, PyAny>>, kind| match obj.filter(|o| !o.is_none()).map(|o| many(o, kind)) {
        Some(Ok(v)) => Some(v),
        Some(Err(e)) => {
            unreadable.push(e);
            None
        }
        None => None,
    };
    let (e, i) = (side(experts, RecordKind::Expert), side(initiatives, RecordKind::Initiative));
    let mut problems: Vec<Problem> = unreadable.iter().flat_map(|e| e.problems().iter().cloned()).collect();
    problems.extend(detached(py, || {
        let mut found = Vec::new();
        if let Some(Err(err)) = e.map(|e| experts_of(e, opts)) {
            found.extend(err.problems().iter().cloned());
        }
        if let Some(Err(err)) = i.map(|i| initiatives_of(i, opts)) {
            found.extend(err.problems().iter().cloned());
        }
        Ok(found)
    })?);
    Ok(pythonize::pythonize(py, &problems)?)
}

/// The CLI's synthetic demo set: `experts`, `initiatives`, `registry`.
#[pyfunction]
#[pyo3(signature = (seed=0, experts=2000, initiatives=40))]
fn demo_data(py: Python<'_>, seed: u64, experts: usize, initiatives: usize) -> PyResult<Bound<'_, PyDict>> {
    let spec = demo::DemoSpec { experts, initiatives, seed };
    let data = detached(py, || spec.check().map(|_| demo::generate(&spec)))?;
    let d = PyDict::new(py);
    d.set_item("experts", pythonize::pythonize(py, &data.experts)?)?;
    d.set_item("initiatives", pythonize::pythonize(py, &data.initiatives)?)?;
    d.set_item("registry", pythonize::pythonize(py, &data.registry)?)?;
    Ok(d)
}

/// Merges rankings of one initiative over disjoint sets of experts into the top `k`.
#[pyfunction]
fn merge_rankings<'py>(py: Python<'py>, parts: &Bound<'py, PyAny>, k: i64) -> PyResult<Bound<'py, PyAny>> {
    let parts = records(parts, RecordKind::Input).and_then(|v| {
        v.deserialize_into::<Vec<Vec<Match>>>()
            .map_err(|e| invalid(RecordKind::Input, None, "parts", format!("must be lists of matches: {e}")))
    });
    out(py, parts.and_then(|p| Ok(participatienetwerk::merge_rankings(p, k_arg(k)?))).map_err(|e| raise(py, &e)))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", participatienetwerk::VERSION)?;
    m.add("Error", py.get_type::<Error>())?;
    m.add("ValidationError", validation_error_type(py)?)?;
    m.add_class::<PyMatcher>()?;
    m.add_function(wrap_pyfunction!(assign_all, m)?)?;
    m.add_function(wrap_pyfunction!(problems, m)?)?;
    m.add_function(wrap_pyfunction!(demo_data, m)?)?;
    m.add_function(wrap_pyfunction!(merge_rankings, m)?)?;
    m.add_function(wrap_pyfunction!(suggest_needs, m)?)?;
    Ok(())
}
