"""The diagnosis team's pages: questionnaire builder, campaigns, maturity self-assessment, SWOT.

Each view checks the permission (`require_perm` / `EditorView`), calls a selector or a service,
and renders. Objects are fetched through selectors scoped to what the user may see.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from municipia.core.views import EditorView, NeedsLogin, ServiceDeleteView, ServiceFormView, require_perm
from municipia.diagnosis import forms, services
from municipia.diagnosis.choices import Access, RefusalReason
from municipia.diagnosis.models import Questionnaire
from municipia.diagnosis.selectors import (
    campaign_counts,
    campaign_get,
    campaign_list,
    finding_board,
    finding_get,
    invitation_get,
    maturity_assessment_list,
    maturity_dimensions,
    option_get,
    question_get,
    questionnaire_get,
    questionnaire_list,
    questionnaire_structure,
    questionnaires_visible_to,
    section_get,
)
from municipia.organizations.models import Organization
from municipia.organizations.permissions import editable_organization_ids
from municipia.strategy.selectors import plan_get


def _owner_choices(user, *also):
    """Organisations a user may choose as owner: those they edit (site admins: also `also`)."""
    ids = set(editable_organization_ids(user))
    if user.is_superuser:
        ids |= {pk for pk in also if pk}
    return Organization.objects.filter(pk__in=ids).order_by("name")


class LoginFirst:
    """Editors' pages send visitors to the login page before looking anything up (a scoped
    look-up would otherwise answer 404 to someone who simply is not signed in yet)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


def _organization_get(slug: str) -> Organization:
    organization = Organization.objects.filter(slug=slug).first()
    if organization is None:
        raise Http404
    return organization


# --- Overview


@login_required
def diagnosis_home(request):
    user = request.user
    return render(
        request,
        "diagnosis/home.html",
        {
            "questionnaires": questionnaire_list(user),
            "campaigns": campaign_list(user),
            "organizations": Organization.objects.filter(pk__in=editable_organization_ids(user)).order_by("name"),
        },
    )


# --- Questionnaires


def questionnaire_detail(request, pk):
    try:
        questionnaire = questionnaire_get(request.user, pk=pk)
        require_perm(request, "diagnosis.view_questionnaire", questionnaire)
    except NeedsLogin:
        return redirect_to_login(request.get_full_path())
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


class QuestionnaireCreateView(LoginFirst, ServiceFormView):
    permission = "diagnosis.add_questionnaire"
    form_class = forms.QuestionnaireForm
    title = gettext_lazy("New questionnaire")

    def load(self):
        self.owner = _organization_get(self.request.GET.get("owner", ""))
        return self.owner

    def save(self, form):
        return services.questionnaire_create(acting_user=self.request.user, owner=self.owner, data=form.service_data())


class QuestionnaireUpdateView(LoginFirst, ServiceFormView):
    permission = "diagnosis.change_questionnaire"
    form_class = forms.QuestionnaireForm
    title = gettext_lazy("Edit questionnaire")

    def load(self, pk):
        self.questionnaire = questionnaire_get(self.request.user, pk=pk)
        return self.questionnaire

    def get_form_kwargs(self):
        return {"instance": self.questionnaire}

    def cancel_url(self):
        return self.questionnaire.get_absolute_url()

    def save(self, form):
        return services.questionnaire_update(
            acting_user=self.request.user, questionnaire=self.questionnaire, data=form.service_data()
        )


class QuestionnaireCopyView(LoginFirst, ServiceFormView):
    permission = "diagnosis.copy_questionnaire"
    form_class = forms.QuestionnaireCopyForm
    title = gettext_lazy("Use this questionnaire")

    def load(self, pk):
        self.questionnaire = questionnaire_get(self.request.user, pk=pk)
        return self.questionnaire

    def get_form_kwargs(self):
        return {"owners": _owner_choices(self.request.user, self.questionnaire.owner_id)}

    def cancel_url(self):
        return self.questionnaire.get_absolute_url()

    def save(self, form):
        owner = form.cleaned_data["owner"]
        require_perm(self.request, "diagnosis.add_questionnaire", owner)
        return services.questionnaire_copy(acting_user=self.request.user, source=self.questionnaire, owner=owner)


class QuestionnaireChildMixin:
    """Pages under a questionnaire: the permission is checked on the questionnaire."""

    def load(self, pk):
        self.questionnaire = questionnaire_get(self.request.user, pk=pk)
        return self.questionnaire

    def cancel_url(self):
        return self.questionnaire.get_absolute_url()

    def success_url(self, obj):
        return self.questionnaire.get_absolute_url()


class SectionCreateView(LoginFirst, QuestionnaireChildMixin, ServiceFormView):
    permission = "diagnosis.add_section"
    form_class = forms.SectionForm
    title = gettext_lazy("New section")

    def save(self, form):
        return services.section_create(
            acting_user=self.request.user, questionnaire=self.questionnaire, data=form.service_data()
        )


class SectionUpdateView(LoginFirst, QuestionnaireChildMixin, ServiceFormView):
    permission = "diagnosis.change_section"
    form_class = forms.SectionForm
    title = gettext_lazy("Edit section")

    def load(self, pk):
        self.section = section_get(self.request.user, pk=pk)
        self.questionnaire = self.section.questionnaire
        return self.section

    def get_form_kwargs(self):
        return {"instance": self.section}

    def save(self, form):
        return services.section_update(acting_user=self.request.user, section=self.section, data=form.service_data())


class QuestionCreateView(LoginFirst, QuestionnaireChildMixin, ServiceFormView):
    permission = "diagnosis.add_question"
    form_class = forms.QuestionForm
    title = gettext_lazy("New question")

    def load(self, pk):
        self.section = section_get(self.request.user, pk=pk)
        self.questionnaire = self.section.questionnaire
        return self.section

    def get_form(self, data=None):
        form = super().get_form(data)
        if data is None:
            form.initial["section"] = self.section.pk
        return form

    def get_form_kwargs(self):
        return {"questionnaire": self.questionnaire}

    def save(self, form):
        data = form.service_data()
        return services.question_create(acting_user=self.request.user, section=data["section"], data=data)


class QuestionUpdateView(LoginFirst, QuestionnaireChildMixin, ServiceFormView):
    permission = "diagnosis.change_question"
    form_class = forms.QuestionForm
    title = gettext_lazy("Edit question")

    def load(self, pk):
        self.question = question_get(self.request.user, pk=pk)
        self.questionnaire = self.question.questionnaire
        return self.question

    def get_form_kwargs(self):
        return {"instance": self.question, "questionnaire": self.questionnaire}

    def save(self, form):
        return services.question_update(acting_user=self.request.user, question=self.question, data=form.service_data())


class OptionCreateView(LoginFirst, QuestionnaireChildMixin, ServiceFormView):
    permission = "diagnosis.add_option"
    form_class = forms.OptionForm
    title = gettext_lazy("New option")

    def load(self, pk):
        self.question = question_get(self.request.user, pk=pk)
        self.questionnaire = self.question.questionnaire
        return self.question

    def save(self, form):
        return services.option_create(acting_user=self.request.user, question=self.question, data=form.service_data())


class OptionUpdateView(LoginFirst, QuestionnaireChildMixin, ServiceFormView):
    permission = "diagnosis.change_option"
    form_class = forms.OptionForm
    title = gettext_lazy("Edit option")

    def load(self, pk):
        self.option = option_get(self.request.user, pk=pk)
        self.questionnaire = self.option.question.questionnaire
        return self.option

    def get_form_kwargs(self):
        return {"instance": self.option}

    def save(self, form):
        return services.option_update(acting_user=self.request.user, option=self.option, data=form.service_data())


class _ChildDeleteView(LoginFirst, ServiceDeleteView):
    getter = None
    service = None
    arg = ""

    def load(self, pk):
        self.obj = type(self).getter(self.request.user, pk=pk)
        self.questionnaire = (
            self.obj.questionnaire if hasattr(self.obj, "questionnaire") else self.obj.question.questionnaire
        )
        return self.obj

    def describe(self):
        return str(self.obj)

    def cancel_url(self):
        return self.questionnaire.get_absolute_url()

    def perform_delete(self):
        try:
            type(self).service(acting_user=self.request.user, **{self.arg: self.obj})
        except ValidationError as exc:
            messages.error(self.request, " ".join(exc.messages))
        return self.questionnaire.get_absolute_url()


class SectionDeleteView(_ChildDeleteView):
    permission = "diagnosis.delete_section"
    getter = staticmethod(section_get)
    service = staticmethod(services.section_delete)
    arg = "section"


class QuestionDeleteView(_ChildDeleteView):
    permission = "diagnosis.delete_question"
    getter = staticmethod(question_get)
    service = staticmethod(services.question_delete)
    arg = "question"


class OptionDeleteView(_ChildDeleteView):
    permission = "diagnosis.delete_option"
    getter = staticmethod(option_get)
    service = staticmethod(services.option_delete)
    arg = "option"


# --- Campaigns


class CampaignCreateView(LoginFirst, ServiceFormView):
    permission = "diagnosis.add_campaign"
    form_class = forms.CampaignCreateForm
    title = gettext_lazy("New campaign")

    def load(self):
        # The permission is checked again on the owner chosen in the form.
        return Organization.objects.filter(pk__in=editable_organization_ids(self.request.user)).first() or (
            Organization() if self.request.user.is_superuser else None
        )

    def get_form_kwargs(self):
        user = self.request.user
        owners = _owner_choices(user, *Questionnaire.objects.values_list("owner_id", flat=True).distinct())
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


class CampaignUpdateView(LoginFirst, ServiceFormView):
    permission = "diagnosis.change_campaign"
    form_class = forms.CampaignForm
    title = gettext_lazy("Edit campaign")

    def load(self, slug):
        self.campaign = campaign_get(self.request.user, slug=slug)
        return self.campaign

    def get_form_kwargs(self):
        return {"instance": self.campaign}

    def cancel_url(self):
        return self.campaign.get_absolute_url()

    def save(self, form):
        return services.campaign_update(acting_user=self.request.user, campaign=self.campaign, data=form.service_data())


def campaign_detail(request, slug):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    campaign = campaign_get(request.user, slug=slug)
    require_perm(request, "diagnosis.view_campaign", campaign)
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
        },
    )


class CampaignActionView(LoginFirst, EditorView):
    """POST-only state changes: open, close, new wave."""

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


class InvitationUploadView(LoginFirst, EditorView):
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


class InvitationRevokeView(LoginFirst, EditorView):
    permission = "diagnosis.manage_invitations"

    def load(self, pk):
        self.invitation = invitation_get(self.request.user, pk=pk)
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
    organization = _organization_get(slug)
    try:
        require_perm(request, "diagnosis.view_maturityassessment", organization)
    except NeedsLogin:
        return redirect_to_login(request.get_full_path())
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


class MaturityAssessmentCreateView(LoginFirst, ServiceFormView):
    permission = "diagnosis.add_maturityassessment"
    form_class = forms.MaturityAssessmentForm
    title = gettext_lazy("Maturity self-assessment")
    template_name = "diagnosis/maturity_form.html"

    def load(self, slug):
        self.organization = _organization_get(slug)
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
    plan = plan_get(request.user, slug=slug)
    board = finding_board(plan)
    from municipia.diagnosis.choices import SwotKind

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


class FindingCreateView(LoginFirst, ServiceFormView):
    permission = "diagnosis.add_finding"
    form_class = forms.FindingForm
    title = gettext_lazy("New finding")

    def load(self, slug):
        self.plan = plan_get(self.request.user, slug=slug)
        return self.plan

    def get_form(self, data=None):
        form = super().get_form(data)
        if data is None and self.request.GET.get("kind"):
            form.initial["kind"] = self.request.GET["kind"]
        return form

    def get_form_kwargs(self):
        return {"plan": self.plan}

    def cancel_url(self):
        return reverse("diagnosis:finding-board", kwargs={"slug": self.plan.slug})

    def success_url(self, obj):
        return self.cancel_url()

    def save(self, form):
        return services.finding_create(acting_user=self.request.user, plan=self.plan, data=form.service_data())


class FindingUpdateView(LoginFirst, ServiceFormView):
    permission = "diagnosis.change_finding"
    form_class = forms.FindingForm
    title = gettext_lazy("Edit finding")

    def load(self, pk):
        self.finding = finding_get(self.request.user, pk=pk)
        return self.finding

    def get_form_kwargs(self):
        return {"plan": self.finding.plan, "instance": self.finding}

    def cancel_url(self):
        return reverse("diagnosis:finding-board", kwargs={"slug": self.finding.plan.slug})

    def success_url(self, obj):
        return self.cancel_url()

    def save(self, form):
        return services.finding_update(acting_user=self.request.user, finding=self.finding, data=form.service_data())


class FindingDeleteView(LoginFirst, ServiceDeleteView):
    permission = "diagnosis.delete_finding"

    def load(self, pk):
        self.finding = finding_get(self.request.user, pk=pk)
        return self.finding

    def describe(self):
        return str(self.finding)

    def cancel_url(self):
        return reverse("diagnosis:finding-board", kwargs={"slug": self.finding.plan.slug})

    def perform_delete(self):
        url = self.cancel_url()
        services.finding_delete(acting_user=self.request.user, finding=self.finding)
        return url


class FindingToChallengeView(LoginFirst, ServiceFormView):
    permission = "diagnosis.convert_finding"
    form_class = forms.FindingToChallengeForm
    title = gettext_lazy("Turn into a challenge of the plan")

    def load(self, pk):
        self.finding = finding_get(self.request.user, pk=pk)
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
