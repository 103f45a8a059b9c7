//! The shared test vectors in `tests/vectors/*.json`: the single source of
//! truth for behaviour across Rust, Python and JS. Every binding runs the same
//! cases and must produce the same JSON, to the last digit.
//!
//! `BLESS=1 cargo test --test vectors` writes the current results into the
//! `expected` fields; review the diff by hand before committing it.

use participatienetwerk::assign::{self, assign_edges, assign_indexed};
use participatienetwerk::validate::{self, ReadOptions, Value};
use participatienetwerk::{Config, Error, Matcher, Registry, Settings, Taxonomy};
use serde_json::{json, Value as Json};
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors")
}

fn raw(v: &Json) -> Value {
    serde_json::from_value(v.clone()).unwrap()
}

fn settings(file: &Json, case: &Json) -> Result<Settings, Error> {
    let registry = match file.get("registry") {
        Some(r) => validate::read_registry(raw(r), ReadOptions::default())?,
        None => Registry::default(),
    };
    let taxonomy = file.get("taxonomy").map(|t| Taxonomy::from_value(raw(t))).transpose()?;
    let config = match case.get("config").or_else(|| file.get("config")) {
        Some(c) => Config::from_value(raw(c))?,
        None => Config::default(),
    };
    Ok(Settings { registry, taxonomy, config })
}

fn to_json<T: serde::Serialize>(v: T) -> Json {
    serde_json::to_value(v).unwrap()
}

/// Runs one case; errors come back as their problem codes.
fn run(file: &Json, case: &Json) -> Result<Json, Error> {
    let opts = ReadOptions::default();
    let k = case.get("k").and_then(Json::as_u64).unwrap_or(10) as usize;
    let matcher = || -> Result<Matcher, Error> {
        let experts = case.get("experts").or_else(|| file.get("experts")).unwrap();
        Matcher::new(validate::read_experts(raw(experts), opts)?, settings(file, case)?)
    };
    let op = case["op"].as_str().unwrap();
    let call = case.get("call").and_then(Json::as_str).unwrap_or(op);
    Ok(match call {
        "rank" => to_json(matcher()?.rank(&validate::read_initiative(raw(&case["initiative"]), opts)?, k)?),
        "rank_many" => to_json(matcher()?.rank_many(&validate::read_initiatives(raw(&case["initiatives"]), opts)?, k)?),
        "explain" => to_json(matcher()?.explain(
            &validate::read_initiative(raw(&case["initiative"]), opts)?,
            case["expert_id"].as_str().unwrap(),
        )?),
        "rank_initiatives" => to_json(matcher()?.rank_initiatives(
            &validate::read_expert(raw(&case["expert"]), opts)?,
            &validate::read_initiatives(raw(&case["initiatives"]), opts)?,
            k,
        )?),
        "matcher" => to_json(matcher()?.len()),
        "suggest_needs" => {
            let loose = ReadOptions { labels_optional: true, ..opts };
            to_json(matcher()?.suggest_needs(&validate::read_initiative(raw(&case["initiative"]), loose)?)?)
        }
        "assign" => {
            let loose = ReadOptions { labels_optional: true, ..opts };
            let experts =
                || validate::read_experts(raw(case.get("experts").or_else(|| file.get("experts")).unwrap()), loose);
            let initiatives = || validate::read_initiatives(raw(&case["initiatives"]), loose);
            match (case.get("edges"), case.get("indexed_edges")) {
                (Some(edges), _) => to_json(assign_edges(
                    experts()?,
                    &initiatives()?,
                    &validate::read_edges(raw(edges), opts)?,
                    settings(file, case)?,
                )?),
                (None, Some(edges)) => to_json(assign_indexed(
                    experts()?,
                    &initiatives()?,
                    &validate::read_indexed_edges(raw(edges), opts)?,
                    settings(file, case)?,
                )?),
                (None, None) => {
                    to_json(assign::assign(&matcher()?, &validate::read_initiatives(raw(&case["initiatives"]), opts)?)?)
                }
            }
        }
        "validate" => {
            let side = |name: &str| case.get(name).filter(|v| !v.is_null()).map(raw);
            to_json(validate::problems(side("experts"), side("initiatives"), opts))
        }
        other => panic!("unknown op {other}"),
    })
}

#[test]
fn vectors() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "vectors missing in {}", dir().display());
    let mut cases = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut file: Json = serde_json::from_str(&text).unwrap();
        let n = file["cases"].as_array().unwrap().len();
        for c in 0..n {
            let case = file["cases"][c].clone();
            let name = format!("{} case {c} ({})", path.display(), case["op"]);
            let got = run(&file, &case);
            cases += 1;
            if case["op"] == "error" {
                let codes: Vec<Json> = match &got {
                    Ok(v) => panic!("{name}: expected an error, got {v}"),
                    Err(e) => e.problems().iter().map(|p| json!(p.code.as_str())).collect(),
                };
                assert_eq!(Json::Array(codes), case["expected_codes"], "{name}");
                continue;
            }
            let got = got.unwrap_or_else(|e| panic!("{name}: {e}"));
            if bless {
                file["cases"][c]["expected"] = got;
            } else {
                assert_eq!(got, case["expected"], "{name}");
            }
        }
        if bless {
            let mut out = serde_json::to_string_pretty(&file).unwrap();
            out.push('\n');
            std::fs::write(&path, out).unwrap();
        }
    }
    assert!(cases >= 30, "only {cases} cases");
}
