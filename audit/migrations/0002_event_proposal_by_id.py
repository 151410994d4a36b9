"""The audit log names a proposal by its id instead of a foreign key into submissions, which sits above it."""

from django.db import migrations, models


def copy_proposal_ids(apps, schema_editor):
    Event = apps.get_model("audit", "Event")
    Event.objects.filter(proposal__isnull=False).update(proposal_ref=models.F("proposal_id"))


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RemoveIndex(model_name="event", name="audit_event_proposa_b20a29_idx"),
        migrations.AddField(
            model_name="event", name="proposal_ref", field=models.PositiveBigIntegerField(null=True, blank=True)
        ),
        migrations.RunPython(copy_proposal_ids, migrations.RunPython.noop),
        migrations.RemoveField(model_name="event", name="proposal"),
        migrations.RenameField(model_name="event", old_name="proposal_ref", new_name="proposal_id"),
        migrations.AlterField(
            model_name="event",
            name="proposal_id",
            field=models.PositiveBigIntegerField(blank=True, help_text="The proposal it concerns, if any.", null=True),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["proposal_id", "created_at"], name="audit_event_proposa_b20a29_idx"),
        ),
    ]
