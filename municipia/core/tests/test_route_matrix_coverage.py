"""Every URL of the site is in a route × role matrix, or in an allow-list that says why not.

Walks the URL configuration (`get_resolver()`), so a new route cannot escape the matrices: a page
route must be a key of some app's `PAGE_ROUTES` (or a personal route of it), or an entity's
generic edit/delete page (core/tests/test_entity_routes.py runs those for readers without the
right); an API route accepting a write must be a key of some `API_ROUTES`
(`<prefix>-create`, `-update`, `-delete`, `-<action>`), its reads being scoped by the entity
layer (core/tests/test_visibility_agreement.py). Whatever is neither is listed below with the
reason; adding a route means adding it to a matrix or, if it writes nothing, to READ_ONLY.
"""

import importlib

from django.urls import URLPattern, URLResolver, get_resolver

# The matrix modules and the URL namespaces their page routes live in.
MATRICES = {
    "municipia.portal.tests.test_route_matrix": ("strategy", "organizations"),
    "municipia.governance.tests.test_route_matrix": ("governance",),
    "municipia.governance.tests.test_api_matrix": (),
    "municipia.alignment.tests.test_route_matrix": ("alignment",),
    "municipia.diagnosis.tests.test_route_matrix": ("diagnosis", "diagnosis-results", "diagnosis-report"),
    "municipia.indicators.tests.test_route_matrix": ("indicators",),
    "municipia.portfolio.tests.test_permissions": ("portfolio",),
    "municipia.partnerships.tests.test_route_matrix": ("partnerships",),
    "municipia.diagnosis.tests.test_respondent_matrix": ("diagnosis", "diagnosis-results"),
    "municipia.accounts.tests.test_route_matrix": ("accounts",),
    "municipia.reports.tests.test_jobs": ("reports",),
}

# Not the project's routes, or guarded by their own framework and tests.
EXEMPT_NAMESPACES = {
    "admin",  # Django's admin: staff only; its writes go through the entity services (core.admin.EntityAdmin)
    "oidc",  # the OpenID Connect client's callbacks (accounts/tests/test_oidc.py)
}
EXEMPT_PREFIXES = (
    "static/",  # files, no permission involved
    "media/",
    "i18n/",  # Django's set_language: a cookie, no data
    "__debug__/",
)


def url_patterns() -> list[tuple[str, str, str]]:
    """(namespace, name, route) of every URL pattern; nested namespaces joined with ":"."""
    found: list[tuple[str, str, str]] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                found.append((namespace, pattern.name or "", prefix + str(pattern.pattern)))

    walk(get_resolver(), "", "")
    return found


def _matrix_keys(attribute: str) -> dict[str, set[str]]:
    """The keys of every matrix module's `attribute` (PAGE_ROUTES…), by module."""
    keys = {}
    for module_name in MATRICES:
        module = importlib.import_module(module_name)
        keys[module_name] = {key.removeprefix("own-").split("@")[0] for key in getattr(module, attribute, ())}
    return keys


def covered_pages() -> set[str]:
    """`namespace:name` of every page a matrix (or the entity-route matrix) runs, or declares read-only."""
    from municipia.core.tests.test_entity_routes import routed_entities

    covered = set()
    for attribute in ("PAGE_ROUTES", "PERSONAL_ROUTES", "INVITATION_ROUTES", "READ_ROUTES"):
        for module_name, keys in _matrix_keys(attribute).items():
            covered |= {f"{namespace}:{key}" for namespace in MATRICES[module_name] for key in keys}
    for entity in routed_entities():
        covered |= {f"{entity.model._meta.app_label}:{entity.model_name}-{verb}" for verb in ("update", "delete")}
    return covered | READ_ONLY | WRITE_GAPS


def api_write_keys() -> dict[str, str]:
    """Each write the API router offers, as the matrices name it (`plans-create`) → its URL name."""
    from municipia.api.urls import router

    writes = {}
    for prefix, viewset, basename in router.registry:
        # A viewset may leave methods out (a chosen framework has nothing to edit: no PUT or PATCH).
        offered = set(getattr(viewset, "http_method_names", ())) or {"post", "put", "patch", "delete"}
        if hasattr(viewset, "create") and "post" in offered:
            writes[f"{prefix}-create"] = f"api:{basename}-list"
        if (hasattr(viewset, "partial_update") or hasattr(viewset, "update")) and offered & {"put", "patch"}:
            writes[f"{prefix}-update"] = f"api:{basename}-detail"
        if hasattr(viewset, "destroy") and "delete" in offered:
            writes[f"{prefix}-delete"] = f"api:{basename}-detail"
        for extra in viewset.get_extra_actions():
            if set(extra.mapping) - {"get", "head", "options"}:
                writes[f"{prefix}-{extra.url_path}"] = f"api:{basename}-{extra.url_name}"
    return writes


def _router_names() -> set[str]:
    from municipia.api.urls import router

    names = set()
    for _prefix, viewset, basename in router.registry:
        names |= {f"api:{basename}-list", f"api:{basename}-detail"}
        names |= {f"api:{basename}-{extra.url_name}" for extra in viewset.get_extra_actions()}
    return names


def uncovered_pages() -> list[str]:
    covered = covered_pages()
    missing = set()
    for namespace, name, route in url_patterns():
        top = namespace.split(":")[0]
        if top in EXEMPT_NAMESPACES or top == "api" or route.startswith(EXEMPT_PREFIXES):
            continue
        key = f"{namespace}:{name}" if name else route
        if key not in covered:
            missing.add(key)
    return sorted(missing)


def uncovered_api() -> list[str]:
    api_keys = set().union(
        *_matrix_keys("API_ROUTES").values(),
        *_matrix_keys("INVITATION_API_ROUTES").values(),
        *_matrix_keys("API_READ_ROUTES").values(),
    )
    missing = {key for key in api_keys_required() if key not in api_keys | API_WRITE_GAPS}
    routed = _router_names()
    for namespace, name, _route in url_patterns():
        if namespace.split(":")[0] == "api" and f"api:{name}" not in routed and f"api:{name}" not in API_READ_ONLY:
            missing.add(f"api:{name}")
    return sorted(missing)


def api_keys_required() -> set[str]:
    return set(api_write_keys())


def test_every_page_route_is_in_a_matrix_or_declared_read_only():
    assert uncovered_pages() == []


def test_every_api_write_is_in_a_matrix():
    assert uncovered_api() == []


def test_the_allow_lists_name_only_routes_that_exist():
    """A route removed or renamed must leave the allow-lists too (they would hide its successor)."""
    names = {f"{namespace}:{name}" for namespace, name, _route in url_patterns() if name}
    assert (READ_ONLY | WRITE_GAPS | API_READ_ONLY) - names == set()
    assert API_WRITE_GAPS - set(api_write_keys()) == set()


# Pages that write nothing (GET, or a POST that only filters or searches): lists, details,
# dashboards, exports, feeds and reports, each scoped by its entity's visibility rule.
READ_ONLY = {
    "organizations:person-search",
    "partnerships:newsletter-send-detail",
    "portal:home",
    "portal:search",
    "portal:my-work",
    "portal:open-data",
    "portal:accessibility",
    "strategy:plan-list",
    "strategy:plan-detail",
    "strategy:plan-changes",
    "strategy:plan-history",
    "strategy:plan-bulk-template",
    "strategy:action-list",
    "strategy:action-detail",
    "strategy:embed-plan",
    "strategy:embed-participations",
    "organizations:organization-list",
    "organizations:organization-detail",
    "organizations:organization-search",
    "organizations:person-detail",
    "alignment:framework-list",
    "alignment:framework-detail",
    "alignment:plan-alignments",
    "alignment:plan-coverage",
    "alignment:plan-coverage-csv",
    "alignment:network-coverage",
    "alignment:network-coverage-csv",
    "alignment:plan-review",
    "alignment:plan-review-pdf",
    "indicators:indicator-list",
    "indicators:indicator-detail",
    "indicators:indicator-benchmark",
    "indicators:plan-dashboard",
    "diagnosis:home",
    "diagnosis:campaign-detail",
    "diagnosis:consultation-list",
    "diagnosis:finding-board",
    "diagnosis:maturity-overview",
    "diagnosis:public-results",
    "diagnosis:questionnaire-detail",
    "diagnosis:answer-thanks",
    "diagnosis-results:campaign",
    "diagnosis-results:text-answers",
    "diagnosis-results:results-csv",
    "diagnosis-results:results-xlsx",
    "diagnosis-results:responses-csv",
    "diagnosis-results:responses-xlsx",
    "diagnosis-results:maturity-council",
    "diagnosis-results:maturity-network",
    "diagnosis-report:plan",
    "diagnosis-report:plan-pdf",
    "portfolio:plan-portfolio",
    "portfolio:plan-budget",
    "portfolio:plan-timeline",
    "portfolio:proposal-detail",
    "portfolio:ranking",
    "portfolio:fundingsource-list",
    "portfolio:fundingsource-detail",
    "portfolio:fundingsource-report-pdf",
    "portfolio:fundingsource-report-xlsx",
    "portfolio:scenario-list",
    "portfolio:scenario-detail",
    "partnerships:agreement-list",
    "partnerships:agreement-detail",
    "partnerships:agreementdocument-download",
    "partnerships:clarification-list",
    "partnerships:clarification-detail",
    "partnerships:clarification-feed",
    "partnerships:newspost-list",
    "partnerships:newspost-detail",
    "partnerships:news-feed",
    "partnerships:organization-news-feed",
    "partnerships:plan-news-feed",
    "reports:plan-export",
    "reports:plan-status-report",
    "reports:network-benchmark",
    "reports:job-detail",
    "reports:job-download",
    # Calendar feeds (no language prefix): public ones, and a person's by her secret token.
    "calendars:public",
    "calendars:plan",
    "calendars:body",
    "calendars:person",
}

# Routes that write but are in no role × route matrix, each with the reason. Nothing joins this
# list silently: a new write route goes into a matrix (the accounts' own-data one, the
# respondents' token one, or its app's role one).
WRITE_GAPS = {
    # Signing in and out: the session itself, before any role (accounts/tests/test_lockout.py,
    # test_two_factor.py); there is no one's data for a role × route matrix to protect.
    ":login",
    ":logout",
}

# API routes outside the router: the root, the schema and its documentation pages.
API_READ_ONLY = {"api:api-root", "api:schema", "api:docs", "api:redoc", "api:token"}  # token: sign-in (accounts)

# API writes in no role × route matrix, each with the reason (as WRITE_GAPS; none today).
API_WRITE_GAPS: set[str] = set()


def test_a_route_added_without_a_matrix_entry_is_caught(monkeypatch):
    import sys

    module = sys.modules[__name__]
    real = url_patterns()
    added = [("strategy", "plan-archive", "en/plans/<slug:slug>/archive/"), ("api", "widget-list", "api/v1/widgets/")]
    monkeypatch.setattr(module, "url_patterns", lambda: [*real, *added])
    assert uncovered_pages() == ["strategy:plan-archive"]
    assert uncovered_api() == ["api:widget-list"]
