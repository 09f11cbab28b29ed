"""`manage.py backup` and `restore`: every row and stored file survives the round trip."""

import importlib
import json
import re
import zipfile

import pytest
from django.core import serializers
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from municipia.accounts.services import token_issue
from municipia.core.backup import kept_models
from municipia.core.entities import entities
from municipia.organizations.tests.factories import RoleFactory, UserFactory


def _factory(model):
    module = importlib.import_module(f"municipia.{model._meta.app_label}.tests.factories")
    return getattr(module, f"{model.__name__}Factory", None)


def _small_world() -> None:
    """Two objects of every entity (stored files included), users with roles, tokens and 2FA."""
    for entity in entities():
        factory = _factory(entity.model)
        if factory is not None:
            factory()
            factory()
    editor = RoleFactory().user
    token_issue(acting_user=editor, name="script", days=30)
    TOTPDevice.objects.create(user=editor, name="phone", confirmed=True)
    UserFactory(username="root", is_superuser=True, is_staff=True)


TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z")


def _everything() -> dict[str, list[dict]]:
    rows = {}
    for model in kept_models():
        objects = model._base_manager.order_by("pk")
        loaded = json.loads(serializers.serialize("json", objects, use_natural_foreign_keys=True))
        for row in loaded:
            # Many-to-many values come in no particular order (PostgreSQL returns them as it finds them).
            for name, value in row["fields"].items():
                if isinstance(value, list):
                    row["fields"][name] = sorted(value, key=json.dumps)
                elif isinstance(value, str) and TIMESTAMP.fullmatch(value):
                    # Django's JSON keeps times to the millisecond ("…:22.000Z" is read back as "…:22Z").
                    row["fields"][name] = value.replace(".000Z", "Z")
        rows[model._meta.label_lower] = loaded
    return rows


def _files() -> dict[str, bytes]:
    from municipia.core.backup import _stored_files

    return {name: default_storage.open(name).read() for name in _stored_files()}


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_installation_gives_back_everything(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    _small_world()
    before, files = _everything(), _files()
    assert sum(len(rows) for rows in before.values()) > 100
    assert files  # agreement documents

    backup = tmp_path / "site.zip"
    call_command("backup", str(backup))

    call_command("flush", interactive=False, verbosity=0)
    for name in files:
        default_storage.delete(name)
    assert sum(len(rows) for rows in _everything().values()) == 0

    call_command("restore", str(backup))

    after = _everything()
    assert {label: len(rows) for label, rows in after.items()} == {label: len(rows) for label, rows in before.items()}
    assert after == before
    assert _files() == files


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    UserFactory(username="someone")
    backup = tmp_path / "site.zip"
    call_command("backup", str(backup))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup))


@pytest.mark.django_db
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    bogus = tmp_path / "other.zip"
    with zipfile.ZipFile(bogus, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(CommandError, match="not a Municipia backup"):
        call_command("restore", str(bogus))
