"""Measures the SDG suggester's accuracy per language on hand-labelled municipal texts, against a baseline.

Run:  .venv/bin/python benchmarks/sdg_accuracy.py            (the evaluation set, benchmarks/sdg_eval/eval.csv)
      .venv/bin/python benchmarks/sdg_accuracy.py --set dev  (the small tuning set; --show-errors lists its misses)

No database and no Django settings are needed: the suggester reads only its packaged data.

Definitions (per language; each text has one or more hand labels, the primary first):
- top-1 accuracy: the first suggestion is one of the text's labels; "top-1 = primary": it is the primary label.
- top-3 recall: the fraction of texts with at least one label among the first three suggestions;
  label recall@3: the fraction of all labels found among the first three suggestions.
- macro-F1: single-label classification, the prediction is the first suggestion (none counts as wrong), the gold
  label is the primary label; F1 per goal, averaged over the goals that are gold or predicted in that language
  (sklearn's macro average; every goal is gold in every language of the evaluation set).
- baseline: TF-IDF cosine between the text and each goal's official wording — the goal's SDG target texts
  in English, Spanish and Catalan; for Bulgarian only the goals' short names exist in the data — with the
  same tokeniser and stemmer as the suggester, and nothing else (no lexicon, no feedback).
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from municipia.alignment.suggester import GOALS, LANGUAGES, SDG_DIR, Suggester, tokenize  # noqa: E402

EVAL_DIR = Path(__file__).resolve().parent / "sdg_eval"
ANCHORS = (
    "Published anchors, on English research text (not comparable one-to-one with municipal action texts): "
    "OSDG v1 ~72 % accuracy, JRC SDG Mapper ~76 %, text2sdg ensemble ~84 %."
)


def read_set(name: str) -> list[dict]:
    with (EVAL_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["labels"] = [label.strip() for label in row["labels"].split(";") if label.strip()]
        unknown = [label for label in row["labels"] if label not in GOALS]
        if unknown or not row["labels"] or row["language"] not in LANGUAGES:
            raise SystemExit(f"{name}.csv, {row['id']}: bad language or labels {row['labels']}")
    return rows


class TargetTextBaseline:
    """Ranks goals by TF-IDF cosine with their SDG target texts (bg: goal short names) alone."""

    def __init__(self):
        documents: dict[str, dict[str, list[str]]] = {language: defaultdict(list) for language in LANGUAGES}
        with (SDG_DIR / "sdg_targets.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for language in ("en", "es", "ca"):
                    documents[language][row["goal"]] += tokenize(row[f"title_{language}"], language)
        with (SDG_DIR / "sdg_goals.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                documents["bg"][row["code"]] += tokenize(row["short_bg"], "bg")
        self.idf: dict[str, dict[str, float]] = {}
        self.vectors: dict[str, dict[str, dict[str, float]]] = {}
        for language, by_goal in documents.items():
            frequency: dict[str, int] = defaultdict(int)
            for stems in by_goal.values():
                for stem in set(stems):
                    frequency[stem] += 1
            self.idf[language] = {stem: math.log(1 + len(by_goal) / count) for stem, count in frequency.items()}
            self.vectors[language] = {goal: self._vector(stems, language) for goal, stems in by_goal.items()}

    def _vector(self, stems: list[str], language: str) -> dict[str, float]:
        idf = self.idf[language]
        counts: dict[str, int] = defaultdict(int)
        for stem in stems:
            if stem in idf:
                counts[stem] += 1
        vector = {stem: (1 + math.log(count)) * idf[stem] for stem, count in counts.items()}
        norm = math.sqrt(sum(value * value for value in vector.values())) or 1.0
        return {stem: value / norm for stem, value in vector.items()}

    def rank(self, text: str, language: str) -> list[str]:
        query = self._vector(tokenize(text, language), language)
        scores = {
            goal: sum(value * vector.get(stem, 0.0) for stem, value in query.items())
            for goal, vector in self.vectors[language].items()
        }
        return [goal for goal in sorted(scores, key=lambda goal: (-scores[goal], int(goal))) if scores[goal] > 0]


def metrics(rows: list[dict], rankings: list[list[str]]) -> dict[str, float]:
    n = len(rows)
    top1 = sum(bool(ranking) and ranking[0] in row["labels"] for row, ranking in zip(rows, rankings, strict=True))
    primary = sum(bool(ranking) and ranking[0] == row["labels"][0] for row, ranking in zip(rows, rankings, strict=True))
    hit3 = sum(bool(set(ranking[:3]) & set(row["labels"])) for row, ranking in zip(rows, rankings, strict=True))
    found = sum(len(set(ranking[:3]) & set(row["labels"])) for row, ranking in zip(rows, rankings, strict=True))
    labels = sum(len(row["labels"]) for row in rows)
    true_positive: dict[str, int] = defaultdict(int)
    predicted: dict[str, int] = defaultdict(int)
    gold: dict[str, int] = defaultdict(int)
    for row, ranking in zip(rows, rankings, strict=True):
        guess = ranking[0] if ranking else None
        gold[row["labels"][0]] += 1
        if guess:
            predicted[guess] += 1
            if guess == row["labels"][0]:
                true_positive[guess] += 1
    f1_scores = []
    for goal in sorted(set(gold) | set(predicted), key=int):
        precision = true_positive[goal] / predicted[goal] if predicted[goal] else 0.0
        recall = true_positive[goal] / gold[goal] if gold[goal] else 0.0
        f1_scores.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return {
        "n": n,
        "top1": top1 / n,
        "primary": primary / n,
        "hit3": hit3 / n,
        "recall3": found / labels,
        "macro_f1": sum(f1_scores) / len(f1_scores),
        "goals": len(gold),
    }


def percent(value: float) -> str:
    return f"{100 * value:.1f} %"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--set", default="eval", choices=("eval", "dev"), help="which labelled set (default: eval)")
    parser.add_argument("--repeat", type=int, default=5, help="timed calls per text (default 5)")
    parser.add_argument("--show-errors", action="store_true", help="list the misses (dev set only)")
    options = parser.parse_args()
    if options.show_errors and options.set != "dev":
        parser.error("--show-errors is for the dev set only: tuning on the evaluation set's errors would overfit")

    started = time.perf_counter()
    suggester = Suggester.default()
    build_seconds = time.perf_counter() - started
    baseline = TargetTextBaseline()
    rows = read_set(options.set)

    rankings, detected, base_rankings, timings = [], [], [], []
    for row in rows:
        for _ in range(options.repeat):
            started = time.perf_counter()
            suggestions = suggester.suggest(row["text"], language=row["language"], limit=3)
            timings.append(1000 * (time.perf_counter() - started))
        rankings.append([suggestion.goal for suggestion in suggestions])
        detected.append([suggestion.goal for suggestion in suggester.suggest(row["text"], limit=3)])
        base_rankings.append(baseline.rank(row["text"], row["language"]))

    print(f"SDG suggester accuracy — set '{options.set}' ({EVAL_DIR.name}/{options.set}.csv), {len(rows)} texts")
    print(f"Default suggester built in {build_seconds * 1000:.0f} ms (packaged data only).")
    print()
    header = (
        "| language | n | goals | top-1 | top-1 = primary | top-3 recall | label recall@3 | macro-F1 "
        "| top-1, language detected | baseline top-1 | baseline top-3 recall | baseline macro-F1 |"
    )
    print(header)
    print("| --- |" + " ---: |" * (header.count("|") - 2))
    for language in (*LANGUAGES, None):
        indexes = [i for i, row in enumerate(rows) if language is None or row["language"] == language]
        if not indexes:
            continue
        subset = [rows[i] for i in indexes]
        ours = metrics(subset, [rankings[i] for i in indexes])
        guessed = metrics(subset, [detected[i] for i in indexes])
        base = metrics(subset, [base_rankings[i] for i in indexes])
        name = language or "**all**"
        print(
            f"| {name} | {ours['n']} | {ours['goals']} | {percent(ours['top1'])} | {percent(ours['primary'])} "
            f"| {percent(ours['hit3'])} | {percent(ours['recall3'])} | {ours['macro_f1']:.3f} "
            f"| {percent(guessed['top1'])} | {percent(base['top1'])} | {percent(base['hit3'])} "
            f"| {base['macro_f1']:.3f} |"
        )
    print()
    timings.sort()
    p95 = timings[min(len(timings) - 1, math.ceil(0.95 * len(timings)) - 1)]
    print(
        f"Time per suggestion (one core, {len(timings)} calls): mean {statistics.fmean(timings):.2f} ms, "
        f"p95 {p95:.2f} ms, max {timings[-1]:.2f} ms."
    )
    print("Baseline for bg: goal short names only (the data has no Bulgarian target texts).")
    print(ANCHORS)

    if options.show_errors:
        print()
        for row, ranking in zip(rows, rankings, strict=True):
            if not ranking or ranking[0] not in row["labels"]:
                print(f"{row['id']}: labels {row['labels']}, suggested {ranking} — {row['text']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
