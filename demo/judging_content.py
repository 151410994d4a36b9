"""The demo's judging content: the panel, three more suppliers and their proposals with the outcomes the panel
reached. Names and organisations are fictional; demo/judging.py puts them through the judging services."""

from dataclasses import dataclass

from judging.models import Outcome

JUDGING_SLUG = "digital-skills-for-every-resident"
ANNOUNCED_SLUG = "open-data-better-bus-journeys"

JUDGES = [
    ("judge1@urban-challenge.example", "Priya", "Sandhu"),
    ("judge2@urban-challenge.example", "Tom", "Adeyemi"),
    ("judge3@urban-challenge.example", "Helen", "Brooks"),
]

MORE_SUPPLIERS = [
    {
        "name": "Canalside Digital Ltd",
        "slug": "canalside-digital",
        "size": "small",
        "sector": "technology",
        "owner": ("raj@canalside.example", "Raj", "Mistry"),
    },
    {
        "name": "Black Country Learning Trust",
        "slug": "black-country-learning",
        "size": "micro",
        "sector": "social_enterprise",
        "owner": ("grace@bclearning.example", "Grace", "Oduya"),
    },
    {
        "name": "Routewise Mobility Ltd",
        "slug": "routewise-mobility",
        "size": "small",
        "sector": "technology",
        "owner": ("li@routewise.example", "Li", "Chen"),
    },
]


@dataclass(frozen=True)
class DemoProposal:
    supplier: str
    title: str
    summary: str
    consent: bool = True
    ineligible_because: str = ""
    outcome: str = ""
    feedback: str = ""
    rationale: str = ""
    marks: tuple[tuple[int, ...], ...] = ((3, 3, 3, 3, 3),) * 3
    """Each demo judge's marks (in ``JUDGES`` order), for the judges assigned to it."""
    amount: int | None = None
    """An award of money: due diligence is done before it is recorded."""
    uncertainty_reason: str = ""
    """Why the panel decided as it did on a close call (``judging.services.decisions.decision_record``)."""


BEING_JUDGED = [
    DemoProposal(
        "brumtech-analytics",
        "Digital Buddies Finder",
        "Matches residents who want help getting online with trained volunteers who live nearby.",
    ),
    DemoProposal(
        "kindred-futures",
        "Library Tech Cafés",
        "Weekly drop-in cafés in branch libraries where residents bring a device and a question.",
    ),
    DemoProposal(
        "canalside-digital",
        "Confident Online in 10 Weeks",
        "A short course, run with housing associations, that takes residents from first steps to online banking.",
    ),
    DemoProposal(
        "black-country-learning",
        "Skills on the Bus",
        "A converted bus that brings devices, wifi and tutors to estates without a library.",
    ),
    DemoProposal(
        "routewise-mobility",
        "Get Online Kiosks",
        "Free-standing kiosks in shopping centres with guided access to council services.",
        ineligible_because=(
            "The pilot could not start until five months after the award; the challenge asks for a start within "
            "6 weeks."
        ),
    ),
]
"""The challenge being judged: every review state, one screened out, both kinds of conflict."""

ANNOUNCED = [
    DemoProposal(
        "brumtech-analytics",
        "Bus Bunching Alerts",
        "Spots buses running in bunches from the open location feed and tells controllers before a gap opens.",
        outcome=Outcome.WINNER,
        amount=40000,
        rationale=(
            "A working prototype on the region's own open data, a clear plan with the operators, and a measurable "
            "aim: fewer long waits at busy stops."
        ),
        feedback=(
            "The panel liked the use of live open data and the operator letters of support. Agree the measures of "
            "success with the transport team before the pilot starts."
        ),
        marks=((5, 4, 4, 4, 5), (5, 4, 4, 4, 4), (5, 5, 4, 4, 5)),
    ),
    DemoProposal(
        "canalside-digital",
        "Step-free Journeys",
        "Plans bus journeys for wheelchair users and people with buggies, using stop accessibility data.",
        consent=False,
        outcome=Outcome.HIGHLY_COMMENDED,
        rationale="A careful, inclusive design that shows how much the stop accessibility data is worth.",
        feedback="A strong, inclusive idea. The stop data is patchy: the panel wanted a plan for filling the gaps.",
        marks=((4, 3, 2, 3, 4), (4, 2, 2, 3, 4), (5, 3, 2, 3, 5)),
        uncertainty_reason=(
            "The panel discussed this and Community Bus Buddies together, as the resampled ranking could not "
            "separate them. It commends Step-free Journeys because it builds on the open stop accessibility data "
            "the challenge is about, which Community Bus Buddies hardly uses."
        ),
    ),
    DemoProposal(
        "kindred-futures",
        "Community Bus Buddies",
        "Volunteers who travel with people nervous about using the bus until they are confident alone.",
        outcome=Outcome.NOT_SELECTED,
        feedback=(
            "A valuable service, but it made little use of the open data this challenge is about. The panel "
            "suggests the well-being challenges for this idea."
        ),
        marks=((2, 2, 3, 2, 2), (3, 4, 3, 2, 3), (2, 3, 3, 2, 3)),
        uncertainty_reason=(
            "Discussed as a close call with Step-free Journeys. The panel agreed the service is valuable, but it "
            "hardly uses the open transport data this challenge asked for, so the panel did not select it."
        ),
    ),
    DemoProposal(
        "black-country-learning",
        "Timetables in Every Language",
        "Translated timetables and stop announcements for the region's main community languages.",
        ineligible_because="The lead organisation is registered outside the UK, which the eligibility rules exclude.",
    ),
]
"""The challenge whose winners are announced: a winner, a highly commended, a not selected and a screened out.
Its two awards are the stage's places. Each proposal has two of the three judges, and the marks are chosen so its
figures are those of a real small panel: the judges agree moderately (Krippendorff's alpha about 0.75, least on
the evidence), and the highly commended and the not selected proposal are close calls, each decision recording
why the panel decided as it did."""

REVIEW_STATES = ["submitted", "draft", "conflict check pending", "not started"]
"""Given in turn to the assignments of the challenge being judged, so every state appears."""

COMMENTS = ["Clearly explained.", "Some evidence, mostly from elsewhere.", "Costs look realistic.", "A credible team."]
