"""Every declared field of every entity reaches its API, and its export and snapshot columns exist.

A field added to an entity's `fields` must show in its API serializer (reads and writes) and its
form; export and snapshot columns must name something the exporter can read, so a field cannot
be half-added.
"""

from django.core.exceptions import FieldDoesNotExist

from municipia.api.urls import router
from municipia.core.entities import entities
from municipia.strategy.entities import ACTION, ACTION_EXPORT_PATHS


def viewsets_by_entity():
    found = {}
    for _prefix, viewset, _basename in router.registry:
        entity = getattr(viewset, "entity", None)
        if entity is not None:
            found.setdefault(entity.label, []).append(viewset)
    return found


def is_model_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def test_most_entities_have_an_api_viewset():
    assert len(viewsets_by_entity()) >= len(entities()) // 2


def test_every_editable_field_and_link_is_in_the_entitys_api():
    missing = []
    for label, viewsets in viewsets_by_entity().items():
        entity = viewsets[0].entity
        for viewset in viewsets:
            declared = set(viewset.serializer_class().fields)
            for name in [*entity.editable_names(), *entity.links]:
                if name not in declared:
                    missing.append(f"{label}.{name} ({viewset.__name__})")
    assert missing == []


def test_every_declared_name_is_a_field_of_its_model():
    wrong = [
        f"{entity.label}.{name}"
        for entity in entities()
        for name in [*entity.editable_names(), *entity.links]
        if not is_model_field(entity.model, name)
    ]
    assert wrong == []


def test_export_and_snapshot_columns_can_be_read():
    wrong = []
    for entity in entities():
        for kind in ("export", "snapshot"):
            for name in entity.columns(kind):
                paths = ACTION_EXPORT_PATHS if entity is ACTION and kind == "export" else {}
                readable = (
                    name in paths
                    or is_model_field(entity.model, name)
                    or hasattr(entity.model, name)  # a property or a reverse relation (milestones)
                )
                if not readable:
                    wrong.append(f"{entity.label} {kind}: {name}")
    assert wrong == []


def test_every_action_field_reaches_the_snapshot_the_changes_page_compares():
    # The plan's approved versions compare actions by code; every other field is compared.
    assert set(ACTION.fields) - {"code"} <= set(ACTION.columns("snapshot"))
