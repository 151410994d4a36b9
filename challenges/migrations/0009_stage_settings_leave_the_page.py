from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0008_one_stage_per_challenge"),
        ("submissions", "0005_stage_required"),
        ("judging", "0005_stage_required"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="challengepage",
            name="blind_judging",
        ),
        migrations.RemoveField(
            model_name="challengepage",
            name="judges_per_proposal",
        ),
        migrations.RemoveField(
            model_name="challengepage",
            name="proposal_questions",
        ),
        migrations.RemoveField(
            model_name="challengepage",
            name="rubric",
        ),
    ]
