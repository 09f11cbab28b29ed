"""`manage.py load_demo`: builds the demo of the three situations in DESIGN.md (idempotent).

It lives in the portal, the site's shell above every app, because it composes every app's demo.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.alignment.demo import build_alignment_demo, build_indicator_alignment_demo
from municipia.diagnosis.demo import build_jerez_diagnosis_demo
from municipia.diagnosis.sofia_demo import build_sofia_demo
from municipia.governance.demo import GOVERNANCE_USERS, build_governance_demo
from municipia.indicators.demo import build_indicator_demo
from municipia.organizations.loaders import ReferenceDataError, load_municipalities
from municipia.organizations.selectors import municipalities_exist
from municipia.partnerships.demo import build_partnerships_demo
from municipia.portfolio.demo import build_portfolio_demo
from municipia.strategy.demo import PASSWORD, USERS, DemoError, build_demo

LOGINS = {
    "admin": gettext_lazy("site administrator"),
    "editor-barcelona": gettext_lazy("editor of Barcelona"),
    "coordinator-catalunya": gettext_lazy("coordinator of the Catalan network's agenda"),
    "editor-jerez": gettext_lazy("editor of Jerez de la Frontera"),
    "editor-sofia": gettext_lazy("editor of Sofia"),
}


class Command(BaseCommand):
    help = "Builds the demo: the Catalan network's agenda, Jerez's Smart City plan and Sofia's plan (idempotent)."

    def handle(self, *args, **options) -> None:
        try:
            with transaction.atomic():
                if not municipalities_exist():
                    self.stdout.write(_("No municipalities yet: loading the reference lists first."))
                    load_municipalities()
                summary = build_demo()
                governance = build_governance_demo()
                build_alignment_demo()
                indicators = build_indicator_demo()
                build_indicator_alignment_demo()
                jerez_diagnosis = build_jerez_diagnosis_demo()
                sofia_study = build_sofia_demo()
                portfolio = build_portfolio_demo()
                partnerships = build_partnerships_demo()
        except (DemoError, ReferenceDataError) as exc:
            raise CommandError(str(exc)) from exc
        for slug in summary.created_plans:
            self.stdout.write(_("Created plan %(slug)s.") % {"slug": slug})
        for slug in summary.existing_plans:
            self.stdout.write(_("Plan %(slug)s already exists; left unchanged.") % {"slug": slug})
        self.stdout.write(
            _("Governance: %(created)s bodies created, %(existing)s already there (left unchanged).")
            % {"created": len(governance.created_bodies), "existing": len(governance.existing_bodies)}
        )
        self.stdout.write(
            _("Indicators: %(created)s created with %(observations)s illustrative values.")
            % {"created": len(indicators.created), "observations": indicators.observations}
        )
        self.stdout.write(
            _("Jerez's diagnosis: %(assessments)s department self-assessments, %(findings)s findings.")
            % {"assessments": jerez_diagnosis.assessments, "findings": jerez_diagnosis.findings}
        )
        self.stdout.write(
            _("Sofia's citizen study (IAB Bulgaria): %(count)s synthetic responses.") % {"count": sofia_study.responses}
        )
        self.stdout.write(
            _("Portfolio: %(proposals)s proposals, %(lines)s budget lines, %(scenarios)s scenarios.")
            % {"proposals": portfolio.proposals, "lines": portfolio.budget_lines, "scenarios": portfolio.scenarios}
        )
        self.stdout.write(
            _("Partnerships: %(agreements)s agreements, %(news)s news posts, %(clarifications)s clarifications.")
            % {
                "agreements": partnerships.agreements,
                "news": partnerships.news_posts,
                "clarifications": partnerships.clarifications,
            }
        )
        self.stdout.write(_("Demo logins (password “%(password)s”):") % {"password": PASSWORD})
        for username in USERS:
            self.stdout.write(f"  {username:<22} {LOGINS.get(username, '')}")
        for username, description in GOVERNANCE_USERS.items():
            self.stdout.write(f"  {username:<22} {description}")
