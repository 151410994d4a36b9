"""The demo programme's challenges: the problems, what each sponsor seeks, its funding and its key dates.

Facts about the programme and the problems come from public reporting on the West Midlands Urban Challenge; the
city council, people and figures marked as illustrative are invented. Dates are offsets from today so every
lifecycle status is always represented.
"""

from dataclasses import dataclass, field

from .content import CITY_COUNCIL, COMBINED_AUTHORITY


@dataclass
class DemoChallenge:
    slug: str
    title: str
    sponsor: str
    themes: list[str]
    summary: str
    problem: list
    what_we_seek: str
    eligibility: str
    funding: int
    funding_detail: str
    # Offsets in days from today, with the UK hour of day; None leaves a date unscheduled.
    opens: tuple[int, int]
    closes: tuple[int, int]
    judging_starts: tuple[int, int] | None = None
    judging_ends: tuple[int, int] | None = None
    announce: tuple[int, int] | None = None
    faqs: list[tuple[str, str]] = field(default_factory=list)
    judges_per_proposal: int = 3
    places: int = 3
    """The awards planned (``Stage.places``): the N of the results page's "chance of the top N"."""


STANDARD_FAQS = [
    (
        "Can organisations apply together?",
        "<p>Yes. A consortium applies through one lead organisation, which receives the funding.</p>",
    ),
    (
        "Who owns the intellectual property?",
        "<p>The supplier keeps its intellectual property. The sponsor gets a licence to use what the pilot "
        "produces for public services.</p>",
    ),
    (
        "Can I ask a question before I apply?",
        "<p>Yes. Email the contact below; answers that help everyone are published here.</p>",
    ),
]
ELIGIBILITY = (
    "<p>Companies, social enterprises, charities and universities registered in the UK may apply, alone or as a "
    "consortium. You must be able to start the pilot within 6 weeks of the award.</p>"
)

CHALLENGES = [
    DemoChallenge(
        slug="preventing-homelessness-with-data",
        title="Preventing homelessness with the data we already hold",
        sponsor=COMBINED_AUTHORITY["slug"],
        themes=["homelessness", "open-data"],
        summary=(
            "Councils now have a duty to prevent homelessness. Help them use the data they already hold to find "
            "households at risk of losing their home, early enough to help."
        ),
        problem=[
            (
                "paragraph",
                "<p>An estimated 4,134 people slept rough in England on a single night in autumn 2016, 16% more "
                "than the year before. Behind every rough sleeper are months of warning signs: rent arrears, "
                "council tax debt, a benefit change, a hospital discharge.</p>",
            ),
            (
                "key_statistic",
                {
                    "figure": "4,134",
                    "label": "people estimated to be sleeping rough in England in 2016, up 16% in a year",
                    "source": "Rough sleeping statistics, autumn 2016",
                },
            ),
            ("heading", "A duty to prevent"),
            (
                "paragraph",
                "<p>The Homelessness Reduction Act, in force from April 2018, gives councils a duty to "
                "<b>prevent</b> homelessness, not only to relieve it. The region's Office for Data Analytics "
                "brings partners' data together; we want to turn it into timely, respectful help.</p>",
            ),
            (
                "quote",
                {
                    "text": "By the time someone reaches our front desk, we have often missed three chances to help.",
                    "attribution": "Housing options officer (illustrative)",
                },
            ),
        ],
        what_we_seek=(
            "<p>A tool that combines data the councils already hold to flag households at risk, explains why, and "
            "helps caseworkers reach them first. It must meet data-protection law, be explainable and be fair to "
            "every group of residents.</p>"
        ),
        eligibility=ELIGIBILITY,
        funding=150000,
        funding_detail="Up to three awards of £50,000 for a 16-week pilot with two councils.",
        opens=(-30, 9),
        closes=(1, 17),
        judging_starts=(8, 9),
        judging_ends=(36, 17),
        announce=(50, 10),
        faqs=STANDARD_FAQS,
    ),
    DemoChallenge(
        slug="young-people-into-work",
        title="Helping young people into work",
        sponsor=COMBINED_AUTHORITY["slug"],
        themes=["youth-unemployment", "digital-citizenship"],
        summary=(
            "Too many of the region's 16 to 24-year-olds are out of work, education or training. Help them find "
            "the opportunities that exist and the support to take them."
        ),
        problem=[
            (
                "paragraph",
                "<p>Employers across the region report vacancies they cannot fill while young people say they do "
                "not know where to start. Support is spread across colleges, councils, charities and job centres, "
                "each with its own website and forms.</p>",
            ),
            (
                "key_statistic",
                {
                    "figure": "1 in 8",
                    "label": "young people in the region not in work, education or training (illustrative)",
                },
            ),
        ],
        what_we_seek=(
            "<p>A service that meets young people where they already are, matches them with apprenticeships, "
            "training and jobs, and keeps them engaged until they start.</p>"
        ),
        eligibility=ELIGIBILITY,
        funding=100000,
        funding_detail="Two awards of £50,000.",
        places=2,
        opens=(-14, 9),
        closes=(21, 17),
        judging_starts=(28, 9),
        judging_ends=(49, 17),
        announce=(63, 10),
        faqs=STANDARD_FAQS[:2],
    ),
    DemoChallenge(
        slug="living-well-at-home",
        title="Living well at home: sensors for independent living",
        sponsor=COMBINED_AUTHORITY["slug"],
        themes=["wellbeing"],
        summary=(
            "An ageing population wants to stay independent for longer. Help people manage their own health "
            "and care at home, with technology they control."
        ),
        problem=[
            (
                "paragraph",
                "<p>Health and social care services face rising demand from an ageing population. Simple sensors "
                "in the home can let people and their families manage their own situation, and bring in help "
                "before a fall or a crisis.</p>",
            ),
        ],
        what_we_seek=(
            "<p>Affordable, privacy-respecting home sensing that residents choose and control, linked to the "
            "services that can help.</p>"
        ),
        eligibility=ELIGIBILITY,
        funding=80000,
        funding_detail="One award for a 6-month pilot in 100 homes.",
        places=1,
        opens=(-7, 9),
        closes=(42, 17),
    ),
    DemoChallenge(
        slug="answering-residents-day-and-night",
        title="Answering residents' questions, day and night",
        sponsor=CITY_COUNCIL["slug"],
        themes=["resident-services", "digital-citizenship"],
        summary=(
            "Residents ask the same questions about council tax, benefits and bin collections thousands of times "
            "a month. Help them get accurate answers at any hour."
        ),
        problem=[
            (
                "paragraph",
                "<p>Councils such as Enfield have introduced assistants that help residents complete standard "
                "applications, and Aylesbury Vale used AI that learns from past conversations to answer questions "
                "faster. Brindleford's contact centre closes at 5pm; most residents contact us after work.</p>",
            ),
            (
                "key_statistic",
                {"figure": "38,000", "label": "calls a month about council tax, benefits and bins (illustrative)"},
            ),
        ],
        what_we_seek=(
            "<p>An assistant that answers residents accurately in plain English, hands over to a person when it "
            "should, and never makes up an answer.</p>"
        ),
        eligibility=ELIGIBILITY,
        funding=60000,
        funding_detail="One award for a 12-week pilot.",
        places=1,
        opens=(-21, 9),
        closes=(10, 17),
        faqs=STANDARD_FAQS[2:],
    ),
    DemoChallenge(
        slug="smart-parking-city-centre",
        title="Smart parking for the city centre",
        sponsor=CITY_COUNCIL["slug"],
        themes=["transport-and-mobility", "air-quality-and-net-zero"],
        summary=("Drivers circling for a space add congestion and pollution. Help them find a free space first time."),
        problem=[
            (
                "paragraph",
                "<p>Cardiff fitted infrared sensors to parking bays, with an app showing free spaces, and planned "
                "number-plate recognition in off-street car parks and variable message signs. We want to learn from "
                "that and go further.</p>",
            ),
        ],
        what_we_seek="<p>Live parking availability that drivers can rely on, published as open data.</p>",
        eligibility=ELIGIBILITY,
        funding=75000,
        funding_detail="One award.",
        places=1,
        opens=(12, 9),
        closes=(54, 17),
    ),
    DemoChallenge(
        slug="reporting-rough-sleeping",
        title="Reporting rough sleeping: a public alert app",
        sponsor=CITY_COUNCIL["slug"],
        themes=["homelessness", "community-safety"],
        summary=(
            "Members of the public want to help when they see someone sleeping rough. Help them alert the "
            "outreach team quickly and safely."
        ),
        problem=[
            (
                "paragraph",
                "<p>Councils such as Redditch let the public alert them to people sleeping rough through an app. "
                "Our outreach team needs reports that are timely, located precisely and respectful of the person "
                "they describe.</p>",
            ),
        ],
        what_we_seek="<p>A simple way for anyone to alert the outreach team, and to hear what happened next.</p>",
        eligibility=ELIGIBILITY,
        funding=40000,
        funding_detail="One award.",
        places=1,
        opens=(-60, 9),
        closes=(-5, 17),
        judging_starts=(9, 9),
        judging_ends=(30, 17),
        announce=(45, 10),
    ),
    DemoChallenge(
        slug="digital-skills-for-every-resident",
        title="Digital skills for every resident",
        sponsor=COMBINED_AUTHORITY["slug"],
        themes=["digital-citizenship"],
        summary=(
            "More public services are online, but not every resident can use them. Help people gain the skills "
            "and confidence to take part."
        ),
        problem=[
            (
                "paragraph",
                "<p>The region's devolution deal set out plans for a Digital Capability Framework. Libraries and "
                "community groups already teach digital skills; they need a way to reach the people who would "
                "benefit most.</p>",
            ),
        ],
        what_we_seek="<p>Ways to find, teach and support residents who are not yet online.</p>",
        eligibility=ELIGIBILITY,
        funding=90000,
        funding_detail="Up to three awards.",
        opens=(-90, 9),
        closes=(-30, 17),
        judging_starts=(-20, 9),
        judging_ends=(10, 17),
        announce=(20, 10),
        judges_per_proposal=2,
    ),
    DemoChallenge(
        slug="open-data-better-bus-journeys",
        title="Open data for better bus journeys",
        sponsor=COMBINED_AUTHORITY["slug"],
        themes=["transport-and-mobility", "open-data"],
        summary="Use the region's open transport data to make bus journeys easier to plan and more reliable.",
        problem=[
            (
                "paragraph",
                "<p>Data Mill North in Leeds showed how a platform where anyone can publish open data prompts "
                "companies to build the apps citizens need. We published our bus data; we asked what you would "
                "build with it.</p>",
            ),
        ],
        what_we_seek="<p>Services built on open data that passengers find useful.</p>",
        eligibility=ELIGIBILITY,
        funding=120000,
        funding_detail="Two winners shared the fund.",
        places=2,
        opens=(-200, 9),
        closes=(-140, 17),
        judging_starts=(-130, 9),
        judging_ends=(-60, 17),
        announce=(-30, 10),
        judges_per_proposal=2,
    ),
    DemoChallenge(
        slug="cleaner-air-around-schools",
        title="Cleaner air around schools",
        sponsor=CITY_COUNCIL["slug"],
        themes=["air-quality-and-net-zero", "community-safety"],
        summary="Help reduce pollution outside the city's schools at drop-off and pick-up times.",
        problem=[
            (
                "paragraph",
                "<p>Air quality outside several primary schools breaches legal limits twice a day. Parents want "
                "safer, cleaner routes to school (illustrative).</p>",
            ),
        ],
        what_we_seek="<p>Measures and tools that cut pollution at the school gate.</p>",
        eligibility=ELIGIBILITY,
        funding=50000,
        funding_detail="One award.",
        places=1,
        opens=(-1200, 9),
        closes=(-1140, 17),
        judging_starts=(-1130, 9),
        judging_ends=(-1110, 17),
        announce=(-1095, 10),
    ),
]
