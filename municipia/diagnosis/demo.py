"""Jerez's diagnosis (2021): department self-assessments, a social-agents consultation and the
SWOT findings that became the plan's challenges (idempotent; everything marked as demo data).

The ratings, answers and figures are ILLUSTRATIVE: the plan's diagnosis gathered every
department's and the social agents' views, but their individual answers are not published, so
the demo invents plausible ones (fixed, not random) to show how the pieces fit together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from municipia.diagnosis import services
from municipia.diagnosis.choices import Access, Audience, QuestionnaireKind, SwotKind
from municipia.diagnosis.loaders import _build, load_questionnaire_templates
from municipia.diagnosis.models import Campaign, Finding, MaturityAssessment, Questionnaire, Response
from municipia.diagnosis.selectors import questionnaire_structure
from municipia.organizations.models import Department
from municipia.strategy.demo import DemoError
from municipia.strategy.models import Challenge, Plan

PLAN_SLUG = "plan-estrategico-smart-city-jerez"
CAMPAIGN_SLUG = "jerez-social-agents-2021"
ASSESSED_ON = dt.date(2021, 3, 15)
DEMO_NOTE = "Demo data: illustrative ratings, not the published diagnosis."


def t(en: str, es: str, ca: str, bg: str) -> dict[str, str]:
    return {"en": en, "es": es, "ca": ca, "bg": bg}


# Department slug → levels for strategy_governance, digital_services, data,
# infrastructure_cybersecurity, skills, participation (1–5).
MATURITY = {
    "alcaldia": (3, 2, 2, 3, 2, 3),
    "innovacion": (4, 3, 3, 4, 4, 2),
    "urbanismo": (2, 2, 2, 2, 2, 1),
    "movilidad": (2, 2, 3, 3, 2, 2),
    "medio-ambiente": (2, 1, 3, 2, 2, 2),
    "servicios-sociales": (2, 2, 1, 2, 1, 3),
    "hacienda": (3, 4, 3, 3, 3, 1),
    "participacion": (2, 2, 1, 2, 2, 4),
}
EVIDENCE = {
    "digital_services": "Procedures available online end to end: see the department's catalogue (demo).",
    "data": "Data kept in spreadsheets and department systems that do not exchange information (demo).",
    "skills": "Training hours per employee in 2020 (demo).",
}

SOCIAL_AGENTS = {
    "key": "",
    "kind": QuestionnaireKind.SOCIAL_AGENTS,
    "title": t(
        "Consultation of social agents on the Smart City plan",
        "Consulta a los agentes sociales sobre el plan Smart City",
        "Consulta als agents socials sobre el pla Smart City",
        "Консултация със социалните партньори за плана „Смарт сити“",
    ),
    "sections": [
        {
            "title": t("Your organisation", "Su entidad", "La vostra entitat", "Вашата организация"),
            "questions": [
                {
                    "code": "sector",
                    "kind": "single_choice",
                    "required": True,
                    "is_profile": True,
                    "profile_kind": "other",
                    "text": t(
                        "What kind of organisation do you represent?",
                        "¿Qué tipo de entidad representa?",
                        "Quin tipus d'entitat representeu?",
                        "Какъв тип организация представлявате?",
                    ),
                    "options": [
                        {
                            "code": "business",
                            "label": t(
                                "Business association",
                                "Asociación empresarial",
                                "Associació empresarial",
                                "Бизнес сдружение",
                            ),
                        },
                        {
                            "code": "neighbourhood",
                            "label": t(
                                "Neighbourhood association",
                                "Asociación vecinal",
                                "Associació veïnal",
                                "Квартално сдружение",
                            ),
                        },
                        {
                            "code": "university",
                            "label": t(
                                "University or research",
                                "Universidad o investigación",
                                "Universitat o recerca",
                                "Университет или научна организация",
                            ),
                        },
                        {
                            "code": "social",
                            "label": t(
                                "Social or third-sector entity",
                                "Entidad social o del tercer sector",
                                "Entitat social o del tercer sector",
                                "Социална организация",
                            ),
                        },
                    ],
                },
            ],
        },
        {
            "title": t("The city today", "La ciudad hoy", "La ciutat avui", "Градът днес"),
            "questions": [
                {
                    "code": "online_services",
                    "kind": "likert",
                    "required": True,
                    "text": t(
                        "The council's online services meet the needs of the people you represent.",
                        "Los servicios en línea del ayuntamiento responden a las necesidades de las personas "
                        "a las que representa.",
                        "Els serveis en línia de l'ajuntament responen a les necessitats de les persones "
                        "que representeu.",
                        "Онлайн услугите на общината отговарят на нуждите на хората, които представлявате.",
                    ),
                    "scale_min_label": t(
                        "Strongly disagree", "Muy en desacuerdo", "Gens d'acord", "Напълно несъгласен"
                    ),
                    "scale_max_label": t("Strongly agree", "Muy de acuerdo", "Totalment d'acord", "Напълно съгласен"),
                },
                {
                    "code": "priorities",
                    "kind": "ranking",
                    "text": t(
                        "Rank the challenges the plan should address first.",
                        "Ordene los retos que el plan debería abordar primero.",
                        "Ordeneu els reptes que el pla hauria d'abordar primer.",
                        "Подредете предизвикателствата, с които планът трябва да започне.",
                    ),
                    "options": [
                        {
                            "code": "procedures",
                            "label": t("Online procedures", "Trámites en línea", "Tràmits en línia", "Онлайн услуги"),
                        },
                        {
                            "code": "mobility",
                            "label": t(
                                "Traffic and air quality",
                                "Tráfico y calidad del aire",
                                "Trànsit i qualitat de l'aire",
                                "Трафик и качество на въздуха",
                            ),
                        },
                        {
                            "code": "divide",
                            "label": t("Digital divide", "Brecha digital", "Bretxa digital", "Цифрово разделение"),
                        },
                        {
                            "code": "energy",
                            "label": t(
                                "Energy efficiency",
                                "Eficiencia energética",
                                "Eficiència energètica",
                                "Енергийна ефективност",
                            ),
                        },
                    ],
                },
                {
                    "code": "proposal",
                    "kind": "text",
                    "max_length": 2000,
                    "text": t(
                        "Which project would you propose for the plan?",
                        "¿Qué proyecto propondría para el plan?",
                        "Quin projecte proposaríeu per al pla?",
                        "Какъв проект бихте предложили за плана?",
                    ),
                },
            ],
        },
    ],
}

# sector, agreement, ranking, proposal — illustrative answers of 18 social agents.
AGENT_ANSWERS = [
    ("business", 2, ["procedures", "energy", "mobility"], "One-stop online window for business licences."),
    ("business", 2, ["procedures", "mobility"], "Electronic invoicing and payments for suppliers."),
    ("business", 3, ["procedures", "divide"], ""),
    ("business", 2, ["mobility", "procedures"], "Smart loading bays in the historic centre."),
    ("neighbourhood", 1, ["divide", "procedures"], "Digital skills courses in civic centres."),
    ("neighbourhood", 2, ["divide", "mobility"], "Free wifi in the neighbourhoods' public spaces."),
    ("neighbourhood", 1, ["divide", "procedures", "mobility"], "Help desks for online procedures."),
    ("neighbourhood", 2, ["mobility", "divide"], ""),
    ("neighbourhood", 3, ["procedures", "divide"], "Reporting street problems from a mobile app."),
    ("university", 3, ["energy", "mobility"], "Open data on traffic and air quality."),
    ("university", 2, ["procedures", "energy"], "A city data platform shared with researchers."),
    ("university", 3, ["mobility", "energy", "divide"], ""),
    ("social", 1, ["divide", "procedures"], "Accompaniment for elderly people in online procedures."),
    ("social", 2, ["divide", "procedures"], "Devices lent to families without a computer."),
    ("social", 1, ["divide", "energy"], ""),
    ("social", 2, ["procedures", "divide"], "Social services appointments online."),
    ("business", 4, ["energy", "procedures"], "Efficient street lighting with remote management."),
    ("neighbourhood", 2, ["divide", "mobility"], ""),
]

# kind, title, text, challenge code of the plan (or ""), evidence: question code / dimension code.
FINDINGS = [
    (
        SwotKind.WEAKNESS,
        t(
            "Information systems fragmented across departments",
            "Sistemas de información fragmentados entre delegaciones",
            "Sistemes d'informació fragmentats entre departaments",
            "Разпокъсани информационни системи в отделните звена",
        ),
        "C1.1",
        "",
        "data",
        "Six of eight departments rate their data at level 1–2 (demo).",
    ),
    (
        SwotKind.WEAKNESS,
        t(
            "Residents make little use of online procedures",
            "La ciudadanía usa poco los trámites en línea",
            "La ciutadania fa servir poc els tràmits en línia",
            "Жителите рядко използват онлайн услугите",
        ),
        "C1.2",
        "online_services",
        "digital_services",
        "Most social agents disagree that online services meet needs (demo).",
    ),
    (
        SwotKind.THREAT,
        t(
            "Digital divide in disadvantaged neighbourhoods",
            "Brecha digital en los barrios desfavorecidos",
            "Bretxa digital als barris desfavorits",
            "Цифрово разделение в уязвимите квартали",
        ),
        "C3.1",
        "priorities",
        "",
        "Neighbourhood and social entities rank the digital divide first (demo).",
    ),
    (
        SwotKind.WEAKNESS,
        t(
            "Traffic congestion and air quality in the historic centre",
            "Congestión del tráfico y calidad del aire en el centro histórico",
            "Congestió del trànsit i qualitat de l'aire al centre històric",
            "Задръствания и качество на въздуха в историческия център",
        ),
        "C2.1",
        "priorities",
        "",
        "Mobility is among the top two priorities of a third of the agents (demo).",
    ),
    (
        SwotKind.STRENGTH,
        t(
            "Innovation department with strong skills",
            "Delegación de innovación con competencias sólidas",
            "Departament d'innovació amb competències sòlides",
            "Звено за иновации със силни умения",
        ),
        "",
        "",
        "skills",
        "The innovation department rates its skills at level 4 (demo).",
    ),
    (
        SwotKind.STRENGTH,
        t(
            "Finance procedures already online",
            "Trámites de Hacienda ya en línea",
            "Tràmits d'Hisenda ja en línia",
            "Финансовите услуги вече са онлайн",
        ),
        "",
        "",
        "digital_services",
        "Finance rates its digital services at level 4 (demo).",
    ),
    (
        SwotKind.OPPORTUNITY,
        t(
            "ERDF funding through the EDUSI “Jerez 2022” strategy",
            "Financiación FEDER a través de la estrategia EDUSI «Jerez 2022»",
            "Finançament FEDER a través de l'estratègia EDUSI «Jerez 2022»",
            "Финансиране от ЕФРР по стратегията EDUSI „Jerez 2022“",
        ),
        "",
        "",
        "",
        "Line 2 of the EDUSI funds ICT platforms and Smart City projects.",
    ),
    (
        SwotKind.OPPORTUNITY,
        t(
            "Social agents willing to co-design services",
            "Agentes sociales dispuestos a codiseñar servicios",
            "Agents socials disposats a codissenyar serveis",
            "Социални партньори, готови да участват в разработването на услуги",
        ),
        "",
        "proposal",
        "participation",
        "Twelve of eighteen agents proposed a project (demo).",
    ),
]


@dataclass
class JerezDiagnosisSummary:
    created: bool
    assessments: int = 0
    responses: int = 0
    findings: int = 0
    linked_challenges: list[str] = field(default_factory=list)


def _texts(obj, name: str, values: dict[str, str]) -> None:
    for code, value in values.items():
        setattr(obj, f"{name}_{code}", value)


@transaction.atomic
def build_jerez_diagnosis_demo() -> JerezDiagnosisSummary:
    """Builds Jerez's diagnosis once; a second run changes nothing."""
    load_questionnaire_templates()
    plan = Plan.objects.filter(slug=PLAN_SLUG).select_related("owner").first()
    if plan is None:
        raise DemoError(f"Jerez's diagnosis needs the plan “{PLAN_SLUG}”; build the plans first.")
    if Campaign.objects.filter(slug=CAMPAIGN_SLUG).exists():
        return JerezDiagnosisSummary(created=False)
    jerez = plan.owner
    admin = get_user_model().objects.filter(username="admin").first()
    summary = JerezDiagnosisSummary(created=True)

    # 1. Every department's self-assessment.
    departments = {d.slug: d for d in Department.objects.filter(organization=jerez)}
    codes = [d.code for d in services.maturity_dimensions_ensure()]
    for slug, levels in MATURITY.items():
        department = departments.get(slug)
        if department is None:
            continue
        ratings = {code: (level, EVIDENCE.get(code, "")) for code, level in zip(codes, levels, strict=True)}
        services.maturity_assessment_record(
            acting_user=admin,
            organization=jerez,
            department=department,
            assessed_on=ASSESSED_ON,
            ratings=ratings,
            note=DEMO_NOTE,
            is_demo=True,
        )
        summary.assessments += 1

    # 2. The social agents' consultation, by invitation, named (agents speak for their entity).
    questionnaire = Questionnaire(owner=jerez, kind=SOCIAL_AGENTS["kind"])
    _texts(questionnaire, "title", SOCIAL_AGENTS["title"])
    questionnaire.save()
    _build(questionnaire, SOCIAL_AGENTS)
    campaign = services.campaign_create(
        acting_user=admin,
        owner=jerez,
        questionnaire=questionnaire,
        data={
            "title_en": "Social agents' consultation 2021 (demo)",
            "title_es": "Consulta a los agentes sociales 2021 (demostración)",
            "title_ca": "Consulta als agents socials 2021 (demostració)",
            "title_bg": "Консултация със социалните партньори 2021 (демо)",
            "description_en": "DEMO DATA: the invitations and answers are illustrative, not real people's.",
            "description_es": "DATOS DE DEMOSTRACIÓN: las invitaciones y respuestas son ilustrativas.",
            "description_ca": "DADES DE DEMOSTRACIÓ: les invitacions i respostes són il·lustratives.",
            "description_bg": "ДЕМО ДАННИ: поканите и отговорите са илюстративни.",
            "slug": CAMPAIGN_SLUG,
            "plan": plan,
            "audience": Audience.SOCIAL_AGENTS,
            "access": Access.INVITATION,
            "is_anonymous": False,
            "language": "es",
        },
    )
    services.campaign_open(acting_user=admin, campaign=campaign)
    emails = "email\n" + "\n".join(f"agent{n:02d}@example.org" for n in range(1, 25)) + "\n"
    result = services.invitations_import_csv(acting_user=admin, campaign=campaign, content=emails, send=False)
    structure = questionnaire_structure(questionnaire)
    for invitation, (sector, agreement, ranking, proposal) in zip(result.created, AGENT_ANSWERS, strict=False):
        answers = {"sector": sector, "online_services": agreement, "priorities": ranking}
        if proposal:
            answers["proposal"] = proposal
        services.response_submit(invitation=invitation, answers=answers, structure=structure, language="es")
        summary.responses += 1
    # The consultation ran in spring 2021.
    opened = timezone.make_aware(dt.datetime(2021, 3, 1, 9, 0))
    Response.objects.filter(campaign=campaign).update(submitted_at=opened + dt.timedelta(days=10), is_demo=True)
    campaign.refresh_from_db()
    services.campaign_close(acting_user=admin, campaign=campaign)
    Campaign.objects.filter(pk=campaign.pk).update(
        is_demo=True, opens_at=opened, closes_at=opened + dt.timedelta(days=30)
    )

    # 3. The SWOT; findings matching the plan's challenges are linked to them.
    challenges = {c.code: c for c in Challenge.objects.filter(axis__plan=plan)}
    dimensions = {d.code: d for d in services.maturity_dimensions_ensure()}
    for position, (kind, title, challenge_code, question_code, dimension_code, evidence) in enumerate(FINDINGS, 1):
        data = {f"title_{code}": value for code, value in title.items()}
        data.update(kind=kind, position=position, evidence=evidence)
        if question_code:
            data["campaign"] = campaign
            data["question"] = structure.by_code[question_code]
        if dimension_code:
            data["dimension"] = dimensions[dimension_code]
        finding = services.finding_create(acting_user=admin, plan=plan, data=data)
        Finding.objects.filter(pk=finding.pk).update(is_demo=True)
        if challenge_code and challenge_code in challenges:
            services.finding_link_challenge(acting_user=admin, finding=finding, challenge=challenges[challenge_code])
            summary.linked_challenges.append(challenge_code)
        summary.findings += 1
    assert MaturityAssessment.objects.filter(organization=jerez).count() == summary.assessments
    return summary
