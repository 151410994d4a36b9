"""The demo's staged challenges: the facts demo/stages.py puts through the services.

A past challenge of the West Midlands Combined Authority, run the way the 2017-18 Urban Challenge was (an open call
for expressions of interest, full proposals from those invited, a pitch to the Mayor and investors, due diligence
and two awards; the real one drew 129 applications, the demo has eight fictional ones), and an open challenge of
the city council in its pitch stage now. Every organisation, person and proposal is fictional. Dates are
``(days from today, hour)`` in UK time (``demo.dates.uk_moment``).
"""

from dataclasses import dataclass, field

PAST_SLUG = "smarter-journeys-to-work"
PITCHING_SLUG = "warmer-homes-lower-bills"

EOI_QUESTION = "What problem would you solve, and how?"


@dataclass(frozen=True)
class Entrant:
    supplier: str
    title: str
    summary: str
    marks: tuple[int, ...] = (3, 3, 3, 3, 3)
    """Full-proposal marks, before each judge's variation."""
    pitch: tuple[int, ...] = (3, 3, 3, 3)
    """Pitch marks (the pitch rubric's four criteria)."""
    eoi_feedback: str = ""
    """Set: not taken forward from the expression of interest, with this feedback."""
    full_feedback: str = ""
    """Set: not taken forward from the full proposal, with this feedback."""
    withdraws: str = ""
    """Set: taken forward but withdrew before submitting a full proposal, for this reason."""
    no_show: bool = False
    books: bool = True
    outcome: str = ""
    amount: int | None = None
    feedback: str = ""
    rationale: str = ""


@dataclass(frozen=True)
class StagedChallenge:
    slug: str
    sponsor: str
    title: str
    summary: str
    problem: str
    funding: int
    themes: tuple[str, ...]
    eoi: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]
    """Opens, closes, feedback released."""
    full: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]
    pitch: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]
    """Opens, closes, booking closes."""
    pitch_day: int
    slots: int
    location: str
    judging_starts: tuple[int, int]
    judging_ends: tuple[int, int]
    announce: tuple[int, int]
    places: tuple[int, int, int]
    """Each stage's places (``Stage.places``): how many it takes forward, or awards at the pitch."""
    entrants: list[Entrant] = field(default_factory=list)


NEW_SUPPLIERS = [
    {
        "name": "Tramline Labs Ltd",
        "slug": "tramline-labs",
        "size": "small",
        "sector": "technology",
        "owner": ("nia@tramlinelabs.example", "Nia", "Walters"),
    },
    {
        "name": "Forge Mobility Co-operative",
        "slug": "forge-mobility",
        "size": "micro",
        "sector": "social_enterprise",
        "owner": ("dev@forgemobility.example", "Dev", "Patel"),
    },
    {
        "name": "Jewellery Quarter Data Works Ltd",
        "slug": "jq-data-works",
        "size": "small",
        "sector": "technology",
        "owner": ("maria@jqdataworks.example", "Maria", "Costa"),
    },
    {
        "name": "Heartlands Energy Advice CIC",
        "slug": "heartlands-energy",
        "size": "micro",
        "sector": "social_enterprise",
        "owner": ("owen@heartlandsenergy.example", "Owen", "Price"),
    },
]

PAST = StagedChallenge(
    slug=PAST_SLUG,
    sponsor="west-midlands-combined-authority",
    title="Smarter journeys to work",
    summary="Help people in the West Midlands reach jobs and training without a car: the region's first staged "
    "Urban Challenge, with a pitch to the Mayor and investors.",
    problem="Many people who live a short distance from new jobs cannot reach them by bus, tram or train at the "
    "times shifts start. The combined authority wants practical, data-led ideas it can pilot within a year.",
    funding=25000,
    themes=("youth-unemployment", "open-data"),
    eoi=((-320, 9), (-290, 12), (-276, 9)),
    full=((-270, 9), (-240, 12), (-230, 9)),
    pitch=((-228, 9), (-205, 17), (-214, 17)),
    pitch_day=-210,
    slots=5,
    location="Council House, Committee Room 2",
    judging_starts=(-289, 9),
    judging_ends=(-205, 17),
    announce=(-196, 10),
    places=(6, 5, 3),
    entrants=[
        Entrant(
            "brumtech-analytics",
            "Shift Start Planner",
            "Matches shift start times at big employers with the journeys that reach them, and shows the gaps.",
            marks=(5, 4, 4, 4, 5),
            pitch=(5, 5, 4, 5),
            outcome="winner",
            amount=10000,
            feedback="A convincing pitch with employers' letters in hand. Agree the pilot's measures with the "
            "transport team in the first month.",
            rationale="Uses the region's own timetable and employment data to close real gaps between shifts and "
            "services, with three large employers signed up to the pilot.",
        ),
        Entrant(
            "tramline-labs",
            "Last Mile Links",
            "Bookable shared rides from tram stops to industrial estates for the first and last shifts of the day.",
            marks=(4, 4, 4, 4, 4),
            pitch=(5, 4, 5, 4),
            outcome="winner",
            amount=10000,
            feedback="The panel liked the costed plan with the operator. Watch the cost per journey closely once "
            "the novelty wears off.",
            rationale="A simple, costed service for the stretch of a journey public transport does not cover, run "
            "with an existing operator.",
        ),
        Entrant(
            "canalside-digital",
            "Journey Confidence Coaching",
            "One-to-one help planning a new commute for people starting work after a long time out of it.",
            marks=(4, 3, 4, 3, 4),
            pitch=(4, 4, 3, 4),
            outcome="highly_commended",
            feedback="A humane idea the panel would like to see run with the job centres. It needed a clearer "
            "plan for reaching people before their first day.",
            rationale="Shows how much confidence matters to a new commute, and how little it costs to build.",
        ),
        Entrant(
            "forge-mobility",
            "Bikes for First Jobs",
            "Refurbished bikes, lessons and secure parking for people in their first three months of a new job.",
            marks=(3, 3, 4, 3, 3),
            pitch=(3, 3, 3, 3),
            outcome="not_selected",
            feedback="A practical offer, but the panel could not see how it would reach enough people in a year. "
            "The cycling fund opening next spring may suit it better.",
        ),
        Entrant(
            "jq-data-works",
            "Commute Heatmaps",
            "Maps of where the region's workers live and work, for planners deciding new routes.",
            marks=(3, 3, 3, 3, 3),
            no_show=True,
            outcome="not_selected",
            feedback="You did not attend your pitch slot and we could not reach you on the day, so the panel could "
            "not consider your proposal further.",
        ),
        Entrant(
            "black-country-learning",
            "Travel Training for Apprentices",
            "Group travel training for apprentices in their first week.",
            withdraws="Our partner college could not commit staff to the pilot in time, so we have withdrawn.",
        ),
        Entrant(
            "kindred-futures",
            "Lift Share Cafés",
            "Cafés in community centres where neighbours arrange lifts to work.",
            eoi_feedback="A warm idea, but it depends on car owners, and the challenge asks for journeys without a "
            "car. We would welcome it in a community challenge.",
        ),
        Entrant(
            "routewise-mobility",
            "Dynamic Bus Lanes",
            "Bus lanes that switch on only at peak times, signalled by roadside displays.",
            eoi_feedback="Changing road layouts needs the highway authorities and is beyond what a £10,000 pilot "
            "can test. Consider the highways innovation fund.",
        ),
    ],
)

PITCHING = StagedChallenge(
    slug=PITCHING_SLUG,
    sponsor="brindleford-city-council",
    title="Warmer homes, lower bills",
    summary="Find the households most at risk from cold homes this winter and help them cut their bills: "
    "shortlisted teams pitch to the council's cabinet member and an energy investor.",
    problem="Thousands of households in the city live in cold, damp homes they cannot afford to heat. The council "
    "holds information that could find them sooner, and wants help that reaches them before winter.",
    funding=30000,
    themes=("wellbeing", "resident-services"),
    eoi=((-75, 9), (-50, 12), (-44, 9)),
    full=((-42, 9), (-20, 12), (-12, 9)),
    pitch=((-11, 9), (12, 17), (7, 17)),
    pitch_day=10,
    slots=6,
    location="Brindleford Civic Centre, Room 4",
    judging_starts=(-49, 9),
    judging_ends=(12, 17),
    announce=(20, 10),
    places=(5, 4, 3),
    entrants=[
        Entrant(
            "brumtech-analytics",
            "Cold Homes Early Warning",
            "Combines damp reports, benefits data and energy ratings to find cold homes before winter.",
            marks=(5, 4, 4, 4, 4),
        ),
        Entrant(
            "heartlands-energy",
            "Warm Doorsteps",
            "Trained neighbours who visit, check draughts and switch households to the right tariff.",
            marks=(4, 4, 4, 4, 4),
        ),
        Entrant(
            "tramline-labs",
            "Heat Loss by Drone",
            "Thermal images of whole streets, so retrofit crews start where the heat escapes most.",
            marks=(4, 3, 4, 4, 3),
        ),
        Entrant(
            "jq-data-works",
            "Damp Map",
            "A map of damp and mould reports by street for the housing repairs team.",
            marks=(4, 3, 3, 4, 3),
            books=False,
        ),
        Entrant(
            "canalside-digital",
            "Energy Bill Checker",
            "An online tool that reads a bill and says whether the household is on the right tariff.",
            marks=(2, 3, 3, 2, 3),
            full_feedback="A useful tool, but most households most at risk are not online. The panel wanted a way "
            "to reach them in person.",
        ),
        Entrant(
            "forge-mobility",
            "Warm Bikes",
            "Cargo bikes that deliver draught-proofing kits.",
            eoi_feedback="A cheerful idea, but draught-proofing kits are already delivered free by the energy "
            "companies. Tell us how it would reach people they miss.",
        ),
    ],
)

PITCH_RUBRIC = [
    ("Clarity of the pitch", "Did the team explain the problem, the solution and the pilot clearly?", "2"),
    ("Answers to the panel", "Were the panel's questions answered directly and with evidence?", "2"),
    ("Investability", "Could the idea grow beyond the pilot, with investment or a contract?", "1"),
    ("The team", "Do the people who pitched look able to deliver it?", "1"),
]

DUE_DILIGENCE_NOTES = {
    "Registration confirmed": ("passed", "Checked at Companies House: active, name and number match."),
    "Financial standing": ("passed", "Last two years' accounts seen; no concerns for an award of this size."),
    "Insurance": ("passed", "Certificates for employer's, public and professional indemnity cover seen."),
    "UK GDPR and data protection": ("passed", "ICO registration and privacy notice seen; DPIA agreed with us."),
    "Safeguarding (where relevant)": ("not_applicable", "The pilot does not involve children or adults at risk."),
    "Conflicts of interest declared": ("passed", "Declaration received and reviewed: no interests declared."),
}
