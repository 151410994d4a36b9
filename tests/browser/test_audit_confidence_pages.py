"""The pages decision confidence brings, audited by axe-core (WCAG 2.2 A/AA), for blocked content, and at 320 px
wide: the Results tab's "Decision confidence" with its close calls, the Decisions tab listing the close calls first,
a decision on a close call refused until the panel's reason is recorded (the error linked to its field, what was
typed kept), and the public challenge page saying how the panel decided, without naming a judge. The manager finds
each page by its visible labels, signed in with two-factor. The admin pages are not in ``url_names.AUDITS`` (it
lists what the public, suppliers and judges reach); the challenge page is, under the public pages' audit."""

from dataclasses import dataclass

from judging.models import ProposalConfidence
from judging.services.confidence import confidence_refresh
from judging.services.decisions import challenge_announce, decision_record
from submissions.models import Proposal
from submissions.models import ProposalStatus as S
from tests.factories.challenges import make_manager
from tests.factories.judging import assign, closed_challenge, make_judge, score, seat
from tests.factories.submissions import make_proposal

from .helpers import AUDIT_MARKS, click, sign_out
from .test_whole_journey import sign_in_with_two_factor

pytestmark = AUDIT_MARKS

JUDGES = [("Perpetua", "Quenby"), ("Bartholomew", "Ashdown"), ("Ottoline", "Fairweather")]

MARKS = {
    "Early warning for rent arrears": [(4, 3), (5, 5), (5, 4)],
    "Housing data commons": [(4, 2), (4, 4), (2, 4)],
    "Youth jobs broker": [(2, 4), (3, 2), (4, 4)],
    "Street outreach app": [(2, 0), (1, 1), (2, 2)],
}
"""(impact, delivery) from each judge, in ``JUDGES`` order. Normalised, the first is clearly top and the last
clearly bottom; the middle two are close: with two places planned, the resampled panel puts the commons in the top
two about 65 % of the time and the broker about 35 %. No judge gives two proposals the same total, so no tie
between resampled scores decides a chance."""

REASON = (
    "The panel discussed both close calls together and commends the data commons: two councils have already "
    "agreed to share their housing data with it."
)


@dataclass
class Judged:
    challenge: object
    manager: object
    proposals: dict[str, Proposal]


def judged_scene(sponsor_index, sponsor) -> Judged:
    """A closed challenge planning two awards, its four proposals in moderation after three judges each reviewed
    every one, and its decision confidence worked out."""
    challenge = closed_challenge(sponsor_index, sponsor, judges_per_proposal=3, places=2)
    manager = make_manager(sponsor, email="manager@wmca.example")
    judges = [
        make_judge(email=f"judge{n}@panel.example", first_name=first, last_name=last)
        for n, (first, last) in enumerate(JUDGES)
    ]
    seat(challenge, *judges)
    proposals = {}
    for title, marks in MARKS.items():
        proposal = make_proposal(challenge, title=title, status=S.MODERATION)
        for judge, (impact, delivery) in zip(judges, marks, strict=True):
            score(assign(proposal, judge), impact, delivery)
        proposals[title] = proposal
    confidence_refresh(stage_id=challenge.first_stage.pk)
    return Judged(challenge, manager, proposals)


def row_texts(page, table_id: str) -> list[str]:
    return [" ".join(text.split()) for text in page.locator(f"#{table_id} tbody tr").all_inner_texts()]


def test_confidence_pages(page, live_server, demo_site, audit, axe):
    scene = judged_scene(demo_site.sponsor_index, demo_site.challenge.sponsor)
    commons, broker = scene.proposals["Housing data commons"], scene.proposals["Youth jobs broker"]
    chance = {line.proposal_id: line for line in ProposalConfidence.objects.filter(stage=scene.challenge.first_stage)}
    assert [chance[p.pk].close_call for p in scene.proposals.values()] == [False, True, True, False]

    sign_in_with_two_factor(page, live_server, scene.manager, f"/admin/judging/{scene.challenge.pk}/proposals/")
    click(page, page.get_by_role("link", name="Results", exact=True))
    confidence = page.get_by_role("region", name="Decision confidence")
    assert "The judges agree" in confidence.locator("#agreement").inner_text()
    assert "2 close calls: discuss them before deciding." in confidence.inner_text()
    close = row_texts(page, "close-calls")
    assert sorted(row.split()[0] for row in close) == sorted([commons.reference, broker.reference])
    assert f"{round(chance[commons.pk].chance * 100)} %" in " ".join(close)
    assert "Chance of the top 2" in page.locator("#ranking thead").inner_text()
    axe.audit(page, "audit/admin-results-confidence")

    click(page, page.get_by_role("link", name="Decisions", exact=True))
    listed = row_texts(page, "decisions")
    assert [("Close call: discuss" in row) for row in listed] == [True, True, False, False]
    assert {listed[0].split()[1], listed[1].split()[1]} == {commons.reference, broker.reference}
    axe.audit(page, "audit/admin-decisions-close-calls")

    click(page, page.get_by_role("link", name=f"Decide {commons.reference}"))
    assert "Close call: discuss it before deciding" in page.locator("#decision-chance").inner_text()
    page.get_by_label("Highly commended").check()
    page.get_by_label("Feedback for the supplier").fill("A strong plan; agree the data sharing early.")
    page.get_by_label("Public rationale").fill("Opens the region's housing data to the people who need it.")
    click(page, page.get_by_role("button", name="Record the decision"))
    reason = page.get_by_label("Why the panel decided this way although its ranking is uncertain (if it is)")
    percent = round(chance[commons.pk].chance * 100)
    message = f"You are awarding a proposal with a {percent} % chance of being in the top 2: record why."
    error = page.locator(f"#{reason.get_attribute('id')}-error")
    assert message in error.inner_text()
    assert f"{reason.get_attribute('id')}-error" in (reason.get_attribute("aria-describedby") or "").split()
    assert (
        page.get_by_label("Feedback for the supplier").input_value() == "A strong plan; agree the data sharing early."
    )
    assert page.get_by_label("Highly commended").is_checked()
    axe.audit(page, "audit/admin-decision-uncertainty-error")
    reason.fill(REASON)
    click(page, page.get_by_role("button", name="Record the decision"))
    assert f"Decision recorded for {commons.reference}: Highly commended" in page.locator("body").inner_text()
    assert Proposal.objects.get(pk=commons.pk).decision.uncertainty_reason == REASON

    winner = scene.proposals["Early warning for rent arrears"]
    decision_record(
        proposal=winner,
        outcome="winner",
        feedback="Clear and ready to start.",
        public_rationale="Finds households at risk of losing their homes months sooner.",
        by=scene.manager,
    )
    decision_record(
        proposal=broker,
        outcome="not_selected",
        feedback="A good idea that reaches fewer people.",
        uncertainty_reason="Discussed with the data commons; the panel preferred the commons' council partners.",
        by=scene.manager,
    )
    decision_record(
        proposal=scene.proposals["Street outreach app"], outcome="not_selected", feedback="Not yet.", by=scene.manager
    )
    challenge_announce(challenge=scene.challenge, by=scene.manager)

    sign_out(page)
    audit.visit(scene.challenge.url, "challenge-how-the-panel-decided")
    record = page.get_by_role("region", name="How the panel decided")
    assert "Judges 3" in " ".join(record.inner_text().split())
    assert "2 proposals whose place among the 2 awards or places planned was uncertain" in record.inner_text()
    shown = page.locator("body").inner_text()
    assert not [name for pair in JUDGES for name in pair if name in shown]
