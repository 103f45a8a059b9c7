//! The `participatienetwerk` command: demo, validate, rank, explain, assign.

mod input;
mod output;

use clap::{Args, Parser, Subcommand, ValueEnum};
use participatienetwerk::{
    demo, validate, Config, Error, Initiative, Matcher, ReadOptions, RecordKind, Registry, Settings, Taxonomy,
};
use std::path::PathBuf;
use std::process::ExitCode;

/// Matches civic initiatives with civil servants from other municipalities.
#[derive(Parser)]
#[command(name = "participatienetwerk", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ranks experts on a seeded synthetic data set and explains the matches.
    Demo(DemoArgs),
    /// Checks expert and initiative files and prints every problem.
    Validate(ValidateArgs),
    /// Ranks experts for every initiative.
    Rank(RankArgs),
    /// Explains one expert's fit for one initiative.
    Explain(ExplainArgs),
    /// Assigns experts to initiatives under capacities (exact optimum or stable matching).
    Assign(AssignArgs),
    /// Suggests needs from each initiative's title and description (needs may be left out).
    Suggest(SuggestArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Table,
    Json,
    Csv,
}

#[derive(Args)]
struct DemoArgs {
    /// Number of experts.
    #[arg(long, default_value_t = 2_000)]
    experts: usize,
    /// Number of initiatives.
    #[arg(long, default_value_t = 40)]
    initiatives: usize,
    /// Random seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// How many initiatives to show in full.
    #[arg(long, default_value_t = 3)]
    show: usize,
    /// Experts per initiative.
    #[arg(short, default_value_t = 3)]
    k: usize,
    /// Also write the generated data to this directory (experts.json,
    /// initiatives.json, registry.json), to try the other commands on.
    #[arg(long)]
    write: Option<PathBuf>,
}

#[derive(Args)]
struct Common {
    /// Experts file (JSON array or CSV).
    #[arg(long)]
    experts: PathBuf,
    /// Initiatives file (JSON array or CSV).
    #[arg(long)]
    initiatives: PathBuf,
    /// Registry of merger successors and names (JSON).
    #[arg(long)]
    registry: Option<PathBuf>,
    /// Taxonomy (JSON); replaces the built-in one unless it sets `extend_builtin`.
    #[arg(long)]
    taxonomy: Option<PathBuf>,
    /// Scoring configuration (JSON); fields left out keep their defaults.
    #[arg(long)]
    config: Option<PathBuf>,
    /// Skip fields the format does not know instead of reporting them.
    #[arg(long)]
    ignore_unknown_fields: bool,
}

#[derive(Args)]
struct ValidateArgs {
    /// Experts file (JSON array or CSV).
    #[arg(long)]
    experts: Option<PathBuf>,
    /// Initiatives file (JSON array or CSV).
    #[arg(long)]
    initiatives: Option<PathBuf>,
    /// Skip fields the format does not know instead of reporting them.
    #[arg(long)]
    ignore_unknown_fields: bool,
}

#[derive(Args)]
struct RankArgs {
    #[command(flatten)]
    common: Common,
    /// Experts per initiative.
    #[arg(short, default_value_t = 10)]
    k: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Args)]
struct ExplainArgs {
    #[command(flatten)]
    common: Common,
    /// The initiative.
    #[arg(long)]
    initiative_id: String,
    /// The expert.
    #[arg(long)]
    expert_id: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Args)]
struct AssignArgs {
    #[command(flatten)]
    common: Common,
    /// Scored candidate pairs (`initiative_id,expert_id,score`, CSV or JSON)
    /// instead of scores from skills; skills and needs may then be empty.
    #[arg(long)]
    edges: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Args)]
struct SuggestArgs {
    /// Initiatives file (JSON array or CSV); needs may be left out.
    #[arg(long)]
    initiatives: PathBuf,
    /// Taxonomy (JSON); replaces the built-in one unless it sets `extend_builtin`.
    #[arg(long)]
    taxonomy: Option<PathBuf>,
    /// Skip fields the format does not know instead of reporting them.
    #[arg(long)]
    ignore_unknown_fields: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(a) => run_demo(a),
        Command::Validate(a) => run_validate(a),
        Command::Rank(a) => run_rank(a),
        Command::Explain(a) => run_explain(a),
        Command::Assign(a) => run_assign(a),
        Command::Suggest(a) => run_suggest(a),
    };
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {} problem(s)", e.problems().len());
            for p in e.problems() {
                eprintln!("  {p}");
            }
            ExitCode::FAILURE
        }
    };
    match output::finish() {
        None => code,
        // The reader has all it wanted (`| head`): like other Unix tools, no error.
        Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Some(e) => {
            eprintln!("error: the output could not be written: {e}");
            ExitCode::from(74)
        }
    }
}

fn opts(ignore: bool) -> ReadOptions {
    ReadOptions { ignore_unknown_fields: ignore, ..ReadOptions::default() }
}

struct Loaded {
    matcher: Matcher,
    initiatives: Vec<Initiative>,
}

struct Records {
    experts: Vec<participatienetwerk::Expert>,
    initiatives: Vec<Initiative>,
    settings: Settings,
}

fn load(c: &Common) -> Result<Loaded, Error> {
    let r = records(c, opts(c.ignore_unknown_fields))?;
    Ok(Loaded { matcher: Matcher::new(r.experts, r.settings)?, initiatives: r.initiatives })
}

fn records(c: &Common, o: ReadOptions) -> Result<Records, Error> {
    let mut problems = Vec::new();
    fn keep_in<T>(problems: &mut Vec<participatienetwerk::Problem>, r: Result<T, Error>) -> Option<T> {
        r.map_err(|e| problems.extend(e.problems().iter().cloned())).ok()
    }
    macro_rules! keep {
        ($e:expr) => {
            keep_in(&mut problems, $e)
        };
    }
    let experts = keep!(input::read_experts(&c.experts, o));
    let initiatives = keep!(input::read_initiatives(&c.initiatives, o));
    let registry = match &c.registry {
        Some(p) => keep!(input::read_value(p, RecordKind::Registry).and_then(|v| validate::read_registry(v, o))),
        None => Some(Registry::default()),
    };
    let taxonomy = match &c.taxonomy {
        Some(p) => keep!(input::read_value(p, RecordKind::Taxonomy).and_then(Taxonomy::from_value).map(Some)),
        None => Some(None),
    };
    let config = match &c.config {
        Some(p) => keep!(input::read_value(p, RecordKind::Config).and_then(Config::from_value)),
        None => Some(Config::default()),
    };
    match (experts, initiatives, registry, taxonomy, config) {
        (Some(experts), Some(initiatives), Some(registry), Some(taxonomy), Some(config)) if problems.is_empty() => {
            Ok(Records { experts, initiatives, settings: Settings { registry, taxonomy, config } })
        }
        _ => Err(Error::Invalid(problems)),
    }
}

fn run_validate(a: ValidateArgs) -> Result<ExitCode, Error> {
    let o = opts(a.ignore_unknown_fields);
    let mut problems = Vec::new();
    let mut counts = Vec::new();
    for (path, kind) in [(&a.experts, RecordKind::Expert), (&a.initiatives, RecordKind::Initiative)] {
        let Some(path) = path else { continue };
        let read = match kind {
            RecordKind::Expert => input::read_experts(path, o).map(|x| x.len()),
            _ => input::read_initiatives(path, o).map(|x| x.len()),
        };
        match read {
            Ok(n) => counts.push(format!(
                "{n} {} records in {}",
                if kind == RecordKind::Expert { "expert" } else { "initiative" },
                path.display()
            )),
            Err(e) => problems.extend(e.problems().iter().cloned()),
        }
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    for c in counts {
        output::outln!("ok: {c}");
    }
    Ok(ExitCode::SUCCESS)
}

fn run_rank(a: RankArgs) -> Result<ExitCode, Error> {
    let l = load(&a.common)?;
    let bar = output::progress(l.initiatives.len());
    let results = l.matcher.rank_many_with(&l.initiatives, a.k, |done| bar.set_position(done as u64))?;
    bar.finish_and_clear();
    output::rankings(&l.initiatives, &results, a.format);
    Ok(ExitCode::SUCCESS)
}

fn run_explain(a: ExplainArgs) -> Result<ExitCode, Error> {
    let l = load(&a.common)?;
    let initiative = l.initiatives.iter().find(|i| i.id == a.initiative_id).ok_or_else(|| {
        Error::single(
            participatienetwerk::Problem::new(
                participatienetwerk::Code::UnknownId,
                RecordKind::Initiative,
                "id",
                "is not in the initiatives file",
            )
            .with_id(Some(&a.initiative_id)),
        )
    })?;
    let e = l.matcher.explain(initiative, &a.expert_id)?;
    output::explanation(&e, a.format);
    Ok(ExitCode::SUCCESS)
}

fn run_assign(a: AssignArgs) -> Result<ExitCode, Error> {
    let o = opts(a.common.ignore_unknown_fields);
    let result = match &a.edges {
        Some(path) => {
            let edges = input::read_value(path, RecordKind::Edge).and_then(|v| validate::read_edges(v, o))?;
            let r = records(&a.common, ReadOptions { labels_optional: true, ..o })?;
            participatienetwerk::assign::assign_edges(r.experts, &r.initiatives, &edges, r.settings)?
        }
        None => {
            let l = load(&a.common)?;
            let bar = output::progress(l.initiatives.len());
            let r = participatienetwerk::assign::assign_with(&l.matcher, &l.initiatives, None, |p| {
                if let participatienetwerk::assign::Progress::Candidates { done, .. } = p {
                    bar.set_position(done as u64);
                }
            });
            bar.finish_and_clear();
            r?
        }
    };
    output::assignment(&result, a.format);
    Ok(ExitCode::SUCCESS)
}

fn run_suggest(a: SuggestArgs) -> Result<ExitCode, Error> {
    let o = ReadOptions { labels_optional: true, ..opts(a.ignore_unknown_fields) };
    let initiatives = input::read_initiatives(&a.initiatives, o);
    let taxonomy = match &a.taxonomy {
        Some(p) => input::read_value(p, RecordKind::Taxonomy).and_then(Taxonomy::from_value),
        None => Ok(Taxonomy::builtin()),
    };
    let (initiatives, taxonomy) = match (initiatives, taxonomy) {
        (Ok(i), Ok(t)) => (i, t),
        (i, t) => {
            let problems = [i.err(), t.err()].into_iter().flatten().flat_map(|e| e.problems().to_vec()).collect();
            return Err(Error::Invalid(problems));
        }
    };
    let config = Config::default();
    let suggestions = initiatives
        .iter()
        .map(|i| participatienetwerk::suggest::suggest_needs(i, &taxonomy, &config))
        .collect::<Result<Vec<_>, Error>>()?;
    output::suggestions(&initiatives, &suggestions, a.format);
    Ok(ExitCode::SUCCESS)
}

/// Writes the demo data as the interchange format's JSON files.
fn write_demo_files(dir: &std::path::Path, data: &demo::DemoData) -> Result<(), Error> {
    let fail = |what: &str, e: &dyn std::fmt::Display| {
        Error::single(participatienetwerk::Problem::new(
            participatienetwerk::Code::InvalidArgument,
            participatienetwerk::RecordKind::Input,
            "",
            format!("--write {}: {what}: {e}", dir.display()),
        ))
    };
    std::fs::create_dir_all(dir).map_err(|e| fail("the directory could not be made", &e))?;
    let files: [(&str, serde_json::Result<String>); 3] = [
        ("experts.json", serde_json::to_string_pretty(&data.experts)),
        ("initiatives.json", serde_json::to_string_pretty(&data.initiatives)),
        ("registry.json", serde_json::to_string_pretty(&data.registry)),
    ];
    for (name, text) in files {
        let text = text.map_err(|e| fail(name, &e))?;
        std::fs::write(dir.join(name), text + "\n").map_err(|e| fail(name, &e))?;
    }
    Ok(())
}

fn run_demo(a: DemoArgs) -> Result<ExitCode, Error> {
    let started = std::time::Instant::now();
    let spec = demo::DemoSpec { experts: a.experts, initiatives: a.initiatives, seed: a.seed };
    spec.check()?;
    let data = demo::generate(&spec);
    let generated = started.elapsed();
    if let Some(dir) = &a.write {
        write_demo_files(dir, &data)?;
    }
    let registry = data.registry.clone();
    let t = std::time::Instant::now();
    let matcher = Matcher::new(data.experts, Settings { registry: registry.clone(), ..Settings::default() })?;
    let built = t.elapsed();
    let t = std::time::Instant::now();
    let results = matcher.rank_many(&data.initiatives, a.k)?;
    let ranked = t.elapsed();
    let t = std::time::Instant::now();
    let assignment = participatienetwerk::assign(&matcher, &data.initiatives)?;
    let assigned = t.elapsed();
    output::demo(&output::DemoReport {
        matcher: &matcher,
        initiatives: &data.initiatives,
        results: &results,
        registry: &registry,
        shared_services: &data.shared_services,
        show: a.show,
        k: a.k,
        assignment: &assignment,
        timings: [generated, built, ranked, assigned],
    })?;
    Ok(ExitCode::SUCCESS)
}
