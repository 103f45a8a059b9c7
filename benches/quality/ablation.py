#!/usr/bin/env python3
"""Match quality on the development set, with each signal switched off in turn.

    bash benches/quality/run.sh     (builds the package, then evaluate.py and this table)
    .venv/bin/python benches/quality/ablation.py [--data ../shared/quality/data.json]

Builds nothing: it imports the `participatienetwerk` package of the
interpreter that runs it (`bash benches/quality/run.sh` builds it first) and
scores with `evaluate.py` beside the data. Prints a Markdown table for
BENCHMARKS.md. Not a test: the figures describe the build, they assert nothing.
"""
import argparse
import importlib.util
import json
import os

import participatienetwerk as pn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORDS = os.path.join(ROOT, "core", "data", "taxonomy", "words.json")

# Each row: name, config overrides, taxonomy (None for the built-in one).
def variants():
    with open(WORDS, encoding="utf-8") as f:
        words_only = json.load(f)
    return [
        ("default", {}, None),
        ("required needs as a hard filter", {"strict_required": True}, None),
        ("no informative-word overlap", {"word_similarity": 0.0}, None),
        ("contained concepts not weighed by informativeness", {"contained_weight_power": 0.0}, None),
        ("no description evidence", {"context_weight": 0.0}, None),
        ("readings not chosen by the description", {"reading_factor": 1.0}, None),
        ("no wider field neighbourhood (cousins)", {"cousin_similarity": 0.0}, None),
        ("no everyday-word expansions", {"expansion_factor": 0.0}, None),
        ("previous relation weights (broader 0.8, narrower 0.7)",
         {"broader_similarity": 0.8, "narrower_similarity": 0.7}, None),
        ("previous floor and factors (min 0.4, contained 0.85, levels 0.2, words 0.8, readings 0.6)",
         {"min_similarity": 0.4, "contained_factor": 0.85, "level_weight": 0.2, "word_similarity": 0.8,
          "reading_factor": 0.6}, None),
        ("no taxonomy concepts", {}, {"concepts": [], **words_only}),
        ("no taxonomy relations (same concept only)",
         {"broader_similarity": 0.0, "narrower_similarity": 0.0, "related_similarity": 0.0, "sibling_similarity": 0.0,
          "cousin_similarity": 0.0},
         None),
        ("no fuzzy (edit distance)", {"fuzzy_cutoff": 1.0}, None),
    ]


def load_evaluate(data_path):
    path = os.path.join(os.path.dirname(os.path.abspath(data_path)), "evaluate.py")
    spec = importlib.util.spec_from_file_location("evaluate", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "quality", "data.json"))
    args = ap.parse_args()
    ev = load_evaluate(args.data)
    data = ev.load(args.data)
    elig = {i["id"]: {e["id"] for e in data["experts"] if ev.is_eligible(e, i, data["successors"])}
            for i in data["initiatives"]}
    print("| variant | nDCG@10 | R@10 | MRR | empty | violations |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, config, taxonomy in variants():
        try:
            m = pn.Matcher(data["experts"], registry={"successors": data["successors"]},
                           taxonomy=taxonomy, config=config)
        except pn.ValidationError as e:
            if e.code == "unknown_field":
                continue  # a signal this build does not have
            raise
        run = {i["id"]: [r["expert_id"] for r in m.rank(i, k=10)] for i in data["initiatives"]}
        agg, _ = ev.evaluate(run, data, elig)
        print(f"| {name} | {agg['ndcg']:.4f} | {agg['recall']:.4f} | {agg['mrr']:.4f} | {agg['empty']} "
              f"| {agg['violations']} |")


if __name__ == "__main__":
    main()
