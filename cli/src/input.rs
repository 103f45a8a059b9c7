//! Reading input files: JSON arrays in the interchange format, or CSV.
//!
//! CSV rows become the same records JSON would give, so every check (unknown
//! columns, types, ranges) is the core's, word for word.
//!
//! Expert columns: `id`, `municipalities` (`;`-separated codes),
//! `home_municipality`, `skills` (`label:level;label:level`), `max_initiatives`,
//! `hours_per_month`, `languages` (`;`-separated), `lat`, `lon`,
//! `max_distance_km`, `remote` (`true`/`false`).
//!
//! Initiative columns: `id`, `municipality`, `title`, `description`, `needs`
//! (`label:weight:min_level:required;…`, everything after the label optional,
//! e.g. `subsidie aanvragen:2;vergunning:3:4:required`), `experts_wanted`,
//! `hours_needed`, `language`, `lat`, `lon`.
//!
//! Empty cells are left out (the field's default applies).

use participatienetwerk::validate::{self, Value};
use participatienetwerk::{Code, Error, Problem, RecordKind, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// Largest input file accepted, so a wrong path never makes the tool read for minutes.
const MAX_FILE_BYTES: u64 = 2 << 30;

fn io_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::single(Problem::new(Code::Parse, RecordKind::Input, "", format!("{}: {e}", path.display())))
}

/// Reads a file of experts or initiatives: JSON takes the core's typed fast
/// path, CSV goes through records.
pub fn read_experts(path: &Path, opts: participatienetwerk::ReadOptions) -> Result<Vec<participatienetwerk::Expert>> {
    match json_text(path)? {
        Some(text) => validate::read_experts_json(&text, &path.display().to_string(), opts),
        None => validate::read_experts(read_value(path, RecordKind::Expert)?, opts),
    }
}

/// [`read_experts`] for initiatives.
pub fn read_initiatives(
    path: &Path,
    opts: participatienetwerk::ReadOptions,
) -> Result<Vec<participatienetwerk::Initiative>> {
    match json_text(path)? {
        Some(text) => validate::read_initiatives_json(&text, &path.display().to_string(), opts),
        None => validate::read_initiatives(read_value(path, RecordKind::Initiative)?, opts),
    }
}

fn is_csv(path: &Path) -> bool {
    path.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv"))
}

/// The text of a JSON file; `None` for CSV.
fn json_text(path: &Path) -> Result<Option<String>> {
    if is_csv(path) {
        return Ok(None);
    }
    read_text(path).map(Some)
}

fn read_text(path: &Path) -> Result<String> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(io_error(path, format!("is {} bytes, at most {MAX_FILE_BYTES}", meta.len())));
    }
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    read_capped(path, file, MAX_FILE_BYTES)
}

/// Reads at most `cap` bytes: a pipe or device (`/dev/zero`, a FIFO) has
/// no length to check up front, so one byte past the cap is read and what
/// goes over is refused.
fn read_capped(path: &Path, reader: impl std::io::Read, cap: u64) -> Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    reader.take(cap + 1).read_to_end(&mut bytes).map_err(|e| io_error(path, e))?;
    if bytes.len() as u64 > cap {
        return Err(io_error(path, format!("has more than {cap} bytes")));
    }
    String::from_utf8(bytes).map_err(|e| io_error(path, e))
}

/// Reads a file as a [`Value`]: CSV by extension, JSON otherwise.
pub fn read_value(path: &Path, kind: RecordKind) -> Result<Value> {
    let text = read_text(path)?;
    if is_csv(path) {
        csv_records(&text, kind).map_err(|e| io_error(path, e))
    } else {
        validate::parse_json(&text, &path.display().to_string())
    }
}

fn s(v: &str) -> Value {
    Value::String(v.to_owned())
}

/// A number when the cell is one, else the text (so the type error names it).
fn number(cell: &str) -> Value {
    if let Ok(n) = cell.parse::<u64>() {
        Value::U64(n)
    } else if let Ok(n) = cell.parse::<i64>() {
        Value::I64(n)
    } else if let Ok(x) = cell.parse::<f64>() {
        Value::F64(x)
    } else {
        s(cell)
    }
}

fn boolean(cell: &str) -> Value {
    match cell.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "ja" => Value::Bool(true),
        "false" | "0" | "no" | "nee" => Value::Bool(false),
        _ => s(cell),
    }
}

fn list(cell: &str) -> Value {
    Value::Seq(cell.split(';').map(str::trim).filter(|x| !x.is_empty()).map(s).collect())
}

fn map(entries: Vec<(&str, Value)>) -> Value {
    Value::Map(entries.into_iter().map(|(k, v)| (s(k), v)).collect::<BTreeMap<_, _>>())
}

fn skills(cell: &str) -> Value {
    let items = cell.split(';').map(str::trim).filter(|x| !x.is_empty()).map(|item| match item.rsplit_once(':') {
        Some((label, level)) => map(vec![("label", s(label.trim())), ("level", number(level.trim()))]),
        None => map(vec![("label", s(item))]),
    });
    Value::Seq(items.collect())
}

fn needs(cell: &str) -> Value {
    let items = cell.split(';').map(str::trim).filter(|x| !x.is_empty()).map(|item| {
        let mut parts: Vec<&str> = item.split(':').collect();
        let mut fields = Vec::new();
        if parts.len() > 1 && matches!(parts[parts.len() - 1].trim(), "required" | "true" | "false") {
            let last = parts.pop().unwrap_or_default().trim();
            fields.push(("required", Value::Bool(last != "false")));
        }
        let mut numbers = Vec::new();
        while parts.len() > 1 && numbers.len() < 2 && parts[parts.len() - 1].trim().parse::<f64>().is_ok() {
            numbers.push(parts.pop().unwrap_or_default().trim());
        }
        numbers.reverse();
        if let Some(w) = numbers.first() {
            fields.push(("weight", number(w)));
        }
        if let Some(m) = numbers.get(1) {
            fields.push(("min_level", number(m)));
        }
        fields.push(("label", s(parts.join(":").trim())));
        map(fields)
    });
    Value::Seq(items.collect())
}

fn csv_records(text: &str, kind: RecordKind) -> std::result::Result<Value, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(text.as_bytes());
    let headers = reader.headers().map_err(|e| e.to_string())?.clone();
    let mut rows = Vec::new();
    for row in reader.records() {
        let row = row.map_err(|e| e.to_string())?;
        let mut fields: Vec<(&str, Value)> = Vec::new();
        let (mut lat, mut lon) = (None, None);
        for (name, cell) in headers.iter().zip(row.iter()) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let value = match (kind, name) {
                (_, "lat") => {
                    lat = Some(number(cell));
                    continue;
                }
                (_, "lon") => {
                    lon = Some(number(cell));
                    continue;
                }
                (RecordKind::Expert, "municipalities" | "languages") => list(cell),
                (RecordKind::Expert, "skills") => skills(cell),
                (RecordKind::Initiative, "needs") => needs(cell),
                (_, "remote") => boolean(cell),
                (
                    _,
                    "max_initiatives" | "hours_per_month" | "max_distance_km" | "experts_wanted" | "hours_needed"
                    | "score",
                ) => number(cell),
                _ => s(cell),
            };
            fields.push((name, value));
        }
        match (lat, lon) {
            (Some(la), Some(lo)) => fields.push(("location", map(vec![("lat", la), ("lon", lo)]))),
            (None, None) => {}
            (la, lo) => fields.push((
                "location",
                map([la.map(|v| ("lat", v)), lo.map(|v| ("lon", v))].into_iter().flatten().collect()),
            )),
        }
        rows.push(map(fields));
    }
    Ok(Value::Seq(rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use participatienetwerk::ReadOptions;

    #[test]
    fn an_endless_input_stops_at_the_cap() {
        let path = Path::new("/dev/zero");
        let e = read_capped(path, std::io::repeat(0), 1_000).unwrap_err();
        assert_eq!(e.problems()[0].message, "/dev/zero: has more than 1000 bytes");
        let ok = read_capped(path, std::io::Cursor::new(b"[]".to_vec()), 1_000).unwrap();
        assert_eq!(ok, "[]");
        let exact = read_capped(path, std::io::Cursor::new(vec![b' '; 1_000]), 1_000).unwrap();
        assert_eq!(exact.len(), 1_000);
    }

    #[test]
    fn csv_experts_read_like_json() {
        let text =
            "id,municipalities,skills,remote,lat,lon\ne-1,GM0363;GM0457,Wmo:3;subsidie: aanvragen:4,true,52.1,4.9\n";
        let v = csv_records(text, RecordKind::Expert).unwrap();
        let e = validate::read_experts(v, ReadOptions::default()).unwrap();
        assert_eq!(e[0].municipalities, vec!["GM0363", "GM0457"]);
        assert_eq!(e[0].skills[1].label, "subsidie: aanvragen");
        assert_eq!(e[0].skills[1].level, 4);
        assert_eq!(e[0].remote, Some(true));
        assert_eq!(e[0].location.unwrap().lat, 52.1);
    }

    #[test]
    fn csv_needs_with_optional_parts() {
        let text = "id,municipality,needs\ni-1,GM0344,subsidie aanvragen:2;vergunning:3:4:required;avg\n";
        let v = csv_records(text, RecordKind::Initiative).unwrap();
        let i = validate::read_initiatives(v, ReadOptions::default()).unwrap();
        let n = &i[0].needs;
        assert_eq!(
            (n[0].label.as_str(), n[0].weight, n[0].min_level, n[0].required),
            ("subsidie aanvragen", 2.0, 1, false)
        );
        assert_eq!((n[1].label.as_str(), n[1].weight, n[1].min_level, n[1].required), ("vergunning", 3.0, 4, true));
        assert_eq!(n[2].label, "avg");
    }

    #[test]
    fn unknown_csv_column_is_an_unknown_field() {
        let text = "id,municipalities,skils\ne-1,GM0363,Wmo:3\n";
        let v = csv_records(text, RecordKind::Expert).unwrap();
        let e = validate::read_experts(v, ReadOptions::default()).unwrap_err();
        assert!(e.to_string().contains("did you mean `skills`?"), "{e}");
    }
}
