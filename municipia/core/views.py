"""View building blocks shared by the apps' pages: one permission check, service-backed forms."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views import View

PAGE_SIZE = 50


class NeedsLogin(Exception):
    """Raised for anonymous visitors on an editors' page; answered with the login page."""


def require_perm(request, permission: str, obj=None) -> None:
    """The one permission check of every page: login for visitors, 403 for users without the right."""
    if request.user.has_perm(permission, obj):
        return
    if not request.user.is_authenticated:
        raise NeedsLogin
    raise PermissionDenied


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """A page of `queryset` (the page number comes from ?page=, out-of-range numbers give the last page)."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def attach_errors(form, exc: ValidationError) -> None:
    """Puts a service's ValidationError on the form: on the field it names, or on the form itself."""
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


class EditorView(View):
    """A page for editors. Subclasses set `permission` and implement `load(**kwargs)`.

    `load` fetches the objects through scoped selectors (so unseen content is 404) and returns
    the object the permission is checked on.
    """

    permission: str = ""

    def load(self, **kwargs):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        # Every editors' page needs a signed-in user: visitors go to the login page before
        # anything is looked up (a scoped look-up would answer them 404 for private content).
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            target = self.load(**kwargs)
            require_perm(request, self.permission, target)
        except NeedsLogin:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)


class ServiceFormView(EditorView):
    """Shows a form; on a valid POST calls the service through `save(form)` and redirects.

    A service `ValidationError` is attached to the form, which is shown again with what the
    user typed and status 400.
    """

    template_name = "form_page.html"
    form_class = None
    title = ""

    def get_form(self, data=None):
        return self.form_class(data=data, **self.get_form_kwargs())

    def get_form_kwargs(self) -> dict:
        return {}

    def get_context(self) -> dict:
        return {}

    def save(self, form):
        raise NotImplementedError

    def success_url(self, obj) -> str:
        return obj.get_absolute_url()

    def cancel_url(self) -> str:
        return ""

    def render_form(self, form, status: int = 200):
        context = {"form": form, "title": self.title, "cancel_url": self.cancel_url(), **self.get_context()}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_form(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(data=request.POST)
        if form.is_valid():
            try:
                obj = self.save(form)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                return HttpResponseRedirect(self.success_url(obj))
        return self.render_form(form, status=400)


class ServiceDeleteView(EditorView):
    """Asks for confirmation, then deletes through the service on POST."""

    template_name = "confirm_delete.html"
    #: What else goes with the object, said on the confirmation page.
    consequences = ""

    def perform_delete(self) -> str:
        """Calls the service and returns where to go next."""
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError

    def cancel_url(self) -> str:
        return ""

    def render_confirm(self, refusal: str = "", status: int = 200):
        context = {
            "object_label": self.describe(),
            "cancel_url": self.cancel_url(),
            "consequences": self.consequences,
            "refusal": refusal,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render_confirm()

    def post(self, request, *args, **kwargs):
        # A service may refuse (a questionnaire with responses, a meeting with decisions): the
        # page says why, deletes nothing and offers only the way back.
        try:
            return HttpResponseRedirect(self.perform_delete())
        except ValidationError as exc:
            return self.render_confirm(" ".join(exc.messages), status=400)
