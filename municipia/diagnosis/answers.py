"""Checking answers against their questions: shapes, limits, required answers and conditions.

One function serves the answering page, the API and the demo. Answers travel as a dict keyed
by question code; each kind has one normalised shape (what the draft JSON keeps):

- single_choice: {"option": code | None, "other": text}   (a bare code is accepted)
- multiple_choice: {"options": [codes], "other": text}     (a bare list is accepted)
- likert, number: a number
- text: a string
- ranking: [codes] in order, the first ranked 1
- matrix: {row code: column code}
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from municipia.core.sanitize import xml_safe
from municipia.diagnosis.choices import QuestionKind
from municipia.diagnosis.models import Option, Question


@dataclass
class Structure:
    """A questionnaire's sections, questions and options, fetched once (see selectors)."""

    sections: list = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    by_code: dict[str, Question] = field(default_factory=dict)
    by_id: dict[int, Question] = field(default_factory=dict)

    def options(self, question: Question) -> list[Option]:
        return [o for o in question.options.all() if not o.is_row]

    def rows(self, question: Question) -> list[Option]:
        return [o for o in question.options.all() if o.is_row]


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        if isinstance(value, dict) and ("option" in value or "options" in value or "other" in value):
            return not value.get("option") and not value.get("options") and not (value.get("other") or "").strip()
        return not value
    return False


def chosen_codes(value: Any) -> set[str]:
    """The option codes (or scale values as text) an answer holds, for evaluating conditions."""
    if value is None:
        return set()
    if isinstance(value, dict):
        codes = set(value.get("options") or [])
        if value.get("option"):
            codes.add(value["option"])
        return {str(c) for c in codes}
    if isinstance(value, list):
        return {str(c) for c in value}
    if isinstance(value, float) and value.is_integer():
        return {str(int(value))}
    return {str(value)}


def is_visible(question: Question, answers: dict[str, Any], structure: Structure, _depth: int = 0) -> bool:
    """A question is shown when it has no condition, or its condition question is shown and
    was answered with one of the listed codes."""
    if not question.show_if_question_id or _depth > 20:
        return True
    condition = structure.by_id.get(question.show_if_question_id)
    if condition is None:
        return True
    if not is_visible(condition, answers, structure, _depth + 1):
        return False
    wanted = {str(v) for v in question.show_if_values or []}
    return bool(wanted & chosen_codes(answers.get(condition.code)))


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip().replace(",", "."))
        except ValueError:
            return None
    return None


def _format(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


Cleaned = tuple[Any, str | None]


def _unknown_option(code: str) -> str:
    return _("“%(code)s” is not one of the options.") % {"code": code}


def _other_problem(question: Question, other: str) -> str | None:
    """What is wrong with an “other” answer written in, if anything."""
    if other and not question.allow_other:
        return _("This question has no “other” answer.")
    if len(other) > question.max_length:
        return _("Write at most %(n)d characters.") % {"n": question.max_length}
    return None


def _clean_single_choice(question: Question, value: Any, option_codes: list[str], structure: Structure) -> Cleaned:
    if isinstance(value, str):
        value = {"option": value, "other": ""}
    if not isinstance(value, dict):
        return None, _("Choose one option.")
    code, other = value.get("option") or None, xml_safe(str(value.get("other") or "")).strip()
    if code is not None and code not in option_codes:
        return None, _unknown_option(code)
    if other and not question.allow_other:
        return None, _("This question has no “other” answer.")
    if code and other:
        return None, _("Choose one option or write another answer, not both.")
    problem = _other_problem(question, other)
    if problem:
        return None, problem
    return {"option": code, "other": other}, None


def _clean_multiple_choice(question: Question, value: Any, option_codes: list[str], structure: Structure) -> Cleaned:
    if isinstance(value, list | tuple):
        value = {"options": list(value), "other": ""}
    if not isinstance(value, dict) or not isinstance(value.get("options", []), list | tuple):
        return None, _("Choose one or more options.")
    codes = [str(c) for c in value.get("options") or []]
    other = xml_safe(str(value.get("other") or "")).strip()
    unknown = [c for c in codes if c not in option_codes]
    if unknown:
        return None, _unknown_option(unknown[0])
    if len(set(codes)) != len(codes):
        return None, _("Each option can be chosen once.")
    problem = _other_problem(question, other)
    if problem:
        return None, problem
    chosen = len(codes) + (1 if other else 0)
    if question.max_choices and chosen > question.max_choices:
        return None, _("Choose at most %(n)d options.") % {"n": question.max_choices}
    ordered = [c for c in option_codes if c in codes]
    return {"options": ordered, "other": other}, None


def _clean_likert(question: Question, value: Any, option_codes: list[str], structure: Structure) -> Cleaned:
    number = _number(value)
    if number is None or not number.is_integer():
        return None, _("Choose a point of the scale.")
    if not (question.scale_min <= number <= question.scale_max):
        return None, _("The answer must be between %(min)d and %(max)d.") % {
            "min": question.scale_min,
            "max": question.scale_max,
        }
    return int(number), None


def _clean_number(question: Question, value: Any, option_codes: list[str], structure: Structure) -> Cleaned:
    number = _number(value)
    if number is None or number != number or number in (float("inf"), float("-inf")):
        return None, _("Enter a number.")
    if question.number_min is not None and number < question.number_min:
        return None, _("The number must be at least %(min)s.") % {"min": _format(question.number_min)}
    if question.number_max is not None and number > question.number_max:
        return None, _("The number must be at most %(max)s.") % {"max": _format(question.number_max)}
    return number, None


def _clean_text(question: Question, value: Any, option_codes: list[str], structure: Structure) -> Cleaned:
    if not isinstance(value, str):
        return None, _("Write a text answer.")
    text = xml_safe(value).strip()
    if len(text) > question.max_length:
        return None, _("Write at most %(n)d characters (this answer has %(count)d).") % {
            "n": question.max_length,
            "count": len(text),
        }
    return text, None


def _clean_ranking(question: Question, value: Any, option_codes: list[str], structure: Structure) -> Cleaned:
    if not isinstance(value, list | tuple):
        return None, _("Put the options in order.")
    codes = [str(c) for c in value]
    unknown = [c for c in codes if c not in option_codes]
    if unknown:
        return None, _unknown_option(unknown[0])
    if len(set(codes)) != len(codes):
        return None, _("Give each option one place only.")
    return codes, None


def _clean_matrix(question: Question, value: Any, option_codes: list[str], structure: Structure) -> Cleaned:
    if not isinstance(value, dict):
        return None, _("Answer each row.")
    row_codes = [r.code for r in structure.rows(question)]
    cleaned = {}
    for row, column in value.items():
        if row not in row_codes:
            return None, _("“%(code)s” is not one of the rows.") % {"code": row}
        if column in (None, ""):
            continue
        if column not in option_codes:
            return None, _unknown_option(column)
        cleaned[row] = column
    if question.required and cleaned and len(cleaned) < len(row_codes):
        return None, _("Answer every row.")
    return cleaned, None


# One cleaner per kind of question: (question, raw value, its option codes, structure) → (normalised, error).
CLEANERS: dict[str, Callable[[Question, Any, list[str], Structure], Cleaned]] = {
    QuestionKind.SINGLE_CHOICE: _clean_single_choice,
    QuestionKind.MULTIPLE_CHOICE: _clean_multiple_choice,
    QuestionKind.LIKERT: _clean_likert,
    QuestionKind.NUMBER: _clean_number,
    QuestionKind.TEXT: _clean_text,
    QuestionKind.RANKING: _clean_ranking,
    QuestionKind.MATRIX: _clean_matrix,
}


def clean_one(question: Question, value: Any, structure: Structure) -> Cleaned:
    """The normalised answer, or an error message naming what is wrong."""
    cleaner = CLEANERS.get(question.kind)
    if cleaner is None:
        return None, _("Unknown kind of question.")
    return cleaner(question, value, [o.code for o in structure.options(question)], structure)


def clean_answers(
    raw: dict[str, Any],
    structure: Structure,
    *,
    final: bool,
    required_for: Iterable[Question] | None = None,
    ignore_unknown: bool = False,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Checks a set of answers; returns (cleaned answers, errors by question code).

    Answers to questions hidden by their condition are discarded. Missing required answers
    are errors when `final` (the whole questionnaire is submitted) or, for the questions in
    `required_for`, when a page of the questionnaire is left.
    """
    if not isinstance(raw, dict):
        return {}, {"answers": _("Send the answers as an object keyed by question code.")}
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for code, value in raw.items():
        question = structure.by_code.get(code)
        if question is None:
            if not ignore_unknown:
                errors[str(code)] = _("There is no question with code “%(code)s”.") % {"code": code}
            continue
        if _is_empty(value):
            continue
        result, error = clean_one(question, value, structure)
        if error:
            errors[code] = error
        elif not _is_empty(result):
            cleaned[code] = result
    # Conditions are evaluated in questionnaire order, on what is left after discarding.
    for question in structure.questions:
        if question.code in cleaned and not is_visible(question, cleaned, structure):
            del cleaned[question.code]
            errors.pop(question.code, None)
    must_answer = structure.questions if final else list(required_for or [])
    for question in must_answer:
        missing = question.required and question.code not in cleaned and question.code not in errors
        if missing and is_visible(question, cleaned, structure):
            errors[question.code] = _("This question needs an answer.")
    return cleaned, errors
