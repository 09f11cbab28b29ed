"""The diagnosis team's pages: questionnaire builder, campaigns, maturity self-assessment, SWOT.

The plain create, edit and delete pages of questionnaires, sections, questions, options,
campaigns and findings are the entities' own (`core.entity_views`, wired in urls.py). The views
here are the special ones, each saying why; like the entity pages they check the permission
(`require_perm` / `EditorView`), call a selector or a service, and render. Editors' pages send
visitors to the login page first (urls.py), before any scoped look-up could answer 404.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.core.entity_views import EntityCreateView
from municipia.core.history import object_history
from municipia.core.pickers import picker_or_select
from municipia.core.views import EditorView, ServiceFormView, paginate, require_perm
from municipia.core.visibility import User, is_site_admin
from municipia.diagnosis import forms, public_results, services
from municipia.diagnosis.choices import Access, RefusalReason, SwotKind
from municipia.diagnosis.entities import FINDING, INVITATION, QUESTIONNAIRE
from municipia.diagnosis.selectors import (
    campaign_counts,
    campaign_get,
    campaign_list,
    finding_board,
    maturity_assessment_list,
    maturity_dimensions,
    questionnaire_list,
    questionnaire_owner_ids,
    questionnaire_structure,
    questionnaires_visible_to,
)
from municipia.organizations.models import Organization
from municipia.organizations.permissions import editable_organization_ids
from municipia.organizations.selectors import (
    organization_find,
    organization_list,
    organizations_among,
    organizations_edited_by,
)
from municipia.strategy.entities import PLAN


def _owner_choices(user: User, *also: int | None) -> QuerySet[Organization]:
    """Organisations a user may choose as owner: those they edit (site admins: also `also`)."""
    ids = set(editable_organization_ids(user))
    if is_site_admin(user):
        ids |= {pk for pk in also if pk}
    return organizations_among(ids).order_by("name")


# --- Overview


def diagnosis_home(request):
    user = request.user
    return render(
        request,
        "diagnosis/home.html",
        {
            "questionnaires": questionnaire_list(user),
            "campaigns": campaign_list(user),
            "organizations": organizations_edited_by(user).order_by("name"),
        },
    )


# --- Questionnaires


def questionnaire_detail(request, pk):
    """A questionnaire's page: shipped templates are public, the others their owner's editors'."""
    questionnaire = QUESTIONNAIRE.get(request.user, pk=pk)
    structure = questionnaire_structure(questionnaire)
    user = request.user
    return render(
        request,
        "diagnosis/questionnaire_detail.html",
        {
            "questionnaire": questionnaire,
            "sections": structure.sections,
            "can_edit": user.has_perm("diagnosis.change_questionnaire", questionnaire),
            "can_copy": user.has_perm("diagnosis.copy_questionnaire", questionnaire),
            "campaigns": questionnaire.campaigns.all() if not questionnaire.is_template else [],
        },
    )


class QuestionnaireCreateView(ServiceFormView):
    """A new questionnaire: special because its owner is named in the query string (?owner=<slug>,
    from the overview's per-organisation buttons), not in the path an entity page reads. Without
    it, the owner is the one organisation the user edits, or is chosen in the form among them."""

    permission = "diagnosis.add_questionnaire"
    form_class = forms.QuestionnaireForm
    title = gettext_lazy("New questionnaire")

    def load(self):
        self.owners = None
        slug = self.request.GET.get("owner", "")
        if slug:
            self.owner = organization_find(slug=slug)
            return self.owner
        user = self.request.user
        owners = organization_list().order_by("name") if is_site_admin(user) else _owner_choices(user)
        first_two = list(owners[:2])
        self.owner = first_two[0] if len(first_two) == 1 else None
        if len(first_two) > 1:
            # The permission is checked again on the organisation chosen in the form.
            self.owners = owners
        return first_two[0] if first_two else None

    def get_form(self, data=None):
        form = super().get_form(data)
        if self.owners is not None:
            form.fields = {"owner": forms.owner_field(self.owners), **form.fields}
            picker_or_select(form, "owner", self.owners)
        return form

    def save(self, form):
        data = form.service_data(exclude=("owner",))
        owner = self.owner or form.cleaned_data["owner"]
        require_perm(self.request, "diagnosis.add_questionnaire", owner)
        return QUESTIONNAIRE.create_object(acting_user=self.request.user, parent=owner, data=data)


class QuestionnaireCopyView(ServiceFormView):
    """“Use this questionnaire”: a copy of the whole questionnaire, owned by an organisation chosen
    in the form (whose `add_questionnaire` is checked too), not an edit of one object."""

    permission = "diagnosis.copy_questionnaire"
    form_class = forms.QuestionnaireCopyForm
    title = gettext_lazy("Use this questionnaire")

    def load(self, pk):
        self.questionnaire = QUESTIONNAIRE.get(self.request.user, pk=pk)
        return self.questionnaire

    def get_form_kwargs(self):
        return {"owners": _owner_choices(self.request.user, self.questionnaire.owner_id)}

    def cancel_url(self):
        return self.questionnaire.get_absolute_url()

    def save(self, form):
        owner = form.cleaned_data["owner"]
        require_perm(self.request, "diagnosis.add_questionnaire", owner)
        return services.questionnaire_copy(acting_user=self.request.user, source=self.questionnaire, owner=owner)


# --- Campaigns


class CampaignCreateView(ServiceFormView):
    """A new campaign: special because both its owner (a council or a partner, whose `add_campaign`
    is checked again once chosen) and its questionnaire are chosen in the form, not named by the path."""

    permission = "diagnosis.add_campaign"
    form_class = forms.CampaignCreateForm
    title = gettext_lazy("New campaign")

    def load(self):
        # The permission is checked again on the owner chosen in the form.
        user = self.request.user
        return organizations_edited_by(user).order_by("name").first() or (
            Organization() if is_site_admin(user) else None
        )

    def get_form_kwargs(self):
        user = self.request.user
        owners = _owner_choices(user, *questionnaire_owner_ids())
        questionnaires = questionnaires_visible_to(user).filter(is_template=False)
        return {"owners": owners, "questionnaires": questionnaires}

    def get_form(self, data=None):
        form = super().get_form(data)
        if data is None and self.request.GET.get("questionnaire"):
            form.initial["questionnaire"] = self.request.GET["questionnaire"]
        return form

    def save(self, form):
        owner = form.cleaned_data["owner"]
        require_perm(self.request, "diagnosis.add_campaign", owner)
        data = form.service_data(exclude=("owner", "questionnaire"))
        return services.campaign_create(
            acting_user=self.request.user, owner=owner, questionnaire=form.cleaned_data["questionnaire"], data=data
        )


def campaign_detail(request, slug):
    campaign = campaign_get(request.user, slug=slug)
    can_manage = request.user.has_perm("diagnosis.change_campaign", campaign)
    counts = campaign_counts(campaign)
    refused = [(label, counts["refused"].get(value, 0)) for value, label in RefusalReason.choices]
    invitations = campaign.invitations.order_by("email")[:500] if can_manage else []
    public_url = None
    if campaign.access == Access.PUBLIC_LINK:
        public_url = reverse("diagnosis:answer-public", kwargs={"slug": campaign.slug})
    return render(
        request,
        "diagnosis/campaign_detail.html",
        {
            "campaign": campaign,
            "counts": counts,
            "refused": refused,
            "invitations": invitations,
            "can_manage": can_manage,
            "can_view_results": request.user.has_perm("diagnosis.view_results", campaign),
            "upload_form": forms.InvitationUploadForm() if can_manage else None,
            "public_url": public_url,
            "now": timezone.now(),
            "history": object_history(campaign) if can_manage else None,
        },
    )


class CampaignActionView(EditorView):
    """POST-only state changes: open, close, new wave (transitions, not edits of fields)."""

    permission = "diagnosis.change_campaign"
    action = ""

    def load(self, slug):
        self.campaign = campaign_get(self.request.user, slug=slug)
        return self.campaign

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, *args, **kwargs):
        user, campaign = request.user, self.campaign
        try:
            if self.action == "open":
                services.campaign_open(acting_user=user, campaign=campaign)
                messages.success(request, _("The campaign is open."))
            elif self.action == "close":
                services.campaign_close(acting_user=user, campaign=campaign)
                messages.success(request, _("The campaign is closed."))
            elif self.action == "new-wave":
                wave = services.campaign_new_wave(acting_user=user, campaign=campaign)
                messages.success(request, _("A new wave was created as a draft."))
                return HttpResponseRedirect(wave.get_absolute_url())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(campaign.get_absolute_url())


class InvitationUploadView(EditorView):
    """Invitations in bulk from a CSV file, all or nothing, each row's error listed: not one object's form."""

    permission = "diagnosis.manage_invitations"

    def load(self, slug):
        self.campaign = campaign_get(self.request.user, slug=slug)
        return self.campaign

    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(self.campaign.get_absolute_url())

    def post(self, request, *args, **kwargs):
        form = forms.InvitationUploadForm(request.POST, request.FILES)
        row_errors = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = services.invitations_import_csv(
                acting_user=request.user, campaign=self.campaign, content=upload.read(5_000_000)
            )
            if not result.errors:
                messages.success(
                    request,
                    _("%(n)d invitations created; the e-mails are being sent.") % {"n": len(result.created)},
                )
                return HttpResponseRedirect(self.campaign.get_absolute_url())
            row_errors = result.errors
        return render(
            request,
            "diagnosis/invitation_upload.html",
            {"campaign": self.campaign, "form": form, "row_errors": row_errors},
            status=400,
        )


class InvitationRevokeView(EditorView):
    """POST-only: withdraws an invitation (a state change; invitations are never edited)."""

    permission = "diagnosis.manage_invitations"

    def load(self, pk):
        self.invitation = INVITATION.get(self.request.user, pk=pk)
        return self.invitation

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, *args, **kwargs):
        try:
            services.invitation_revoke(acting_user=request.user, invitation=self.invitation)
            messages.success(request, _("Invitation for %(email)s revoked.") % {"email": self.invitation.email})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return HttpResponseRedirect(self.invitation.campaign.get_absolute_url())


# --- Maturity self-assessment


def maturity_overview(request, slug):
    organization = organization_find(slug=slug)
    require_perm(request, "diagnosis.view_maturity", organization)
    dimensions = maturity_dimensions()
    assessments = list(maturity_assessment_list(request.user).filter(organization=organization))
    # The latest assessment per department (or for the whole council) makes one row.
    latest: dict = {}
    for assessment in assessments:
        latest.setdefault(assessment.department_id, assessment)
    rows = []
    for assessment in latest.values():
        levels = {r.dimension_id: r for r in assessment.ratings.all()}
        rows.append((assessment, [levels.get(d.pk) for d in dimensions]))
    return render(
        request,
        "diagnosis/maturity_overview.html",
        {
            "organization": organization,
            "dimensions": dimensions,
            "rows": rows,
            "can_add": request.user.has_perm("diagnosis.add_maturityassessment", organization),
        },
    )


class MaturityAssessmentCreateView(ServiceFormView):
    """A self-assessment with one level and evidence per maturity dimension (its ratings, written
    with it by `maturity_assessment_record`): a form built from the dimensions, not one model's."""

    permission = "diagnosis.add_maturityassessment"
    form_class = forms.MaturityAssessmentForm
    title = gettext_lazy("Maturity self-assessment")
    template_name = "diagnosis/maturity_form.html"

    def load(self, slug):
        self.organization = organization_find(slug=slug)
        return self.organization

    def get_form(self, data=None):
        form = super().get_form(data)
        if data is None:
            form.initial["assessed_on"] = timezone.localdate()
            if self.request.GET.get("department"):
                form.initial["department"] = self.request.GET["department"]
        return form

    def get_form_kwargs(self):
        return {"organization": self.organization, "dimensions": maturity_dimensions()}

    def get_context(self):
        return {"organization": self.organization}

    def cancel_url(self):
        return reverse("diagnosis:maturity-overview", kwargs={"slug": self.organization.slug})

    def success_url(self, obj):
        return self.cancel_url()

    def save(self, form):
        return services.maturity_assessment_record(
            acting_user=self.request.user,
            organization=self.organization,
            department=form.cleaned_data["department"],
            assessed_on=form.cleaned_data["assessed_on"],
            note=form.cleaned_data["note"],
            ratings=form.ratings(),
        )


# --- Findings (SWOT)


def finding_board_view(request, slug):
    plan = PLAN.get(request.user, slug=slug)
    board = finding_board(plan)
    quadrants = [(kind, label, board[kind]) for kind, label in SwotKind.choices]
    user = request.user
    return render(
        request,
        "diagnosis/finding_board.html",
        {
            "plan": plan,
            "quadrants": quadrants,
            "can_edit": user.has_perm("diagnosis.add_finding", plan),
        },
    )


class FindingCreateView(EntityCreateView):
    """The finding entity's create page, with the SWOT quadrant the board's button chose (?kind=)
    filled in, and a way back to the board rather than to the plan."""

    def get_form(self, data=None):
        form = super().get_form(data)
        if data is None and self.request.GET.get("kind"):
            form.initial["kind"] = self.request.GET["kind"]
        return form

    def cancel_url(self) -> str:
        return reverse("diagnosis:finding-board", kwargs={"slug": self.parent.slug})


class FindingToChallengeView(ServiceFormView):
    """Turns a finding into a challenge of its plan (a new object in another app, linked back)."""

    permission = "diagnosis.convert_finding"
    form_class = forms.FindingToChallengeForm
    title = gettext_lazy("Turn into a challenge of the plan")

    def load(self, pk):
        self.finding = FINDING.get(self.request.user, pk=pk)
        return self.finding

    def get_form_kwargs(self):
        return {"plan": self.finding.plan}

    def get_context(self):
        return {"subtitle": str(self.finding)}

    def cancel_url(self):
        return reverse("diagnosis:finding-board", kwargs={"slug": self.finding.plan.slug})

    def success_url(self, obj):
        return self.cancel_url()

    def save(self, form):
        return services.finding_to_challenge(
            acting_user=self.request.user,
            finding=self.finding,
            axis=form.cleaned_data["axis"],
            code=form.cleaned_data["code"],
        )


# --- Public: open consultations and published results (diagnosis/public_results.py says why they are public)


def consultation_list(request):
    """Surveys anyone may answer now, and finished ones whose results their owners published.

    Not publicly cached: campaigns open and close by their dates, and answers are not content changes."""
    page = paginate(request, public_results.open_consultations())
    return render(request, "diagnosis/consultation_list.html", {"page": page, "campaigns": page.object_list})


def campaign_public_results(request, slug):
    """A campaign's published aggregates (small cells suppressed), for everyone; the figures come
    from the results' own cache, which follows every response (not the public page cache)."""
    campaign = public_results.published_campaign(slug=slug)
    data = public_results.public_results(campaign)
    return render(request, "diagnosis/campaign_public_results.html", {"campaign": campaign, "data": data})
