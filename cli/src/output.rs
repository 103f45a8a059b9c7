//! Printing results as tables, JSON or CSV. Tables go to stdout; progress to stderr.
//!
//! Every write goes through [`Stdout`], which keeps the first failure instead
//! of panicking: a reader that closes the pipe early (`| head`) ends the run
//! quietly, and a full disk is reported once at the end ([`finish`]).

use crate::Format;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use participatienetwerk::{Error, Explanation, Initiative, Match, Matcher, NeedMatch, Registry, SuggestedNeed, Via};
use serde::Serialize;
use std::io::{self, Write};
use std::sync::Mutex;
use std::time::Duration;

/// The first failure writing to stdout, if any; later writes are skipped.
static WRITE_FAILURE: Mutex<Option<io::Error>> = Mutex::new(None);

/// Standard output that records its first failure instead of returning it.
pub struct Stdout;

impl Stdout {
    fn failed() -> bool {
        WRITE_FAILURE.lock().map(|f| f.is_some()).unwrap_or(true)
    }

    fn record(e: io::Error) {
        if let Ok(mut f) = WRITE_FAILURE.lock() {
            f.get_or_insert(e);
        }
    }
}

impl Write for Stdout {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !Self::failed() {
            if let Err(e) = io::stdout().lock().write_all(buf) {
                Self::record(e);
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !Self::failed() {
            if let Err(e) = io::stdout().lock().flush() {
                Self::record(e);
            }
        }
        Ok(())
    }
}

/// Writes one line to [`Stdout`].
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!($crate::output::Stdout, $($arg)*);
    }};
}
pub(crate) use outln;

/// Flushes stdout and returns the first write failure of the run, if any.
pub fn finish() -> Option<io::Error> {
    let _ = Stdout.flush();
    WRITE_FAILURE.lock().ok().and_then(|mut f| f.take())
}

/// A progress bar on stderr for runs long enough to need one; hidden when
/// stderr is not a terminal.
pub fn progress(total: usize) -> ProgressBar {
    if total < 1_000 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} initiatives ({eta} left)") {
        bar.set_style(style);
    }
    bar
}

/// A CSV cell that a spreadsheet will not run as a formula: text starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
/// (the OWASP rule for CSV injection).
fn cell(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// Writes one CSV row, every cell through [`cell`].
fn row<const N: usize>(w: &mut csv::Writer<Stdout>, cells: [&str; N]) {
    let _ = w.write_record(cells.map(cell).iter().map(|c| c.as_bytes()));
}

/// Text from the input as a table shows it: control characters and
/// direction overrides written as `\u{..}` escapes, so an id cannot move the
/// cursor, clear the screen or reverse the line.
fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if text.chars().any(hidden) {
        text.chars()
            .map(|c| if hidden(c) { c.escape_unicode().to_string() } else { c.to_string() })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

fn via(v: Via) -> &'static str {
    match v {
        Via::Exact => "exact",
        Via::Synonym => "synonym",
        Via::Broader => "broader",
        Via::Narrower => "narrower",
        Via::Related => "related",
        Via::Words => "words",
        Via::Fuzzy => "fuzzy",
        Via::None => "none",
    }
}

fn print_json(v: &impl Serialize) {
    match serde_json::to_string_pretty(v) {
        Ok(s) => outln!("{s}"),
        Err(e) => eprintln!("error: {e}"),
    }
}

fn need_lines(m: &Match, indent: &str) {
    let context = m.context.as_ref().map(|c| NeedMatch { need: format!("(beschrijving: {})", c.need), ..c.clone() });
    for n in m.needs.iter().chain(&context) {
        match &n.skill {
            Some(skill) => outln!(
                "{indent}{:<40} <- {:<44} {:<8} gelijkenis {:.2} x niveau {:.2} = +{:.4}",
                shown(&n.need),
                shown(skill),
                via(n.via),
                n.similarity,
                n.level_factor,
                n.contribution
            ),
            None => outln!("{indent}{:<40} <- (niet gedekt)", shown(&n.need)),
        }
    }
    if !m.missing_required.is_empty() {
        outln!("{indent}mist vereist: {}", shown(&m.missing_required.join("; ")));
    }
}

#[derive(Serialize)]
struct RankRow<'a> {
    initiative_id: &'a str,
    matches: &'a [Match],
}

/// Prints the rankings of many initiatives.
pub fn rankings(initiatives: &[Initiative], results: &[Vec<Match>], format: Format) {
    match format {
        Format::Json => {
            let rows: Vec<RankRow> =
                initiatives.iter().zip(results).map(|(i, m)| RankRow { initiative_id: &i.id, matches: m }).collect();
            print_json(&rows);
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Stdout);
            row(&mut w, ["initiative_id", "rank", "expert_id", "score", "explanation", "missing_required"]);
            for (i, ms) in initiatives.iter().zip(results) {
                for (r, m) in ms.iter().enumerate() {
                    let explanation: Vec<String> = m
                        .needs
                        .iter()
                        .map(|n| match &n.skill {
                            Some(s) => format!("{} <- {} ({} {:.2})", n.need, s, via(n.via), n.similarity),
                            None => format!("{} <- none", n.need),
                        })
                        .collect();
                    row(
                        &mut w,
                        [
                            i.id.as_str(),
                            &(r + 1).to_string(),
                            &m.expert_id,
                            &m.score.to_string(),
                            &explanation.join(" | "),
                            &m.missing_required.join(" | "),
                        ],
                    );
                }
            }
            let _ = w.flush();
        }
        Format::Table => {
            for (i, ms) in initiatives.iter().zip(results) {
                outln!("{} {} [{}]", shown(&i.id), shown(&i.title), shown(&i.municipality));
                if ms.is_empty() {
                    outln!("  (geen expert met een passende vaardigheid die in aanmerking komt)");
                }
                for (r, m) in ms.iter().enumerate() {
                    outln!("  {:>2}. {:<14} {:.4}", r + 1, shown(&m.expert_id), m.score);
                    need_lines(m, "        ");
                }
            }
        }
    }
}

#[derive(Serialize)]
struct SuggestRow<'a> {
    initiative_id: &'a str,
    suggestions: &'a [SuggestedNeed],
}

/// Prints the needs suggested for each initiative.
pub fn suggestions(initiatives: &[Initiative], found: &[Vec<SuggestedNeed>], format: Format) {
    match format {
        Format::Json => {
            let rows: Vec<SuggestRow> = initiatives
                .iter()
                .zip(found)
                .map(|(i, s)| SuggestRow { initiative_id: &i.id, suggestions: s })
                .collect();
            print_json(&rows);
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Stdout);
            row(&mut w, ["initiative_id", "label", "concept", "found", "triggers"]);
            for (i, ss) in initiatives.iter().zip(found) {
                for s in ss {
                    row(&mut w, [i.id.as_str(), &s.label, &s.concept, &s.found, &s.triggers.join(" ")]);
                }
            }
            let _ = w.flush();
        }
        Format::Table => {
            for (i, ss) in initiatives.iter().zip(found) {
                outln!("{} {}", shown(&i.id), shown(&i.title));
                if ss.is_empty() {
                    outln!("  (geen bekend begrip in de titel of beschrijving)");
                }
                for s in ss {
                    outln!("  {:<44} {:<32} <- {}", shown(&s.label), s.concept, shown(&s.triggers.join(", ")));
                }
            }
        }
    }
}

/// Prints one explanation.
pub fn explanation(e: &Explanation, format: Format) {
    match (format, e) {
        (Format::Json | Format::Csv, _) => print_json(e),
        (Format::Table, Explanation::Match(m)) => {
            outln!("{} voor {}: score {:.4}", shown(&m.expert_id), shown(&m.initiative_id), m.score);
            need_lines(m, "  ");
            if let Some(d) = m.distance_km {
                outln!("  afstand {d:.1} km, factor {:.3}", m.distance_factor);
            }
        }
        (Format::Table, Explanation::Exclusion(x)) => {
            let reason =
                serde_json::to_value(x.reason).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            outln!(
                "{} komt niet in aanmerking voor {}: {reason} — {}",
                shown(&x.expert_id),
                shown(&x.initiative_id),
                shown(&x.detail)
            );
        }
    }
}

fn reason_text<T: Serialize>(r: T) -> String {
    serde_json::to_value(r).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// Prints an assignment.
pub fn assignment(a: &participatienetwerk::Assignment, format: Format) {
    match format {
        Format::Json => print_json(a),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Stdout);
            row(&mut w, ["initiative_id", "expert_id", "score"]);
            for p in &a.pairs {
                row(&mut w, [p.initiative_id.as_str(), &p.expert_id, &p.score.to_string()]);
            }
            let _ = w.flush();
        }
        Format::Table => {
            for p in &a.pairs {
                outln!("{:<16} <- {:<16} {:.4}", shown(&p.initiative_id), shown(&p.expert_id), p.score);
            }
            for u in &a.unassigned {
                outln!(
                    "{:<16} {} plaats(en) leeg: {} — {}",
                    shown(&u.initiative_id),
                    u.missing,
                    reason_text(u.reason),
                    shown(&u.detail)
                );
            }
            outln!(
                "{} paren, totale score {:.4} ({} eenheden), {} van {} initiatieven compleet, {} kandidaten",
                a.pairs.len(),
                a.total_score,
                a.objective_value,
                a.initiatives.iter().filter(|f| f.filled == f.wanted).count(),
                a.initiatives.len(),
                a.stats.candidates
            );
        }
    }
}

/// Everything the demo prints.
pub struct DemoReport<'a> {
    pub matcher: &'a Matcher,
    pub initiatives: &'a [Initiative],
    pub results: &'a [Vec<Match>],
    pub registry: &'a Registry,
    pub shared_services: &'a [(String, Vec<String>)],
    pub show: usize,
    pub k: usize,
    pub assignment: &'a participatienetwerk::Assignment,
    /// Generating, building, ranking, assigning.
    pub timings: [Duration; 4],
}

/// The current code of a possibly merged municipality — resolved here
/// independently of the engine, to check its output.
fn current<'a>(registry: &'a Registry, mut code: &'a str) -> &'a str {
    for _ in 0..=registry.successors.len() {
        match registry.successors.get(code) {
            Some(next) => code = next,
            None => break,
        }
    }
    code
}

fn named(registry: &Registry, code: &str) -> String {
    match registry.names.get(code) {
        Some(n) => format!("{code} {n}"),
        None => code.to_owned(),
    }
}

/// Prints the demo report; fails if any listed match breaks the rule.
pub fn demo(r: &DemoReport) -> Result<(), Error> {
    let experts = r.matcher.experts();
    let by_id: std::collections::HashMap<&str, &participatienetwerk::Expert> =
        experts.iter().map(|e| (e.id.as_str(), e)).collect();
    let municipalities: std::collections::BTreeSet<&str> =
        experts.iter().flat_map(|e| e.municipalities.iter().map(String::as_str)).collect();
    let shared = experts.iter().filter(|e| e.municipalities.len() > 1).count();
    let merged =
        experts.iter().filter(|e| e.municipalities.iter().any(|m| r.registry.successors.contains_key(m))).count();
    outln!("Participatienetwerk demo");
    outln!(
        "{} experts uit {} gemeenten ({} werken voor een samenwerkingsorganisatie, {} hebben nog een code van voor een fusie), {} initiatieven, {} verschillende vaardigheden",
        experts.len(),
        municipalities.len(),
        shared,
        merged,
        r.initiatives.len(),
        r.matcher.label_count()
    );
    outln!(
        "gemaakt in {:.0} ms, index gebouwd in {:.0} ms, {} initiatieven gerangschikt (top {}) in {:.0} ms",
        r.timings[0].as_secs_f64() * 1e3,
        r.timings[1].as_secs_f64() * 1e3,
        r.initiatives.len(),
        r.k,
        r.timings[2].as_secs_f64() * 1e3
    );
    let service_of = |e: &participatienetwerk::Expert| {
        r.shared_services
            .iter()
            .find(|(_, ms)| e.municipalities.len() > 1 && e.municipalities.iter().all(|m| ms.contains(m)))
            .map(|(n, _)| format!(" ({n})"))
            .unwrap_or_default()
    };
    let initiative_of: std::collections::HashMap<&str, &Initiative> =
        r.initiatives.iter().map(|i| (i.id.as_str(), i)).collect();
    let breaks = |initiative_id: &str, expert_id: &str| {
        let (Some(i), Some(e)) = (initiative_of.get(initiative_id), by_id.get(expert_id)) else { return true };
        let home = current(r.registry, &i.municipality);
        e.municipalities.iter().any(|c| current(r.registry, c) == home)
    };
    let listed: Vec<(&str, &str)> = r
        .results
        .iter()
        .flatten()
        .map(|m| (m.initiative_id.as_str(), m.expert_id.as_str()))
        .chain(r.assignment.pairs.iter().map(|p| (p.initiative_id.as_str(), p.expert_id.as_str())))
        .collect();
    let violations = listed.iter().filter(|(i, e)| breaks(i, e)).count();
    for (i, ms) in r.initiatives.iter().zip(r.results).take(r.show) {
        outln!();
        outln!("{} \"{}\" in {}", i.id, i.title, named(r.registry, &i.municipality));
        let needs: Vec<String> = i
            .needs
            .iter()
            .map(|n| format!("{} (gewicht {}{})", n.label, n.weight, if n.required { ", vereist" } else { "" }))
            .collect();
        outln!("  behoeften: {}", needs.join("; "));
        for (rank, m) in ms.iter().enumerate() {
            let works: Vec<String> = by_id
                .get(m.expert_id.as_str())
                .map(|e| e.municipalities.iter().map(|c| named(r.registry, c)).collect())
                .unwrap_or_default();
            let org = by_id.get(m.expert_id.as_str()).map(|e| service_of(e)).unwrap_or_default();
            outln!("  {}. {}  score {:.4}  werkt voor {}{}", rank + 1, m.expert_id, m.score, works.join(", "), org);
            need_lines(m, "       ");
        }
        let detailed = r.matcher.rank_detailed(i, r.k)?;
        for x in detailed.excluded.iter().take(3) {
            let reason =
                serde_json::to_value(x.reason).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
            outln!("  uitgesloten {}: {reason} — {}", x.expert_id, x.detail);
        }
    }
    let with_match = r.results.iter().filter(|m| !m.is_empty()).count();
    let tops: Vec<f64> = r.results.iter().filter_map(|m| m.first().map(|x| x.score)).collect();
    let mean = if tops.is_empty() { 0.0 } else { tops.iter().sum::<f64>() / tops.len() as f64 };
    outln!();
    let a = r.assignment;
    outln!();
    outln!(
        "toewijzing (exact optimum, {} kandidaatparen, {:.0} ms): {} paren, totale score {:.3}, {} van {} initiatieven compleet",
        a.stats.candidates,
        r.timings[3].as_secs_f64() * 1e3,
        a.pairs.len(),
        a.total_score,
        a.initiatives.iter().filter(|f| f.filled == f.wanted).count(),
        a.initiatives.len()
    );
    for p in a.pairs.iter().take(r.show * 2) {
        let works: Vec<String> = by_id
            .get(p.expert_id.as_str())
            .map(|e| e.municipalities.iter().map(|c| named(r.registry, c)).collect())
            .unwrap_or_default();
        let town =
            initiative_of.get(p.initiative_id.as_str()).map(|i| named(r.registry, &i.municipality)).unwrap_or_default();
        outln!("  {} ({}) <- {} ({})  {:.4}", p.initiative_id, town, p.expert_id, works.join(", "), p.score);
    }
    for u in a.unassigned.iter().take(3) {
        outln!("  {} heeft {} lege plaats(en): {} — {}", u.initiative_id, u.missing, reason_text(u.reason), u.detail);
    }
    outln!();
    outln!(
        "samenvatting: {} van {} initiatieven hebben een match, gemiddelde beste score {:.3}; {} getoonde matches en toegewezen paren getoetst aan de regel andere gemeente: {} overtredingen",
        with_match,
        r.initiatives.len(),
        mean,
        listed.len(),
        violations
    );
    if violations > 0 {
        return Err(Error::single(participatienetwerk::Problem::new(
            participatienetwerk::Code::SameMunicipality,
            participatienetwerk::RecordKind::Input,
            "",
            format!("{violations} listed matches break the different-municipality rule"),
        )));
    }
    Ok(())
}
