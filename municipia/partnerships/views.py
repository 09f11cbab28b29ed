"""Pages of agreements, clarifications and news that are not plain create/edit/delete forms.

Plain create, edit and delete pages are the entities' generic ones (core.entity_views, see
urls.py). Hand-written here, each saying why: the public registers and pages (reads), the
document download (a file served only to those who may see the agreement), the publication of a
clarification (a state transition under the four-eyes rule), the move of an action its
commitments' done work serves (a state transition offered on the action page) and the upload pages (the generic
form pages do not pass uploaded files to their forms).
"""

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils.decorators import method_decorator
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from municipia.core.cache import public_cache
from municipia.core.entities import Entity
from municipia.core.entity_views import EntityCreateView, EntityUpdateView
from municipia.core.i18n import current_language
from municipia.core.keyset import page_from_request
from municipia.core.views import EditorView, attach_errors, paginate
from municipia.organizations.models import Organization
from municipia.organizations.permissions import editable_organization_ids
from municipia.organizations.selectors import organization_find, organization_list
from municipia.partnerships import jsonld, mail, rows, selectors, services
from municipia.partnerships.choices import ClarificationStatus, SubscriptionKind
from municipia.partnerships.entities import CLARIFICATION, DOCUMENT
from municipia.partnerships.forms import SubscriptionForm
from municipia.partnerships.models import AgreementDocument, NewsletterSend
from municipia.strategy import services as strategy_services
from municipia.strategy.choices import ActionStatus
from municipia.strategy.entities import ACTION, PLAN


def _edited_organizations(user) -> list[Organization]:
    """The organisations `user` writes for (the registers offer a "new" link for each)."""
    ids = editable_organization_ids(user)
    return list(organization_list().filter(pk__in=ids).order_by("name")) if ids else []


# --- Agreements


@public_cache
def agreement_list(request):
    """The public register (and, for the parties' editors, their private agreements)."""
    page = page_from_request(request, selectors.agreement_list(request.user), field=selectors.AGREEMENT_KEY)
    context = {
        "page": page,
        "agreements": page.object_list,
        "rows": rows.agreement_rows(page.object_list, selectors.agreement_parties(page.object_list)),
        "editable_owners": _edited_organizations(request.user),
    }
    return render(request, "partnerships/agreement_list.html", context)


def agreement_detail(request, slug: str):
    """Not publicly cached: fulfilment follows linked work in apps whose changes do not mark content changed."""
    data = selectors.agreement_page(request.user, slug=slug)
    agreement = data.agreement
    context = {
        "agreement": agreement,
        "page": data,
        "can_edit": request.user.has_perm("partnerships.change_agreement", agreement),
        # Contradictions between linked work and actions are shown to the parties' editors.
        "can_follow": request.user.has_perm("partnerships.follow_commitment", agreement),
    }
    return render(request, "partnerships/agreement_detail.html", context)


def document_download(request, pk: int):
    """The document as a download, for whoever may see its agreement (404 alike for missing and forbidden)."""
    document = DOCUMENT.get(request.user, pk=pk)
    assert isinstance(document, AgreementDocument)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    name = document.file.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name, content_type="application/pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Upload pages: the generic pages with the request's files handed to the form.


class UploadCreateView(EntityCreateView):
    """The generic create page, with `request.FILES` passed to the form (core's passes only POST)."""

    template_name = "partnerships/upload_form.html"

    def get_form(self, data=None):
        files = self.request.FILES if data is not None else None
        return self.form_class(data=data, files=files, **self.get_form_kwargs())


class UploadUpdateView(EntityUpdateView):
    """The generic edit page, with `request.FILES` passed to the form (core's passes only POST)."""

    template_name = "partnerships/upload_form.html"

    def get_form(self, data=None):
        files = self.request.FILES if data is not None else None
        return self.form_class(data=data, files=files, **self.get_form_kwargs())


def upload_paths(entity: Entity, *, item: str, create: str, parent: Entity) -> list[URLPattern]:
    """Create and edit pages of an entity with a file field (delete comes from `entity_paths`)."""
    name = entity.model_name
    form = entity.service("form")
    return [
        path(
            create,
            UploadCreateView.as_view(entity=entity, parent_entity=parent, form_class=form),
            name=f"{name}-create",
        ),
        path(f"{item}edit/", UploadUpdateView.as_view(entity=entity, form_class=form), name=f"{name}-update"),
    ]


# --- Clarifications


@public_cache
def clarification_list(request):
    search = request.GET.get("q", "")
    queryset = selectors.clarification_register(request.user, search=search)
    page = page_from_request(request, queryset, field=selectors.CLARIFICATION_KEY)
    context = {
        "page": page,
        "clarifications": page.object_list,
        "rows": rows.clarification_rows(page.object_list),
        "search": search,
        "editable_owners": _edited_organizations(request.user),
    }
    return render(request, "partnerships/clarification_list.html", context)


def json_ld(data: dict[str, Any]) -> SafeString:
    """A `<script type="application/ld+json">` element; `<`, `>` and `&` escaped as json_script does."""
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 - escaped above


@public_cache
def clarification_detail(request, slug: str):
    clarification = selectors.clarification_page(request.user, slug=slug)
    published = clarification.status == ClarificationStatus.PUBLISHED
    context = {
        "clarification": clarification,
        "json_ld": json_ld(jsonld.claim_review(clarification, request)) if published else "",
        "can_edit": request.user.has_perm("partnerships.change_clarification", clarification),
        "can_publish": not published and request.user.has_perm("partnerships.publish_clarification", clarification),
    }
    return render(request, "partnerships/clarification_detail.html", context)


class ClarificationPublishView(EditorView):
    """Publishes a reviewed clarification: a state transition under the four-eyes rule, not a form of fields.

    Only POST changes anything; the service refuses the author (the message says why).
    """

    permission = "partnerships.change_clarification"

    def load(self, **kwargs):
        self.clarification = CLARIFICATION.get(self.request.user, slug=kwargs["slug"])
        return self.clarification

    def post(self, request, *args, **kwargs):
        try:
            services.clarification_publish(acting_user=request.user, clarification=self.clarification)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Published."))
        return HttpResponseRedirect(self.clarification.get_absolute_url())


# --- News


def news_list(request):
    """Not publicly cached: a scheduled post appears when its time comes, whatever the cache holds."""
    page = page_from_request(request, selectors.news_register(request.user), field=selectors.NEWS_KEY)
    context = {
        "page": page,
        "posts": page.object_list,
        "rows": rows.news_rows(page.object_list),
        "editable_owners": _edited_organizations(request.user),
    }
    return render(request, "partnerships/news_list.html", context)


def news_detail(request, slug: str):
    post = selectors.news_page(request.user, slug=slug)
    context = {"post": post, "can_edit": request.user.has_perm("partnerships.change_newspost", post)}
    return render(request, "partnerships/news_detail.html", context)


class ActionCompleteView(EditorView):
    """Moves an action that a commitment's done work serves to completed (100 %): the offer the
    action page makes when linked work is done and the action has not moved. Only POST changes
    anything; the permission is the action's own (`strategy.change_action`)."""

    permission = "strategy.change_action"

    def load(self, **kwargs):
        self.action = ACTION.get(self.request.user, pk=kwargs["pk"])
        return self.action

    def post(self, request, *args, **kwargs):
        try:
            strategy_services.action_update(
                acting_user=request.user,
                action=self.action,
                data={"status": ActionStatus.COMPLETED, "progress": 100},
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The action is marked completed."))
        return HttpResponseRedirect(self.action.get_absolute_url())


# --- Newsletter: subscribe, confirm and unsubscribe (no account; the links are signed)


def _subscription_scope(request) -> dict[str, Any]:
    """The plan or organisation named by ?plan= / ?organization= (or the form's hidden fields)."""
    source = request.POST if request.method == "POST" else request.GET
    scope: dict[str, Any] = {}
    if source.get("plan"):
        scope["plan"] = PLAN.get(request.user, slug=source["plan"])
    elif source.get("organization"):
        scope["organization"] = organization_find(slug=source["organization"])
    return scope


def subscribe(request):
    """Asks for an address and a language; a valid request is sent a confirmation link (double opt-in).

    Hand-written: no account is involved, so it is not an entity's form page."""
    scope = _subscription_scope(request)
    form = SubscriptionForm(request.POST or None, initial={"language": current_language()})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.subscription_request(**form.cleaned_data, **scope)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                return render(request, "partnerships/subscription.html", {"state": "requested", **scope})
        status = 400
    hidden = {name: obj.slug for name, obj in scope.items()}
    context = {"state": "form", "form": form, "hidden": hidden, **scope}
    return render(request, "partnerships/subscription.html", context, status=status)


class SubscriptionLinkView(View):
    """A signed link from an e-mail: GET shows a button (link scanners must not act), POST acts.

    The unsubscribe link also answers a mail program's one-click POST (RFC 8058)."""

    purpose = ""

    def _subscription(self, token: str):
        try:
            return mail.subscription_from_token(token, purpose=self.purpose), ""
        except ValidationError as exc:
            return None, " ".join(exc.messages)

    @staticmethod
    def _template(subscription) -> str:
        if subscription is not None and subscription.kind == SubscriptionKind.FOLLOW:
            return "partnerships/follow.html"
        return "partnerships/subscription.html"

    def get(self, request, token: str):
        subscription, error = self._subscription(token)
        state = "invalid" if subscription is None else f"{self.purpose}-ask"
        context = {"state": state, "error": error, "subscription": subscription}
        return render(request, self._template(subscription), context, status=400 if error else 200)

    def post(self, request, token: str):
        subscription, error = self._subscription(token)
        if subscription is None:
            return render(request, "partnerships/subscription.html", {"state": "invalid", "error": error}, status=400)
        if self.purpose == "confirm":
            services.subscription_confirm(subscription=subscription)
        else:
            services.subscription_cancel(subscription=subscription)
        context = {"state": f"{self.purpose}-done", "subscription": subscription}
        return render(request, self._template(subscription), context)


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(SubscriptionLinkView):
    # Mail programs post the one-click unsubscribe without a CSRF token; the signed token is the proof.
    purpose = "unsubscribe"


class ConfirmView(SubscriptionLinkView):
    purpose = "confirm"


# --- Following an action or a plan


class FollowView(View):
    """Follow an action or a plan. A signed-in reader follows with one button (POST); a visitor
    gives an address and confirms it by a signed link (double opt-in), as for the newsletter.

    Hand-written: one page for two kinds of target and two kinds of reader, no entity's form. The
    target is fetched through the reader's scoped getter, so a plan or action they cannot see is
    404 alike for missing and forbidden, and cannot be followed."""

    kind = "action"

    def target(self, request, key):
        if self.kind == "action":
            return ACTION.get(request.user, pk=key)
        return PLAN.get(request.user, slug=key)

    def _context(self, target, **extra):
        return {"target": target, "kind": self.kind, **extra}

    def get(self, request, key):
        target = self.target(request, key)
        following = False
        if request.user.is_authenticated:
            following = bool(selectors.follow_section(request.user, target)["follow"]["following"])
        form = SubscriptionForm(initial={"language": current_language()})
        return render(
            request, "partnerships/follow.html", self._context(target, state="form", form=form, following=following)
        )

    def post(self, request, key):
        target = self.target(request, key)
        on = {self.kind: target}
        if request.user.is_authenticated:
            try:
                services.follow_create(acting_user=request.user, language=current_language(), **on)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("You follow it: changes of its status or progress are e-mailed to you."))
            return HttpResponseRedirect(target.get_absolute_url())
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            try:
                services.follow_request(**form.cleaned_data, **on)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                return render(request, "partnerships/follow.html", self._context(target, state="requested"))
        return render(request, "partnerships/follow.html", self._context(target, state="form", form=form), status=400)


class UnfollowView(FollowView):
    """A signed-in reader stops following (POST only); visitors use the signed link of their e-mails."""

    def get(self, request, key):
        return HttpResponseRedirect(self.target(request, key).get_absolute_url())

    def post(self, request, key):
        target = self.target(request, key)
        if request.user.is_authenticated and services.follow_cancel(acting_user=request.user, **{self.kind: target}):
            messages.success(request, _("You no longer follow it."))
        return HttpResponseRedirect(target.get_absolute_url())


# --- Newsletter sends: queue one, and watch its progress


class NewsletterSendListView(EditorView):
    """Site administrators queue a send of the news digests and see the earlier ones."""

    permission = "partnerships.send_newsletter"

    def load(self, **kwargs):
        return None

    def get(self, request):
        page = paginate(request, selectors.newsletter_sends())
        return render(request, "partnerships/newsletter_send_list.html", {"page": page, "sends": page.object_list})

    def post(self, request):
        send = services.newsletter_send_queue(acting_user=request.user)
        return HttpResponseRedirect(send.get_absolute_url())


class NewsletterSendDetailView(EditorView):
    """The progress of one send: state, counts, failures, times; the page refreshes itself while it runs."""

    permission = "partnerships.send_newsletter"

    def load(self, **kwargs):
        self.send = get_object_or_404(selectors.newsletter_sends(), pk=kwargs["pk"])
        return self.send

    def get(self, request, pk: int):
        send: NewsletterSend = self.send
        return render(request, "partnerships/newsletter_send_detail.html", {"send": send})
