"""Abstract base models shared by every app."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models


def finish_clean(errors: dict[str, str], parent_clean: Callable[[], None]) -> None:
    """Ends a model's clean(): runs the parent classes' checks and raises every error at once."""
    try:
        parent_clean()
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)


class TimeStampedModel(models.Model):
    """Adds creation and last-change timestamps."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class RequiresOneLanguageMixin:
    """Model mixin: each field in `required_translations` needs a value in at least one language.

    modeltranslation makes every language column optional; a title written in Catalan only is
    fine (other languages fall back to it), a title in no language is not.
    """

    required_translations: tuple[str, ...] = ()

    def clean(self) -> None:
        from django.utils.translation import gettext as _

        from municipia.core.i18n import language_codes

        errors = {}
        for field in self.required_translations:
            if not any((getattr(self, f"{field}_{code}", "") or "").strip() for code in language_codes()):
                errors[f"{field}_{language_codes()[0]}"] = _("Write this in at least one language.")
        if errors:
            raise ValidationError(errors)
        # The model this mixin is combined with has `clean`; the mixin's own base (object) does not.
        super().clean()  # type: ignore[misc]


class ContentVersion(models.Model):
    """A single counter bumped by every change to published content; public page caches key on it.

    It lives in the database so that every web worker (and host) sees the same value without a
    shared cache, and it is bumped inside the writing transaction, so a page cached under a
    version never shows content older than that version.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "content version"

    def __str__(self) -> str:
        return str(self.value)
