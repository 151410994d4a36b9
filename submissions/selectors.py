"""Reads for the supplier's pages, each in a fixed number of queries however many proposals there are."""

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Membership, Organisation
from challenges.formatting import deadline_phrase

from .answers import problems, section_state, stored_value
from .models import Proposal, ProposalVersion
from .permissions import can_edit_proposal
from .questions import sections_from_raw


def organisations_of(user) -> list[Organisation]:
    return list(Organisation.objects.filter(memberships__user=user).order_by("name").distinct())


def _progress(proposal: Proposal) -> dict:
    sections = sections_from_raw(proposal.challenge.proposal_questions.raw_data)
    states = [section_state(proposal, section) for section in sections]
    return {"done": states.count("completed"), "total": len(states)}


def supplier_dashboard(*, user) -> dict:
    now = timezone.now()
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "organisation__memberships",
                queryset=Membership.objects.select_related("user").order_by("user__email"),
                to_attr="all_members",
            )
        )
        .order_by("organisation__name")
    )
    proposals = list(
        Proposal.objects.filter(organisation__memberships__user=user)
        .select_related("challenge", "organisation")
        .prefetch_related(Prefetch("versions", queryset=ProposalVersion.objects.order_by("-number")))
        .order_by("challenge__closes_at", "pk")
    )
    for proposal in proposals:
        challenge = proposal.challenge
        proposal.deadline = deadline_phrase(
            status=challenge.status, opens_at=challenge.opens_at, closes_at=challenge.closes_at, now=now
        )
        proposal.progress = _progress(proposal)
    return {"memberships": memberships, "proposals": proposals}


def task_list(*, proposal: Proposal, user) -> dict:
    sections = sections_from_raw(proposal.challenge.proposal_questions.raw_data)
    rows = [{"section": section, "state": section_state(proposal, section)} for section in sections]
    challenge = proposal.challenge
    return {
        "proposal": proposal,
        "rows": rows,
        "completed": sum(row["state"] == "completed" for row in rows),
        "ready": all(row["state"] == "completed" for row in rows),
        "editable": can_edit_proposal(user, proposal)[0],
        "deadline": deadline_phrase(
            status=challenge.status, opens_at=challenge.opens_at, closes_at=challenge.closes_at, now=timezone.now()
        ),
        "versions": list(proposal.versions.order_by("-number")),
    }


def check_answers(*, proposal: Proposal, user) -> dict:
    sections = sections_from_raw(proposal.challenge.proposal_questions.raw_data)
    found = {(problem.section.index, problem.question.id): problem.message for problem in problems(proposal, sections)}
    summary = [
        {
            "section": section,
            "answers": [
                {
                    "question": question,
                    "value": stored_value(proposal, question),
                    "problem": found.get((section.index, question.id)),
                }
                for question in section.questions
            ],
        }
        for section in sections
    ]
    return {
        "proposal": proposal,
        "summary": summary,
        "problem_count": len(found),
        "editable": can_edit_proposal(user, proposal)[0],
    }
