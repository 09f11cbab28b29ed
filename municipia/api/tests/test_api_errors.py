"""The one exception handler turns every known failure into a 4xx body of one shape."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError

from municipia.api.errors import exception_handler


def test_service_error_keyed_by_field_keeps_its_keys():
    response = exception_handler(ValidationError({"code": "Taken.", "__all__": "Overlaps."}), {})
    assert response.status_code == 400
    assert response.data == {"code": ["Taken."], "non_field_errors": ["Overlaps."]}


def test_service_error_without_field_goes_to_non_field_errors():
    response = exception_handler(ValidationError("Something is wrong."), {})
    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["Something is wrong."]}


def test_constraint_broken_by_a_concurrent_write_is_a_400_not_a_500():
    response = exception_handler(IntegrityError("UNIQUE constraint failed"), {})
    assert response.status_code == 400
    assert list(response.data) == ["non_field_errors"]


def test_unknown_exceptions_are_left_to_django():
    assert exception_handler(RuntimeError("bug"), {}) is None
