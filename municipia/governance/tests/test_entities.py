"""Each governance entity's declared fields reach its form and its API, so a field cannot be half-added."""

import pytest

from municipia.core.entities import entities
from municipia.governance import api
from municipia.governance.entities import ATTENDANCE, BODY, MEETING, MEMBER

SERIALIZERS = {
    viewset.entity: viewset.serializer_class
    for viewset in vars(api).values()
    if getattr(viewset, "entity", None) is not None
}
# Written on a page of its own (the minutes workflow), not on the meeting's form.
NOT_ON_THE_FORM = {MEETING: {"minutes"}}


def governance_entities():
    return [entity for entity in entities() if entity.model._meta.app_label == "governance"]


@pytest.mark.parametrize("entity", governance_entities(), ids=lambda entity: entity.label)
def test_every_declared_field_is_in_the_api(entity):
    fields = SERIALIZERS[entity].Meta.fields
    assert set(entity.editable_names()) <= set(fields)


@pytest.mark.parametrize("entity", [e for e in governance_entities() if e.form], ids=lambda entity: entity.label)
def test_every_declared_field_is_in_the_form(entity):
    expected = set(entity.editable_names()) - NOT_ON_THE_FORM.get(entity, set())
    assert expected <= set(entity.service("form")._meta.fields)


def test_every_entity_is_served_by_one_viewset_and_has_pages_admin_and_services():
    assert set(SERIALIZERS) == set(governance_entities())
    for entity in governance_entities():
        for kind in ("create", "update", "delete"):
            assert callable(entity.service(kind)), (entity.label, kind)
    # Members and attendance are written with the person among the values (the entities' convention).
    assert "person" in MEMBER.fields and "person" in ATTENDANCE.fields and BODY.parent == "plan"
