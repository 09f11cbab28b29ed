"""Sofia's citizen study run by IAB Bulgaria: a questionnaire and SYNTHETIC responses (idempotent).

The responses are generated, not collected: a fixed random seed draws respondents whose profile
is deliberately skewed against Sofia's adult population (too young, too male, too many from a
few central and student districts), and whose answers depend on age and sex the way surveys of
digital-service use usually do (younger people use online services more). Weighting the sample
to the population margins in data/sofia_population_margins.csv (stored on the campaign as shares,
editable on its margins page) therefore visibly lowers online use and raises the share preferring
offices, which is what the results page shows side by side.
Everything is marked as demo data (campaign and responses `is_demo`, the description says so).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from municipia.diagnosis import results, services
from municipia.diagnosis.choices import Access, Audience, CampaignStatus, ProfileKind, QuestionKind
from municipia.diagnosis.models import Answer, Campaign, Option, Question, Response
from municipia.organizations.models import Organization
from municipia.strategy.demo import DemoError
from municipia.strategy.models import Plan

CAMPAIGN_SLUG = "sofia-citizens-digital-services"
# The population margins the campaign stores (its weighting can then be changed on its margins page).
MARGINS_FILE = "sofia_population_margins.csv"
PARTNER_SLUG = "iab-bulgaria"
PLAN_SLUG = "sofia-digital-transformation"
SEED = 20240315
RESPONSES = 1200
OPENS = dt.date(2024, 3, 1)
CLOSES = dt.date(2024, 4, 15)


def t(en: str, bg: str, es: str = "", ca: str = "") -> dict[str, str]:
    return {"en": en, "bg": bg, "es": es, "ca": ca}


def fields(name: str, values: dict[str, str]) -> dict[str, str]:
    return {f"{name}_{language}": value for language, value in values.items() if value}


AGE_BANDS = [
    ("18-29", t("18–29", "18–29")),
    ("30-44", t("30–44", "30–44")),
    ("45-59", t("45–59", "45–59")),
    ("60-plus", t("60 or over", "60 и повече", "60 o más", "60 o més")),
]
SEXES = [("female", t("Female", "Жена", "Mujer", "Dona")), ("male", t("Male", "Мъж", "Hombre", "Home"))]
DISTRICTS = [
    ("sredets", "Sredets", "Средец"),
    ("krasno-selo", "Krasno selo", "Красно село"),
    ("vazrazhdane", "Vazrazhdane", "Възраждане"),
    ("oborishte", "Oborishte", "Оборище"),
    ("serdika", "Serdika", "Сердика"),
    ("poduyane", "Poduyane", "Подуяне"),
    ("slatina", "Slatina", "Слатина"),
    ("izgrev", "Izgrev", "Изгрев"),
    ("lozenets", "Lozenets", "Лозенец"),
    ("triaditsa", "Triaditsa", "Триадица"),
    ("krasna-polyana", "Krasna polyana", "Красна поляна"),
    ("ilinden", "Ilinden", "Илинден"),
    ("nadezhda", "Nadezhda", "Надежда"),
    ("iskar", "Iskar", "Искър"),
    ("mladost", "Mladost", "Младост"),
    ("studentski", "Studentski", "Студентски"),
    ("vitosha", "Vitosha", "Витоша"),
    ("ovcha-kupel", "Ovcha kupel", "Овча купел"),
    ("lyulin", "Lyulin", "Люлин"),
    ("vrabnitsa", "Vrabnitsa", "Връбница"),
    ("novi-iskar", "Novi Iskar", "Нови Искър"),
    ("kremikovtsi", "Kremikovtsi", "Кремиковци"),
    ("pancharevo", "Pancharevo", "Панчарево"),
    ("bankya", "Bankya", "Банкя"),
]
CHANNELS = [
    ("online", t("The municipal website or e-services portal", "Сайтът или порталът за е-услуги на общината")),
    ("app", t("A mobile application", "Мобилно приложение")),
    ("phone", t("By telephone", "По телефона")),
    ("office", t("In person at an office", "Лично в административно звено")),
]
SERVICES_WANTED = [
    ("taxes", t("Local taxes and fees", "Местни данъци и такси")),
    ("documents", t("Civil registration documents", "Документи за гражданско състояние")),
    ("parking", t("Parking permits and payments", "Паркиране: разрешения и плащания")),
    ("transport", t("Public transport tickets and information", "Билети и информация за градския транспорт")),
    ("reporting", t("Reporting problems in the street", "Сигнали за проблеми в града")),
    ("appointments", t("Booking appointments", "Записване на час")),
]
COMMENTS = [
    "Please make it possible to pay all local taxes online in one place.",
    "The website is hard to use on a phone.",
    "I would like notifications when my documents are ready.",
    "Моля, направете по-лесно плащането на данъци онлайн.",
    "Приложението за градския транспорт трябва да показва закъсненията.",
    "More information about fake news and how to check sources.",
]

# How the synthetic sample departs from the population (compare data/sofia_population_margins.csv):
# population 18–29 17 %, 30–44 30 %, 45–59 24 %, 60+ 29 %; women 54 %.
SAMPLE_AGE = {"18-29": 0.36, "30-44": 0.34, "45-59": 0.19, "60-plus": 0.11}
SAMPLE_MALE = 0.62
# Central and student districts over-represented (×3), the outskirts under-represented (×0.5).
DISTRICT_SKEW = {"studentski": 3.0, "mladost": 3.0, "lozenets": 3.0, "sredets": 3.0, "izgrev": 2.0}
OUTSKIRTS = {"novi-iskar", "kremikovtsi", "pancharevo", "bankya", "vrabnitsa"}
# Probability of having used online municipal services in the last 12 months, by age band.
USED_ONLINE = {"18-29": 0.82, "30-44": 0.70, "45-59": 0.45, "60-plus": 0.18}


@dataclass
class SofiaDemoSummary:
    created: bool
    responses: int
    campaign: Campaign


def _question(section, acting_user, code: str, kind: str, text: dict, options=(), **extra) -> Question:
    question = services.question_create(
        acting_user=acting_user, section=section, data={"code": code, "kind": kind, **fields("text", text), **extra}
    )
    for position, (option_code, label) in enumerate(options, start=1):
        services.option_create(
            acting_user=acting_user,
            question=question,
            data={"code": option_code, "position": position, **fields("label", label)},
        )
    return question


def _build_questionnaire(owner: Organization, acting_user):
    questionnaire = services.questionnaire_create(
        acting_user=acting_user,
        owner=owner,
        data={
            "kind": "citizens_services",
            **fields(
                "title",
                t(
                    "Citizens' expectations of Sofia's digital services",
                    "Очакванията на гражданите към цифровите услуги на София",
                    "Expectativas ciudadanas sobre los servicios digitales de Sofía",
                    "Expectatives ciutadanes sobre els serveis digitals de Sofia",
                ),
            ),
        },
    )
    profile = services.section_create(
        acting_user=acting_user,
        questionnaire=questionnaire,
        data={"position": 1, **fields("title", t("About you", "За вас", "Sobre usted", "Sobre vostè"))},
    )
    services_section = services.section_create(
        acting_user=acting_user,
        questionnaire=questionnaire,
        data={
            "position": 2,
            **fields("title", t("Digital services", "Цифрови услуги", "Servicios digitales", "Serveis digitals")),
        },
    )
    single, multiple, likert = QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE, QuestionKind.LIKERT
    _question(profile, acting_user, "age_band", single, t("Your age", "Вашата възраст", "Su edad", "La vostra edat"),
              AGE_BANDS, required=True, is_profile=True, profile_kind=ProfileKind.AGE_BAND)  # fmt: skip
    _question(profile, acting_user, "sex", single, t("Sex", "Пол", "Sexo", "Sexe"), SEXES,
              required=True, is_profile=True, profile_kind=ProfileKind.SEX)  # fmt: skip
    _question(profile, acting_user, "district", single,
              t("District of Sofia where you live", "Район на София, в който живеете"),
              [(code, t(en, bg)) for code, en, bg in DISTRICTS],
              required=True, is_profile=True, profile_kind=ProfileKind.DISTRICT)  # fmt: skip
    _question(services_section, acting_user, "used_online", single,
              t("In the last 12 months, have you used any of the municipality's online services?",
                "През последните 12 месеца използвали ли сте онлайн услуга на общината?"),
              [("yes", t("Yes", "Да", "Sí", "Sí")), ("no", t("No", "Не", "No", "No"))], required=True)  # fmt: skip
    _question(services_section, acting_user, "channel", single,
              t("How do you prefer to deal with the municipality?", "Как предпочитате да се обръщате към общината?"),
              CHANNELS, required=True)  # fmt: skip
    _question(services_section, acting_user, "satisfaction", likert,
              t("How satisfied are you with the municipality's online services?",
                "Доколко сте доволни от онлайн услугите на общината?"),
              scale_min_label_en="Not at all", scale_max_label_en="Very", scale_min_label_bg="Изобщо не",
              scale_max_label_bg="Много")  # fmt: skip
    _question(services_section, acting_user, "wanted", multiple,
              t("Which services would you most like to use online? (up to three)",
                "Кои услуги бихте искали да ползвате онлайн? (до три)"),
              SERVICES_WANTED, max_choices=3)  # fmt: skip
    _question(services_section, acting_user, "hours_online", QuestionKind.NUMBER,
              t("About how many hours a day do you spend online?", "Колко часа на ден прекарвате онлайн?"),
              number_min=0, number_max=24)  # fmt: skip
    _question(services_section, acting_user, "disinformation", likert,
              t("How confident are you that you can recognise disinformation online?",
                "Доколко сте уверени, че можете да разпознаете дезинформация онлайн?"))  # fmt: skip
    _question(services_section, acting_user, "comment", QuestionKind.TEXT,
              t("Anything else you would like the municipality to know?", "Нещо друго, което общината да знае?"),
              max_length=1000)  # fmt: skip
    return questionnaire


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _synthetic_answers(rng: random.Random) -> dict[str, object]:
    """One synthetic respondent: a skewed profile and answers that depend on it."""
    age = _pick(rng, SAMPLE_AGE)
    sex = "male" if rng.random() < SAMPLE_MALE else "female"
    district = _pick(
        rng, {code: DISTRICT_SKEW.get(code, 0.5 if code in OUTSKIRTS else 1.0) for code, _en, _bg in DISTRICTS}
    )
    older = ["18-29", "30-44", "45-59", "60-plus"].index(age)  # 0 (youngest) … 3
    used = rng.random() < USED_ONLINE[age] + (0.05 if sex == "male" else -0.03)
    channel = _pick(
        rng,
        {
            "online": [0.45, 0.42, 0.28, 0.12][older],
            "app": [0.30, 0.20, 0.08, 0.03][older],
            "phone": [0.07, 0.12, 0.22, 0.30][older],
            "office": [0.18, 0.26, 0.42, 0.55][older],
        },
    )
    satisfaction = min(5, max(1, round(rng.gauss([3.6, 3.3, 2.9, 2.6][older] + (0.2 if used else -0.3), 0.9))))
    wanted = rng.sample([code for code, _label in SERVICES_WANTED], k=rng.randint(1, 3))
    if older >= 2 and "documents" not in wanted and rng.random() < 0.5:
        wanted[0] = "documents"
    hours = max(0.0, round(rng.gauss([6.5, 5.0, 3.5, 2.0][older], 1.5), 1))
    confidence = min(5, max(1, round(rng.gauss([3.7, 3.4, 3.0, 2.6][older] + (0.15 if sex == "male" else 0), 1.0))))
    answers: dict[str, object] = {
        "age_band": age,
        "sex": sex,
        "district": district,
        "used_online": "yes" if used else "no",
        "channel": channel,
        "satisfaction": satisfaction,
        "wanted": sorted(set(wanted)),
        "hours_online": hours,
        "disinformation": confidence,
    }
    if rng.random() < 0.12:
        answers["comment"] = rng.choice(COMMENTS)
    return answers


def _insert_responses(campaign: Campaign, count: int) -> int:
    """Bulk-inserts `count` synthetic responses (two INSERT batches, not one save per answer)."""
    rng = random.Random(SEED)
    questions = {q.code: q for q in Question.objects.filter(questionnaire=campaign.questionnaire)}
    options = {(o.question_id, o.code): o.pk for o in Option.objects.filter(question__in=questions.values())}
    days = (CLOSES - OPENS).days
    drawn = [_synthetic_answers(rng) for _ in range(count)]
    responses = Response.objects.bulk_create(
        [
            Response(
                campaign=campaign,
                submitted_at=timezone.make_aware(
                    dt.datetime.combine(OPENS + dt.timedelta(days=rng.randrange(days)), dt.time())
                ),
                language=rng.choice(["bg", "bg", "bg", "en"]),
                is_demo=True,
            )
            for _ in drawn
        ],
        batch_size=500,
    )
    if any(response.pk is None for response in responses):  # back-ends without RETURNING
        responses = list(Response.objects.filter(campaign=campaign).order_by("id"))
    rows: list[Answer] = []
    for response, answers in zip(responses, drawn, strict=True):
        for code, value in answers.items():
            question = questions[code]
            if question.kind in (QuestionKind.LIKERT, QuestionKind.NUMBER):
                rows.append(Answer(response_id=response.pk, question_id=question.pk, value_number=float(value)))
            elif question.kind == QuestionKind.TEXT:
                rows.append(Answer(response_id=response.pk, question_id=question.pk, value_text=value))
            else:
                for option_code in value if isinstance(value, list) else [value]:
                    rows.append(
                        Answer(
                            response_id=response.pk,
                            question_id=question.pk,
                            option_id=options[(question.pk, option_code)],
                        )
                    )
    Answer.objects.bulk_create(rows, batch_size=2000)
    return len(responses)


@transaction.atomic
def build_sofia_demo(
    *,
    owner: Organization | None = None,
    published_to: Organization | None = None,
    plan: Plan | None = None,
    responses: int = RESPONSES,
) -> SofiaDemoSummary:
    """IAB Bulgaria's study for Sofia with `responses` synthetic answers; a second run changes nothing."""
    existing = Campaign.objects.filter(slug=CAMPAIGN_SLUG).first()
    if existing is not None:
        if not existing.population_margins:  # a demo loaded before campaigns stored their margins
            _set_margins(existing, get_user_model().objects.filter(username="admin").first())
        return SofiaDemoSummary(False, existing.responses.count(), existing)
    if plan is None:
        plan = Plan.objects.filter(slug=PLAN_SLUG).select_related("owner").first()
    owner = owner or Organization.objects.filter(slug=PARTNER_SLUG).first()
    if owner is None:
        raise DemoError(f"Sofia's citizen study needs the partner “{PARTNER_SLUG}”; build the plans first.")
    published_to = published_to or (plan.owner if plan else None)
    acting_user = get_user_model().objects.filter(username="admin").first()
    questionnaire = _build_questionnaire(owner, acting_user)
    description = t(
        "DEMO DATA — the responses are synthetic, generated by a program with a fixed random seed; they are "
        "not answers of real people. The sample is deliberately skewed (too young, too male, too many central "
        "districts) so that weighting to Sofia's population margins visibly changes the results.",
        "ДЕМО ДАННИ — отговорите са синтетични, генерирани от програма с фиксирано начално число; те не са "
        "отговори на реални хора. Извадката е нарочно изкривена (твърде млади, твърде много мъже и централни "
        "райони), така че претеглянето спрямо населението на София видимо променя резултатите.",
        "DATOS DE DEMOSTRACIÓN — las respuestas son sintéticas, generadas por un programa; no son respuestas de "
        "personas reales. La muestra está sesgada a propósito para que la ponderación cambie los resultados.",
        "DADES DE DEMOSTRACIÓ — les respostes són sintètiques, generades per un programa; no són respostes de "
        "persones reals. La mostra està esbiaixada a propòsit perquè la ponderació en canviï els resultats.",
    )
    campaign = services.campaign_create(
        acting_user=acting_user,
        owner=owner,
        questionnaire=questionnaire,
        data={
            "slug": CAMPAIGN_SLUG,
            "plan": plan,
            "audience": Audience.CITIZENS,
            "access": Access.PUBLIC_LINK,
            "is_anonymous": True,
            "language": "bg",
            "results_published_to": published_to,
            # The study's aggregates are public (small cells suppressed): /surveys/<slug>/results/.
            "results_public": True,
            "opens_at": timezone.make_aware(dt.datetime.combine(OPENS, dt.time())),
            "closes_at": timezone.make_aware(dt.datetime.combine(CLOSES, dt.time())),
            **fields(
                "title",
                t(
                    "Sofia citizens' digital services study 2024 (IAB Bulgaria)",
                    "Проучване на цифровите услуги за гражданите на София 2024 (IAB България)",
                    "Estudio de servicios digitales para la ciudadanía de Sofía 2024 (IAB Bulgaria)",
                    "Estudi de serveis digitals per a la ciutadania de Sofia 2024 (IAB Bulgaria)",
                ),
            ),
            **fields("description", description),
        },
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.CLOSED, is_demo=True)
    campaign.refresh_from_db()
    _set_margins(campaign, acting_user)
    count = _insert_responses(campaign, responses)
    return SofiaDemoSummary(True, count, campaign)


def _set_margins(campaign: Campaign, acting_user) -> None:
    """Sofia's adult population by age band × sex and by district (data/, approximate), as shares."""
    counts = results.read_margins(results.DATA / MARGINS_FILE)
    services.campaign_margins_update(
        acting_user=acting_user, campaign=campaign, margins=results.margins_as_shares(counts)
    )
