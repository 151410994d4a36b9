"""Every judging URL, staff and judge, against every person who must be refused: none gets the page, none sees
the proposal's title, and a POST changes nothing. The URL list is read from the URL configuration, so a new
judging page without an entry in ``ARGS`` fails here until someone decides who may see it."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import get_resolver, reverse

from audit.models import Event
from judging.models import Assignment, DueDiligenceItem, PanelInvitation, PitchSlot
from judging.services.due_diligence import due_diligence_checklist
from submissions.models import Attachment

REFUSED = [
    "anonymous",
    "supplier",
    "unassigned judge",
    "conflicted judge",
    "judge of another challenge",
    "other manager",
]


def judging_url_names() -> list[str]:
    names = []

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif namespace in ("judging", "judging_admin"):
                names.append(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns)
    return sorted(names)


@pytest.fixture
def targets(scene):
    attachment = Attachment(
        proposal=scene.proposal,
        question_id="q",
        name="plan.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by=scene.supplier,
    )
    attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()
    version = scene.proposal.versions.get()
    version.files = [{"question_id": "q", "attachment": attachment.pk, "name": "plan.pdf", "size": 9}]
    version.save()
    invitation = PanelInvitation.objects.create(
        challenge=scene.challenge, stage=scene.challenge.first_stage, email="new@panel.example"
    )
    member = scene.challenge.panel.get(judge=scene.judges[0])
    challenge, assignment = scene.challenge.pk, scene.review.assignment_id
    stage = scene.challenge.first_stage
    slot = PitchSlot.objects.create(
        stage=stage,
        starts_at=stage.closes_at - timedelta(hours=1),
        ends_at=stage.closes_at,
        location="Council House",
        proposal=scene.other_proposal,
    )
    due_diligence_checklist(proposal=scene.other_proposal)
    item = DueDiligenceItem.objects.filter(proposal=scene.other_proposal).first()
    item.evidence.save("insurance.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    item.evidence_name = "insurance.pdf"
    item.save()
    return {
        # Judges' pages that show one assignment: only its judge may open them.
        "judging:review": [assignment],
        "judging:confirm_no_conflict": [assignment],
        "judging:declare_conflict": [assignment],
        "judging:save_draft": [assignment],
        "judging:submit_review": [assignment],
        "judging:confirm_submit": [assignment],
        "judging:download": [assignment, attachment.pk],
        # An organisation's own pages: another organisation's are refused (``supplier`` is not in it).
        "judging:pitch_booking": [scene.other_proposal.pk],
        "judging:pitch_calendar": [scene.other_proposal.pk],
        "judging:due_diligence": [scene.other_proposal.pk],
        "judging:due_diligence_evidence": [item.pk],
        # A pitch stage's panel only.
        "judging:pitch_schedule": [stage.pk],
        "judging:pitch_attendance": [stage.pk, slot.pk],
        # Staff pages: only the challenge's managers.
        "judging_admin:proposals": [challenge],
        "judging_admin:panel": [challenge],
        "judging_admin:panel_invitation_withdraw": [challenge, invitation.pk],
        "judging_admin:panel_remove": [challenge, member.pk],
        "judging_admin:coverage": [challenge],
        "judging_admin:assignments_auto": [challenge],
        "judging_admin:assignment_add": [challenge],
        "judging_admin:assignment_remove": [challenge, assignment],
        "judging_admin:audit": [challenge],
        "judging_admin:results": [challenge],
        "judging_admin:results_export": [challenge, "csv"],
        "judging_admin:progression": [challenge],
        "judging_admin:pitch_index": [challenge],
        "judging_admin:pitch": [challenge, stage.pk],
        "judging_admin:pitch_assign": [challenge, stage.pk],
        "judging_admin:pitch_attendance": [challenge, stage.pk, slot.pk],
        "judging_admin:due_diligence": [challenge],
        "judging_admin:due_diligence_proposal": [challenge, scene.proposal.pk],
        "judging_admin:due_diligence_checks": [challenge],
        "judging_admin:proposal": [challenge, scene.proposal.pk],
        "judging_admin:proposal_file": [challenge, scene.proposal.pk, attachment.pk],
        "judging_admin:review_reopen": [challenge, scene.review.pk],
        "judging_admin:decisions": [challenge],
        "judging_admin:announce": [challenge],
    }


# Pages every panel member (or anyone, for an invitation) may open: they show only the person's own things,
# tested in test_judge_dashboard, test_judge_conflicts, test_judge_invitation and test_admin_* index tests.
OPEN_TO_THEIR_OWN = {
    "judging:dashboard",
    "judging:conflicts",
    "judging:expertise",
    "judging:invitation_accept",
    "judging_admin:index",
}


def test_every_judging_url_is_in_this_matrix(targets):
    assert set(judging_url_names()) == set(targets) | OPEN_TO_THEIR_OWN


def person(scene, role):
    if role == "conflicted judge":
        # Even an assignment row (made behind the rules' back) must not let a conflicted judge in.
        Assignment.objects.filter(pk=scene.review.assignment_id).update(judge=scene.conflicted_judge)
    return {
        "anonymous": None,
        "supplier": scene.supplier,
        "unassigned judge": scene.unassigned_judge,
        "conflicted judge": scene.conflicted_judge,
        "judge of another challenge": scene.other_judge,
        "other manager": scene.other_manager,
    }[role]


@pytest.mark.parametrize("role", REFUSED)
@pytest.mark.parametrize("method", ["get", "post"])
def test_refused_everywhere(client, scene, targets, role, method, django_capture_on_commit_callbacks):
    user = person(scene, role)
    if user is not None:
        client.force_login(user)
    events_before = Event.objects.count()
    for name, args in targets.items():
        url = reverse(name, args=args)
        with django_capture_on_commit_callbacks(execute=True):
            response = getattr(client, method)(url, {"reason": "x", "to": "eligible", "note": "x", "action": "submit"})
        assert response.status_code in (302, 403, 404, 405), f"{role} {method} {name}: {response.status_code}"
        if response.status_code == 302:
            assert not response.url.startswith(url), f"{role} {method} {name} was let through: {response.url}"
        body = response.content.decode()
        assert scene.proposal.title not in body, f"{role} {method} {name} shows the proposal's title"
        assert "%PDF" not in body
    assert Event.objects.count() == events_before
    assert mail.outbox == []
