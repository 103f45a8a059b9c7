//! The command as a user runs it: exit codes, messages, formats.

use std::path::PathBuf;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_participatienetwerk"))
}

fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pn-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

const EXPERTS: &str = r#"[
  {"id": "e-1", "municipalities": ["GM0363"], "skills": [{"label": "Omgevingsvergunning", "level": 4}]},
  {"id": "e-2", "municipalities": ["GM0344"], "skills": [{"label": "omgevingsvergunningen", "level": 5}]}
]"#;
const INITIATIVES: &str = r#"[{"id": "i-1", "municipality": "GM0344", "needs": [{"label": "vergunning omgeving"}]}]"#;

#[test]
fn rank_json_lists_only_other_municipalities() {
    let e = write("experts.json", EXPERTS);
    let i = write("initiatives.json", INITIATIVES);
    let out =
        run(&["rank", "--experts", e.to_str().unwrap(), "--initiatives", i.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["initiative_id"], "i-1");
    assert_eq!(v[0]["matches"].as_array().unwrap().len(), 1);
    assert_eq!(v[0]["matches"][0]["expert_id"], "e-1");
    assert_eq!(v[0]["matches"][0]["needs"][0]["via"], "exact");
}

#[test]
fn explain_names_the_reason() {
    let e = write("experts2.json", EXPERTS);
    let i = write("initiatives2.json", INITIATIVES);
    let out = run(&[
        "explain",
        "--experts",
        e.to_str().unwrap(),
        "--initiatives",
        i.to_str().unwrap(),
        "--initiative-id",
        "i-1",
        "--expert-id",
        "e-2",
    ]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("same_municipality") && text.contains("werkt voor GM0344"), "{text}");
}

#[test]
fn bad_input_fails_fast_with_every_problem() {
    let huge = "x".repeat(1_000_000);
    let experts = format!(
        r#"[{{"id": "e-17", "municipalities": ["GM363"], "skills": [{{"label": "a", "level": 9}}]}},
            {{"id": "e-17", "municipalities": ["GM0363"], "skils": [{{"label": "b", "level": 2}}]}},
            {{"id": "e-3", "municipalities": ["GM0363"], "skills": [{{"label": "{huge}", "level": 2}}]}}]"#
    );
    let e = write("bad-experts.json", &experts);
    let i = write(
        "bad-initiatives.json",
        r#"[{"id": "i-1", "municipality": "GM0344", "needs": [{"label": "x", "weight": -1}]}]"#,
    );
    let start = Instant::now();
    let out = run(&["validate", "--experts", e.to_str().unwrap(), "--initiatives", i.to_str().unwrap()]);
    assert!(start.elapsed() < Duration::from_secs(1), "{:?}", start.elapsed());
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for want in [
        r#"expert "e-17": skills[0].level must be 1..=5, got 9"#,
        r#"expert "e-17": municipalities[0] must be `GM` followed by 4 digits, got "GM363""#,
        r#"expert "e-17": skils is an unknown field, did you mean `skills`?"#,
        r#"expert "e-17": id is also used by record #0"#,
        r#"expert "e-3": skills[0].label has 1000000 characters, at most 200"#,
        r#"initiative "i-1": needs[0].weight must be finite, > 0 and <= 1000000, got -1"#,
    ] {
        assert!(err.contains(want), "missing {want:?} in\n{err}");
    }
}

#[test]
fn nan_weight_in_csv_is_named() {
    let e = write("nan-experts.csv", "id,municipalities,skills\ne-1,GM0363,Wmo:3\n");
    let i = write("nan-initiatives.csv", "id,municipality,needs\ni-7,GM0344,Wmo:NaN\n");
    let out = run(&["rank", "--experts", e.to_str().unwrap(), "--initiatives", i.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(r#"initiative "i-7": needs[0].weight must be finite, > 0 and <= 1000000, got NaN"#), "{err}");
}

#[test]
fn csv_input_and_csv_output() {
    let e = write(
        "experts.csv",
        "id,municipalities,skills\ne-1,GM0363,Omgevingsvergunning:4\ne-2,GM0344,omgevingsvergunning:5\n",
    );
    let i = write("initiatives.csv", "id,municipality,needs\ni-1,GM0344,vergunning omgeving:2:1:required\n");
    let out = run(&["rank", "--experts", e.to_str().unwrap(), "--initiatives", i.to_str().unwrap(), "--format", "csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "initiative_id,rank,expert_id,score,explanation,missing_required");
    assert!(lines[1].starts_with("i-1,1,e-1,0.9,"), "{text}");
    assert_eq!(lines.len(), 2);
}

#[test]
fn json_files_with_a_byte_order_mark_are_read() {
    let e = write(
        "bom-experts.json",
        "\u{feff}[{\"id\": \"e-1\", \"municipalities\": [\"GM0363\"], \"skills\": [{\"label\": \"Wmo\", \"level\": 4}]}]",
    );
    let i = write(
        "bom-initiatives.json",
        "\u{feff}[{\"id\": \"i-1\", \"municipality\": \"GM0344\", \"needs\": [{\"label\": \"Wmo\"}]}]",
    );
    let out = run(&["rank", "--experts", e.to_str().unwrap(), "--initiatives", i.to_str().unwrap(), "--format", "csv"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).lines().nth(1).is_some_and(|l| l.starts_with("i-1,1,e-1,")));
}

#[test]
fn assign_with_edges_rejects_a_same_municipality_pair() {
    let e = write("edge-experts.json", r#"[{"id": "e-1", "municipalities": ["GM0363"]}]"#);
    let i = write("edge-initiatives.json", r#"[{"id": "i-1", "municipality": "GM0363"}]"#);
    let g = write("edges.csv", "initiative_id,expert_id,score\ni-1,e-1,0.5\n");
    let out = run(&[
        "assign",
        "--experts",
        e.to_str().unwrap(),
        "--initiatives",
        i.to_str().unwrap(),
        "--edges",
        g.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(r#"edge "i-1 / e-1""#) && err.contains("own municipality"), "{err}");
}

#[test]
fn assign_json_respects_capacity() {
    let e = write("cap-experts.json", EXPERTS);
    let i = write(
        "cap-initiatives.json",
        r#"[{"id": "i-1", "municipality": "GM0599", "needs": [{"label": "omgevingsvergunning"}]},
            {"id": "i-2", "municipality": "GM0599", "needs": [{"label": "omgevingsvergunning"}]}]"#,
    );
    let out =
        run(&["assign", "--experts", e.to_str().unwrap(), "--initiatives", i.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let pairs: Vec<(String, String)> = v["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["initiative_id"].as_str().unwrap().to_owned(), p["expert_id"].as_str().unwrap().to_owned()))
        .collect();
    // Each expert takes one initiative; the stronger e-2 and e-1 split them.
    assert_eq!(pairs.len(), 2);
    assert_ne!(pairs[0].1, pairs[1].1);
    assert_eq!(v["unassigned"].as_array().unwrap().len(), 0);
}

#[test]
fn demo_runs_and_reports_no_violations() {
    let out = run(&["demo", "--experts", "500", "--initiatives", "10"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("toewijzing (exact optimum"), "{text}");
    assert!(text.contains(": 0 overtredingen"), "{text}");
}

#[test]
fn suggest_reads_initiatives_without_needs_and_names_the_words() {
    let i = write(
        "suggest.json",
        r#"[{"id": "i-9", "municipality": "GM0344", "title": "Zonnepanelen op het buurthuis",
             "description": "We willen een stichting oprichten."}]"#,
    );
    let out = run(&["suggest", "--initiatives", i.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["initiative_id"], "i-9");
    let found = v[0]["suggestions"].as_array().unwrap();
    let triggers: Vec<&str> =
        found.iter().flat_map(|s| s["triggers"].as_array().unwrap()).map(|t| t.as_str().unwrap()).collect();
    assert!(triggers.contains(&"zonnepanelen") && triggers.contains(&"stichting"), "{v}");
    let table = run(&["suggest", "--initiatives", i.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("<- zonnepanelen"));
}

#[test]
fn rank_table_names_missing_required_needs() {
    let e = write(
        "req-experts.json",
        r#"[{"id": "e-1", "municipalities": ["GM0363"], "skills": [{"label": "subsidieaanvraag", "level": 4}]}]"#,
    );
    let i = write(
        "req-initiatives.json",
        r#"[{"id": "i-1", "municipality": "GM0344", "needs": [{"label": "subsidie aanvragen"}, {"label": "Bibob-toets", "required": true}]}]"#,
    );
    let out = run(&["rank", "--experts", e.to_str().unwrap(), "--initiatives", i.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("mist vereist: Bibob-toets"));
}

#[test]
fn a_reader_that_stops_early_ends_the_run_quietly() {
    use std::io::{BufRead, BufReader};
    let mut child =
        bin().args(["demo"]).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert_eq!(first.trim(), "Participatienetwerk demo");
    // The reader is gone (as with `| head -1`); the rest of the output has nowhere to go.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "exit {:?}: {stderr}", out.status.code());
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn output_that_cannot_be_written_is_an_error() {
    let e = write("experts-full.json", EXPERTS);
    let i = write("initiatives-full.json", INITIATIVES);
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = bin()
        .args(["rank", "--experts", e.to_str().unwrap(), "--initiatives", i.to_str().unwrap(), "--format", "csv"])
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(74), "{stderr}");
    assert!(stderr.contains("the output could not be written"), "{stderr}");
}

#[test]
fn csv_cells_cannot_become_formulas_and_tables_show_control_characters() {
    let experts = r#"[
      {"id": "=HYPERLINK(\"http://x\")", "municipalities": ["GM0363"], "skills": [{"label": "Omgevingsvergunning", "level": 4}]},
      {"id": "e-\u001b[2J\u202e", "municipalities": ["GM0518"], "skills": [{"label": "Omgevingsvergunning", "level": 3}]}
    ]"#;
    let e = write("experts-hostile.json", experts);
    let i = write("initiatives-hostile.json", INITIATIVES);
    let args = ["rank", "--experts", e.to_str().unwrap(), "--initiatives", i.to_str().unwrap(), "--format"];
    let csv_out = bin().args(args).arg("csv").output().unwrap();
    assert!(csv_out.status.success(), "{}", String::from_utf8_lossy(&csv_out.stderr));
    let csv_text = String::from_utf8(csv_out.stdout).unwrap();
    assert!(csv_text.contains(r#""'=HYPERLINK(""http://x"")""#), "{csv_text}");
    let table = bin().args(args).arg("table").output().unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'), "{text:?}");
    assert!(text.contains(r"e-\u{1b}[2J\u{202e}"), "{text}");
}

#[test]
fn readme_commands_run_as_written() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let section = readme.split("## Command line").nth(1).unwrap();
    let block = section.split("```sh").nth(1).unwrap().split("```").next().unwrap();
    let prefix = "cargo run --release -p participatienetwerk-cli -- ";
    let lines: Vec<&str> = block.lines().filter_map(|l| l.trim().strip_prefix(prefix)).collect();
    assert!(lines.len() >= 6, "{block}");
    let dir = std::env::temp_dir().join(format!("pn-cli-readme-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for line in lines {
        let out = bin().args(line.split_whitespace()).current_dir(&dir).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{line}: {}{stdout}", String::from_utf8_lossy(&out.stderr));
        assert!(!stdout.trim().is_empty(), "{line}: no output");
    }
    assert!(dir.join("demo-data/registry.json").is_file());
}
