"""Behaviour of the offline SDG suggester: obvious goals first in every language, bad input, feedback."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from municipia.alignment.suggester import DATA_DIR, SDG_DIR, Suggester, SuggesterInputError, Suggestion, fold

REPO_ROOT = Path(__file__).resolve().parents[3]
EVAL_DIR = REPO_ROOT / "benchmarks" / "sdg_eval"

OBVIOUS = [
    ("en", "Deploy broadband and 5G coverage in rural municipalities", "9"),
    ("en", "Energy efficient LED street lighting in all neighbourhoods", "7"),
    ("en", "Electronic office so residents can complete council procedures online", "16"),
    ("en", "Digital skills courses for primary school pupils", "4"),
    ("es", "Despliegue de banda ancha y cobertura 5G en los municipios rurales", "9"),
    ("es", "Servicio de teleasistencia para personas dependientes", "3"),
    ("es", "Instalación de placas solares para autoconsumo en edificios municipales", "7"),
    ("ca", "Desplegament de fibra òptica i cobertura 5G als municipis rurals", "9"),
    ("ca", "Pla local contra les violències masclistes", "5"),
    ("ca", "Ampliació de la xarxa de carrils bici i del transport públic", "11"),
    ("bg", "Изграждане на широколентов интернет и 5G покритие в селата", "9"),
    ("bg", "Въвеждане на електронни услуги и електронен подпис в общината", "16"),
    ("bg", "Разделно събиране и рециклиране на отпадъците", "12"),
]

# Digital workshops for older people: education (4) and inclusion (10) score almost alike.
BORDERLINE = "Talleres digitales para personas mayores en la biblioteca"
SIMILAR_FEEDBACK = "Talleres digitales para personas mayores en el centro cívico"


def goals(suggestions: list[Suggestion]) -> list[str]:
    return [suggestion.goal for suggestion in suggestions]


@pytest.mark.parametrize(("language", "text", "goal"), OBVIOUS)
def test_obvious_goal_ranks_first_in_each_language(language, text, goal):
    assert goals(Suggester.default().suggest(text, language=language))[0] == goal


@pytest.mark.parametrize(("language", "text", "goal"), OBVIOUS)
def test_obvious_goal_ranks_first_when_the_language_is_not_given(language, text, goal):
    assert goals(Suggester.default().suggest(text))[0] == goal


def test_broadband_suggestion_names_the_ict_access_target():
    top = Suggester.default().suggest("Deploy broadband and 5G coverage in rural municipalities", language="en")[0]

    assert [code for code, _score in top.targets] == ["9.c"]
    assert 0 < top.targets[0][1] <= top.score


def test_scores_are_between_zero_and_one_best_first_and_limited():
    suggestions = Suggester.default().suggest(
        "Smart city platform with air quality sensors, bike lanes and open data on public transport",
        language="en",
        limit=5,
    )

    assert 1 <= len(suggestions) <= 5
    scores = [suggestion.score for suggestion in suggestions]
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)
    assert len({suggestion.goal for suggestion in suggestions}) == len(suggestions)


def test_text_without_any_known_word_gets_no_suggestion_rather_than_an_error():
    assert Suggester.default().suggest("zzzz qqqq 1234", language="en") == []


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_is_refused_with_a_clear_message(text):
    with pytest.raises(SuggesterInputError, match="Write some text"):
        Suggester.default().suggest(text, language="en")


def test_text_longer_than_the_maximum_is_refused_with_the_limit_in_the_message():
    too_long = "broadband " * (Suggester.MAX_TEXT_LENGTH // 10 + 1)

    with pytest.raises(SuggesterInputError) as error:
        Suggester.default().suggest(too_long, language="en")

    assert str(Suggester.MAX_TEXT_LENGTH) in str(error.value)
    assert str(len(too_long)) in str(error.value)


def test_text_of_exactly_the_maximum_length_is_accepted():
    text = ("broadband " * Suggester.MAX_TEXT_LENGTH)[: Suggester.MAX_TEXT_LENGTH]

    assert goals(Suggester.default().suggest(text, language="en"))[0] == "9"


def test_suggestions_are_deterministic_and_the_default_is_built_once():
    text = "Plataforma de participació ciutadana i portal de dades obertes"
    first = Suggester.default().suggest(text, language="ca", limit=5)

    assert Suggester.default() is Suggester.default()
    assert Suggester.build().suggest(text, language="ca", limit=5) == first
    assert Suggester.default().suggest(text, language="ca", limit=5) == first


def test_accepted_feedback_moves_a_borderline_goal_up():
    suggester = Suggester.default()
    before = goals(suggester.suggest(BORDERLINE, language="es"))
    assert before[:2] == ["4", "10"]

    learned = suggester.with_feedback([(SIMILAR_FEEDBACK, "10", True)])

    assert goals(learned.suggest(BORDERLINE, language="es"))[0] == "10"


def test_rejected_feedback_moves_a_goal_down_for_similar_texts():
    suggester = Suggester.default()
    learned = suggester.with_feedback([(SIMILAR_FEEDBACK, "4", False)])

    before = suggester.suggest(BORDERLINE, language="es", limit=17)
    after = learned.suggest(BORDERLINE, language="es", limit=17)

    assert goals(before)[0] == "4"
    assert goals(after)[0] != "4"
    assert {s.goal: s.score for s in after}["4"] < {s.goal: s.score for s in before}["4"]


def test_feedback_leaves_unrelated_texts_and_the_default_suggester_alone():
    suggester = Suggester.default()
    unrelated = "Despliegue de banda ancha y cobertura 5G en los municipios rurales"
    before = suggester.suggest(unrelated, language="es")

    learned = suggester.with_feedback([(SIMILAR_FEEDBACK, "4", False), (SIMILAR_FEEDBACK, "10", True)])

    assert learned.suggest(unrelated, language="es") == before
    assert goals(suggester.suggest(BORDERLINE, language="es"))[0] == "4"


def test_many_identical_feedback_examples_do_not_count_more_than_one():
    suggester = Suggester.default()
    once = suggester.with_feedback([(SIMILAR_FEEDBACK, "10", True)])
    many = suggester.with_feedback([(SIMILAR_FEEDBACK, "10", True)] * 50)

    assert once.suggest(BORDERLINE, language="es") == many.suggest(BORDERLINE, language="es")


def test_feedback_on_unknown_goals_or_empty_texts_is_ignored():
    suggester = Suggester.default()
    learned = suggester.with_feedback([("", "4", True), (SIMILAR_FEEDBACK, "18", True), (SIMILAR_FEEDBACK, "x", False)])

    assert learned.suggest(BORDERLINE, language="es") == suggester.suggest(BORDERLINE, language="es")


def _labelled_texts(name: str) -> list[str]:
    with (EVAL_DIR / name).open(encoding="utf-8", newline="") as handle:
        return [row["text"] for row in csv.DictReader(handle)]


def test_evaluation_set_is_disjoint_from_the_packaged_data():
    files = [*sorted(DATA_DIR.iterdir()), SDG_DIR / "sdg_goals.csv", SDG_DIR / "sdg_targets.csv"]
    packaged = " ".join(fold(path.read_text(encoding="utf-8")) for path in files if path.is_file())
    window = 40
    stretches = {packaged[start : start + window] for start in range(len(packaged) - window + 1)}
    texts = _labelled_texts("eval.csv") + _labelled_texts("dev.csv")
    assert len(texts) >= 160

    for text in texts:
        folded = fold(text)
        assert folded not in packaged, text
        leaked = [folded[start : start + window] for start in range(len(folded) - window + 1)]
        assert not any(stretch in stretches for stretch in leaked), text


def test_evaluation_set_covers_every_goal_in_every_language_with_forty_texts_each():
    with (EVAL_DIR / "eval.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for language in ("en", "es", "ca", "bg"):
        mine = [row for row in rows if row["language"] == language]
        assert len(mine) >= 40, language
        assert {row["labels"].split(";")[0] for row in mine} == {str(goal) for goal in range(1, 18)}, language


def test_suggester_reads_only_its_packaged_data_and_needs_no_django_settings():
    # A fresh interpreter records every file it opens while building the suggester and suggesting.
    script = """
import json, os, sys
os.environ.pop("DJANGO_SETTINGS_MODULE", None)
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
from municipia.alignment.suggester import Suggester
suggestions = Suggester.default().suggest("Deploy broadband and 5G coverage", language="en")
print(json.dumps({"goal": suggestions[0].goal, "opened": opened}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])

    assert report["goal"] == "9"
    data_files = [path for path in report["opened"] if "/data/" in path]
    assert data_files
    assert all(path.startswith(str(SDG_DIR)) for path in data_files), data_files
    assert not any("shared" in path for path in report["opened"]), report["opened"]
    source = (REPO_ROOT / "municipia" / "alignment" / "suggester.py").read_text(encoding="utf-8")
    assert "/work/shared" not in source and "../shared" not in source
