"""The demo data: the three situations of DESIGN.md (the Catalan network, Jerez, Sofia) with real names.

Everything is written through the services, as the demo administrator, so the change history is
the same as if people had typed it. Facts not in DESIGN.md (member list, budgets, dates of actions,
departments, people) are illustrative, and each plan's summary says so. Building is idempotent:
users, organisations, departments and people are looked up before they are created, and a plan
that already exists is left as it is.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from municipia.organizations import services as org_services
from municipia.organizations.choices import Country, OrganizationKind
from municipia.organizations.models import Department, Organization, Person
from municipia.strategy import services
from municipia.strategy.choices import ActionStatus, PartnerRole, PlanStatus
from municipia.strategy.models import Action, Objective, Plan

PASSWORD = "municipia-demo"
LANGUAGES = ("en", "es", "ca", "bg")

PLANNED, IN_PROGRESS, DELAYED, COMPLETED = (
    ActionStatus.PLANNED,
    ActionStatus.IN_PROGRESS,
    ActionStatus.DELAYED,
    ActionStatus.COMPLETED,
)


class DemoError(Exception):
    """The demo cannot be built (e.g. a municipality it needs is not loaded)."""


def t(en: str, es: str, ca: str, bg: str) -> dict[str, str]:
    """One text in the four content languages."""
    return {"en": en, "es": es, "ca": ca, "bg": bg}


def texts(name: str, value: dict[str, str] | None) -> dict[str, str]:
    """`texts("title", t(...))` → `{"title_en": …, "title_es": …, "title_ca": …, "title_bg": …}`."""
    return {f"{name}_{lang}": value[lang] for lang in LANGUAGES} if value else {}


def day(iso: str) -> datetime.date:
    return datetime.date.fromisoformat(iso)


# --- Specifications of plan content


@dataclass(frozen=True)
class MilestoneSpec:
    title: dict[str, str]
    due: str
    completed: str = ""


@dataclass(frozen=True)
class ActionSpec:
    code: str
    title: dict[str, str]
    status: str
    progress: int
    start: str
    end: str
    budget: int | None = None
    owner: str = ""  # department slug
    lead: str = ""  # key of a person in the demo
    depends_on: tuple[str, ...] = ()
    milestones: tuple[MilestoneSpec, ...] = ()
    description: dict[str, str] | None = None


@dataclass(frozen=True)
class ChallengeSpec:
    code: str
    title: dict[str, str]


@dataclass(frozen=True)
class ObjectiveSpec:
    code: str
    title: dict[str, str]
    actions: tuple[ActionSpec, ...]
    challenges: tuple[str, ...] = ()


@dataclass(frozen=True)
class AxisSpec:
    code: str
    title: dict[str, str]
    challenges: tuple[ChallengeSpec, ...]
    objectives: tuple[ObjectiveSpec, ...]
    description: dict[str, str] | None = None


@dataclass(frozen=True)
class PlanSpec:
    slug: str
    title: dict[str, str]
    summary: dict[str, str]
    vision: dict[str, str]
    mission: dict[str, str]
    period: tuple[str, str]
    axes: tuple[AxisSpec, ...]


@dataclass
class DemoSummary:
    created_users: list[str] = field(default_factory=list)
    created_plans: list[str] = field(default_factory=list)
    existing_plans: list[str] = field(default_factory=list)


# --- Users


USERS = {
    # username: (organisation key, person's full name, position); the people are fictional.
    "admin": (
        "",
        "Demo Administrator",
        t(
            "Platform administrator",
            "Administrador de la plataforma",
            "Administrador de la plataforma",
            "Администратор на платформата",
        ),
    ),
    "editor-barcelona": (
        "barcelona",
        "Marta Vila",
        t(
            "Digital strategy officer",
            "Técnica de estrategia digital",
            "Tècnica d'estratègia digital",
            "Експерт по дигитална стратегия",
        ),
    ),
    "coordinator-catalunya": (
        "network",
        "Jordi Serra",
        t(
            "Coordinator of the network's digital agenda",
            "Coordinador de la agenda digital de la red",
            "Coordinador de l'agenda digital de la xarxa",
            "Координатор на дигиталната агенда на мрежата",
        ),
    ),
    "editor-jerez": (
        "jerez",
        "Lucía Moreno",
        t(
            "Head of the Smart City office",
            "Responsable de la oficina Smart City",
            "Responsable de l'oficina Smart City",
            "Ръководител на офиса „Смарт сити“",
        ),
    ),
    "editor-sofia": (
        "sofia",
        "Elena Georgieva",
        t(
            "Digitalisation expert",
            "Experta en digitalización",
            "Experta en digitalització",
            "Експерт по дигитализация",
        ),
    ),
}

# People without an account who lead actions (fictional): key → (organisation key, name, position).
OTHER_PEOPLE = {
    "jerez-mobility": (
        "jerez",
        "Javier Ruiz",
        t("Head of Mobility", "Jefe de Movilidad", "Cap de Mobilitat", "Началник на отдел „Мобилност“"),
    ),
    "sofia-services": (
        "sofia",
        "Nikolay Dimitrov",
        t(
            "Head of Administrative Services",
            "Jefe de Servicios Administrativos",
            "Cap de Serveis Administratius",
            "Началник на отдел „Административно обслужване“",
        ),
    ),
}

# --- Situation 1: the Catalan network

# INE codes of the 43 member councils: every province, from Barcelona (the largest) to Tremp (the
# smallest of them). Illustrative: the agenda's real list of councils is not part of DESIGN.md.
CATALAN_MEMBERS = {
    "08019": "Barcelona", "08101": "L'Hospitalet de Llobregat", "08015": "Badalona", "08279": "Terrassa",
    "08187": "Sabadell", "08121": "Mataró", "08073": "Cornellà de Llobregat", "08205": "Sant Cugat del Vallès",
    "08096": "Granollers", "08113": "Manresa", "08298": "Vic", "08307": "Vilanova i la Geltrú",
    "08102": "Igualada", "08200": "Sant Boi de Llobregat", "08169": "El Prat de Llobregat", "08301": "Viladecans",
    "08056": "Castelldefels", "08184": "Rubí", "08022": "Berga", "08305": "Vilafranca del Penedès",
    "17079": "Girona", "17066": "Figueres", "17023": "Blanes", "17114": "Olot", "17155": "Salt",
    "17095": "Lloret de Mar", "17117": "Palafrugell", "17015": "Banyoles", "17147": "Ripoll",
    "25120": "Lleida", "25040": "Balaguer", "25217": "Tàrrega", "25137": "Mollerussa", "25203": "La Seu d'Urgell",
    "25207": "Solsona", "25234": "Tremp",
    "43148": "Tarragona", "43123": "Reus", "43155": "Tortosa", "43161": "Valls", "43014": "Amposta",
    "43163": "El Vendrell", "43038": "Cambrils",
}  # fmt: skip
CATALONIA_REGION_CODE = "09"
NETWORK_SLUG = "xarxa-agenda-digital-catalunya"
NETWORK_JOINED = "2023-05-30"

NETWORK_NAME = t(
    "Network of the Digital Agenda of Catalan Municipalities",
    "Red de la Agenda digital de los municipios de Cataluña",
    "Xarxa de l'Agenda digital dels municipis de Catalunya",
    "Мрежа за дигиталната агенда на общините в Каталуния",
)
NETWORK_DESCRIPTION = t(
    "Town councils of Catalonia that wrote the Agenda digital dels municipis de Catalunya together: more than "
    "80 people from 43 councils, with a coordination group for each axis. Demo content: the network's name and "
    "its list of member councils are illustrative.",
    "Ayuntamientos de Cataluña que redactaron juntos la Agenda digital dels municipis de Catalunya: más de 80 "
    "personas de 43 ayuntamientos, con un grupo de coordinación para cada eje. Contenido de demostración: el "
    "nombre de la red y la lista de ayuntamientos miembros son ilustrativos.",
    "Ajuntaments de Catalunya que van redactar junts l'Agenda digital dels municipis de Catalunya: més de 80 "
    "persones de 43 ajuntaments, amb un grup de coordinació per a cada eix. Contingut de demostració: el nom de "
    "la xarxa i la llista d'ajuntaments membres són il·lustratius.",
    "Общини от Каталуния, които заедно написаха Agenda digital dels municipis de Catalunya: над 80 души от 43 "
    "общини, с координационна група за всяка ос. Демонстрационно съдържание: името на мрежата и списъкът на "
    "общините членки са илюстративни.",
)

CATALAN_PLAN = PlanSpec(
    slug="agenda-digital-dels-municipis-de-catalunya",
    title=t(
        "Digital Agenda of Catalan Municipalities",
        "Agenda digital de los municipios de Cataluña",
        "Agenda digital dels municipis de Catalunya",
        "Дигитална агенда на общините в Каталуния",
    ),
    summary=t(
        "The shared digital agenda of Catalonia's town councils, written by more than 80 people from 43 councils. "
        "Each of its four axes has a coordination group of about fifteen councils (Barcelona the largest, Tremp "
        "the smallest) that proposes and prioritises the axis's actions and follows up the working groups that "
        "carry them out. Coordination groups meet monthly; working groups every two weeks for their first three "
        "months (first meetings on 30 May 2023; working groups from mid-June 2023). Demo content: the member "
        "councils, challenges, objectives, actions, dates, budgets and progress shown here are illustrative.",
        "La agenda digital compartida de los ayuntamientos de Cataluña, redactada por más de 80 personas de 43 "
        "ayuntamientos. Cada uno de sus cuatro ejes tiene un grupo de coordinación de unos quince ayuntamientos "
        "(Barcelona el mayor, Tremp el más pequeño) que propone y prioriza las acciones del eje y sigue los grupos "
        "de trabajo que las llevan a cabo. Los grupos de coordinación se reúnen cada mes; los grupos de trabajo, "
        "cada dos semanas durante sus tres primeros meses (primeras reuniones el 30 de mayo de 2023; grupos de "
        "trabajo desde mediados de junio de 2023). Contenido de demostración: los ayuntamientos miembros, retos, "
        "objetivos, acciones, fechas, presupuestos y avances que se muestran son ilustrativos.",
        "L'agenda digital compartida dels ajuntaments de Catalunya, redactada per més de 80 persones de 43 "
        "ajuntaments. Cadascun dels seus quatre eixos té un grup de coordinació d'uns quinze ajuntaments "
        "(Barcelona el més gran, Tremp el més petit) que proposa i prioritza les accions de l'eix i fa el "
        "seguiment dels grups de treball que les duen a terme. Els grups de coordinació es reuneixen cada mes; "
        "els grups de treball, cada dues setmanes durant els tres primers mesos (primeres reunions el 30 de maig "
        "de 2023; grups de treball des de mitjan juny de 2023). Contingut de demostració: els ajuntaments "
        "membres, reptes, objectius, accions, dates, pressupostos i avenços que s'hi mostren són il·lustratius.",
        "Общата дигитална агенда на общините в Каталуния, написана от над 80 души от 43 общини. Всяка от "
        "четирите ѝ оси има координационна група от около петнадесет общини (Барселона е най-голямата, Тремп – "
        "най-малката), която предлага и приоритизира действията по оста и следи работните групи, които ги "
        "изпълняват. Координационните групи заседават всеки месец, а работните групи – на всеки две седмици "
        "през първите три месеца (първи срещи на 30 май 2023 г.; работните групи започват от средата на юни "
        "2023 г.). Демонстрационно съдържание: показаните общини членки, предизвикателства, цели, действия, "
        "дати, бюджети и напредък са илюстративни.",
    ),
    vision=t(
        "Every Catalan council, whatever its size, offers smart, secure and inclusive digital public services.",
        "Todos los ayuntamientos catalanes, sea cual sea su tamaño, ofrecen servicios públicos digitales "
        "inteligentes, seguros e inclusivos.",
        "Tots els ajuntaments catalans, sigui quina sigui la seva mida, ofereixen serveis públics digitals "
        "intel·ligents, segurs i inclusius.",
        "Всяка каталунска община, независимо от размера си, предлага интелигентни, сигурни и достъпни за всички "
        "цифрови публични услуги.",
    ),
    mission=t(
        "Councils cooperate to share solutions, infrastructure and knowledge for their digital transformation.",
        "Los ayuntamientos cooperan para compartir soluciones, infraestructuras y conocimiento para su "
        "transformación digital.",
        "Els ajuntaments cooperen per compartir solucions, infraestructures i coneixement per a la seva "
        "transformació digital.",
        "Общините си сътрудничат, за да споделят решения, инфраструктура и знания за своята дигитална трансформация.",
    ),
    period=("2023-01-01", "2027-12-31"),
    axes=(
        AxisSpec(
            code="1",
            title=t(
                "Smart administration and public services",
                "Administración y servicios públicos inteligentes",
                "Administració i serveis públics intel·ligents",
                "Интелигентна администрация и публични услуги",
            ),
            challenges=(
                ChallengeSpec(
                    "C1.1",
                    t(
                        "Procedures still depend on paper and in-person visits",
                        "Los trámites aún dependen del papel y de la atención presencial",
                        "Els tràmits encara depenen del paper i de l'atenció presencial",
                        "Административните процедури все още зависят от хартия и присъствено обслужване",
                    ),
                ),
                ChallengeSpec(
                    "C1.2",
                    t(
                        "Small councils lack the staff and tools to digitise their services",
                        "Los ayuntamientos pequeños carecen de personal y herramientas para digitalizar sus servicios",
                        "Els ajuntaments petits no tenen prou personal ni eines per digitalitzar els seus serveis",
                        "Малките общини нямат достатъчно персонал и инструменти, за да цифровизират услугите си",
                    ),
                ),
            ),
            objectives=(
                ObjectiveSpec(
                    "1.1",
                    t(
                        "Make every municipal procedure available online from start to finish",
                        "Que todos los trámites municipales puedan hacerse íntegramente en línea",
                        "Que tots els tràmits municipals es puguin fer íntegrament en línia",
                        "Всички общински процедури да могат да се извършват изцяло онлайн",
                    ),
                    challenges=("C1.1",),
                    actions=(
                        ActionSpec(
                            "1.1.1",
                            t(
                                "Shared catalogue of online procedures",
                                "Catálogo compartido de trámites en línea",
                                "Catàleg compartit de tràmits en línia",
                                "Общ каталог на онлайн процедурите",
                            ),
                            COMPLETED,
                            100,
                            "2023-06-15",
                            "2023-12-31",
                            40_000,
                        ),
                        ActionSpec(
                            "1.1.2",
                            t(
                                "Common model of the municipal e-office",
                                "Modelo común de sede electrónica municipal",
                                "Model comú de seu electrònica municipal",
                                "Общ модел на общинския електронен офис",
                            ),
                            IN_PROGRESS,
                            60,
                            "2023-09-01",
                            "2024-12-31",
                            120_000,
                            depends_on=("1.1.1",),
                            milestones=(
                                MilestoneSpec(
                                    t(
                                        "Common model agreed by the coordination group",
                                        "Modelo común acordado por el grupo de coordinación",
                                        "Model comú acordat pel grup de coordinació",
                                        "Общият модел е одобрен от координационната група",
                                    ),
                                    "2024-03-31",
                                    "2024-03-20",
                                ),
                                MilestoneSpec(
                                    t(
                                        "First ten councils using the model",
                                        "Primeros diez ayuntamientos que usan el modelo",
                                        "Primers deu ajuntaments que fan servir el model",
                                        "Първите десет общини използват модела",
                                    ),
                                    "2024-12-31",
                                ),
                            ),
                        ),
                        ActionSpec(
                            "1.1.3",
                            t(
                                "Proactive notifications to residents",
                                "Notificaciones proactivas a la ciudadanía",
                                "Notificacions proactives a la ciutadania",
                                "Проактивни известия до гражданите",
                            ),
                            PLANNED,
                            0,
                            "2024-09-01",
                            "2025-12-31",
                            60_000,
                            depends_on=("1.1.2",),
                        ),
                    ),
                ),
                ObjectiveSpec(
                    "1.2",
                    t(
                        "Support small councils in their digital transformation",
                        "Acompañar a los ayuntamientos pequeños en su transformación digital",
                        "Acompanyar els ajuntaments petits en la seva transformació digital",
                        "Подкрепа за малките общини в тяхната дигитална трансформация",
                    ),
                    challenges=("C1.2",),
                    actions=(
                        ActionSpec(
                            "1.2.1",
                            t(
                                "Shared digital-transformation office for small councils",
                                "Oficina compartida de transformación digital para ayuntamientos pequeños",
                                "Oficina compartida de transformació digital per als ajuntaments petits",
                                "Общ офис за дигитална трансформация за малките общини",
                            ),
                            IN_PROGRESS,
                            45,
                            "2023-06-15",
                            "2025-06-30",
                            150_000,
                            lead="coordinator-catalunya",
                        ),
                        ActionSpec(
                            "1.2.2",
                            t(
                                "Digital skills training for municipal staff",
                                "Formación en competencias digitales para el personal municipal",
                                "Formació en competències digitals per al personal municipal",
                                "Обучение по дигитални умения за общинските служители",
                            ),
                            IN_PROGRESS,
                            70,
                            "2023-10-01",
                            "2024-12-31",
                            50_000,
                        ),
                    ),
                ),
            ),
        ),
        AxisSpec(
            code="2",
            title=t(
                "Digital infrastructure and cybersecurity",
                "Infraestructuras digitales y ciberseguridad",
                "Infraestructures digitals i ciberseguretat",
                "Цифрова инфраструктура и киберсигурност",
            ),
            challenges=(
                ChallengeSpec(
                    "C2.1",
                    t(
                        "Uneven broadband coverage between urban and rural municipalities",
                        "Cobertura de banda ancha desigual entre municipios urbanos y rurales",
                        "Cobertura de banda ampla desigual entre municipis urbans i rurals",
                        "Неравномерно широколентово покритие между градските и селските общини",
                    ),
                ),
                ChallengeSpec(
                    "C2.2",
                    t(
                        "More and more cyberattacks on local administrations",
                        "Cada vez más ciberataques contra las administraciones locales",
                        "Cada cop més ciberatacs contra les administracions locals",
                        "Все повече кибератаки срещу местните администрации",
                    ),
                ),
            ),
            objectives=(
                ObjectiveSpec(
                    "2.1",
                    t(
                        "Close the connectivity gap",
                        "Cerrar la brecha de conectividad",
                        "Tancar la bretxa de connectivitat",
                        "Преодоляване на разликата в свързаността",
                    ),
                    challenges=("C2.1",),
                    actions=(
                        ActionSpec(
                            "2.1.1",
                            t(
                                "Map of connectivity needs by municipality",
                                "Mapa de necesidades de conectividad por municipio",
                                "Mapa de necessitats de connectivitat per municipi",
                                "Карта на нуждите от свързаност по общини",
                            ),
                            COMPLETED,
                            100,
                            "2023-06-15",
                            "2023-11-30",
                            25_000,
                        ),
                        ActionSpec(
                            "2.1.2",
                            t(
                                "Joint procurement of fibre connections for municipal buildings",
                                "Compra conjunta de conexiones de fibra para edificios municipales",
                                "Compra conjunta de connexions de fibra per a edificis municipals",
                                "Съвместна поръчка на оптични връзки за общинските сгради",
                            ),
                            IN_PROGRESS,
                            30,
                            "2024-01-15",
                            "2026-06-30",
                            900_000,
                            depends_on=("2.1.1",),
                        ),
                    ),
                ),
                ObjectiveSpec(
                    "2.2",
                    t(
                        "Raise the cybersecurity of every council",
                        "Elevar la ciberseguridad de todos los ayuntamientos",
                        "Elevar la ciberseguretat de tots els ajuntaments",
                        "Повишаване на киберсигурността на всяка община",
                    ),
                    challenges=("C2.2",),
                    actions=(
                        ActionSpec(
                            "2.2.1",
                            t(
                                "Cybersecurity self-assessment of each council",
                                "Autoevaluación de ciberseguridad de cada ayuntamiento",
                                "Autoavaluació de ciberseguretat de cada ajuntament",
                                "Самооценка на киберсигурността на всяка община",
                            ),
                            COMPLETED,
                            100,
                            "2023-06-15",
                            "2024-02-29",
                            30_000,
                        ),
                        ActionSpec(
                            "2.2.2",
                            t(
                                "Shared security operations centre",
                                "Centro de operaciones de seguridad compartido",
                                "Centre d'operacions de seguretat compartit",
                                "Общ център за операции по сигурността",
                            ),
                            IN_PROGRESS,
                            20,
                            "2024-03-01",
                            "2026-12-31",
                            600_000,
                            depends_on=("2.2.1",),
                            milestones=(
                                MilestoneSpec(
                                    t(
                                        "Contract for the shared centre awarded",
                                        "Contrato del centro compartido adjudicado",
                                        "Contracte del centre compartit adjudicat",
                                        "Договорът за общия център е възложен",
                                    ),
                                    "2025-06-30",
                                ),
                            ),
                        ),
                    ),
                ),
                ObjectiveSpec(
                    "2.3",
                    t(
                        "An interoperable and resilient municipal data infrastructure",
                        "Una infraestructura de datos municipal interoperable y resiliente",
                        "Una infraestructura de dades municipal interoperable i resilient",
                        "Оперативно съвместима и устойчива общинска инфраструктура за данни",
                    ),
                    challenges=("C2.1", "C2.2"),
                    actions=(
                        ActionSpec(
                            "2.3.1",
                            t(
                                "Backup and recovery service for small councils",
                                "Servicio de copias de seguridad y recuperación para ayuntamientos pequeños",
                                "Servei de còpies de seguretat i recuperació per als ajuntaments petits",
                                "Услуга за резервни копия и възстановяване за малките общини",
                            ),
                            IN_PROGRESS,
                            50,
                            "2023-11-02",
                            "2025-06-30",
                            200_000,
                        ),
                        ActionSpec(
                            "2.3.2",
                            t(
                                "Common standard for municipal sensor (IoT) networks",
                                "Estándar común para las redes de sensores (IoT) municipales",
                                "Estàndard comú per a les xarxes de sensors (IoT) municipals",
                                "Общ стандарт за общинските сензорни мрежи (IoT)",
                            ),
                            PLANNED,
                            0,
                            "2025-01-08",
                            "2026-12-31",
                            150_000,
                            depends_on=("2.3.1",),
                        ),
                    ),
                ),
            ),
        ),
        AxisSpec(
            code="3",
            title=t(
                "Digital society and economy",
                "Sociedad y economía digital",
                "Societat i economia digital",
                "Цифрово общество и икономика",
            ),
            challenges=(
                ChallengeSpec(
                    "C3.1",
                    t(
                        "Digital divide among older people and vulnerable groups",
                        "Brecha digital entre las personas mayores y los colectivos vulnerables",
                        "Bretxa digital entre la gent gran i els col·lectius vulnerables",
                        "Дигитално разделение сред възрастните хора и уязвимите групи",
                    ),
                ),
                ChallengeSpec(
                    "C3.2",
                    t(
                        "Local shops and small businesses are slow to go digital",
                        "El comercio local y las pequeñas empresas se digitalizan lentamente",
                        "El comerç local i les petites empreses es digitalitzen lentament",
                        "Местната търговия и малкият бизнес се цифровизират бавно",
                    ),
                ),
            ),
            objectives=(
                ObjectiveSpec(
                    "3.1",
                    t(
                        "Digital inclusion of all residents",
                        "Inclusión digital de toda la ciudadanía",
                        "Inclusió digital de tota la ciutadania",
                        "Дигитално приобщаване на всички жители",
                    ),
                    challenges=("C3.1",),
                    actions=(
                        ActionSpec(
                            "3.1.1",
                            t(
                                "Network of digital-skills points in libraries and civic centres",
                                "Red de puntos de competencias digitales en bibliotecas y centros cívicos",
                                "Xarxa de punts de competències digitals a biblioteques i centres cívics",
                                "Мрежа от пунктове за дигитални умения в библиотеки и читалища",
                            ),
                            IN_PROGRESS,
                            55,
                            "2023-09-15",
                            "2025-12-31",
                            180_000,
                        ),
                        ActionSpec(
                            "3.1.2",
                            t(
                                "Accessible municipal websites (WCAG 2.1 AA)",
                                "Webs municipales accesibles (WCAG 2.1 AA)",
                                "Webs municipals accessibles (WCAG 2.1 AA)",
                                "Достъпни общински уебсайтове (WCAG 2.1 AA)",
                            ),
                            IN_PROGRESS,
                            40,
                            "2024-01-08",
                            "2025-12-31",
                            90_000,
                        ),
                    ),
                ),
                ObjectiveSpec(
                    "3.2",
                    t(
                        "Boost the local digital economy",
                        "Impulsar la economía digital local",
                        "Impulsar l'economia digital local",
                        "Насърчаване на местната цифрова икономика",
                    ),
                    challenges=("C3.2",),
                    actions=(
                        ActionSpec(
                            "3.2.1",
                            t(
                                "Digitalisation vouchers for local shops",
                                "Bonos de digitalización para el comercio local",
                                "Bons de digitalització per al comerç local",
                                "Ваучери за цифровизация на местната търговия",
                            ),
                            PLANNED,
                            0,
                            "2024-06-03",
                            "2026-06-30",
                            250_000,
                        ),
                        ActionSpec(
                            "3.2.2",
                            t(
                                "Open-data portal on local economic activity",
                                "Portal de datos abiertos sobre la actividad económica local",
                                "Portal de dades obertes sobre l'activitat econòmica local",
                                "Портал с отворени данни за местната икономическа дейност",
                            ),
                            IN_PROGRESS,
                            25,
                            "2024-02-01",
                            "2025-12-31",
                            70_000,
                        ),
                        ActionSpec(
                            "3.2.3",
                            t(
                                "Local e-commerce marketplace pilot",
                                "Piloto de mercado electrónico del comercio local",
                                "Pilot de mercat electrònic del comerç local",
                                "Пилотен електронен пазар за местната търговия",
                            ),
                            PLANNED,
                            0,
                            "2025-03-03",
                            "2026-12-31",
                            120_000,
                            depends_on=("3.2.1",),
                        ),
                    ),
                ),
            ),
        ),
        AxisSpec(
            code="4",
            title=t(
                "Governance, cooperation and coordination",
                "Gobernanza, cooperación y coordinación",
                "Governança, cooperació i coordinació",
                "Управление, сътрудничество и координация",
            ),
            challenges=(
                ChallengeSpec(
                    "C4.1",
                    t(
                        "Councils duplicate efforts instead of sharing them",
                        "Los ayuntamientos duplican esfuerzos en lugar de compartirlos",
                        "Els ajuntaments dupliquen esforços en lloc de compartir-los",
                        "Общините дублират усилията си, вместо да ги обединяват",
                    ),
                ),
            ),
            objectives=(
                ObjectiveSpec(
                    "4.1",
                    t(
                        "Coordinate the agenda across councils",
                        "Coordinar la agenda entre ayuntamientos",
                        "Coordinar l'agenda entre ajuntaments",
                        "Координиране на агендата между общините",
                    ),
                    challenges=("C4.1",),
                    actions=(
                        ActionSpec(
                            "4.1.1",
                            t(
                                "Monthly meetings of the coordination groups",
                                "Reuniones mensuales de los grupos de coordinación",
                                "Reunions mensuals dels grups de coordinació",
                                "Месечни срещи на координационните групи",
                            ),
                            IN_PROGRESS,
                            60,
                            "2023-06-15",
                            "2027-12-31",
                            15_000,
                            lead="coordinator-catalunya",
                        ),
                        ActionSpec(
                            "4.1.2",
                            t(
                                "Working groups for the first prioritised actions",
                                "Grupos de trabajo para las primeras acciones priorizadas",
                                "Grups de treball per a les primeres accions prioritzades",
                                "Работни групи за първите приоритетни действия",
                            ),
                            COMPLETED,
                            100,
                            "2023-06-15",
                            "2023-09-15",
                            10_000,
                            lead="coordinator-catalunya",
                            milestones=(
                                MilestoneSpec(
                                    t(
                                        "Working groups kick off",
                                        "Inicio de los grupos de trabajo",
                                        "Inici dels grups de treball",
                                        "Начало на работните групи",
                                    ),
                                    "2023-06-15",
                                    "2023-06-15",
                                ),
                                MilestoneSpec(
                                    t(
                                        "End of the first three months of fortnightly meetings",
                                        "Fin de los tres primeros meses de reuniones quincenales",
                                        "Fi dels tres primers mesos de reunions quinzenals",
                                        "Край на първите три месеца със срещи на всеки две седмици",
                                    ),
                                    "2023-09-15",
                                    "2023-09-15",
                                ),
                            ),
                        ),
                    ),
                ),
                ObjectiveSpec(
                    "4.2",
                    t(
                        "Share solutions and knowledge between councils",
                        "Compartir soluciones y conocimiento entre ayuntamientos",
                        "Compartir solucions i coneixement entre ajuntaments",
                        "Споделяне на решения и знания между общините",
                    ),
                    challenges=("C4.1",),
                    actions=(
                        ActionSpec(
                            "4.2.1",
                            t(
                                "Shared repository of open-source municipal solutions",
                                "Repositorio compartido de soluciones municipales de código abierto",
                                "Repositori compartit de solucions municipals de codi obert",
                                "Общо хранилище на общински решения с отворен код",
                            ),
                            IN_PROGRESS,
                            35,
                            "2024-01-08",
                            "2025-12-31",
                            80_000,
                            depends_on=("4.1.2",),
                        ),
                        ActionSpec(
                            "4.2.2",
                            t(
                                "Annual report on the agenda's progress",
                                "Informe anual de avance de la agenda",
                                "Informe anual d'avenç de l'agenda",
                                "Годишен доклад за напредъка на агендата",
                            ),
                            PLANNED,
                            0,
                            "2024-11-04",
                            "2027-12-31",
                            20_000,
                        ),
                    ),
                ),
            ),
        ),
    ),
)

# Added after the approval, so that "changes since approval" has something to show.
CATALAN_LATER_ACTION = ActionSpec(
    "4.2.3",
    t(
        "Community of practice on municipal data",
        "Comunidad de práctica sobre datos municipales",
        "Comunitat de pràctica sobre dades municipals",
        "Общност на практиката за общинските данни",
    ),
    PLANNED,
    0,
    "2025-01-15",
    "2026-12-31",
    30_000,
)

# --- Situation 2: Jerez de la Frontera

JEREZ_CODE = "11020"
JEREZ_DEPARTMENTS = {
    "alcaldia": t("Mayor's Office", "Alcaldía", "Alcaldia", "Кабинет на кмета"),
    "innovacion": t(
        "Innovation and Digital Transformation",
        "Innovación y Transformación Digital",
        "Innovació i Transformació Digital",
        "Иновации и дигитална трансформация",
    ),
    "urbanismo": t("Urban Planning", "Urbanismo", "Urbanisme", "Градоустройство"),
    "movilidad": t("Mobility", "Movilidad", "Mobilitat", "Мобилност"),
    "medio-ambiente": t("Environment", "Medio Ambiente", "Medi Ambient", "Околна среда"),
    "servicios-sociales": t("Social Services", "Servicios Sociales", "Serveis Socials", "Социални услуги"),
    "hacienda": t("Finance", "Hacienda", "Hisenda", "Финанси"),
    "participacion": t(
        "Citizen Participation", "Participación Ciudadana", "Participació Ciutadana", "Гражданско участие"
    ),
}

JEREZ_PLAN = PlanSpec(
    slug="plan-estrategico-smart-city-jerez",
    title=t(
        "Jerez Smart City Strategic Plan",
        "Plan Estratégico Smart City de Jerez",
        "Pla Estratègic Smart City de Jerez",
        "Стратегически план „Смарт сити“ на Херес",
    ),
    summary=t(
        "Jerez de la Frontera's Smart City strategy (2021). A diagnosis gathered the views of every municipal "
        "department and of social agents, identified the challenges and strategic objectives below and turns "
        "them into a multi-year action plan. The plan is aligned with the UN 2030 Agenda (the Sustainable "
        "Development Goals, SDGs) and with the four pillars of Spain's Recovery, Transformation and Resilience Plan "
        "(ecological transition, digital transformation, social and territorial cohesion, gender equality), and "
        "part of it is funded by the ERDF through the integrated urban strategy EDUSI “Jerez 2022” (line 2: ICT "
        "platforms and Smart City projects). Demo content: the departments, people, actions, dates and budgets "
        "shown here are illustrative.",
        "La estrategia Smart City de Jerez de la Frontera (2021). Un diagnóstico recogió la visión de todas las "
        "delegaciones municipales y de los agentes sociales, identificó los retos y objetivos estratégicos que "
        "siguen y los convierte en un plan de acción plurianual. El plan está alineado con la Agenda 2030 de "
        "Naciones Unidas (los Objetivos de Desarrollo Sostenible, ODS) y con los cuatro ejes del Plan de Recuperación, "
        "Transformación y Resiliencia de España (transición ecológica, transformación digital, cohesión social y "
        "territorial, igualdad de género), y parte de él se financia con FEDER a través de la estrategia de "
        "desarrollo urbano sostenible e integrado EDUSI «Jerez 2022» (línea 2: plataformas TIC y proyectos Smart "
        "City). Contenido de demostración: las delegaciones, personas, acciones, fechas y presupuestos que se "
        "muestran son ilustrativos.",
        "L'estratègia Smart City de Jerez de la Frontera (2021). Una diagnosi va recollir la visió de tots els "
        "departaments municipals i dels agents socials, va identificar els reptes i objectius estratègics que "
        "segueixen i els converteix en un pla d'acció plurianual. El pla està alineat amb l'Agenda 2030 de les "
        "Nacions Unides (els Objectius de Desenvolupament Sostenible, ODS) i amb els quatre eixos del Pla de "
        "Recuperació, Transformació i Resiliència d'Espanya (transició ecològica, transformació digital, cohesió "
        "social i territorial, igualtat de gènere), i una part es finança amb el FEDER mitjançant l'estratègia "
        "de desenvolupament urbà sostenible i integrat EDUSI «Jerez 2022» (línia 2: plataformes TIC i projectes "
        "Smart City). Contingut de demostració: els departaments, persones, accions, dates i pressupostos que "
        "s'hi mostren són il·lustratius.",
        "Стратегията „Смарт сити“ на Херес де ла Фронтера (2021 г.). Диагностичен анализ събра мненията на "
        "всички общински звена и на социалните партньори, определи предизвикателствата и стратегическите цели по-"
        "долу и ги превръща в многогодишен план за действие. Планът е съобразен с Програмата на ООН до 2030 г. "
        "(Целите за устойчиво развитие, ЦУР) и с четирите стълба на испанския План за възстановяване, трансформация и "
        "устойчивост (екологичен преход, цифрова трансформация, социално и териториално сближаване, равенство "
        "между половете), а част от него се финансира от ЕФРР чрез интегрираната стратегия за градско развитие "
        "EDUSI „Jerez 2022“ (направление 2: ИКТ платформи и проекти „Смарт сити“). Демонстрационно съдържание: "
        "показаните звена, хора, действия, дати и бюджети са илюстративни.",
    ),
    vision=t(
        "A connected, sustainable and inclusive Jerez that uses technology and data to improve its residents' "
        "quality of life.",
        "Un Jerez conectado, sostenible e inclusivo que usa la tecnología y los datos para mejorar la calidad de "
        "vida de sus vecinos.",
        "Un Jerez connectat, sostenible i inclusiu que fa servir la tecnologia i les dades per millorar la "
        "qualitat de vida dels seus veïns.",
        "Свързан, устойчив и приобщаващ Херес, който използва технологиите и данните, за да подобри качеството "
        "на живот на жителите си.",
    ),
    mission=t(
        "Turn the diagnosis shared by departments and social agents into coordinated, measurable projects.",
        "Convertir el diagnóstico compartido por delegaciones y agentes sociales en proyectos coordinados y medibles.",
        "Convertir la diagnosi compartida per departaments i agents socials en projectes coordinats i mesurables.",
        "Да превърне общия диагностичен анализ на звената и социалните партньори в координирани и измерими проекти.",
    ),
    period=("2021-01-01", "2025-12-31"),
    axes=(
        AxisSpec(
            code="1",
            title=t(
                "Smart governance and digital administration",
                "Gobierno inteligente y administración digital",
                "Govern intel·ligent i administració digital",
                "Интелигентно управление и цифрова администрация",
            ),
            challenges=(
                ChallengeSpec(
                    "C1.1",
                    t(
                        "Information systems fragmented across departments",
                        "Sistemas de información fragmentados entre delegaciones",
                        "Sistemes d'informació fragmentats entre departaments",
                        "Разпокъсани информационни системи в отделните звена",
                    ),
                ),
                ChallengeSpec(
                    "C1.2",
                    t(
                        "Residents make little use of online procedures",
                        "La ciudadanía usa poco los trámites en línea",
                        "La ciutadania fa servir poc els tràmits en línia",
                        "Жителите рядко използват онлайн услугите",
                    ),
                ),
            ),
            objectives=(
                ObjectiveSpec(
                    "1.1",
                    t(
                        "Integrate municipal data in a city platform",
                        "Integrar los datos municipales en una plataforma de ciudad",
                        "Integrar les dades municipals en una plataforma de ciutat",
                        "Интегриране на общинските данни в градска платформа",
                    ),
                    challenges=("C1.1",),
                    actions=(
                        ActionSpec(
                            "1.1.1",
                            t(
                                "Smart City platform (ICT platform, EDUSI line 2)",
                                "Plataforma Smart City (plataforma TIC, línea 2 de la EDUSI)",
                                "Plataforma Smart City (plataforma TIC, línia 2 de l'EDUSI)",
                                "Платформа „Смарт сити“ (ИКТ платформа, направление 2 на EDUSI)",
                            ),
                            IN_PROGRESS,
                            40,
                            "2021-09-01",
                            "2023-12-31",
                            1_200_000,
                            owner="innovacion",
                            lead="editor-jerez",
                            milestones=(
                                MilestoneSpec(
                                    t(
                                        "Platform requirements agreed with all departments",
                                        "Requisitos de la plataforma acordados con todas las delegaciones",
                                        "Requisits de la plataforma acordats amb tots els departaments",
                                        "Изискванията към платформата са съгласувани с всички звена",
                                    ),
                                    "2022-03-31",
                                    "2022-04-12",
                                ),
                                MilestoneSpec(
                                    t(
                                        "First services connected to the platform",
                                        "Primeros servicios conectados a la plataforma",
                                        "Primers serveis connectats a la plataforma",
                                        "Първите услуги са свързани с платформата",
                                    ),
                                    "2023-06-30",
                                ),
                            ),
                        ),
                        ActionSpec(
                            "1.1.2",
                            t(
                                "Open-data portal",
                                "Portal de datos abiertos",
                                "Portal de dades obertes",
                                "Портал за отворени данни",
                            ),
                            PLANNED,
                            0,
                            "2022-03-01",
                            "2023-06-30",
                            150_000,
                            owner="innovacion",
                            depends_on=("1.1.1",),
                        ),
                    ),
                ),
                ObjectiveSpec(
                    "1.2",
                    t(
                        "Every procedure available at the e-office",
                        "Todos los trámites disponibles en la sede electrónica",
                        "Tots els tràmits disponibles a la seu electrònica",
                        "Всички процедури – достъпни в електронния офис",
                    ),
                    challenges=("C1.2",),
                    actions=(
                        ActionSpec(
                            "1.2.1",
                            t(
                                "Digital processing of taxes and fees",
                                "Tramitación digital de impuestos y tasas",
                                "Tramitació digital d'impostos i taxes",
                                "Цифрово обслужване на данъци и такси",
                            ),
                            PLANNED,
                            0,
                            "2022-01-10",
                            "2023-12-31",
                            200_000,
                            owner="hacienda",
                        ),
                        ActionSpec(
                            "1.2.2",
                            t(
                                "Citizen participation platform",
                                "Plataforma de participación ciudadana",
                                "Plataforma de participació ciutadana",
                                "Платформа за гражданско участие",
                            ),
                            PLANNED,
                            0,
                            "2022-06-01",
                            "2023-06-30",
                            90_000,
                            owner="participacion",
                        ),
                    ),
                ),
            ),
        ),
        AxisSpec(
            code="2",
            title=t(
                "Sustainable mobility and environment",
                "Movilidad y medio ambiente sostenibles",
                "Mobilitat i medi ambient sostenibles",
                "Устойчива мобилност и околна среда",
            ),
            challenges=(
                ChallengeSpec(
                    "C2.1",
                    t(
                        "Traffic congestion and air quality in the historic centre",
                        "Congestión del tráfico y calidad del aire en el centro histórico",
                        "Congestió del trànsit i qualitat de l'aire al centre històric",
                        "Задръстванията и качеството на въздуха в историческия център",
                    ),
                ),
                ChallengeSpec(
                    "C2.2",
                    t(
                        "High energy use of street lighting and public buildings",
                        "Alto consumo energético del alumbrado y de los edificios públicos",
                        "Alt consum energètic de l'enllumenat i dels edificis públics",
                        "Високо енергопотребление на уличното осветление и обществените сгради",
                    ),
                ),
            ),
            objectives=(
                ObjectiveSpec(
                    "2.1",
                    t(
                        "Smart management of traffic and parking",
                        "Gestión inteligente del tráfico y del aparcamiento",
                        "Gestió intel·ligent del trànsit i de l'aparcament",
                        "Интелигентно управление на движението и паркирането",
                    ),
                    challenges=("C2.1",),
                    actions=(
                        ActionSpec(
                            "2.1.1",
                            t(
                                "Real-time traffic and parking sensors",
                                "Sensores de tráfico y aparcamiento en tiempo real",
                                "Sensors de trànsit i aparcament en temps real",
                                "Сензори за движението и паркирането в реално време",
                            ),
                            PLANNED,
                            0,
                            "2022-01-10",
                            "2024-06-30",
                            350_000,
                            owner="movilidad",
                            lead="jerez-mobility",
                            depends_on=("1.1.1",),
                        ),
                        ActionSpec(
                            "2.1.2",
                            t(
                                "Air-quality monitoring network",
                                "Red de medición de la calidad del aire",
                                "Xarxa de mesura de la qualitat de l'aire",
                                "Мрежа за измерване на качеството на въздуха",
                            ),
                            PLANNED,
                            0,
                            "2022-01-10",
                            "2023-12-31",
                            180_000,
                            owner="medio-ambiente",
                        ),
                    ),
                ),
                ObjectiveSpec(
                    "2.2",
                    t(
                        "Energy efficiency of municipal services",
                        "Eficiencia energética de los servicios municipales",
                        "Eficiència energètica dels serveis municipals",
                        "Енергийна ефективност на общинските услуги",
                    ),
                    challenges=("C2.2",),
                    actions=(
                        ActionSpec(
                            "2.2.1",
                            t(
                                "Remote management of street lighting",
                                "Telegestión del alumbrado público",
                                "Telegestió de l'enllumenat públic",
                                "Дистанционно управление на уличното осветление",
                            ),
                            IN_PROGRESS,
                            20,
                            "2021-10-01",
                            "2024-12-31",
                            500_000,
                            owner="urbanismo",
                        ),
                        ActionSpec(
                            "2.2.2",
                            t(
                                "Energy monitoring of municipal buildings",
                                "Monitorización energética de los edificios municipales",
                                "Monitoratge energètic dels edificis municipals",
                                "Мониторинг на енергопотреблението на общинските сгради",
                            ),
                            PLANNED,
                            0,
                            "2022-06-01",
                            "2024-12-31",
                            220_000,
                            owner="medio-ambiente",
                        ),
                    ),
                ),
            ),
        ),
        AxisSpec(
            code="3",
            title=t(
                "Inclusive and connected society",
                "Sociedad inclusiva y conectada",
                "Societat inclusiva i connectada",
                "Приобщаващо и свързано общество",
            ),
            challenges=(
                ChallengeSpec(
                    "C3.1",
                    t(
                        "Digital divide in disadvantaged neighbourhoods",
                        "Brecha digital en los barrios desfavorecidos",
                        "Bretxa digital als barris desafavorits",
                        "Дигитално разделение в кварталите в неравностойно положение",
                    ),
                ),
            ),
            objectives=(
                ObjectiveSpec(
                    "3.1",
                    t(
                        "Digital inclusion through social services",
                        "Inclusión digital a través de los servicios sociales",
                        "Inclusió digital a través dels serveis socials",
                        "Дигитално приобщаване чрез социалните услуги",
                    ),
                    challenges=("C3.1",),
                    actions=(
                        ActionSpec(
                            "3.1.1",
                            t(
                                "Digital skills workshops in neighbourhood centres",
                                "Talleres de competencias digitales en los centros de barrio",
                                "Tallers de competències digitals als centres de barri",
                                "Работилници за дигитални умения в кварталните центрове",
                            ),
                            PLANNED,
                            0,
                            "2022-02-01",
                            "2024-12-31",
                            120_000,
                            owner="servicios-sociales",
                        ),
                        ActionSpec(
                            "3.1.2",
                            t(
                                "Digital social-care record",
                                "Expediente social digital",
                                "Expedient social digital",
                                "Електронно социално досие",
                            ),
                            PLANNED,
                            0,
                            "2022-09-01",
                            "2025-06-30",
                            160_000,
                            owner="servicios-sociales",
                            depends_on=("1.1.1",),
                        ),
                    ),
                ),
                ObjectiveSpec(
                    "3.2",
                    t(
                        "Smart tourism and culture",
                        "Turismo y cultura inteligentes",
                        "Turisme i cultura intel·ligents",
                        "Интелигентен туризъм и култура",
                    ),
                    actions=(
                        ActionSpec(
                            "3.2.1",
                            t(
                                "Visitor information app on the city's heritage",
                                "Aplicación de información al visitante sobre el patrimonio de la ciudad",
                                "Aplicació d'informació al visitant sobre el patrimoni de la ciutat",
                                "Приложение с информация за посетителите за наследството на града",
                            ),
                            PLANNED,
                            0,
                            "2023-01-09",
                            "2024-12-31",
                            80_000,
                            owner="alcaldia",
                        ),
                    ),
                ),
            ),
        ),
    ),
)

# --- Situation 3: Sofia and IAB Bulgaria

SOFIA_CODE = "SOF46"
PARTNER_SLUG = "iab-bulgaria"
# The memorandum's division of work: IAB Bulgaria delivers the studies (and their data); the
# campaign against disinformation and the programme on digital rights are joint.
SOFIA_PARTNER_ROLES = [
    ("1.1.1", PartnerRole.LEAD),
    ("1.1.1", PartnerRole.DATA_PROVIDER),
    ("1.1.2", PartnerRole.LEAD),
    ("2.1.1", PartnerRole.CONTRIBUTOR),
    ("2.1.2", PartnerRole.CONTRIBUTOR),
    ("3.1.1", PartnerRole.CONTRIBUTOR),
]
PARTNER_DESCRIPTION = t(
    "The Bulgarian member of the Interactive Advertising Bureau (IAB) network, the association of the digital "
    "media and advertising industry. In 2022 it signed a memorandum of cooperation with Sofia Municipality.",
    "El miembro búlgaro de la red Interactive Advertising Bureau (IAB), la asociación del sector de los medios "
    "y la publicidad digitales. En 2022 firmó un memorando de cooperación con el Ayuntamiento de Sofía.",
    "El membre búlgar de la xarxa Interactive Advertising Bureau (IAB), l'associació del sector dels mitjans i "
    "la publicitat digitals. El 2022 va signar un memoràndum de cooperació amb l'Ajuntament de Sofia.",
    "Българският член на мрежата Interactive Advertising Bureau (IAB) – сдружението на дигиталните медии и "
    "дигиталната реклама. През 2022 г. подписа меморандум за сътрудничество със Столична община.",
)
SOFIA_DEPARTMENTS = {
    "digitalisation": t(
        "Digitalisation, Innovation and Economic Development",
        "Digitalización, Innovación y Desarrollo Económico",
        "Digitalització, Innovació i Desenvolupament Econòmic",
        "Дигитализация, иновации и икономическо развитие",
    ),
    "administrative-services": t(
        "Administrative Services", "Servicios Administrativos", "Serveis Administratius", "Административно обслужване"
    ),
    "education": t("Education", "Educación", "Educació", "Образование"),
    "transport": t(
        "Transport and Urban Mobility",
        "Transporte y Movilidad Urbana",
        "Transport i Mobilitat Urbana",
        "Транспорт и градска мобилност",
    ),
    "public-relations": t("Public Relations", "Relaciones Públicas", "Relacions Públiques", "Връзки с обществеността"),
}

IAB_STUDY_NOTE = t(
    "Commitment of IAB Bulgaria under the 2022 memorandum of cooperation, so that the city can make data-driven "
    "decisions.",
    "Compromiso de IAB Bulgaria en el memorando de cooperación de 2022, para que la ciudad pueda tomar decisiones "
    "basadas en datos.",
    "Compromís d'IAB Bulgaria en el memoràndum de cooperació del 2022, perquè la ciutat pugui prendre decisions "
    "basades en dades.",
    "Ангажимент на IAB Bulgaria по меморандума за сътрудничество от 2022 г., за да може градът да взема "
    "решения, основани на данни.",
)
JOINT_NOTE = t(
    "Joint commitment of Sofia Municipality and IAB Bulgaria under the 2022 memorandum of cooperation.",
    "Compromiso conjunto del Ayuntamiento de Sofía y de IAB Bulgaria en el memorando de cooperación de 2022.",
    "Compromís conjunt de l'Ajuntament de Sofia i d'IAB Bulgaria en el memoràndum de cooperació del 2022.",
    "Съвместен ангажимент на Столична община и IAB Bulgaria по меморандума за сътрудничество от 2022 г.",
)

SOFIA_PLAN = PlanSpec(
    slug="sofia-digital-transformation",
    title=t(
        "Sofia Digital Transformation Plan",
        "Plan de Transformación Digital de Sofía",
        "Pla de Transformació Digital de Sofia",
        "План за дигитална трансформация на София",
    ),
    summary=t(
        "Sofia Municipality's plan for the digital transformation of the city and its administration. In 2022 the "
        "city signed a memorandum of cooperation with IAB Bulgaria, signed by the mayor, the deputy mayor for "
        "digitalisation and IAB's executive director and board chair: the partner delivers quantitative and "
        "qualitative studies of the digital environment and of citizens' expectations, so that the city can make "
        "data-driven decisions; both fight disinformation and promote citizens' digital rights; a first "
        "operational meeting sets concrete joint initiatives. Demo content: the departments, people, the actions "
        "other than the partner's commitments, dates, budgets and progress shown here are illustrative.",
        "El plan del Ayuntamiento de Sofía para la transformación digital de la ciudad y de su administración. En "
        "2022 la ciudad firmó un memorando de cooperación con IAB Bulgaria, firmado por la alcaldía, la tenencia "
        "de alcaldía de digitalización y la dirección ejecutiva y la presidencia del consejo de IAB: el socio "
        "elabora estudios cuantitativos y cualitativos del entorno digital y de las expectativas de la "
        "ciudadanía, para que la ciudad pueda tomar decisiones basadas en datos; ambos combaten la "
        "desinformación y promueven los derechos digitales de la ciudadanía; una primera reunión operativa fija "
        "iniciativas conjuntas concretas. Contenido de demostración: las direcciones, personas, acciones "
        "distintas de los compromisos del socio, fechas, presupuestos y avances que se muestran son "
        "ilustrativos.",
        "El pla de l'Ajuntament de Sofia per a la transformació digital de la ciutat i de la seva administració. "
        "El 2022 la ciutat va signar un memoràndum de cooperació amb IAB Bulgaria, signat per l'alcaldia, la "
        "tinència d'alcaldia de digitalització i la direcció executiva i la presidència del consell d'IAB: el soci "
        "elabora estudis quantitatius i qualitatius de l'entorn digital i de les expectatives de la ciutadania, "
        "perquè la ciutat pugui prendre decisions basades en dades; tots dos combaten la desinformació i "
        "promouen els drets digitals de la ciutadania; una primera reunió operativa fixa iniciatives conjuntes "
        "concretes. Contingut de demostració: les direccions, persones, accions diferents dels compromisos del "
        "soci, dates, pressupostos i avenços que s'hi mostren són il·lustratius.",
        "Планът на Столична община за дигиталната трансформация на града и неговата администрация. През 2022 г. "
        "градът подписа меморандум за сътрудничество с IAB Bulgaria, подписан от кмета, заместник-кмета по "
        "дигитализацията и изпълнителния директор и председателя на управителния съвет на IAB: партньорът "
        "изготвя количествени и качествени проучвания на дигиталната среда и на очакванията на гражданите, за да "
        "може градът да взема решения, основани на данни; двете страни се борят с дезинформацията и насърчават "
        "цифровите права на гражданите; първа работна среща определя конкретни съвместни инициативи. "
        "Демонстрационно съдържание: показаните дирекции, хора, действия извън ангажиментите на партньора, "
        "дати, бюджети и напредък са илюстративни.",
    ),
    vision=t(
        "A digital capital whose decisions rest on evidence and whose residents trust the information they get.",
        "Una capital digital cuyas decisiones se basan en datos y cuyos habitantes confían en la información que "
        "reciben.",
        "Una capital digital les decisions de la qual es basen en dades i els habitants de la qual confien en la "
        "informació que reben.",
        "Дигитална столица, чиито решения се основават на данни и чиито жители имат доверие в информацията, "
        "която получават.",
    ),
    mission=t(
        "Work with partners to understand residents' digital needs and to serve them online, safely and fairly.",
        "Trabajar con los socios para entender las necesidades digitales de los residentes y atenderlas en "
        "línea, con seguridad y equidad.",
        "Treballar amb els socis per entendre les necessitats digitals dels residents i atendre-les en línia, "
        "amb seguretat i equitat.",
        "Да работи с партньорите, за да разбере дигиталните нужди на жителите и да ги обслужва онлайн – сигурно "
        "и справедливо.",
    ),
    period=("2022-01-01", "2027-12-31"),
    axes=(
        AxisSpec(
            code="1",
            title=t(
                "Data-driven decisions",
                "Decisiones basadas en datos",
                "Decisions basades en dades",
                "Решения, основани на данни",
            ),
            challenges=(
                ChallengeSpec(
                    "C1.1",
                    t(
                        "Little evidence on residents' digital habits and expectations",
                        "Pocos datos sobre los hábitos digitales y las expectativas de los residentes",
                        "Poques dades sobre els hàbits digitals i les expectatives dels residents",
                        "Малко данни за дигиталните навици и очакванията на жителите",
                    ),
                ),
            ),
            objectives=(
                ObjectiveSpec(
                    "1.1",
                    t(
                        "Know the digital environment and citizens' expectations",
                        "Conocer el entorno digital y las expectativas de la ciudadanía",
                        "Conèixer l'entorn digital i les expectatives de la ciutadania",
                        "Познаване на дигиталната среда и на очакванията на гражданите",
                    ),
                    challenges=("C1.1",),
                    actions=(
                        ActionSpec(
                            "1.1.1",
                            t(
                                "Quantitative study of the digital environment and of citizens' expectations",
                                "Estudio cuantitativo del entorno digital y de las expectativas de la ciudadanía",
                                "Estudi quantitatiu de l'entorn digital i de les expectatives de la ciutadania",
                                "Количествено проучване на дигиталната среда и на очакванията на гражданите",
                            ),
                            IN_PROGRESS,
                            50,
                            "2022-11-01",
                            "2023-12-31",
                            None,
                            owner="digitalisation",
                            lead="editor-sofia",
                            description=IAB_STUDY_NOTE,
                        ),
                        ActionSpec(
                            "1.1.2",
                            t(
                                "Qualitative study of the digital environment and of citizens' expectations",
                                "Estudio cualitativo del entorno digital y de las expectativas de la ciudadanía",
                                "Estudi qualitatiu de l'entorn digital i de les expectatives de la ciutadania",
                                "Качествено проучване на дигиталната среда и на очакванията на гражданите",
                            ),
                            IN_PROGRESS,
                            30,
                            "2023-01-16",
                            "2024-03-29",
                            None,
                            owner="digitalisation",
                            lead="editor-sofia",
                            description=IAB_STUDY_NOTE,
                        ),
                        ActionSpec(
                            "1.1.3",
                            t(
                                "Use the studies' findings in the roadmap of digital services",
                                "Usar las conclusiones de los estudios en la hoja de ruta de servicios digitales",
                                "Fer servir les conclusions dels estudis al full de ruta de serveis digitals",
                                "Използване на изводите от проучванията в пътната карта на цифровите услуги",
                            ),
                            PLANNED,
                            0,
                            "2024-04-01",
                            "2024-12-31",
                            40_000,
                            owner="digitalisation",
                            depends_on=("1.1.1", "1.1.2"),
                        ),
                    ),
                ),
            ),
        ),
        AxisSpec(
            code="2",
            title=t(
                "Trustworthy information and digital rights",
                "Información fiable y derechos digitales",
                "Informació fiable i drets digitals",
                "Достоверна информация и цифрови права",
            ),
            challenges=(
                ChallengeSpec(
                    "C2.1",
                    t(
                        "Disinformation spreads online",
                        "La desinformación se propaga en línea",
                        "La desinformació es propaga en línia",
                        "Дезинформацията се разпространява онлайн",
                    ),
                ),
            ),
            objectives=(
                ObjectiveSpec(
                    "2.1",
                    t(
                        "Fight disinformation and promote citizens' digital rights",
                        "Combatir la desinformación y promover los derechos digitales de la ciudadanía",
                        "Combatre la desinformació i promoure els drets digitals de la ciutadania",
                        "Борба с дезинформацията и насърчаване на цифровите права на гражданите",
                    ),
                    challenges=("C2.1",),
                    actions=(
                        ActionSpec(
                            "2.1.1",
                            t(
                                "Joint campaign against disinformation",
                                "Campaña conjunta contra la desinformación",
                                "Campanya conjunta contra la desinformació",
                                "Съвместна кампания срещу дезинформацията",
                            ),
                            PLANNED,
                            0,
                            "2023-03-01",
                            "2024-06-28",
                            30_000,
                            owner="public-relations",
                            description=JOINT_NOTE,
                        ),
                        ActionSpec(
                            "2.1.2",
                            t(
                                "Information programme on citizens' digital rights",
                                "Programa de información sobre los derechos digitales de la ciudadanía",
                                "Programa d'informació sobre els drets digitals de la ciutadania",
                                "Програма за информиране за цифровите права на гражданите",
                            ),
                            PLANNED,
                            0,
                            "2023-06-01",
                            "2025-06-30",
                            45_000,
                            owner="education",
                            description=JOINT_NOTE,
                        ),
                    ),
                ),
            ),
        ),
        AxisSpec(
            code="3",
            title=t(
                "Partnership and digital public services",
                "Colaboración y servicios públicos digitales",
                "Col·laboració i serveis públics digitals",
                "Партньорство и цифрови публични услуги",
            ),
            challenges=(
                ChallengeSpec(
                    "C3.1",
                    t(
                        "Services designed department by department, not around residents",
                        "Servicios diseñados departamento por departamento, no en torno a los residentes",
                        "Serveis dissenyats departament per departament, no al voltant dels residents",
                        "Услугите се проектират по звена, а не около нуждите на жителите",
                    ),
                ),
            ),
            objectives=(
                ObjectiveSpec(
                    "3.1",
                    t(
                        "Work with partners on concrete joint initiatives",
                        "Trabajar con los socios en iniciativas conjuntas concretas",
                        "Treballar amb els socis en iniciatives conjuntes concretes",
                        "Работа с партньорите по конкретни съвместни инициативи",
                    ),
                    actions=(
                        ActionSpec(
                            "3.1.1",
                            t(
                                "First operational meeting with IAB Bulgaria to set joint initiatives",
                                "Primera reunión operativa con IAB Bulgaria para fijar iniciativas conjuntas",
                                "Primera reunió operativa amb IAB Bulgaria per fixar iniciatives conjuntes",
                                "Първа работна среща с IAB Bulgaria за определяне на съвместни инициативи",
                            ),
                            COMPLETED,
                            100,
                            "2022-07-26",
                            "2022-07-29",
                            None,
                            owner="digitalisation",
                            lead="editor-sofia",
                            description=JOINT_NOTE,
                            milestones=(
                                MilestoneSpec(
                                    t(
                                        "Joint initiatives agreed",
                                        "Iniciativas conjuntas acordadas",
                                        "Iniciatives conjuntes acordades",
                                        "Съвместните инициативи са договорени",
                                    ),
                                    "2022-07-29",
                                    "2022-07-29",
                                ),
                            ),
                        ),
                    ),
                ),
                ObjectiveSpec(
                    "3.2",
                    t(
                        "Simpler digital services for residents",
                        "Servicios digitales más sencillos para los residentes",
                        "Serveis digitals més senzills per als residents",
                        "По-лесни цифрови услуги за жителите",
                    ),
                    challenges=("C3.1",),
                    actions=(
                        ActionSpec(
                            "3.2.1",
                            t(
                                "Online administrative services portal",
                                "Portal de servicios administrativos en línea",
                                "Portal de serveis administratius en línia",
                                "Портал за електронни административни услуги",
                            ),
                            IN_PROGRESS,
                            35,
                            "2023-01-09",
                            "2025-12-31",
                            400_000,
                            owner="administrative-services",
                            lead="sofia-services",
                        ),
                        ActionSpec(
                            "3.2.2",
                            t(
                                "Digital tools for schools",
                                "Herramientas digitales para las escuelas",
                                "Eines digitals per a les escoles",
                                "Цифрови инструменти за училищата",
                            ),
                            PLANNED,
                            0,
                            "2024-09-02",
                            "2026-06-30",
                            250_000,
                            owner="education",
                        ),
                        ActionSpec(
                            "3.2.3",
                            t(
                                "Real-time public transport information",
                                "Información del transporte público en tiempo real",
                                "Informació del transport públic en temps real",
                                "Информация за градския транспорт в реално време",
                            ),
                            IN_PROGRESS,
                            60,
                            "2022-06-01",
                            "2024-12-31",
                            300_000,
                            owner="transport",
                        ),
                    ),
                ),
            ),
        ),
    ),
)


# --- Building


class DemoBuilder:
    """Writes the demo through the services; every step looks up what already exists first."""

    def __init__(self) -> None:
        self.summary = DemoSummary()
        self.admin = None
        self.people: dict[str, Person] = {}
        self.organizations: dict[str, Organization] = {}

    # Look-ups and creation of what the plans need

    def municipality(self, country: str, code: str) -> Organization:
        try:
            return Organization.objects.get(kind=OrganizationKind.MUNICIPALITY, country=country, official_code=code)
        except Organization.DoesNotExist:
            raise DemoError(
                f"Municipality {country} {code} is not loaded; run `manage.py load_municipalities` first."
            ) from None

    def user(self, username: str, *, superuser: bool = False):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            create = User.objects.create_superuser if superuser else User.objects.create_user
            user = create(username=username, email=f"{username}@example.org", password=PASSWORD)
            self.summary.created_users.append(username)
        return user

    def person(self, key: str, organization: Organization | None, full_name: str, position: dict, user=None) -> Person:
        lookup = {"user": user} if user is not None else {"full_name": full_name, "organization": organization}
        person = Person.objects.filter(**lookup).first()
        if person is None:
            data = {"full_name": full_name, "organization": organization, **texts("position", position)}
            if user is not None:
                data["user"] = user
            person = org_services.person_create(acting_user=self.admin, data=data)
        self.people[key] = person
        return person

    def organization(self, slug: str, data: dict) -> Organization:
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            organization = org_services.organization_create(acting_user=self.admin, data={"slug": slug, **data})
        return organization

    def departments(self, organization: Organization, names: dict[str, dict]) -> dict[str, Department]:
        existing = {d.slug: d for d in Department.objects.filter(organization=organization)}
        for slug, name in names.items():
            if slug not in existing:
                existing[slug] = org_services.department_create(
                    acting_user=self.admin, organization=organization, data={"slug": slug, **texts("name", name)}
                )
        return existing

    # The whole demo

    def build(self) -> DemoSummary:
        self.admin = self.user("admin", superuser=True)
        barcelona = self.municipality(Country.SPAIN, "08019")
        jerez = self.municipality(Country.SPAIN, JEREZ_CODE)
        sofia = self.municipality(Country.BULGARIA, SOFIA_CODE)
        network = self.catalan_network()
        self.organizations = {"": None, "barcelona": barcelona, "network": network, "jerez": jerez, "sofia": sofia}

        for username, (org_key, full_name, position) in USERS.items():
            user = self.user(username, superuser=username == "admin")
            organization = self.organizations[org_key]
            self.person(username, organization, full_name, position, user=user)
            if organization is not None:
                org_services.role_assign(user=user, organization=organization)
        for key, (org_key, full_name, position) in OTHER_PEOPLE.items():
            self.person(key, self.organizations[org_key], full_name, position)

        self.build_catalan_plan(network)
        self.build_jerez_plan(jerez)
        self.build_sofia_plan(sofia)
        return self.summary

    def catalan_network(self) -> Organization:
        network = self.organization(
            NETWORK_SLUG,
            {
                "kind": OrganizationKind.NETWORK,
                "country": Country.SPAIN,
                "region": "Cataluña",
                "region_code": CATALONIA_REGION_CODE,
                **texts("name", NETWORK_NAME),
                **texts("description", NETWORK_DESCRIPTION),
            },
        )
        members = Organization.objects.filter(
            kind=OrganizationKind.MUNICIPALITY,
            country=Country.SPAIN,
            region_code=CATALONIA_REGION_CODE,
            official_code__in=CATALAN_MEMBERS,
        )
        found = {m.official_code: m for m in members}
        missing = [f"{name} ({code})" for code, name in CATALAN_MEMBERS.items() if code not in found]
        if missing:
            raise DemoError(
                f"Catalan municipalities not loaded: {', '.join(missing)}; run `manage.py load_municipalities` first."
            )
        for code in CATALAN_MEMBERS:
            org_services.network_member_add(network=network, member=found[code], joined_on=day(NETWORK_JOINED))
        return network

    def coordination_groups(self, network: Organization) -> list[list[Organization]]:
        """About fifteen councils per axis, always with the largest and the smallest member."""
        members = sorted(network.members.all(), key=lambda m: (-(m.population or 0), m.official_code))
        largest, smallest, others = members[0], members[-1], members[1:-1]
        return [[largest, *others[i % 3 :: 3], smallest] for i in range(4)]

    def build_catalan_plan(self, network: Organization) -> None:
        if self.plan_exists(CATALAN_PLAN):
            return
        groups = self.coordination_groups(network)
        plan = self.build_plan(network, CATALAN_PLAN, departments={}, groups=groups)
        services.plan_change_status(
            acting_user=self.admin,
            plan=plan,
            status=PlanStatus.APPROVED,
            note="Approved by the coordination groups' joint meeting (demo).",
        )
        services.plan_change_status(acting_user=self.admin, plan=plan, status=PlanStatus.IN_EXECUTION)
        # Later edits: one action falls behind and one is added, so the plan shows changes since approval.
        soc = Action.objects.get(plan=plan, code="2.2.2")
        services.action_update(acting_user=self.admin, action=soc, data={"status": DELAYED, "progress": 25})
        self.build_action(plan, CATALAN_LATER_ACTION, objective=plan_objective(plan, "4.2"), departments={},
                          participants=groups[3][::2], actions={})  # fmt: skip

    def build_jerez_plan(self, jerez: Organization) -> None:
        departments = self.departments(jerez, JEREZ_DEPARTMENTS)
        if self.plan_exists(JEREZ_PLAN):
            return
        plan = self.build_plan(jerez, JEREZ_PLAN, departments=departments)
        services.plan_change_status(acting_user=self.admin, plan=plan, status=PlanStatus.DIAGNOSIS)

    def build_sofia_plan(self, sofia: Organization) -> None:
        self.organization(
            PARTNER_SLUG,
            {
                "kind": OrganizationKind.PARTNER,
                "country": Country.BULGARIA,
                **texts("name", t("IAB Bulgaria", "IAB Bulgaria", "IAB Bulgaria", "IAB Bulgaria")),
                **texts("description", PARTNER_DESCRIPTION),
            },
        )
        departments = self.departments(sofia, SOFIA_DEPARTMENTS)
        if self.plan_exists(SOFIA_PLAN):
            return
        plan = self.build_plan(sofia, SOFIA_PLAN, departments=departments)
        # IAB Bulgaria takes part as a partner organisation, with its role in each action.
        partner = Organization.objects.get(slug=PARTNER_SLUG)
        for code, role in SOFIA_PARTNER_ROLES:
            services.action_partner_create(
                acting_user=self.admin,
                action=Action.objects.get(plan=plan, code=code),
                data={"organization": partner, "role": role},
            )
        services.plan_change_status(
            acting_user=self.admin, plan=plan, status=PlanStatus.APPROVED, note="Approved by the city (demo)."
        )
        services.plan_change_status(acting_user=self.admin, plan=plan, status=PlanStatus.IN_EXECUTION)

    # Plan content

    def plan_exists(self, spec: PlanSpec) -> bool:
        if Plan.objects.filter(slug=spec.slug).exists():
            self.summary.existing_plans.append(spec.slug)
            return True
        self.summary.created_plans.append(spec.slug)
        return False

    def build_plan(
        self,
        owner: Organization,
        spec: PlanSpec,
        *,
        departments: dict[str, Department],
        groups: list[list[Organization]] | None = None,
    ) -> Plan:
        plan = services.plan_create(
            acting_user=self.admin,
            owner=owner,
            data={
                "slug": spec.slug,
                "period_start": day(spec.period[0]),
                "period_end": day(spec.period[1]),
                "is_published": True,
                **texts("title", spec.title),
                **texts("summary", spec.summary),
                **texts("vision", spec.vision),
                **texts("mission", spec.mission),
            },
        )
        actions: dict[str, Action] = {}
        for position, axis_spec in enumerate(spec.axes):
            axis = services.axis_create(
                acting_user=self.admin,
                plan=plan,
                data={
                    "code": axis_spec.code,
                    "position": position,
                    **texts("title", axis_spec.title),
                    **texts("description", axis_spec.description),
                },
            )
            challenges = {
                c.code: services.challenge_create(
                    acting_user=self.admin, axis=axis, data={"code": c.code, **texts("title", c.title)}
                )
                for c in axis_spec.challenges
            }
            number = 0
            for objective_spec in axis_spec.objectives:
                objective = services.objective_create(
                    acting_user=self.admin,
                    axis=axis,
                    data={"code": objective_spec.code, **texts("title", objective_spec.title)},
                    challenges=[challenges[code] for code in objective_spec.challenges],
                )
                for action_spec in objective_spec.actions:
                    participants = []
                    if groups:
                        # Alternate halves of the axis's coordination group, always with the largest council.
                        group = groups[position]
                        participants = [group[0], *group[1 + number % 2 :: 2]]
                    number += 1
                    actions[action_spec.code] = self.build_action(
                        plan,
                        action_spec,
                        objective=objective,
                        departments=departments,
                        participants=participants,
                        actions=actions,
                    )
        return plan

    def build_action(
        self,
        plan: Plan,
        spec: ActionSpec,
        *,
        objective,
        departments: dict[str, Department],
        participants: list[Organization],
        actions: dict[str, Action],
    ) -> Action:
        action = services.action_create(
            acting_user=self.admin,
            plan=plan,
            data={
                "code": spec.code,
                "objective": objective,
                "owner_department": departments[spec.owner] if spec.owner else None,
                "lead": self.people[spec.lead] if spec.lead else None,
                "start_date": day(spec.start),
                "end_date": day(spec.end),
                "status": spec.status,
                "progress": spec.progress,
                "budget": Decimal(spec.budget) if spec.budget is not None else None,
                **texts("title", spec.title),
                **texts("description", spec.description),
            },
            participants=participants,
            dependencies=[actions[code] for code in spec.depends_on],
        )
        for milestone in spec.milestones:
            services.milestone_create(
                acting_user=self.admin,
                action=action,
                data={
                    "due_date": day(milestone.due),
                    "completed_on": day(milestone.completed) if milestone.completed else None,
                    **texts("title", milestone.title),
                },
            )
        return action


def plan_objective(plan: Plan, code: str) -> Objective:
    return Objective.objects.get(axis__plan=plan, code=code)


@transaction.atomic
def build_demo() -> DemoSummary:
    """Builds (or completes) the demo in one transaction."""
    return DemoBuilder().build()
