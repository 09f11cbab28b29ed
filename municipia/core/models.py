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
    """A counter of changes to public content in one scope; public page caches key on them.

    Scopes (`kind`, `object_id`): `("all", 0)` for changes that may show anywhere (an
    organisation's name, a framework), `("site", 0)` for any change at all (site-wide lists),
    `("plan", id)` for a plan and everything in it, `("org", id)` for an organisation's and its
    networks' views. A change bumps every scope it shows in (`municipia.core.cache`).

    They live in the database so that every web worker (and host) sees the same values without a
    shared cache, and they are bumped inside the writing transaction, so a page cached under a
    version never shows content older than that version.
    """

    kind = models.CharField(max_length=10, default="all")
    object_id = models.BigIntegerField(default=0)
    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "content version"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="core_content_version_scope")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.value}"


class SearchEntry(models.Model):
    """One searchable object's text, kept by `municipia.core.search` in step with the object.

    `title_en`/`body_en` and `title_es`/`body_es` keep the original text for the databases'
    stemmers; `plain_title`/`plain_body` hold every language's text unaccented and lower-cased
    for accent-insensitive matching. The full-text index over them is the database's own (a
    PostgreSQL `tsvector` column with a GIN index, or an SQLite FTS5 table), made by migration
    `0002_search_entry` and invisible to Django.
    """

    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    title_en = models.TextField(blank=True)
    body_en = models.TextField(blank=True)
    title_es = models.TextField(blank=True)
    body_es = models.TextField(blank=True)
    plain_title = models.TextField(blank=True)
    plain_body = models.TextField(blank=True)

    class Meta:
        verbose_name = "search entry"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="core_search_entry_unique")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
