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
        if hasattr(viewset, "create"):
            writes[f"{prefix}-create"] = f"api:{basename}-list"
        if hasattr(viewset, "partial_update") or hasattr(viewset, "update"):
            writes[f"{prefix}-update"] = f"api:{basename}-detail"
        if hasattr(viewset, "destroy"):
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
    api_keys = set().union(*_matrix_keys("API_ROUTES").values(), *_matrix_keys("INVITATION_API_ROUTES").values())
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

# Routes that write but are not yet in a role × route matrix: each has its own permission tests
# in its app (accounts: the signed-in user's own account; respondents: a campaign's own token or
# public link; the rest: editors' pages). Known debt, listed so that nothing new joins it silently.
WRITE_GAPS = {
    # Following an action or a plan: anyone who may see it, 404 otherwise (partnerships/tests/test_follow.py).
    "partnerships:follow-action",
    "partnerships:follow-plan",
    "partnerships:unfollow-action",
    "partnerships:unfollow-plan",
    # Queuing a newsletter send: site administrators only (partnerships/tests/test_newsletter_send.py).
    "partnerships:newsletter-send-list",
    # Authentication and the user's own account (accounts/tests: lockout, passwords, 2FA, tokens).
    ":login",
    ":logout",
    "accounts:account",
    "accounts:password-change",
    "accounts:password-reset",
    "accounts:password-reset-done",
    "accounts:password-reset-confirm",
    "accounts:password-reset-complete",
    "accounts:recovery-codes",
    "accounts:tokens",
    "accounts:token-rotate",
    "accounts:token-revoke",
    "accounts:two-factor-setup",
    "accounts:two-factor-verify",
    "accounts:two-factor-disable",
    # Respondents answer by token or public link (diagnosis/tests/test_answering.py, test_concurrency.py).
    "diagnosis:answer-public",
    "diagnosis:answer-token",
    "diagnosis-results:margins",
    "strategy:plan-progress-upload",  # strategy/tests/test_bulk.py
    "reports:plan-status-job",  # starts a rendering job of a report the user may see
    "reports:network-benchmark-job",
    "portfolio:criteriaset-create",
    "portfolio:evaluation",
    "portfolio:execution-import",
    "portfolio:proposal-decide",
    "portfolio:scenario-apply",
    "partnerships:agreement-create",
    "partnerships:agreementdocument-create",
    "partnerships:signatory-create",
    "partnerships:commitment-create",
    "partnerships:action-complete",
    "partnerships:clarification-create",
    "partnerships:clarification-publish",
    "partnerships:newspost-create",
    # Newsletter subscriptions: anyone, confirmed by a token sent to the address.
    "partnerships:subscribe",
    "partnerships:subscription-confirm",
    "partnerships:subscription-cancel",
}

# API routes outside the router: the root, the schema and its documentation pages.
API_READ_ONLY = {"api:api-root", "api:schema", "api:docs", "api:redoc", "api:token"}  # token: sign-in (accounts)

# API writes not yet in a role × route matrix (as WRITE_GAPS: known debt, tested in their apps).
API_WRITE_GAPS = {
    "newsletter-sends-create",  # site administrators only (partnerships/tests/test_newsletter_send.py)
    "action-partners-create",
    "action-partners-update",
    "action-partners-delete",
    "agreements-create",
    "agreements-update",
    "agreements-delete",
    "allocations-create",
    "allocations-update",
    "allocations-delete",
    "budget-lines-update",
    "budget-lines-delete",
    "campaigns-close",
    "campaigns-delete",
    "clarifications-create",
    "clarifications-update",
    "clarifications-delete",
    "clarifications-publish",
    "commitments-create",
    "commitments-update",
    "commitments-delete",
    "criteria-create",
    "criteria-update",
    "criteria-delete",
    "criteria-sets-create",
    "criteria-sets-update",
    "criteria-sets-delete",
    "departments-create",
    "departments-update",
    "departments-delete",
    "evaluator-assignments-create",
    "evaluator-assignments-update",
    "evaluator-assignments-delete",
    "execution-entries-update",
    "execution-entries-delete",
    "funding-sources-create",
    "funding-sources-delete",
    "maturity-assessments-create",
    "maturity-assessments-update",
    "maturity-assessments-delete",
    "networks-members",
    "networks-members/(?P<member_slug>[-a-zA-Z0-9_]+)",
    "news-create",
    "news-update",
    "news-delete",
    "organizations-create",
    "organizations-delete",
    "people-create",
    "people-update",
    "people-delete",
    "plan-frameworks-update",
    "plans-progress-update",
    "proposals-delete",
    "proposals-merge",
    "proposals-start-evaluation",
    "responses-create",  # respondents, by token or public link (diagnosis/tests/test_api.py)
    "roles-create",
    "roles-update",
    "roles-delete",
    "scenarios-apply",
    "scenarios-update",
    "scores-update",
    "scores-delete",
    "suggestions-create",
    # --- Follows API (helper "reg"): the caller's own follows only, tested own vs other user,
    # anonymous and unseen targets in partnerships/tests/test_follow_api.py.
    "follows-create",
    "follows-delete",
}


def test_a_route_added_without_a_matrix_entry_is_caught(monkeypatch):
    import sys

    module = sys.modules[__name__]
    real = url_patterns()
    added = [("strategy", "plan-archive", "en/plans/<slug:slug>/archive/"), ("api", "widget-list", "api/v1/widgets/")]
    monkeypatch.setattr(module, "url_patterns", lambda: [*real, *added])
    assert uncovered_pages() == ["strategy:plan-archive"]
    assert uncovered_api() == ["api:widget-list"]
