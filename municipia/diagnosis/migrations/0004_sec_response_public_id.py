"""A random public id for every response (issue 14): the sequential primary key stays internal.

Existing rows get theirs here, so exports and the API never show a sequential id again.
"""

import uuid

from django.db import migrations, models


def fill_public_ids(apps, schema_editor):
    Response = apps.get_model("diagnosis", "Response")
    batch = []
    for response in Response.objects.filter(public_id__isnull=True).only("pk").iterator(chunk_size=2000):
        response.public_id = uuid.uuid4()
        batch.append(response)
        if len(batch) >= 2000:
            Response.objects.bulk_update(batch, ["public_id"])
            batch = []
    if batch:
        Response.objects.bulk_update(batch, ["public_id"])


def forget_anonymous_drafts(apps, schema_editor):
    # Drafts saved before a campaign became anonymous would sit next to the invitee's e-mail.
    Invitation = apps.get_model("diagnosis", "Invitation")
    Invitation.objects.filter(campaign__is_anonymous=True).exclude(draft={}).update(draft={})


class Migration(migrations.Migration):
    dependencies = [
        ("diagnosis", "0003_campaign_results_public"),
    ]

    operations = [
        migrations.AddField(
            model_name="response",
            name="public_id",
            field=models.UUIDField(editable=False, null=True, verbose_name="response id"),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="response",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True, verbose_name="response id"),
        ),
        migrations.RunPython(forget_anonymous_drafts, migrations.RunPython.noop),
    ]
