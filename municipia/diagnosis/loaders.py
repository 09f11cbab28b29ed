"""Loads the questionnaire templates shipped in data/ and the default maturity dimensions (idempotent)."""

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from municipia.core.i18n import language_codes
from municipia.diagnosis.models import Option, Question, Questionnaire, Section
from municipia.diagnosis.services import maturity_dimensions_ensure

DATA_DIR = Path(__file__).resolve().parent / "data"
TEMPLATE_FILES = ("template_digital_maturity.json", "template_citizens_digital_services.json")


@dataclass
class LoadSummary:
    created: list[str]
    updated: list[str]


def _texts(instance, field: str, values: dict | None) -> None:
    for code in language_codes():
        setattr(instance, f"{field}_{code}", (values or {}).get(code, ""))


def _build(questionnaire: Questionnaire, spec: dict) -> None:
    by_code: dict[str, Question] = {}
    for s_position, section_spec in enumerate(spec["sections"], start=1):
        section = Section(questionnaire=questionnaire, position=s_position)
        _texts(section, "title", section_spec["title"])
        _texts(section, "description", section_spec.get("description"))
        section.full_clean(exclude=["title"])
        section.save()
        for q_position, q_spec in enumerate(section_spec["questions"], start=1):
            question = Question(
                questionnaire=questionnaire,
                section=section,
                position=q_position,
                code=q_spec["code"],
                kind=q_spec["kind"],
                required=q_spec.get("required", False),
                allow_other=q_spec.get("allow_other", False),
                max_choices=q_spec.get("max_choices"),
                scale_min=q_spec.get("scale_min", 1),
                scale_max=q_spec.get("scale_max", 5),
                number_min=q_spec.get("number_min"),
                number_max=q_spec.get("number_max"),
                max_length=q_spec.get("max_length", 2000),
                is_profile=q_spec.get("is_profile", False),
                profile_kind=q_spec.get("profile_kind", ""),
                show_if_question=by_code.get(q_spec["show_if"]) if q_spec.get("show_if") else None,
                show_if_values=q_spec.get("show_if_values", []),
            )
            for field in ("text", "help_text", "scale_min_label", "scale_max_label"):
                _texts(question, field, q_spec.get(field))
            question.full_clean(exclude=["text"])
            question.save()
            by_code[question.code] = question
            options = [(o, False) for o in q_spec.get("options", [])] + [(o, True) for o in q_spec.get("rows", [])]
            for o_position, (o_spec, is_row) in enumerate(options, start=1):
                option = Option(question=question, code=o_spec["code"], position=o_position, is_row=is_row)
                _texts(option, "label", o_spec["label"])
                option.save()


@transaction.atomic
def load_questionnaire_templates(files: tuple[str, ...] = TEMPLATE_FILES) -> LoadSummary:
    """Creates or refreshes each shipped template (matched by its key); copies already made keep
    their own questions, so refreshing a template never changes a council's questionnaire."""
    maturity_dimensions_ensure()
    summary = LoadSummary(created=[], updated=[])
    for name in files:
        spec = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
        questionnaire = Questionnaire.objects.filter(template_key=spec["key"]).first()
        if questionnaire is None:
            questionnaire = Questionnaire(template_key=spec["key"], is_template=True, owner=None)
            summary.created.append(spec["key"])
        else:
            questionnaire.sections.all().delete()
            summary.updated.append(spec["key"])
        questionnaire.kind = spec["kind"]
        _texts(questionnaire, "title", spec["title"])
        _texts(questionnaire, "description", spec.get("description"))
        questionnaire.save()
        _build(questionnaire, spec)
    return summary
