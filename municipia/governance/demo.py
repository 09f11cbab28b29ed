"""The governance demo: the bodies, meetings, minutes, decisions, tasks and reports of DESIGN.md's three situations.

Built after the strategy demo (`load_demo`), through the governance services, as the people who
would have typed it. From DESIGN.md: the Catalan network's four coordination groups of about
fifteen councils, meeting monthly from Tuesday 30 May 2023, and working groups meeting every two
weeks for three months from mid-June 2023; Sofia and IAB Bulgaria's first operational meeting and
its subjects; Jerez's diagnosis meetings with municipal departments and social agents. Everything
else (people, times, agendas, minutes, decisions, tasks, reports) is illustrative, and each body's
mandate says so.

Idempotent: people and users are looked up before they are created, and a body that already
exists is left as it is with everything in it. Meetings of a series are split into past and
future by the moment the demo is loaded, so the latest past meeting has draft minutes and the
open tasks fall due around "today" whenever it is loaded.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from municipia.governance import services
from municipia.governance.choices import (
    AttendanceStatus,
    BodyKind,
    HolidayPolicy,
    HolidayRegion,
    MemberRole,
    TaskStatus,
)
from municipia.governance.models import Body, BodyMember, Meeting
from municipia.organizations import services as org_services
from municipia.organizations.models import Organization, Person
from municipia.strategy.demo import (
    CATALAN_PLAN,
    JEREZ_PLAN,
    NETWORK_SLUG,
    PARTNER_SLUG,
    SOFIA_PLAN,
    DemoBuilder,
    DemoError,
    t,
    texts,
)
from municipia.strategy.models import Action, Plan

MADRID = "Europe/Madrid"
SOFIA_TZ = "Europe/Sofia"
SECRETARY_USERNAME = "secretary-catalunya"
# Shown with the strategy demo's logins by `load_demo`.
GOVERNANCE_USERS = {SECRETARY_USERNAME: gettext_lazy("secretary of the Catalan network's first coordination group")}

COORDINATION_RULE = "FREQ=MONTHLY;BYDAY=-1TU"  # the last Tuesday of every month: 30 May 2023 is one
COORDINATION_FIRST = dt.datetime(2023, 5, 30, 10, 0)
WORKING_GROUP_RULE = "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20230915"  # three months from Thursday 15 June
WORKING_GROUP_FIRST = dt.datetime(2023, 6, 15, 10, 0)
NETWORK_MEMBERS_FROM = dt.date(2023, 5, 30)
ONLINE = "https://meet.example.org/xarxa-agenda-digital"  # illustrative address of the network's video calls

ILLUSTRATIVE = t(
    "Demo content: the members, agendas, minutes, decisions, tasks and reports are illustrative.",
    "Contenido de demostración: los miembros, órdenes del día, actas, acuerdos, tareas e informes son ilustrativos.",
    "Contingut de demostració: els membres, ordres del dia, actes, acords, tasques i informes són il·lustratius.",
    "Демонстрационно съдържание: членовете, дневният ред, протоколите, решенията, задачите и докладите са "
    "илюстративни.",
)


def lang(name: str, **values: str) -> dict[str, str]:
    """`lang("title", en=…, ca=…)` → `{"title_en": …, "title_ca": …}`: content in the languages it was written in."""
    return {f"{name}_{code}": value for code, value in values.items()}


def with_note(text: dict[str, str]) -> dict[str, str]:
    return {code: f"{value} {ILLUSTRATIVE[code]}" for code, value in text.items()}


def local(moment: dt.datetime, zone: str) -> dt.datetime:
    return moment.replace(tzinfo=ZoneInfo(zone))


@dataclass
class GovernanceSummary:
    created_bodies: list[str] = field(default_factory=list)
    existing_bodies: list[str] = field(default_factory=list)
    created_users: list[str] = field(default_factory=list)
    meetings: int = 0


# --- The Catalan network: people (fictional names; one person per council seat)

FIRST_NAMES = ["Anna", "Jordi", "Montserrat", "Pere", "Núria", "Joan", "Laia", "Marc", "Mercè", "Xavier", "Carme",
               "Oriol", "Roser", "Albert", "Gemma", "Ramon"]  # fmt: skip
SURNAMES = ["Puig", "Soler", "Vila", "Ferrer", "Roca", "Font", "Pujol", "Mas", "Casas", "Riera", "Sala", "Bosch",
            "Camps", "Prat", "Costa", "Vidal", "Oller"]  # fmt: skip
REPRESENTATIVE = t(
    "Council representative in the digital agenda",
    "Representante municipal en la agenda digital",
    "Representant municipal a l'agenda digital",
    "Представител на общината в дигиталната агенда",
)
# The technical secretaries of the four coordination groups, in the network's office; the first has an account.
SECRETARIES = ["Clara Bertran", "Pau Garriga", "Marta Solé", "Enric Miró"]


def secretary_position(axis: str) -> dict[str, str]:
    return t(
        f"Technical secretary of the coordination group of axis {axis}",
        f"Secretaria técnica del grupo de coordinación del eje {axis}",
        f"Secretaria tècnica del grup de coordinació de l'eix {axis}",
        f"Технически секретар на координационната група по ос {axis}",
    )


# Working groups: the action each carries out (the first actions prioritised, all starting on 15 June 2023).
WORKING_GROUP_ACTIONS = ["1.1.1", "2.1.1", "2.2.1"]


def coordination_group_name(axis_code: str, axis_titles: dict[str, str]) -> dict[str, str]:
    return {
        "en": f"Coordination group of axis {axis_code}: {axis_titles['en']}",
        "es": f"Grupo de coordinación del eje {axis_code}: {axis_titles['es']}",
        "ca": f"Grup de coordinació de l'eix {axis_code}: {axis_titles['ca']}",
        "bg": f"Координационна група по ос {axis_code}: {axis_titles['bg']}",
    }


def working_group_name(action: Action) -> dict[str, str]:
    return {
        "en": f"Working group {action.code}: {action.title_en}",
        "es": f"Grupo de trabajo {action.code}: {action.title_es}",
        "ca": f"Grup de treball {action.code}: {action.title_ca}",
        "bg": f"Работна група {action.code}: {action.title_bg}",
    }


# --- Sofia and IAB Bulgaria (fictional people)

SOFIA_PEOPLE = {
    # key: (organisation: "sofia" or "partner", full name, position in en and bg)
    "sofia-pr": ("sofia", "Mariya Ivanova", ("Public relations expert", "Експерт „Връзки с обществеността“")),
    "iab-director": ("partner", "Stoyan Kolev",
                     ("Programme director, IAB Bulgaria", "Програмен директор, IAB Bulgaria")),
    "iab-research": ("partner", "Desislava Todorova",
                     ("Head of research, IAB Bulgaria", "Ръководител „Проучвания“, IAB Bulgaria")),
}  # fmt: skip
# The first operational meeting, three days after the memorandum was signed (26 July 2022).
SOFIA_MEETING = local(dt.datetime(2022, 7, 29, 11, 0), SOFIA_TZ)
# The subjects of the first operational meeting (DESIGN.md), each with the plan action it concerns.
SOFIA_AGENDA = [
    ("3.1.1", "editor-sofia",
     ("Concrete joint initiatives under the memorandum of cooperation",
      "Конкретни съвместни инициативи по меморандума за сътрудничество")),
    ("1.1.1", "iab-research",
     ("Studies of the digital environment and of citizens' expectations",
      "Проучвания на дигиталната среда и на очакванията на гражданите")),
    ("2.1.1", "iab-director",
     ("Fighting disinformation", "Борба с дезинформацията")),
    ("2.1.2", "sofia-pr",
     ("Citizens' digital rights", "Цифровите права на гражданите")),
]  # fmt: skip

# --- Jerez (fictional people)

JEREZ_PEOPLE = {
    # key: (department slug or "" for a social agent, full name, position in es and en)
    "jerez-innovation": ("innovacion", "Antonio Romero", ("Técnico de Innovación", "Innovation officer")),
    "jerez-urbanism": ("urbanismo", "Carmen Domínguez", ("Jefa de Urbanismo", "Head of Urban Planning")),
    "jerez-environment": ("medio-ambiente", "Rocío Sánchez", ("Jefa de Medio Ambiente", "Head of Environment")),
    "jerez-social": ("servicios-sociales", "Manuel Jiménez", ("Jefe de Servicios Sociales", "Head of Social Services")),
    "jerez-finance": ("hacienda", "Isabel Navarro", ("Jefa de Hacienda", "Head of Finance")),
    "jerez-participation": ("participacion", "Francisco Ortega",
                            ("Jefe de Participación Ciudadana", "Head of Citizen Participation")),
    "agent-neighbours": ("", "Pilar Vázquez", ("Representante de las asociaciones vecinales",
                                                "Representative of the neighbourhood associations")),
    "agent-business": ("", "José Luis Castro", ("Representante del tejido empresarial",
                                                 "Representative of local businesses")),
    "agent-university": ("", "Ana Belén Rubio", ("Representante de la universidad",
                                                "Representative of the university")),
}  # fmt: skip
# The diagnosis meetings of 2021: (day, title in Spanish, agenda items as (title, presenter key, action code)).
JEREZ_MEETINGS = [
    ("2021-03-10", "Sesión de arranque del diagnóstico Smart City", [
        ("Presentación de la metodología del diagnóstico", "editor-jerez", ""),
        ("Calendario de sesiones con las delegaciones y los agentes sociales", "jerez-innovation", ""),
    ]),
    ("2021-03-24", "Diagnóstico con las delegaciones: Alcaldía, Hacienda e Innovación", [
        ("Situación de la administración electrónica", "jerez-innovation", "1.1.1"),
        ("Tramitación digital de tributos y tasas", "jerez-finance", "1.2.1"),
    ]),
    ("2021-04-14", "Diagnóstico con las delegaciones: Urbanismo, Movilidad y Medio Ambiente", [
        ("Movilidad: tráfico y aparcamiento", "jerez-mobility", "2.1.1"),
        ("Alumbrado público y eficiencia energética", "jerez-urbanism", "2.2.1"),
        ("Calidad del aire", "jerez-environment", "2.1.2"),
    ]),
    ("2021-04-28", "Diagnóstico con las delegaciones: Servicios Sociales y Participación Ciudadana", [
        ("Brecha digital en los barrios", "jerez-social", "3.1.1"),
        ("Participación ciudadana digital", "jerez-participation", "1.2.2"),
    ]),
    ("2021-05-19", "Mesa de diagnóstico con los agentes sociales", [
        ("Visión de las asociaciones vecinales", "agent-neighbours", ""),
        ("Visión del tejido empresarial", "agent-business", ""),
        ("Visión de la universidad", "agent-university", ""),
    ]),
    ("2021-06-09", "Validación de los retos y objetivos estratégicos", [
        ("Retos identificados en el diagnóstico", "editor-jerez", ""),
        ("Propuesta de objetivos estratégicos y primeras acciones", "jerez-innovation", "1.1.1"),
    ]),
]  # fmt: skip


class GovernanceDemoBuilder:
    """Writes the governance demo through the services; looks up what exists first."""

    def __init__(self) -> None:
        self.summary = GovernanceSummary()
        self.strategy = DemoBuilder()  # its look-ups of users and people, and its coordination groups
        self.now = timezone.now()

    # Look-ups

    def plan(self, slug: str) -> Plan:
        try:
            return Plan.objects.select_related("owner").get(slug=slug)
        except Plan.DoesNotExist:
            raise DemoError(f"Plan {slug} is missing: the strategy demo must be built first.") from None

    def person(
        self, organization: Organization | None, full_name: str, position: dict[str, str], *, user=None, email: str = ""
    ) -> Person:
        """The person (by account, or by name and organisation), created when missing."""
        lookup = {"user": user} if user is not None else {"full_name": full_name, "organization": organization}
        person = Person.objects.filter(**lookup).first()
        if person is None:
            data = {"full_name": full_name, "organization": organization, "email": email}
            data.update({f"position_{code}": value for code, value in position.items()})
            if user is not None:
                data["user"] = user
            person = org_services.person_create(acting_user=self.strategy.admin, data=data)
        return person

    def demo_person(self, username: str) -> Person:
        return Person.objects.get(user__username=username)

    def body(self, plan: Plan, name: dict[str, str], data: dict) -> tuple[Body, bool]:
        """The body of `plan` with this English name, created when missing; (body, created)."""
        existing = Body.objects.filter(plan=plan, name_en=name["en"]).first()
        if existing is not None:
            self.summary.existing_bodies.append(name["en"])
            return existing, False
        body = services.body_create(
            acting_user=self.strategy.admin,
            plan=plan,
            data={**texts("name", name), "is_public": True, **data},
        )
        self.summary.created_bodies.append(name["en"])
        return body, True

    def members(self, body: Body, rows: list[tuple[Person, Organization | None, str]], start: dt.date) -> None:
        for person, organization, role in rows:
            services.member_add(
                acting_user=self.strategy.admin,
                body=body,
                person=person,
                organization=organization,
                data={"role": role, "start_date": start},
            )

    def past(self, meetings: list[Meeting]) -> list[Meeting]:
        return [m for m in meetings if m.starts_at < self.now and not m.is_cancelled]

    # The whole demo

    def build(self) -> GovernanceSummary:
        self.strategy.admin = self.strategy.user("admin", superuser=True)
        self.build_catalan()
        self.build_sofia()
        self.build_jerez()
        return self.summary

    # --- Situation 1: the Catalan network

    def build_catalan(self) -> None:
        plan = self.plan(CATALAN_PLAN.slug)
        network = Organization.objects.get(slug=NETWORK_SLUG)
        councils_by_axis = self.strategy.coordination_groups(network)
        coordinator = self.demo_person("coordinator-catalunya")
        secretary_user = self.strategy.user(SECRETARY_USERNAME)
        if secretary_user.username in self.strategy.summary.created_users:
            self.summary.created_users.append(secretary_user.username)

        seat = 0
        groups: dict[str, Body] = {}
        representatives: dict[str, dict[int, Person]] = {}
        axes = list(plan.axes.order_by("position"))
        for index, (axis, councils) in enumerate(zip(axes, councils_by_axis, strict=True)):
            reps = {}
            for council in councils:
                full_name = f"{FIRST_NAMES[seat % len(FIRST_NAMES)]} {SURNAMES[seat % len(SURNAMES)]}"
                reps[council.pk] = self.person(council, full_name, REPRESENTATIVE)
                seat += 1
            representatives[axis.code] = reps
            secretary = self.person(
                network,
                SECRETARIES[index],
                secretary_position(axis.code),
                user=secretary_user if index == 0 else None,
                email=secretary_user.email if index == 0 else "",
            )
            name = coordination_group_name(
                axis.code, {c: getattr(axis, f"title_{c}") for c in ("en", "es", "ca", "bg")}
            )
            mandate = t(
                f"Proposes and prioritises the actions of axis {axis.code} and follows up the working groups "
                "that carry them out. Meets online on the last Tuesday of every month.",
                f"Propone y prioriza las acciones del eje {axis.code} y sigue los grupos de trabajo que las "
                "llevan a cabo. Se reúne en línea el último martes de cada mes.",
                f"Proposa i prioritza les accions de l'eix {axis.code} i fa el seguiment dels grups de treball "
                "que les duen a terme. Es reuneix en línia l'últim dimarts de cada mes.",
                f"Предлага и приоритизира действията по ос {axis.code} и следи работните групи, които ги "
                "изпълняват. Заседава онлайн в последния вторник на всеки месец.",
            )
            body, created = self.body(
                plan,
                name,
                {
                    "kind": BodyKind.COORDINATION_GROUP,
                    "axis": axis,
                    **texts("mandate", with_note(mandate)),
                    "holiday_region": HolidayRegion.CATALONIA,
                    "time_zone": MADRID,
                },
            )
            groups[axis.code] = body
            if not created:
                continue
            # The second largest council chairs (the largest, Barcelona, sits in all four groups).
            rows = [(reps[c.pk], c, MemberRole.CHAIR if i == 1 else MemberRole.MEMBER) for i, c in enumerate(councils)]
            rows += [(secretary, network, MemberRole.SECRETARY), (coordinator, network, MemberRole.OBSERVER)]
            self.members(body, rows, NETWORK_MEMBERS_FROM)
            self.coordination_meetings(
                body,
                axis_code=axis.code,
                chair=reps[councils[1].pk],
                secretary=secretary,
                acting_user=secretary_user if index == 0 else self.strategy.admin,
            )

        for code in WORKING_GROUP_ACTIONS:
            action = Action.objects.select_related("objective__axis").get(plan=plan, code=code)
            axis_code = action.objective.axis.code
            self.working_group(plan, action, groups[axis_code], list(representatives[axis_code].values()))

    def series(self, body: Body, title: dict[str, str], rule: str, first: dt.datetime, **data) -> list[Meeting]:
        series = services.series_create(
            acting_user=self.strategy.admin,
            body=body,
            data={
                **texts("title", title),
                "rrule": rule,
                "first_start": local(first, body.time_zone),
                "time_zone": body.time_zone,
                "on_holiday": HolidayPolicy.NEXT_WORKING_DAY,
                **data,
            },
        )
        meetings = list(series.meetings.order_by("starts_at"))
        self.summary.meetings += len(meetings)
        return meetings

    def coordination_meetings(
        self, body: Body, *, axis_code: str, chair: Person, secretary: Person, acting_user
    ) -> None:
        meetings = self.series(
            body,
            t(
                f"Coordination group of axis {axis_code} · monthly meeting",
                f"Grupo de coordinación del eje {axis_code} · reunión mensual",
                f"Grup de coordinació de l'eix {axis_code} · reunió mensual",
                f"Координационна група по ос {axis_code} · месечна среща",
            ),
            COORDINATION_RULE,
            COORDINATION_FIRST,
            duration_minutes=90,
            online_url=f"{ONLINE}/eix-{axis_code}",
        )
        # No meeting in August; the first one is cancelled, so a series shows a cancellation.
        august = [m for m in meetings if m.starts_at.month == 8]
        for meeting in august:
            services.meeting_cancel(acting_user=acting_user, meeting=meeting, reason="No meeting in August (demo).")
            meeting.is_cancelled = True
        past = self.past(meetings)
        if not past:
            return
        upcoming = [m for m in meetings if m.starts_at >= self.now and not m.is_cancelled]
        actions = list(body.plan.actions.filter(objective__axis=body.axis).order_by("code"))
        members = list(
            BodyMember.objects.filter(body=body).select_related("person", "organization").order_by("role", "pk")
        )
        last = len(past) - 1
        detailed = {0, 1, 2, last - 1, last}
        for index, meeting in enumerate(past):
            followed = actions[index % len(actions)]
            self.coordination_agenda(meeting, index, followed, chair, secretary)
            if index in detailed:
                self.attendance(meeting, members, index, acting_user)
            minutes = (
                f"Reunió del grup de coordinació de l'eix {axis_code} ({meeting.starts_at.date():%d/%m/%Y}), en línia. "
                f"Es revisa l'estat de l'acció {followed.code} ({followed.title_ca}) i l'informe dels grups de "
                "treball, si n'hi ha. Els acords es recullen al registre del grup. (Acta il·lustrativa de la "
                "demostració.)"
            )
            services.meeting_update(acting_user=acting_user, meeting=meeting, data={"minutes": minutes})
            if index < last:
                # Approved at the next meeting; the latest past meeting's minutes still await approval.
                services.minutes_approve(acting_user=acting_user, meeting=meeting)
        if upcoming:
            # The next meeting's agenda is already out (what the agenda reminder sends).
            self.coordination_agenda(upcoming[0], len(past), actions[len(past) % len(actions)], chair, secretary)
        self.coordination_decisions(body, past, upcoming, actions, chair, secretary, acting_user)

    def coordination_agenda(self, meeting: Meeting, index: int, followed: Action, chair, secretary) -> None:
        if index == 0:
            items = [
                (lang("title", en="Constitution of the group and calendar of meetings",
                      ca="Constitució del grup i calendari de reunions"), chair, None),
                (lang("title", en="Prioritisation of the axis's actions", ca="Priorització de les accions de l'eix"),
                 chair, followed),
                (lang("title", en="Creation of the first working groups", ca="Creació dels primers grups de treball"),
                 secretary, None),
            ]  # fmt: skip
        else:
            items = [
                (lang("title", en="Approval of the minutes of the previous meeting",
                      ca="Aprovació de l'acta de la reunió anterior"), secretary, None),
                (lang("title", en=f"Follow-up of action {followed.code}", ca=f"Seguiment de l'acció {followed.code}"),
                 chair, followed),
                (lang("title", en="Reports of the working groups and any other business",
                      ca="Informes dels grups de treball i altres qüestions"), secretary, None),
            ]  # fmt: skip
        for position, (title, presenter, action) in enumerate(items, start=1):
            services.agenda_item_create(
                acting_user=self.strategy.admin,
                meeting=meeting,
                data={**title, "position": position, "presenter": presenter, "action": action},
            )

    def attendance(self, meeting: Meeting, members: list[BodyMember], index: int, acting_user) -> None:
        statuses = {}
        for i, member in enumerate(members):
            # Mostly present; a rotating few excused or absent, so the counts per council differ.
            turn = (i + index) % 9
            statuses[member.person] = (
                AttendanceStatus.EXCUSED
                if turn == 0
                else AttendanceStatus.ABSENT
                if turn == 4
                else AttendanceStatus.PRESENT
            )
        services.attendance_record(acting_user=acting_user, meeting=meeting, statuses=statuses)

    def coordination_decisions(self, body, past, upcoming, actions, chair, secretary, acting_user) -> None:
        first, last = past[0], past[-1]
        working = [a for a in actions if a.code in WORKING_GROUP_ACTIONS]
        prioritised = working[0] if working else actions[0]

        def decide(meeting: Meeting, action: Action | None, en: str, ca: str):
            return services.decision_record(
                acting_user=acting_user,
                body=body,
                data={**lang("text", en=en, ca=ca), "meeting": meeting, "action": action},
            )

        def task(decision, action, owner: Person, due: dt.date, status: str, en: str, ca: str) -> None:
            services.task_create(
                acting_user=acting_user,
                body=body,
                data={
                    **lang("title", en=en, ca=ca),
                    "decision": decision,
                    "action": action,
                    "owner": owner,
                    "due_date": due,
                    "status": status,
                },
            )

        decide(
            first,
            None,
            "The coordination group is constituted; it meets online on the last Tuesday of every month.",
            "Es constitueix el grup de coordinació, que es reunirà en línia l'últim dimarts de cada mes.",
        )
        created = decide(
            first,
            prioritised,
            f"Action {prioritised.code} is prioritised; a working group carries it out from mid-June 2023.",
            f"Es prioritza l'acció {prioritised.code}; un grup de treball la durà a terme des de mitjan juny de 2023.",
        )
        second_date = past[1].starts_at.date() if len(past) > 1 else first.starts_at.date() + dt.timedelta(days=28)
        task(created, prioritised, secretary, second_date, TaskStatus.DONE,
             "Gather the councils' nominations for the working group",
             "Recollir les propostes de membres dels ajuntaments per al grup de treball")  # fmt: skip
        if len(past) < 4:
            return
        followed = actions[1 % len(actions)]
        decision = decide(
            past[1],
            followed,
            f"The councils share their current practice on action {followed.code} before the autumn.",
            f"Els ajuntaments compartiran la seva pràctica actual sobre l'acció {followed.code} abans de la tardor.",
        )
        task(decision, followed, chair, past[3].starts_at.date(), TaskStatus.DONE,
             f"Survey the councils on action {followed.code}",
             f"Enquesta als ajuntaments sobre l'acció {followed.code}")  # fmt: skip

        # The two latest meetings: one task now overdue (its due date has passed, still open) and
        # one due at the next meeting.
        before_last = past[-2]
        late = actions[len(past) % len(actions)]
        decision = decide(
            before_last,
            late,
            f"The group asks the councils for the figures of action {late.code} for the annual report.",
            f"El grup demana als ajuntaments les dades de l'acció {late.code} per a l'informe anual.",
        )
        task(decision, late, secretary, before_last.starts_at.date() + dt.timedelta(days=14), TaskStatus.OPEN,
             f"Collect the councils' figures on action {late.code}",
             f"Recollir les dades dels ajuntaments sobre l'acció {late.code}")  # fmt: skip
        task(decision, late, chair, before_last.starts_at.date() + dt.timedelta(days=21), TaskStatus.OPEN,
             "Draft the axis's section of the annual report",
             "Redactar l'apartat de l'eix a l'informe anual")  # fmt: skip
        next_date = upcoming[0].starts_at.date() if upcoming else last.starts_at.date() + dt.timedelta(days=28)
        decision = decide(
            last,
            late,
            "The draft of the axis's section of the annual report is discussed at the next meeting.",
            "L'esborrany de l'apartat de l'eix a l'informe anual es debatrà a la propera reunió.",
        )
        task(decision, late, secretary, next_date, TaskStatus.OPEN,
             "Circulate the draft section before the next meeting",
             "Fer circular l'esborrany de l'apartat abans de la propera reunió")  # fmt: skip

    def working_group(self, plan: Plan, action: Action, group: Body, reps: list[Person]) -> None:
        body, created = self.body(
            plan,
            working_group_name(action),
            {
                "kind": BodyKind.WORKING_GROUP,
                "axis": action.objective.axis,
                "action": action,
                "followed_up_by": group,
                **texts(
                    "mandate",
                    with_note(
                        t(
                            f"Carries out action {action.code} and reports to the coordination group of its axis. "
                            "Meets online every two weeks for its first three months.",
                            f"Lleva a cabo la acción {action.code} e informa al grupo de coordinación de su eje. "
                            "Se reúne en línea cada dos semanas durante sus tres primeros meses.",
                            f"Duu a terme l'acció {action.code} i informa el grup de coordinació del seu eix. Es "
                            "reuneix en línia cada dues setmanes durant els tres primers mesos.",
                            f"Изпълнява действие {action.code} и докладва на координационната група по своята ос. "
                            "Заседава онлайн на всеки две седмици през първите три месеца.",
                        )
                    ),
                ),
                "holiday_region": HolidayRegion.CATALONIA,
                "time_zone": MADRID,
            },
        )
        if not created:
            return
        people = reps[1:7]  # six councils of the coordination group; the first chairs, the second is secretary
        chair, secretary = people[0], people[1]
        rows = [(p, p.organization, MemberRole.CHAIR if p == chair else MemberRole.SECRETARY if p == secretary
                 else MemberRole.MEMBER) for p in people]  # fmt: skip
        self.members(body, rows, WORKING_GROUP_FIRST.date())
        meetings = self.series(
            body,
            t(
                f"Working group {action.code} · fortnightly meeting",
                f"Grupo de trabajo {action.code} · reunión quincenal",
                f"Grup de treball {action.code} · reunió quinzenal",
                f"Работна група {action.code} · среща на всеки две седмици",
            ),
            WORKING_GROUP_RULE,
            WORKING_GROUP_FIRST,
            duration_minutes=60,
            online_url=f"{ONLINE}/grup-{action.code}",
        )
        past = self.past(meetings)
        members = list(BodyMember.objects.filter(body=body).select_related("person").order_by("role", "pk"))
        admin = self.strategy.admin
        for index, meeting in enumerate(past):
            items = [
                lang("title", en="Progress since the last meeting", ca="Avenços des de la darrera reunió"),
                lang("title", en=f"Next steps of action {action.code}", ca=f"Propers passos de l'acció {action.code}"),
            ]
            for position, title in enumerate(items, start=1):
                services.agenda_item_create(
                    acting_user=admin,
                    meeting=meeting,
                    data={**title, "position": position, "presenter": chair, "action": action},
                )
            self.attendance(meeting, members, index, admin)
            services.meeting_update(
                acting_user=admin,
                meeting=meeting,
                data={
                    "minutes": f"Reunió {index + 1} del grup de treball de l'acció {action.code} "
                    f"({meeting.starts_at.date():%d/%m/%Y}). Es revisen els avenços i es reparteixen les tasques "
                    "fins a la reunió següent. (Acta il·lustrativa de la demostració.)"
                },
            )
            services.minutes_approve(acting_user=admin, meeting=meeting)
        if not past:
            return
        decision = services.decision_record(
            acting_user=admin,
            body=body,
            data={
                **lang(
                    "text",
                    en=f"The working group adopts its work plan for action {action.code} until 15 September 2023.",
                    ca=f"El grup de treball adopta el seu pla de treball per a l'acció {action.code} fins al 15 "
                    "de setembre de 2023.",
                ),
                "meeting": past[0],
                "action": action,
            },
        )
        services.task_create(
            acting_user=admin,
            body=body,
            data={
                **lang(
                    "title",
                    en="Share the work plan with the councils",
                    ca="Compartir el pla de treball amb els ajuntaments",
                ),
                "decision": decision,
                "action": action,
                "owner": secretary,
                "due_date": past[0].starts_at.date() + dt.timedelta(days=7),
                "status": TaskStatus.DONE,
            },
        )
        services.decision_record(
            acting_user=admin,
            body=body,
            data={
                **lang(
                    "text",
                    en="The working group's results are handed over to the coordination group.",
                    ca="Els resultats del grup de treball es lliuren al grup de coordinació.",
                ),
                "meeting": past[-1],
                "action": action,
            },
        )
        for period_end, percent, en, ca in (
            (dt.date(2023, 7, 31), 40, "First half of the work plan done; the councils' inputs are gathered.",
             "Primera meitat del pla de treball feta; s'han recollit les aportacions dels ajuntaments."),
            (dt.date(2023, 9, 15), 100, "Work plan completed; results handed over to the coordination group.",
             "Pla de treball completat; resultats lliurats al grup de coordinació."),
        ):  # fmt: skip
            if period_end > self.now.date():
                continue
            services.report_file(
                acting_user=admin,
                body=body,
                data={
                    "period_start": WORKING_GROUP_FIRST.date(),
                    "period_end": period_end,
                    "progress_percent": percent,
                    **lang("progress", en=en, ca=ca),
                    **lang(
                        "issues",
                        en="Small councils have little staff time for the meetings.",
                        ca="Els ajuntaments petits tenen poc temps de personal per a les reunions.",
                    ),
                    **lang(
                        "next_steps",
                        en="Present the results to the coordination group.",
                        ca="Presentar els resultats al grup de coordinació.",
                    ),
                },
            )

    # --- Situation 3: Sofia and IAB Bulgaria

    def build_sofia(self) -> None:
        plan = self.plan(SOFIA_PLAN.slug)
        sofia = plan.owner
        partner = Organization.objects.get(slug=PARTNER_SLUG)
        people = {
            "editor-sofia": self.demo_person("editor-sofia"),
            "sofia-services": Person.objects.get(full_name="Nikolay Dimitrov", organization=sofia),
        }
        for key, (org_key, full_name, (en, bg)) in SOFIA_PEOPLE.items():
            organization = sofia if org_key == "sofia" else partner
            people[key] = self.person(organization, full_name, {"en": en, "bg": bg})
        body, created = self.body(
            plan,
            t(
                "Joint committee of Sofia Municipality and IAB Bulgaria",
                "Comité conjunto del Ayuntamiento de Sofía e IAB Bulgaria",
                "Comitè conjunt de l'Ajuntament de Sofia i IAB Bulgaria",
                "Съвместен комитет на Столична община и IAB Bulgaria",
            ),
            {
                "kind": BodyKind.STEERING_COMMITTEE,
                **texts(
                    "mandate",
                    with_note(
                        t(
                            "Steers the memorandum of cooperation of 2022: sets the joint initiatives, follows the "
                            "partner's studies and the joint work against disinformation and for citizens' "
                            "digital rights.",
                            "Dirige el memorando de cooperación de 2022: fija las iniciativas conjuntas y sigue los "
                            "estudios del socio y el trabajo conjunto contra la desinformación y por los derechos "
                            "digitales de la ciudadanía.",
                            "Dirigeix el memoràndum de cooperació del 2022: fixa les iniciatives conjuntes i fa el "
                            "seguiment dels estudis del soci i de la feina conjunta contra la desinformació i pels "
                            "drets digitals de la ciutadania.",
                            "Ръководи меморандума за сътрудничество от 2022 г.: определя съвместните инициативи, "
                            "следи проучванията на партньора и съвместната работа срещу дезинформацията и за "
                            "цифровите права на гражданите.",
                        )
                    ),
                ),
                "holiday_region": HolidayRegion.BULGARIA,
                "time_zone": SOFIA_TZ,
            },
        )
        if not created:
            return
        editor = self.strategy.user("editor-sofia")
        self.members(
            body,
            [
                (people["editor-sofia"], sofia, MemberRole.CHAIR),
                (people["sofia-pr"], sofia, MemberRole.SECRETARY),
                (people["sofia-services"], sofia, MemberRole.MEMBER),
                (people["iab-director"], partner, MemberRole.MEMBER),
                (people["iab-research"], partner, MemberRole.MEMBER),
            ],
            dt.date(2022, 7, 26),
        )
        meeting = services.meeting_create(
            acting_user=editor,
            body=body,
            data={
                **lang(
                    "title",
                    en="First operational meeting of Sofia Municipality and IAB Bulgaria",
                    bg="Първа работна среща на Столична община и IAB Bulgaria",
                ),
                "starts_at": SOFIA_MEETING,
                "ends_at": SOFIA_MEETING + dt.timedelta(hours=2),
                "place": "Столична община, ул. „Московска“ 33, София",
            },
        )
        self.summary.meetings += 1
        actions = {a.code: a for a in plan.actions.all()}
        for position, (code, presenter, (en, bg)) in enumerate(SOFIA_AGENDA, start=1):
            services.agenda_item_create(
                acting_user=editor,
                meeting=meeting,
                data={**lang("title", en=en, bg=bg), "position": position, "presenter": people[presenter],
                      "action": actions[code]},
            )  # fmt: skip
        services.attendance_record(
            acting_user=editor,
            meeting=meeting,
            statuses={people[key]: AttendanceStatus.PRESENT for key in people},
        )
        services.meeting_update(
            acting_user=editor,
            meeting=meeting,
            data={
                "minutes": "Първа работна среща по меморандума за сътрудничество. Страните договориха "
                "съвместните инициативи, графика на количественото и качественото проучване, общата кампания "
                "срещу дезинформацията и информационната програма за цифровите права на гражданите.\n\n"
                "First operational meeting under the memorandum of cooperation. The parties agreed the joint "
                "initiatives, the schedule of the quantitative and qualitative studies, the joint campaign against "
                "disinformation and the information programme on citizens' digital rights. (Illustrative minutes.)"
            },
        )
        services.minutes_approve(acting_user=editor, meeting=meeting)
        decisions = [
            ("1.1.1", "IAB Bulgaria delivers the quantitative study of citizens' expectations by the end of 2023.",
             "IAB Bulgaria представя количественото проучване на очакванията на гражданите до края на 2023 г.",
             "iab-research", "2023-12-15", TaskStatus.DONE,
             ("Deliver the quantitative study", "Представяне на количественото проучване")),
            ("2.1.1", "The two parties prepare a joint campaign against disinformation.",
             "Двете страни подготвят съвместна кампания срещу дезинформацията.",
             "sofia-pr", "2023-03-31", TaskStatus.DONE,
             ("Draft the campaign brief", "Изготвяне на задание за кампанията")),
            ("2.1.2", "An information programme on citizens' digital rights is drawn up with the schools.",
             "Изготвя се информационна програма за цифровите права на гражданите заедно с училищата.",
             "editor-sofia", "2023-06-01", TaskStatus.DONE,
             ("Propose the programme's first modules", "Предложение за първите модули на програмата")),
        ]  # fmt: skip
        for code, en, bg, owner, due, status, (task_en, task_bg) in decisions:
            decision = services.decision_record(
                acting_user=editor,
                body=body,
                data={**lang("text", en=en, bg=bg), "meeting": meeting, "action": actions[code]},
            )
            services.task_create(
                acting_user=editor,
                body=body,
                data={
                    **lang("title", en=task_en, bg=task_bg),
                    "decision": decision,
                    "action": actions[code],
                    "owner": people[owner],
                    "due_date": dt.date.fromisoformat(due),
                    "status": status,
                },
            )

    # --- Situation 2: Jerez

    def build_jerez(self) -> None:
        plan = self.plan(JEREZ_PLAN.slug)
        jerez = plan.owner
        people = {
            "editor-jerez": self.demo_person("editor-jerez"),
            "jerez-mobility": Person.objects.get(full_name="Javier Ruiz", organization=jerez),
        }
        for key, (department, full_name, (es, en)) in JEREZ_PEOPLE.items():
            # Department heads work for the council; social agents represent no organisation in the demo.
            people[key] = self.person(jerez if department else None, full_name, {"es": es, "en": en})
        body, created = self.body(
            plan,
            t(
                "Diagnosis committee of the Smart City Strategic Plan",
                "Comisión de diagnóstico del Plan Estratégico Smart City",
                "Comissió de diagnosi del Pla Estratègic Smart City",
                "Комисия за диагностика на стратегическия план „Смарт сити“",
            ),
            {
                "kind": BodyKind.COMMITTEE,
                **texts(
                    "mandate",
                    with_note(
                        t(
                            "Gathers the views of every municipal department and of social agents for the diagnosis "
                            "of the Smart City plan (2021).",
                            "Recoge la visión de todas las delegaciones municipales y de los agentes sociales para "
                            "el diagnóstico del plan Smart City (2021).",
                            "Recull la visió de tots els departaments municipals i dels agents socials per a la "
                            "diagnosi del pla Smart City (2021).",
                            "Събира мненията на всички общински звена и на социалните партньори за диагностиката "
                            "на плана „Смарт сити“ (2021 г.).",
                        )
                    ),
                ),
                "holiday_region": HolidayRegion.ANDALUSIA,
                "time_zone": MADRID,
            },
        )
        if not created:
            return
        editor = self.strategy.user("editor-jerez")
        rows = [
            (people["editor-jerez"], jerez, MemberRole.CHAIR),
            (people["jerez-innovation"], jerez, MemberRole.SECRETARY),
        ]
        rows += [
            (person, person.organization, MemberRole.MEMBER)
            for key, person in people.items()
            if key not in ("editor-jerez", "jerez-innovation")
        ]
        self.members(body, rows, dt.date(2021, 3, 1))
        actions = {a.code: a for a in plan.actions.all()}
        agents = {k for k, (department, *_rest) in JEREZ_PEOPLE.items() if not department}
        for index, (day, title, items) in enumerate(JEREZ_MEETINGS):
            start = local(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10, 0)), MADRID)
            meeting = services.meeting_create(
                acting_user=editor,
                body=body,
                data={
                    **lang("title", es=title),
                    "starts_at": start,
                    "ends_at": start + dt.timedelta(hours=2),
                    "place": "Ayuntamiento de Jerez de la Frontera",
                },
            )
            self.summary.meetings += 1
            for position, (item, presenter, code) in enumerate(items, start=1):
                services.agenda_item_create(
                    acting_user=editor,
                    meeting=meeting,
                    data={**lang("title", es=item), "position": position, "presenter": people[presenter],
                          "action": actions.get(code)},
                )  # fmt: skip
            # Departments attend every session; social agents their own round table and the validation.
            statuses = {
                person: AttendanceStatus.PRESENT if key not in agents or index >= 4 else AttendanceStatus.EXCUSED
                for key, person in people.items()
            }
            services.attendance_record(acting_user=editor, meeting=meeting, statuses=statuses)
            services.meeting_update(
                acting_user=editor,
                meeting=meeting,
                data={
                    "minutes": f"{title}. Se recogen las aportaciones de los asistentes sobre: "
                    + "; ".join(item for item, _p, _c in items).lower()
                    + ". (Acta ilustrativa de la demostración.)"
                },
            )
            services.minutes_approve(acting_user=editor, meeting=meeting)
            codes = [code for _item, _p, code in items if code]
            decision = services.decision_record(
                acting_user=editor,
                body=body,
                data={
                    **lang(
                        "text",
                        es=f"Se incorporan al diagnóstico las conclusiones de la sesión «{title}».",
                    ),
                    "meeting": meeting,
                    "action": actions.get(codes[0]) if codes else None,
                },
            )
            services.task_create(
                acting_user=editor,
                body=body,
                data={
                    **lang("title", es=f"Redactar la ficha de diagnóstico de la sesión del {day}"),
                    "decision": decision,
                    "owner": people["jerez-innovation"],
                    "due_date": dt.date.fromisoformat(day) + dt.timedelta(days=10),
                    "status": TaskStatus.DONE,
                },
            )


@transaction.atomic
def build_governance_demo() -> GovernanceSummary:
    """Builds (or completes) the governance demo in one transaction, after the strategy demo."""
    return GovernanceDemoBuilder().build()
