"""Demo content of partnerships: the Sofia–IAB Bulgaria memorandum of 26 July 2022 with its signatories and
commitments linked to the Sofia plan's work, news posts for the three situations and invented
clarifications about Sofia's e-services (both labelled as demo content). Idempotent: a second run
changes nothing; a link whose target the other demos did not create is skipped, never an error.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from municipia.diagnosis.models import Campaign
from municipia.governance.models import Meeting, Task
from municipia.organizations.models import Organization
from municipia.organizations.selectors import organization_find
from municipia.partnerships import services
from municipia.partnerships.choices import AgreementKind, CommitmentStatus, NewsStatus, Verdict
from municipia.partnerships.models import Agreement, Clarification, NewsPost
from municipia.strategy.models import Action, Plan

SOFIA_PLAN_SLUG = "sofia-digital-transformation"
CATALAN_PLAN_SLUG = "agenda-digital-dels-municipis-de-catalunya"
JEREZ_PLAN_SLUG = "plan-estrategico-smart-city-jerez"
PARTNER_SLUG = "iab-bulgaria"
STUDY_CAMPAIGN_SLUG = "sofia-citizens-digital-services"
AGREEMENT_SLUG = "sofia-iab-bulgaria-memorandum-2022"
SIGNED_ON = dt.date(2022, 7, 26)
FIRST_OPERATIONAL_MEETING = dt.date(2022, 7, 29)  # a Friday
LANGUAGES = ("en", "es", "ca", "bg")


def t(field_name: str, en: str, es: str, ca: str, bg: str) -> dict[str, str]:
    return {f"{field_name}_{code}": text for code, text in zip(LANGUAGES, (en, es, ca, bg), strict=True)}


@dataclass
class PartnershipsSummary:
    agreements: int = 0
    commitments: int = 0
    news_posts: int = 0
    clarifications: int = 0
    skipped: list[str] = field(default_factory=list)


SIGNATORIES = [
    (
        "sofia",
        "Yordanka Fandakova",
        t("position", "Mayor of Sofia", "Alcaldesa de Sofía", "Alcaldessa de Sofia", "Кмет на Столична община"),
    ),
    (
        "sofia",
        "Gencho Kerezov",
        t(
            "position",
            "Deputy Mayor for Digitalisation, Innovation and Economic Development",
            "Teniente de alcalde de Digitalización, Innovación y Desarrollo Económico",
            "Tinent d'alcalde de Digitalització, Innovació i Desenvolupament Econòmic",
            "Заместник-кмет по направление „Дигитализация, иновации и икономическо развитие“",
        ),
    ),
    (
        "partner",
        "Nadya Gogova",
        t(
            "position",
            "Executive Director",
            "Directora ejecutiva",
            "Directora executiva",
            "Изпълнителен директор",
        ),
    ),
    (
        "partner",
        "Milena Kaplamadzhieva",
        t(
            "position",
            "Chair of the Management Board",
            "Presidenta del Consejo de Administración",
            "Presidenta del Consell d'Administració",
            "Председател на Управителния съвет",
        ),
    ),
]

SCOPE = t(
    "scope",
    "Cooperation for data-driven policy: IAB Bulgaria delivers quantitative and qualitative studies of the digital "
    "environment and of Sofia's citizens' expectations; both sides work against disinformation and for citizens' "
    "digital rights. A first operational meeting sets the concrete joint initiatives.",
    "Cooperación para políticas basadas en datos: IAB Bulgaria aporta estudios cuantitativos y cualitativos del "
    "entorno digital y de las expectativas de la ciudadanía de Sofía; ambas partes trabajan contra la "
    "desinformación y por los derechos digitales de la ciudadanía. Una primera reunión operativa fija las "
    "iniciativas conjuntas concretas.",
    "Cooperació per a polítiques basades en dades: IAB Bulgaria aporta estudis quantitatius i qualitatius de "
    "l'entorn digital i de les expectatives de la ciutadania de Sofia; totes dues parts treballen contra la "
    "desinformació i pels drets digitals de la ciutadania. Una primera reunió operativa fixa les iniciatives "
    "conjuntes concretes.",
    "Сътрудничество за политики, основани на данни: IAB Bulgaria изготвя количествени и качествени проучвания на "
    "дигиталната среда и на очакванията на гражданите на София; двете страни работят срещу дезинформацията и за "
    "цифровите права на гражданите. Първа работна среща определя конкретните съвместни инициативи.",
)

# (party, deliverable texts, due date, status, action codes, link tasks by English title, link the study
# campaign, link the first operational meeting)
COMMITMENTS: list[tuple[str, dict[str, str], dt.date, str, tuple[str, ...], tuple[str, ...], bool, bool]] = [
    (
        "partner",
        t(
            "deliverable",
            "Quantitative study of the digital environment and of Sofia's citizens' expectations, for data-driven "
            "policy.",
            "Estudio cuantitativo del entorno digital y de las expectativas de la ciudadanía de Sofía, para "
            "políticas basadas en datos.",
            "Estudi quantitatiu de l'entorn digital i de les expectatives de la ciutadania de Sofia, per a "
            "polítiques basades en dades.",
            "Количествено проучване на дигиталната среда и на очакванията на гражданите на София за политики, "
            "основани на данни.",
        ),
        dt.date(2024, 12, 31),
        CommitmentStatus.DELIVERED,
        ("1.1.1",),
        ("Deliver the quantitative study",),
        True,
        False,
    ),
    (
        "partner",
        t(
            "deliverable",
            "Qualitative study of the digital environment and of Sofia's citizens' expectations.",
            "Estudio cualitativo del entorno digital y de las expectativas de la ciudadanía de Sofía.",
            "Estudi qualitatiu de l'entorn digital i de les expectatives de la ciutadania de Sofia.",
            "Качествено проучване на дигиталната среда и на очакванията на гражданите на София.",
        ),
        dt.date(2025, 6, 30),
        CommitmentStatus.IN_PROGRESS,
        ("1.1.2",),
        (),
        False,
        False,
    ),
    (
        "sofia",
        t(
            "deliverable",
            "Hold a first operational meeting that sets the concrete joint initiatives.",
            "Celebrar una primera reunión operativa que fije las iniciativas conjuntas concretas.",
            "Fer una primera reunió operativa que fixi les iniciatives conjuntes concretes.",
            "Провеждане на първа работна среща, която определя конкретните съвместни инициативи.",
        ),
        FIRST_OPERATIONAL_MEETING,
        CommitmentStatus.DELIVERED,
        (),
        (),
        False,
        True,
    ),
    (
        "sofia",
        t(
            "deliverable",
            "Use the studies' findings in the roadmap of digital services (data-driven decisions).",
            "Usar las conclusiones de los estudios en la hoja de ruta de servicios digitales (decisiones basadas en "
            "datos).",
            "Fer servir les conclusions dels estudis en el full de ruta de serveis digitals (decisions basades en "
            "dades).",
            "Използване на изводите от проучванията в пътната карта на цифровите услуги (решения, основани на данни).",
        ),
        dt.date(2025, 12, 31),
        CommitmentStatus.PENDING,
        ("1.1.3",),
        (),
        False,
        False,
    ),
    (
        "sofia",
        t(
            "deliverable",
            "Work with IAB Bulgaria against disinformation about the city's services.",
            "Trabajar con IAB Bulgaria contra la desinformación sobre los servicios de la ciudad.",
            "Treballar amb IAB Bulgaria contra la desinformació sobre els serveis de la ciutat.",
            "Работа с IAB Bulgaria срещу дезинформацията за услугите на града.",
        ),
        dt.date(2025, 12, 31),
        CommitmentStatus.IN_PROGRESS,
        ("2.1.1",),
        (),
        False,
        False,
    ),
    (
        "partner",
        t(
            "deliverable",
            "Work against disinformation and promote citizens' digital rights with the city.",
            "Trabajar contra la desinformación y promover los derechos digitales de la ciudadanía con la ciudad.",
            "Treballar contra la desinformació i promoure els drets digitals de la ciutadania amb la ciutat.",
            "Работа срещу дезинформацията и насърчаване на цифровите права на гражданите заедно с града.",
        ),
        dt.date(2025, 12, 31),
        CommitmentStatus.IN_PROGRESS,
        ("2.1.1", "2.1.2"),
        (),
        False,
        False,
    ),
]


def _organization(slug: str) -> Organization | None:
    try:
        return organization_find(slug=slug)
    except Http404:
        return None


def _plan(slug: str) -> Plan | None:
    return Plan.objects.filter(slug=slug).select_related("owner").first()


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _links(plan: Plan, spec: tuple, summary: PartnershipsSummary) -> dict[str, list[Any]]:
    _party, _texts, _due, _status, codes, task_titles, with_campaign, with_meeting = spec
    actions = list(Action.objects.filter(plan=plan, code__in=codes))
    tasks = list(Task.objects.filter(body__plan=plan, title_en__in=task_titles)) if task_titles else []
    campaigns = list(Campaign.objects.filter(slug=STUDY_CAMPAIGN_SLUG)) if with_campaign else []
    meetings = []
    if with_meeting:
        meetings = list(Meeting.objects.filter(body__plan=plan).order_by("starts_at")[:1])
    missing = len(codes) - len(actions)
    if missing:
        summary.skipped.append(f"{missing} action link(s) of the Sofia memorandum")
    return {"actions": actions, "tasks": tasks, "campaigns": campaigns, "meetings": meetings}


def _build_agreement(summary: PartnershipsSummary) -> Agreement | None:
    existing = Agreement.objects.filter(slug=AGREEMENT_SLUG).first()
    if existing is not None:
        return existing
    plan = _plan(SOFIA_PLAN_SLUG)
    partner = _organization(PARTNER_SLUG)
    if plan is None or partner is None:
        summary.skipped.append("the Sofia–IAB Bulgaria memorandum (no Sofia plan or no IAB Bulgaria)")
        return None
    sofia = plan.owner
    editor = _user("editor-sofia")
    agreement = services.agreement_create(
        acting_user=editor,
        owner=sofia,
        parties=[partner],
        data={
            "kind": AgreementKind.MEMORANDUM,
            "slug": AGREEMENT_SLUG,
            **t(
                "title",
                "Memorandum of cooperation between Sofia Municipality and IAB Bulgaria",
                "Memorando de cooperación entre el Ayuntamiento de Sofía e IAB Bulgaria",
                "Memoràndum de cooperació entre l'Ajuntament de Sofia i IAB Bulgaria",
                "Меморандум за сътрудничество между Столична община и IAB Bulgaria",
            ),
            **SCOPE,
            "signed_on": SIGNED_ON,
            "in_force_from": SIGNED_ON,
            "is_public": True,
        },
    )
    summary.agreements += 1
    parties = {"sofia": sofia, "partner": partner}
    for party_key, name, position in SIGNATORIES:
        services.signatory_create(
            acting_user=editor,
            agreement=agreement,
            data={
                "person_name": name,
                **position,
                "organization": parties[party_key],
                "signed_on": SIGNED_ON,
            },
        )
    for spec in COMMITMENTS:
        party_key, texts, due, status = spec[:4]
        services.commitment_create(
            acting_user=editor,
            agreement=agreement,
            data={"party": parties[party_key], **texts, "due_date": due, "status": status},
            **_links(plan, spec, summary),
        )
        summary.commitments += 1
    return agreement


NEWS = [
    (
        CATALAN_PLAN_SLUG,
        "demo-catalan-coordination-groups-start",
        dt.datetime(2023, 5, 30, 12, 0),
        t(
            "title",
            "The coordination groups of the Catalan municipalities' digital agenda start work",
            "Los grupos de coordinación de la agenda digital de los municipios catalanes empiezan a trabajar",
            "Els grups de coordinació de l'agenda digital dels municipis de Catalunya comencen a treballar",
            "Координационните групи на дигиталния дневен ред на каталунските общини започват работа",
        ),
        t(
            "summary",
            "Demo content. The four coordination groups, one per strategic axis, held their first meetings on "
            "30 May 2023; the working groups start in mid-June.",
            "Contenido de demostración. Los cuatro grupos de coordinación, uno por eje estratégico, celebraron sus "
            "primeras reuniones el 30 de mayo de 2023; los grupos de trabajo empiezan a mediados de junio.",
            "Contingut de demostració. Els quatre grups de coordinació, un per eix estratègic, van fer les "
            "primeres reunions el 30 de maig de 2023; els grups de treball comencen a mitjan juny.",
            "Демонстрационно съдържание. Четирите координационни групи, по една за всяка стратегическа ос, "
            "проведоха първите си срещи на 30 май 2023 г.; работните групи започват в средата на юни.",
        ),
    ),
    (
        JEREZ_PLAN_SLUG,
        "demo-jerez-smart-city-plan-presented",
        dt.datetime(2021, 11, 15, 12, 0),
        t(
            "title",
            "Jerez presents its Smart City strategic plan",
            "Jerez presenta su plan estratégico Smart City",
            "Jerez presenta el seu pla estratègic Smart City",
            "Херес представя своя стратегически план „Умен град“",
        ),
        t(
            "summary",
            "Demo content. Built on a diagnosis with every municipal department and social agents, aligned with "
            "the 2030 Agenda and the Recovery Plan, and partly funded by the ERDF (EDUSI Jerez 2022).",
            "Contenido de demostración. Basado en un diagnóstico con todas las delegaciones municipales y los "
            "agentes sociales, alineado con la Agenda 2030 y el Plan de Recuperación, y cofinanciado en parte por "
            "el FEDER (EDUSI Jerez 2022).",
            "Contingut de demostració. Basat en una diagnosi amb totes les delegacions municipals i els agents "
            "socials, alineat amb l'Agenda 2030 i el Pla de Recuperació, i cofinançat en part pel FEDER (EDUSI "
            "Jerez 2022).",
            "Демонстрационно съдържание. Изграден върху анализ с всички общински отдели и социалните партньори, "
            "съобразен с Програма 2030 и Плана за възстановяване и частично финансиран от ЕФРР (EDUSI Jerez 2022).",
        ),
    ),
    (
        SOFIA_PLAN_SLUG,
        "demo-sofia-iab-memorandum-signed",
        dt.datetime(2022, 7, 26, 12, 0),
        t(
            "title",
            "Sofia and IAB Bulgaria sign a memorandum of cooperation",
            "Sofía e IAB Bulgaria firman un memorando de cooperación",
            "Sofia i IAB Bulgaria signen un memoràndum de cooperació",
            "София и IAB Bulgaria подписаха меморандум за сътрудничество",
        ),
        t(
            "summary",
            "Demo content. IAB Bulgaria will deliver studies of the digital environment and of citizens' "
            "expectations; both sides work against disinformation and for digital rights. First operational "
            "meeting: Friday 29 July 2022.",
            "Contenido de demostración. IAB Bulgaria aportará estudios del entorno digital y de las expectativas "
            "de la ciudadanía; ambas partes trabajan contra la desinformación y por los derechos digitales. "
            "Primera reunión operativa: viernes 29 de julio de 2022.",
            "Contingut de demostració. IAB Bulgaria aportarà estudis de l'entorn digital i de les expectatives "
            "de la ciutadania; totes dues parts treballen contra la desinformació i pels drets digitals. Primera "
            "reunió operativa: divendres 29 de juliol de 2022.",
            "Демонстрационно съдържание. IAB Bulgaria ще изготви проучвания на дигиталната среда и на очакванията "
            "на гражданите; двете страни работят срещу дезинформацията и за цифровите права. Първа работна среща: "
            "петък, 29 юли 2022 г.",
        ),
    ),
]


def _build_news(summary: PartnershipsSummary, agreement: Agreement | None) -> None:
    for plan_slug, slug, when, title, text in NEWS:
        if NewsPost.objects.filter(slug=slug).exists():
            continue
        plan = _plan(plan_slug)
        if plan is None:
            summary.skipped.append(f"news post {slug} (no plan {plan_slug})")
            continue
        services.news_post_create(
            acting_user=None,
            organization=plan.owner,
            data={
                "slug": slug,
                **title,
                **text,
                "status": NewsStatus.PUBLISHED,
                "publish_at": timezone.make_aware(when),
                "is_demo": True,
            },
            plans=[plan],
            agreements=[agreement] if agreement is not None and plan_slug == SOFIA_PLAN_SLUG else [],
        )
        summary.news_posts += 1


CLARIFICATIONS = [
    (
        "demo-e-services-certificates-fee",
        Verdict.FALSE,
        t(
            "title",
            "Do online certificates from the e-services portal cost a fee?",
            "¿Cuestan dinero los certificados en línea del portal de servicios electrónicos?",
            "Costen diners els certificats en línia del portal de serveis electrònics?",
            "Платени ли са онлайн удостоверенията от портала за електронни услуги?",
        ),
        t(
            "claim",
            "Sofia now charges a fee for every certificate requested through its e-services portal.",
            "Sofía cobra ahora una tasa por cada certificado pedido a través de su portal de servicios electrónicos.",
            "Sofia cobra ara una taxa per cada certificat demanat a través del portal de serveis electrònics.",
            "София вече събира такса за всяко удостоверение, поискано през портала за електронни услуги.",
        ),
        t(
            "facts",
            "Invented example (demo content). Certificates requested online cost the same as at the counter, and "
            "several are free online; no new fee was introduced.",
            "Ejemplo inventado (contenido de demostración). Los certificados pedidos en línea cuestan lo mismo que "
            "en ventanilla, y varios son gratuitos en línea; no se ha creado ninguna tasa nueva.",
            "Exemple inventat (contingut de demostració). Els certificats demanats en línia costen el mateix que a "
            "la finestreta, i diversos són gratuïts en línia; no s'ha creat cap taxa nova.",
            "Измислен пример (демонстрационно съдържание). Удостоверенията, поискани онлайн, струват колкото на "
            "гише, а някои са безплатни онлайн; не е въведена нова такса.",
        ),
    ),
    (
        "demo-e-services-personal-data-sold",
        Verdict.FALSE,
        t(
            "title",
            "Does the city sell the personal data of e-services users?",
            "¿Vende la ciudad los datos personales de quienes usan los servicios electrónicos?",
            "Ven la ciutat les dades personals de qui fa servir els serveis electrònics?",
            "Продава ли градът личните данни на ползвателите на електронни услуги?",
        ),
        t(
            "claim",
            "The municipality sells the personal data of people who use its e-services to advertisers.",
            "El ayuntamiento vende a anunciantes los datos personales de quienes usan sus servicios electrónicos.",
            "L'ajuntament ven a anunciants les dades personals de qui fa servir els seus serveis electrònics.",
            "Общината продава на рекламодатели личните данни на хората, които ползват електронните ѝ услуги.",
        ),
        t(
            "facts",
            "Invented example (demo content). Personal data are processed only to provide the service, under the "
            "GDPR; the studies with IAB Bulgaria use anonymous survey answers.",
            "Ejemplo inventado (contenido de demostración). Los datos personales solo se tratan para prestar el "
            "servicio, conforme al RGPD; los estudios con IAB Bulgaria usan respuestas anónimas.",
            "Exemple inventat (contingut de demostració). Les dades personals només es tracten per prestar el "
            "servei, d'acord amb el RGPD; els estudis amb IAB Bulgaria fan servir respostes anònimes.",
            "Измислен пример (демонстрационно съдържание). Личните данни се обработват само за предоставяне на "
            "услугата съгласно ОРЗД; проучванията с IAB Bulgaria използват анонимни отговори.",
        ),
    ),
    (
        "demo-e-services-available-at-night",
        Verdict.MISLEADING,
        t(
            "title",
            "Is the e-services portal closed at night?",
            "¿Cierra de noche el portal de servicios electrónicos?",
            "Tanca de nit el portal de serveis electrònics?",
            "Затваря ли нощем порталът за електронни услуги?",
        ),
        t(
            "claim",
            "The e-services portal shuts down every night, so nothing can be filed after office hours.",
            "El portal de servicios electrónicos se apaga cada noche, así que no se puede presentar nada fuera de "
            "horario.",
            "El portal de serveis electrònics s'apaga cada nit, de manera que no es pot presentar res fora d'horari.",
            "Порталът за електронни услуги се изключва всяка нощ, така че след работно време нищо не може да се "
            "подаде.",
        ),
        t(
            "facts",
            "Invented example (demo content). The portal is open day and night; only announced maintenance "
            "windows interrupt it, and requests filed at night are processed the next working day.",
            "Ejemplo inventado (contenido de demostración). El portal está abierto día y noche; solo lo "
            "interrumpen mantenimientos anunciados, y lo presentado de noche se tramita el siguiente día hábil.",
            "Exemple inventat (contingut de demostració). El portal és obert dia i nit; només l'interrompen "
            "manteniments anunciats, i el que es presenta de nit es tramita el dia feiner següent.",
            "Измислен пример (демонстрационно съдържание). Порталът работи денонощно; прекъсва само при обявена "
            "поддръжка, а подаденото през нощта се обработва на следващия работен ден.",
        ),
    ),
]


def _build_clarifications(summary: PartnershipsSummary) -> None:
    plan = _plan(SOFIA_PLAN_SLUG)
    if plan is None:
        summary.skipped.append("clarifications (no Sofia plan)")
        return
    reviewer = _user("editor-sofia")
    for slug, verdict, title, claim, facts in CLARIFICATIONS:
        if Clarification.objects.filter(slug=slug).exists():
            continue
        clarification = services.clarification_create(
            acting_user=None,  # written as demo content; a Sofia editor reviews and publishes it
            publisher=plan.owner,
            data={
                "slug": slug,
                **title,
                **claim,
                **facts,
                "verdict": verdict,
                "claim_author": "Demo social media account",
                "claim_seen_at": "Social media post (invented, demo content)",
                "claim_first_seen": dt.date(2024, 3, 4),
                "sources": "Demo content: no real source.\nSofia Municipality e-services portal",
                "is_demo": True,
            },
            plans=[plan],
        )
        if reviewer is not None:
            try:
                services.clarification_publish(acting_user=reviewer, clarification=clarification)
            except ValidationError:
                summary.skipped.append(f"publishing {slug} (editor-sofia is not an editor of Sofia)")
        summary.clarifications += 1


def build_partnerships_demo(stdout=None) -> PartnershipsSummary:
    """Builds the partnerships demo once; every later run finds it and changes nothing."""
    summary = PartnershipsSummary()
    with transaction.atomic():
        agreement = _build_agreement(summary)
        _build_news(summary, agreement)
        _build_clarifications(summary)
    if stdout is not None:
        stdout.write(
            f"Partnerships: {summary.agreements} agreement(s), {summary.commitments} commitment(s), "
            f"{summary.news_posts} news post(s), {summary.clarifications} clarification(s) created."
        )
        for item in summary.skipped:
            stdout.write(f"  skipped: {item}")
    return summary
