"""The demo site's content: a West Midlands-style challenge programme.

Facts about the programme and the problems come from public reporting on the
West Midlands Urban Challenge; the city council, people and figures marked as
illustrative are invented. Dates are offsets from today so every lifecycle
status is always represented.
"""

COMBINED_AUTHORITY = {
    "name": "West Midlands Combined Authority",
    "slug": "west-midlands-combined-authority",
    "kind": "combined_authority",
    "description": (
        "The mayor's Urban Challenge asks how technology can solve the region's public-service problems: "
        "well-being, homelessness, youth unemployment and digital citizenship. The region's Office for Data "
        "Analytics helps partners use their data for frontline insight."
    ),
    "website": "https://www.wmca.org.uk/",
}
CITY_COUNCIL = {
    "name": "Brindleford City Council",
    "slug": "brindleford-city-council",
    "kind": "city_council",
    "description": "A fictional city council in the region, running local challenges for its residents.",
    "website": "",
}

HOME_LEAD = (
    "Mayors, combined authorities and councils publish the public-service problems they need solving. "
    "Companies, social enterprises and innovators propose solutions, and independent panels choose the best."
)
HOW_IT_WORKS = [
    {
        "audience": "Suppliers",
        "summary": "Tech companies, SMEs and social enterprises propose solutions and can win funded pilots.",
        "steps": [
            "Find an open challenge that fits what you do",
            "Create an account and set up your organisation",
            "Draft your proposal, check your answers and submit before the deadline",
            "Hear the outcome and read the panel's feedback",
        ],
    },
    {
        "audience": "Judges",
        "summary": "Independent panels score proposals against a published rubric, in a fair and recorded process.",
        "steps": [
            "Accept your invitation and turn on two-factor sign-in",
            "Declare any conflicts of interest",
            "Score the proposals assigned to you",
        ],
    },
    {
        "audience": "Everyone",
        "summary": "Every challenge, and every winner, stays on the record for anyone to read and reuse.",
        "steps": [
            "Browse open and upcoming challenges",
            "Search the archive of past challenges and winners",
            "Download the data under the Open Government Licence",
        ],
    },
]
ABOUT_PROGRAMME = (
    "<p>Metro mayors, first elected in May 2017, bring together councils, health, police and business across a "
    "city region. The West Midlands mayor's Urban Challenge asked how technology could help with well-being, "
    "homelessness, youth unemployment and digital citizenship. This platform runs challenges like it from "
    "publication to announcement.</p>"
    "<p><strong>This is a demonstration site.</strong> Brindleford City Council, the people and the companies "
    "on it are fictional.</p>"
)

STANDARD_PAGES = [
    {
        "title": "About",
        "slug": "about",
        "lead": "Urban Challenge helps city regions find new answers to public-service problems.",
        "body": [
            ("paragraph", ABOUT_PROGRAMME),
            ("heading", "Who runs it"),
            (
                "paragraph",
                "<p>Each sponsor, a combined authority or a council, publishes and manages its own challenges. "
                "Proposals are judged by independent panels who declare their conflicts of interest.</p>",
            ),
        ],
    },
    {
        "title": "Accessibility statement",
        "slug": "accessibility",
        "lead": "We want as many people as possible to be able to use this website.",
        "body": [
            (
                "paragraph",
                "<p>The site is built to meet the Web Content Accessibility Guidelines version 2.2 to the AA "
                "standard. You should be able to zoom to 400% without text spilling off the screen, navigate the "
                "whole site using just a keyboard and listen to it with a screen reader.</p>",
            ),
            ("heading", "Reporting problems"),
            (
                "paragraph",
                "<p>If you find a problem, email feedback@urban-challenge.example and we will reply within "
                "5 working days.</p>",
            ),
        ],
    },
    {
        "title": "Privacy",
        "slug": "privacy",
        "lead": "How we use the information you give us.",
        "body": [
            (
                "paragraph",
                "<p>We use your details only to run challenges: to let you submit proposals, to tell you the "
                "outcome and to keep a record of decisions. Public bodies publish the awards they make, so for "
                "every award we publish the organisation's name, the award and the judging panel's reasons; a "
                "proposal's title and public summary are published only with its supplier's consent.</p>",
            ),
        ],
    },
]
