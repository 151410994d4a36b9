"""The demo's pilots: the facts demo/pilots.py puts through the services.

The past programme is modelled on the West Midlands Combined Authority's 2017-18 Urban Challenge: four challenges
(well-being, homelessness, youth unemployment, digital citizenship) published in November 2017, judged early in 2018
and announced in March 2018, whose winners ran pilots through 2018 and 2019. Its dates are real calendar dates, not
offsets. The current programme's winners (``smarter-journeys-to-work``) are starting their pilots now; the latest
winner (``open-data-better-bus-journeys``) has no pilot yet, so a manager can set one up.

Every organisation, person, pilot and figure is fictional.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from .dates import UK
from .stages_content import Entrant


def uk(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UK)


PAST_SUPPLIERS = [
    {
        "name": "Lantern Health Tech Ltd",
        "slug": "lantern-health",
        "size": "small",
        "sector": "technology",
        "owner": ("meera@lanternhealth.example", "Meera", "Joshi"),
    },
    {
        "name": "Safe Harbour Data CIC",
        "slug": "safe-harbour-data",
        "size": "micro",
        "sector": "social_enterprise",
        "owner": ("conor@safeharbourdata.example", "Conor", "Brennan"),
    },
    {
        "name": "Digital Neighbours Trust",
        "slug": "digital-neighbours",
        "size": "micro",
        "sector": "social_enterprise",
        "owner": ("ellen@digitalneighbours.example", "Ellen", "Murphy"),
    },
]

# The 2017-18 programme's key dates, the same for its four challenges.
OPENS = uk(2017, 11, 20, 9)
CLOSES = uk(2018, 1, 19, 12)
JUDGING_STARTS = uk(2018, 1, 22, 9)
JUDGING_ENDS = uk(2018, 2, 23, 17)
ANNOUNCE = uk(2018, 3, 15, 10)


@dataclass(frozen=True)
class PastChallenge:
    slug: str
    title: str
    theme: str
    summary: str
    problem: str
    funding: int
    entrants: list = field(default_factory=list)
    """``demo.stages_content.Entrant``: the proposals, their marks and outcomes."""


@dataclass(frozen=True)
class MilestonePlan:
    name: str
    due_on: date
    payment: int
    deliverable: str
    values: tuple[str, ...] = ()
    """The report's value for each measure, in the measures' order; empty: no report written."""
    narrative: str = ""
    evidence: str = ""
    """"pdf", "png" or "csv": the file attached to the report."""
    outcome: str = "accepted"
    """"accepted", "revised" (changes asked for, then accepted), "submitted", "draft"."""
    changes: str = ""
    """What the manager asked to change, for a "revised" report."""
    revision: str = ""
    """What the supplier added to the narrative when revising."""
    summary: str = ""
    """The final report's public summary."""


@dataclass(frozen=True)
class MeasurePlan:
    name: str
    unit: str
    baseline: str
    target: str
    higher_is_better: bool = True
    is_public: bool = True


@dataclass(frozen=True)
class PilotPlan:
    challenge: str
    supplier: str
    set_up: datetime
    starts_on: date
    ends_on: date
    measures: list[MeasurePlan]
    milestones: list[MilestonePlan]
    statuses: list[tuple[datetime, str, str]] = field(default_factory=list)
    """(when, status, reason) in order."""


def past_challenges():
    winner = {"outcome": "winner", "marks": (5, 5, 4, 5, 5)}
    second = {"outcome": "winner", "marks": (4, 4, 5, 4, 4)}
    not_selected = {"outcome": "not_selected", "marks": (2, 3, 2, 2, 3)}
    return [
        PastChallenge(
            slug="urban-challenge-well-being",
            title="Urban Challenge: well-being in the West Midlands",
            theme="wellbeing",
            summary="The mayor's first Urban Challenge asked how technology could help residents look after their "
            "own well-being, and help an ageing population stay independent at home.",
            problem="The region's population is ageing, and health and social care are stretched. The Urban "
            "Challenge asked for technology, such as sensors at home, that lets people manage their own situation "
            "and get help before a crisis.",
            funding=100000,
            entrants=[
                Entrant(
                    "lantern-health",
                    "Check-in at Home",
                    "Simple sensors that learn an older person's daily routine and let family or a carer know when "
                    "something changes.",
                    amount=45000,
                    feedback="A strong pilot plan with a housing association partner. Agree the data-protection "
                    "assessment with residents' families before installing.",
                    rationale="Lets older people stay independent at home for longer, with help arriving before a "
                    "fall or illness becomes a crisis.",
                    **winner,
                ),
                Entrant(
                    "kindred-futures",
                    "Walk and Talk Circles",
                    "An app that matches people who feel isolated with weekly walking groups led by volunteers.",
                    amount=20000,
                    feedback="Low cost and well grounded in community centres. Measure loneliness with a "
                    "recognised scale, not just attendance.",
                    rationale="A low-cost way to reduce loneliness that builds on groups already running in the "
                    "region.",
                    **second,
                ),
                Entrant(
                    "canalside-digital",
                    "Mood Diary",
                    "A mood-tracking app for adults waiting for talking therapies.",
                    feedback="The panel worried about safe handling of people at risk while they wait. Clinical "
                    "governance needs to come first.",
                    **not_selected,
                ),
            ],
        ),
        PastChallenge(
            slug="urban-challenge-homelessness",
            title="Urban Challenge: preventing homelessness",
            theme="homelessness",
            summary="How could councils use the data they already hold to prevent homelessness, as the "
            "Homelessness Reduction Act would require from April 2018?",
            problem="An estimated 4,134 people slept rough in England in 2016, 16% more than the year before. From "
            "April 2018 councils have a duty to prevent homelessness, for example by using their own data to find "
            "households at risk of losing their home before they reach a crisis.",
            funding=100000,
            entrants=[
                Entrant(
                    "safe-harbour-data",
                    "Early Warning Homes",
                    "Brings together rent arrears, benefit changes and council tax data to flag households at risk "
                    "of losing their home, so a caseworker can call before a crisis.",
                    amount=60000,
                    feedback="An excellent plan with two councils' housing teams signed up. Publish how the "
                    "model decides, so residents can trust it.",
                    rationale="Puts the new duty to prevent homelessness into practice with data councils already "
                    "hold, with caseworkers making every decision.",
                    **winner,
                ),
                Entrant(
                    "jq-data-works",
                    "Rough Sleeping Alert",
                    "An app that lets the public tell outreach teams where someone is sleeping rough.",
                    amount=25000,
                    feedback="A practical tool. Work with the outreach teams on how fast they can respond.",
                    rationale="Gives the public a simple way to get help to someone sleeping rough, as some "
                    "councils already do.",
                    **second,
                ),
                Entrant(
                    "black-country-learning",
                    "Tenancy Skills Online",
                    "An online course for first-time tenants on budgeting and their rights.",
                    feedback="Useful, but it reaches people after they have a tenancy rather than before a crisis.",
                    **not_selected,
                ),
            ],
        ),
        PastChallenge(
            slug="urban-challenge-youth-unemployment",
            title="Urban Challenge: young people into work",
            theme="youth-unemployment",
            summary="How could technology help more of the region's young people into training, apprenticeships "
            "and work?",
            problem="Too many young people in the region are not in education, employment or training, while "
            "employers report apprenticeships they cannot fill.",
            funding=60000,
            entrants=[
                Entrant(
                    "black-country-learning",
                    "First Steps Apprenticeship Match",
                    "Matches young people with apprenticeships near them, and coaches them through applying.",
                    amount=40000,
                    feedback="Well connected to colleges and employers. Keep the coaching: it is what makes the "
                    "matching work.",
                    rationale="Joins up the apprenticeships employers cannot fill with the young people who could "
                    "fill them, with a coach for each.",
                    **winner,
                ),
                Entrant(
                    "routewise-mobility",
                    "Job Journey Planner",
                    "Shows young people which jobs they can reach by public transport.",
                    feedback="A good idea that needs employers' vacancy data, which the plan did not secure.",
                    **not_selected,
                ),
            ],
        ),
        PastChallenge(
            slug="urban-challenge-digital-citizenship",
            title="Urban Challenge: digital citizenship",
            theme="digital-citizenship",
            summary="How could every resident take part in a digital region, from applying for services online to "
            "having a say in local decisions?",
            problem="One in ten adults in the region has never used the internet, and more lack the confidence to "
            "complete council forms online, just as more services move online.",
            funding=50000,
            entrants=[
                Entrant(
                    "digital-neighbours",
                    "Ask Once, Online",
                    "Trained volunteers in libraries who help residents complete council forms online, and teach "
                    "them to do it alone next time.",
                    amount=30000,
                    feedback="A credible volunteer model with the library service. Track whether people come back "
                    "to do it alone.",
                    rationale="Helps residents online at the moment they need a service, and leaves them able to do "
                    "it themselves.",
                    **winner,
                ),
                Entrant(
                    "forge-mobility",
                    "Civic Tablets",
                    "Loaned tablets with local services pre-installed.",
                    feedback="The panel was not convinced tablets alone build confidence.",
                    **not_selected,
                ),
            ],
        ),
    ]


PAST_PILOTS = [
    PilotPlan(
        challenge="urban-challenge-homelessness",
        supplier="safe-harbour-data",
        set_up=uk(2018, 3, 29),
        starts_on=date(2018, 4, 16),
        ends_on=date(2019, 3, 29),
        measures=[
            MeasurePlan("Households identified at risk before crisis", "households", "0", "200"),
            MeasurePlan("Households kept in their home after support", "households", "0", "120"),
            MeasurePlan("Average days from first flag to first contact", "days", "21", "7", higher_is_better=False),
        ],
        milestones=[
            MilestonePlan(
                "Data sharing agreed and model built",
                date(2018, 6, 29),
                15000,
                "Data-sharing agreements with both councils, and the first version of the model tested on past cases.",
                values=("0", "0", "21"),
                narrative="Both councils signed the data-sharing agreement in May. Tested on last year's cases, the "
                "model would have flagged 7 in 10 of the households that later came to the council homeless.",
                evidence="pdf",
            ),
            MilestonePlan(
                "Live with caseworkers in both councils",
                date(2018, 10, 31),
                20000,
                "Caseworkers in both councils using the weekly list, with the first households contacted.",
                values=("96", "52", "9"),
                narrative="Caseworkers have contacted 96 households from the weekly list since July; 52 have kept "
                "their home so far.",
                evidence="csv",
                outcome="revised",
                changes="Please add how many households you contacted but could not help, and why: the board will ask.",
                revision="Of the 96, 44 could not be helped to stay: 29 had already been served notice to leave, and "
                "15 declined support.",
            ),
            MilestonePlan(
                "Final report and evaluation",
                date(2019, 3, 29),
                25000,
                "The evaluation with both councils, and a public summary of what the pilot achieved.",
                values=("214", "131", "6"),
                narrative="By March 2019 the weekly list had flagged 214 households before they reached crisis, and "
                "131 have kept their home. Both councils will keep the service.",
                evidence="pdf",
                summary="Early Warning Homes flagged 214 households at risk of homelessness before they reached "
                "crisis, against a target of 200, and 131 of them kept their home. Caseworkers now make first "
                "contact within 6 days of a flag, down from 21. Both councils have kept the service.",
            ),
        ],
        statuses=[
            (uk(2018, 4, 16), "on_track", ""),
            (uk(2019, 4, 8), "complete", "Every milestone delivered; the targets for households were met."),
        ],
    ),
    PilotPlan(
        challenge="urban-challenge-homelessness",
        supplier="jq-data-works",
        set_up=uk(2018, 3, 30),
        starts_on=date(2018, 4, 23),
        ends_on=date(2019, 1, 31),
        measures=[
            MeasurePlan("Alerts sent by the public", "alerts", "0", "600"),
            MeasurePlan("Alerts answered by outreach within 24 hours", "%", "40", "80"),
        ],
        milestones=[
            MilestonePlan(
                "App live in the city centre",
                date(2018, 7, 31),
                10000,
                "The app in both app stores and the outreach team's inbox set up.",
                values=("143", "62"),
                narrative="The app went live on 2 July. Outreach answered 62% of the first 143 alerts within a day.",
                evidence="png",
            ),
            MilestonePlan(
                "Region-wide with every outreach team",
                date(2018, 11, 30),
                8000,
                "Alerts routed to each council's outreach team.",
            ),
            MilestonePlan(
                "Final report", date(2019, 1, 31), 7000, "What the pilot achieved, and what happens to the app."
            ),
        ],
        statuses=[
            (uk(2018, 4, 23), "on_track", ""),
            (
                uk(2018, 10, 12),
                "stopped",
                "Stopped early by agreement: the national alert service now covers the region, so the app's alerts "
                "were passed to it. The remaining £15,000 was not paid.",
            ),
        ],
    ),
    PilotPlan(
        challenge="urban-challenge-well-being",
        supplier="lantern-health",
        set_up=uk(2018, 3, 28),
        starts_on=date(2018, 5, 1),
        ends_on=date(2019, 4, 30),
        measures=[
            MeasurePlan("Homes with sensors installed", "homes", "0", "120"),
            MeasurePlan("Falls found within an hour", "%", "35", "80"),
            MeasurePlan("Unplanned hospital admissions", "admissions", "48", "30", higher_is_better=False),
        ],
        milestones=[
            MilestonePlan(
                "First 40 homes fitted",
                date(2018, 8, 31),
                15000,
                "Sensors fitted in 40 homes with residents' consent, and the alert line staffed.",
                values=("38", "61", "47"),
                narrative="38 homes fitted by the end of August; two residents changed their minds before "
                "installation.",
                evidence="png",
            ),
            MilestonePlan(
                "120 homes fitted",
                date(2018, 12, 21),
                15000,
                "All 120 homes fitted and the alerts reviewed monthly with the housing association.",
                values=("38", "64", "45"),
                narrative="No new homes fitted since September: the housing association paused installations "
                "while it reviews its data-protection assessment.",
                evidence="pdf",
            ),
            MilestonePlan(
                "Final report and evaluation",
                date(2019, 4, 30),
                15000,
                "The evaluation and a public summary of what the pilot achieved.",
                outcome="draft",
                values=("38", "", ""),
                narrative="Installations remain paused.",
            ),
        ],
        statuses=[
            (uk(2018, 5, 1), "on_track", ""),
            (
                uk(2019, 1, 7),
                "at_risk",
                "Installations paused at 38 of 120 homes while the partner housing association reviews its "
                "data-protection assessment; the final evaluation waits on it.",
            ),
        ],
    ),
    PilotPlan(
        challenge="urban-challenge-well-being",
        supplier="kindred-futures",
        set_up=uk(2018, 4, 3),
        starts_on=date(2018, 5, 14),
        ends_on=date(2019, 2, 28),
        measures=[
            MeasurePlan("People attending a walk at least monthly", "people", "0", "250"),
            MeasurePlan("Attenders reporting they feel lonely less often", "%", "0", "50"),
        ],
        milestones=[
            MilestonePlan(
                "Ten walking groups running",
                date(2018, 8, 31),
                6000,
                "Ten volunteer-led groups meeting weekly, and the app matching people to them.",
                values=("118", "31"),
                narrative="Ten groups walk weekly from community centres; 118 people joined at least once a month.",
                evidence="csv",
            ),
            MilestonePlan(
                "Fourteen groups and the loneliness scale",
                date(2018, 11, 30),
                6000,
                "Fourteen groups walking, and the short loneliness scale asked of every attender.",
                values=("187", "44"),
                narrative="Fourteen groups now walk weekly; 187 people attend at least monthly.",
                evidence="png",
            ),
            MilestonePlan(
                "Final report",
                date(2019, 2, 28),
                8000,
                "The evaluation, using the short loneliness scale, and a public summary.",
                values=("236", "54"),
                narrative="236 people walk at least monthly; on the loneliness scale, 54% report feeling lonely "
                "less often.",
                evidence="pdf",
                summary="Walk and Talk Circles ran 14 volunteer-led walking groups. 236 people walked at least "
                "once a month, just short of the 250 aimed for, and 54% said they felt lonely less often.",
            ),
        ],
        statuses=[
            (uk(2018, 5, 14), "on_track", ""),
            (uk(2019, 3, 15), "complete", "Every milestone delivered; attendance just short of the target."),
        ],
    ),
    PilotPlan(
        challenge="urban-challenge-youth-unemployment",
        supplier="black-country-learning",
        set_up=uk(2018, 4, 5),
        starts_on=date(2018, 5, 8),
        ends_on=date(2019, 5, 31),
        measures=[
            MeasurePlan("Young people matched to an apprenticeship", "people", "0", "150"),
            MeasurePlan("Still in their apprenticeship after six months", "%", "55", "75"),
        ],
        milestones=[
            MilestonePlan(
                "Matching live with three colleges",
                date(2018, 9, 28),
                12000,
                "The service open to students at three colleges, with coaches in place.",
                values=("41", "55"),
                narrative="Live at three colleges since June; 41 young people matched so far.",
                evidence="csv",
            ),
            MilestonePlan(
                "Open across the region",
                date(2019, 1, 31),
                12000,
                "Open to any young person in the region through the job centres.",
                values=("102", "68"),
                narrative="Open through every job centre since October; 102 matched.",
                evidence="png",
            ),
            MilestonePlan(
                "Final report",
                date(2019, 5, 31),
                16000,
                "The evaluation and a public summary.",
                values=("163", "72"),
                narrative="163 young people matched; 72% were still in their apprenticeship after six months.",
                evidence="pdf",
                summary="First Steps matched 163 young people with apprenticeships, above the 150 aimed for; 72% "
                "were still in them six months later, close to the 75% target.",
            ),
        ],
        statuses=[
            (uk(2018, 5, 8), "on_track", ""),
            (uk(2019, 6, 14), "complete", "Every milestone delivered; most targets met."),
        ],
    ),
    PilotPlan(
        challenge="urban-challenge-digital-citizenship",
        supplier="digital-neighbours",
        set_up=uk(2018, 4, 10),
        starts_on=date(2018, 6, 4),
        ends_on=date(2019, 3, 29),
        measures=[
            MeasurePlan("Residents helped to complete a form online", "residents", "0", "1000"),
            MeasurePlan("Residents who came back and did it alone", "%", "0", "40"),
            MeasurePlan("Volunteer hours given", "hours", "0", "2500", is_public=False),
        ],
        milestones=[
            MilestonePlan(
                "Volunteers trained in six libraries",
                date(2018, 8, 31),
                8000,
                "Thirty volunteers trained and sessions running in six libraries.",
                values=("212", "18", "640"),
                narrative="32 volunteers trained; sessions run twice a week in six libraries.",
                evidence="pdf",
            ),
            MilestonePlan(
                "Halfway: 500 residents helped",
                date(2018, 12, 14),
                10000,
                "500 residents helped, and the first follow-up calls made.",
                values=("561", "29", "1380"),
                narrative="561 residents helped by mid-December; 29% of those we called back had since done it alone.",
                evidence="csv",
            ),
            MilestonePlan(
                "Final report",
                date(2019, 3, 29),
                12000,
                "The evaluation and a public summary.",
                values=("1184", "37", "2710"),
                narrative="1,184 residents helped; 37% came back and completed a form alone.",
                evidence="csv",
                summary="Ask Once, Online helped 1,184 residents complete council forms online in six libraries, "
                "and 37% later did it alone, a little short of the 40% aimed for.",
            ),
        ],
        statuses=[
            (uk(2018, 6, 4), "on_track", ""),
            (uk(2019, 4, 12), "complete", "Every milestone delivered; the library service has kept the sessions."),
        ],
    ),
]


# The current programme: offsets in days from today for the dates, so the pilots are always just starting.
@dataclass(frozen=True)
class CurrentPilot:
    challenge: str
    supplier: str
    set_up: int
    starts: int
    ends: int
    measures: list[MeasurePlan]
    milestones: list[tuple[str, int, int, str]]
    """(name, report due in days from today, payment, deliverable)."""
    accepted_first: bool = False
    """The first report submitted and accepted, and the second started as a draft."""


CURRENT_PILOTS = [
    CurrentPilot(
        challenge="smarter-journeys-to-work",
        supplier="brumtech-analytics",
        set_up=-40,
        starts=-21,
        ends=180,
        measures=[
            MeasurePlan("Shift workers shown a journey that gets them in on time", "people", "0", "1500"),
            MeasurePlan("Employers using the planner", "employers", "0", "3"),
            MeasurePlan("Gaps in early services reported to operators", "gaps", "0", "12", is_public=False),
        ],
        milestones=[
            ("Data shared and planner set up", -7, 2500, "Timetable and shift data loaded; first employer signed up."),
            ("Planner live with three employers", 28, 3500, "The planner in use at three large employers."),
            ("Final report and evaluation", 175, 4000, "The evaluation and a public summary."),
        ],
        accepted_first=True,
    ),
    CurrentPilot(
        challenge="smarter-journeys-to-work",
        supplier="tramline-labs",
        set_up=-6,
        starts=10,
        ends=190,
        measures=[
            MeasurePlan("Shift journeys booked from tram stops", "journeys", "0", "2400"),
            MeasurePlan("Cost per journey", "£", "18", "9", higher_is_better=False, is_public=False),
        ],
        milestones=[
            ("First route running", 40, 3000, "Rides bookable from one tram stop to one industrial estate."),
            ("Three routes running", 110, 3000, "Rides from three stops, booked through the app and by phone."),
            ("Final report and evaluation", 185, 4000, "The evaluation and a public summary."),
        ],
    ),
]
NO_PILOT = ("open-data-better-bus-journeys", "brumtech-analytics")
"""The latest winner, announced a month ago: no pilot yet, for a manager to set one up."""
