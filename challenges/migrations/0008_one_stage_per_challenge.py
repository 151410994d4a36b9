from django.db import migrations


def one_stage_per_challenge(apps, schema_editor):
    """Every existing challenge becomes a one-stage challenge that behaves exactly as before: its window,
    questions, rubric and panel settings move onto its one stage. Its saved revisions gain the same stage, so
    editing or republishing an older revision in Wagtail keeps it."""
    ChallengePage = apps.get_model("challenges", "ChallengePage")
    Stage = apps.get_model("challenges", "Stage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type = ContentType.objects.filter(app_label="challenges", model="challengepage").first()
    for page in ChallengePage.objects.all().iterator():
        stage = Stage.objects.create(
            page=page,
            sort_order=0,
            name="Proposals",
            kind="written",
            opens_at=page.opens_at,
            closes_at=page.closes_at,
            questions=page.proposal_questions.raw_data,
            rubric=page.rubric.raw_data,
            judges_per_proposal=page.judges_per_proposal,
            blind_judging=page.blind_judging,
        )
        if content_type is None:
            continue
        for revision in Revision.objects.filter(content_type=content_type, object_id=str(page.pk)).iterator():
            content = dict(revision.content)
            content["stages"] = [
                {
                    "pk": stage.pk,
                    "page": page.pk,
                    "sort_order": 0,
                    "name": stage.name,
                    "kind": "written",
                    "description": "",
                    "opens_at": content.get("opens_at") or page.opens_at.isoformat(),
                    "closes_at": content.get("closes_at") or page.closes_at.isoformat(),
                    "booking_closes_at": None,
                    "feedback_release_at": None,
                    "questions": content.pop("proposal_questions", "[]"),
                    "rubric": content.pop("rubric", "[]"),
                    "judges_per_proposal": content.pop("judges_per_proposal", page.judges_per_proposal),
                    "blind_judging": content.pop("blind_judging", page.blind_judging),
                }
            ]
            revision.content = content
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("challenges", "0007_stages"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(one_stage_per_challenge, migrations.RunPython.noop)]
