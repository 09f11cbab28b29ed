"""One error format for the whole API, applied by one exception handler.

- Invalid input answers 400 with a body keyed by field name, whether a serializer, a
  FilterSet or a service (a `django.core.exceptions.ValidationError`) found the problem:
  `{"end_date": ["The end date must not be before the start date."]}`; problems that belong
  to no single field are listed under `non_field_errors`.
- Every other error answers `{"detail": "…"}` with its status: 401/403 for authentication
  and permission, 404 for objects that are missing or that the user may not see (alike),
  409 when deleting an object that others still depend on.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def validation_error_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    """The field-keyed body of a Django ValidationError, in the serializers' format."""
    if hasattr(exc, "error_dict"):
        body: dict[str, list[str]] = {}
        for field, messages in exc.message_dict.items():
            key = api_settings.NON_FIELD_ERRORS_KEY if field == "__all__" else field
            body.setdefault(key, []).extend(messages)
        return body
    return {api_settings.NON_FIELD_ERRORS_KEY: list(exc.messages)}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This object is still used by others and cannot be deleted.")
    default_code = "conflict"


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_error_detail(exc))
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = Conflict()
    elif isinstance(exc, IntegrityError):
        # The services validate first; this is a concurrent write that broke a constraint.
        exc = exceptions.ValidationError(
            {api_settings.NON_FIELD_ERRORS_KEY: [_("This conflicts with existing data; reload and try again.")]}
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError) and not isinstance(response.data, dict):
        # A list of errors (e.g. a body that is a list) still gets the field-keyed shape.
        response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    return response
