"""Demo suppliers, question sets and proposals, and the sign-in set-up the demo accounts need.

Question ids are derived from the challenge and the question, so running the
seed again keeps every stored answer attached to the same question.
"""

import uuid

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Membership, Organisation, User
from challenges.models import ChallengePage
from submissions.models import ProposalStatus
from submissions.questions import sections_from_raw
from submissions.services import attachment_add, proposal_save_answers, proposal_start, proposal_submit

# A fixed authenticator key for the demo staff accounts, so the printed key works every time.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NAMESPACE = uuid.UUID("6f1c1a39-5c55-4b8e-9d1e-0f4f6a0b2c7d")

SUPPLIERS = [
    {
        "name": "Brumtech Analytics Ltd",
        "slug": "brumtech-analytics",
        "companies_house_number": "11223344",
        "size": "small",
        "sector": "technology",
        "region": "west_midlands",
        "website": "https://brumtech.example",
        "owner": ("ada@brumtech.example", "Ada", "Okafor"),
    },
    {
        "name": "Kindred Futures CIC",
        "slug": "kindred-futures",
        "companies_house_number": "",
        "size": "micro",
        "sector": "social_enterprise",
        "region": "west_midlands",
        "website": "",
        "owner": ("sam@kindredfutures.example", "Sam", "Haddad"),
    },
]

# (supplier slug, challenge slug, submit?, answers by question label)
PROPOSALS = [
    ("brumtech-analytics", "preventing-homelessness-with-data", True, "Early Help Finder"),
    ("kindred-futures", "preventing-homelessness-with-data", True, "Home Truths"),
    ("brumtech-analytics", "young-people-into-work", False, "Pathways Match"),
    ("kindred-futures", "living-well-at-home", False, "Good Neighbours Sensors"),
]

DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _question(challenge_slug: str, kind: str, label: str, **options) -> dict:
    value = {"label": label, "help_text": options.pop("help_text", ""), "required": options.pop("required", True)}
    value.update(options)
    if "choices" in value:
        value["choices"] = [
            {"type": "item", "value": choice, "id": str(uuid.uuid5(NAMESPACE, f"{challenge_slug}:{label}:{choice}"))}
            for choice in value["choices"]
        ]
    return {"type": kind, "value": value, "id": str(uuid.uuid5(NAMESPACE, f"{challenge_slug}:{label}"))}


def question_set(challenge_slug: str) -> list[dict]:
    q = lambda kind, label, **options: _question(challenge_slug, kind, label, **options)  # noqa: E731
    return [
        {
            "type": "section",
            "id": str(uuid.uuid5(NAMESPACE, f"{challenge_slug}:section:solution")),
            "value": {
                "title": "Your solution",
                "description": "Tell us what you would build or provide, and why it would work here.",
                "questions": [
                    q("long_text", "How does your solution address the problem?", word_limit=300),
                    q("single_choice", "How developed is it?", choices=["An idea", "A prototype", "In use elsewhere"]),
                    q("number", "Cost of the pilot", unit="£", min_value="0", max_value="250000"),
                    q(
                        "multiple_choice",
                        "Who would use it?",
                        choices=["Residents", "Frontline staff", "Partner organisations"],
                    ),
                ],
            },
        },
        {
            "type": "section",
            "id": str(uuid.uuid5(NAMESPACE, f"{challenge_slug}:section:delivery")),
            "value": {
                "title": "Delivery and evidence",
                "description": "",
                "questions": [
                    q("yes_no", "Can you start the pilot within 6 weeks of an award?"),
                    q("date", "Earliest start date"),
                    q(
                        "file",
                        "Project plan",
                        help_text="Milestones, team and budget.",
                        allowed_types=["pdf", "docx"],
                        max_size_mb=10,
                    ),
                    q(
                        "declaration",
                        "Declaration",
                        statement="We meet the eligibility criteria and the information we have given is accurate.",
                    ),
                ],
            },
        },
    ]


RUBRIC = [
    ("Fit to the problem", "Does it address the problem as the sponsor describes it?", "3"),
    ("Evidence it works", "Pilots, data or research that show it can work here.", "2"),
    ("Value for money", "What the pilot costs against what it could save or improve.", "2"),
    ("Delivery", "A credible team, plan and timetable for the pilot.", "1"),
    ("Fairness and data protection", "Lawful, explainable and fair to every group of residents.", "2"),
]
LEVELS = ["Not addressed", "Weak", "Adequate", "Good", "Strong", "Excellent"]


def rubric(challenge_slug: str, criteria=None) -> list[dict]:
    """A demo scoring rubric (by default the five weighted criteria of ``RUBRIC``), scored 0 to 5, with stable ids
    made from ``challenge_slug``."""
    return [
        {
            "type": "criterion",
            "id": str(uuid.uuid5(NAMESPACE, f"{challenge_slug}:criterion:{name}")),
            "value": {
                "name": name,
                "guidance": guidance,
                "weight": weight,
                "scale_max": 5,
                "levels": [
                    {
                        "type": "item",
                        "value": level,
                        "id": str(uuid.uuid5(NAMESPACE, f"{challenge_slug}:{name}:{level}")),
                    }
                    for level in LEVELS
                ],
                "comment_required": True,
            },
        }
        for name, guidance, weight in (criteria or RUBRIC)
    ]


def demo_answers(challenge: ChallengePage, title: str) -> dict[str, dict]:
    """Answers by question id, as the forms would store them."""
    by_label = {
        q.label: q for section in sections_from_raw(challenge.first_stage.questions.raw_data) for q in section.questions
    }
    return {
        "title": title,
        "public_summary": f"{title} helps the council act earlier, using information it already holds, with "
        "residents' consent and clear explanations.",
        "consent_to_publish": "yes",
        by_label["How does your solution address the problem?"].id: (
            f"{title} brings together signals the council already has and presents them to caseworkers as a "
            "short, explained list of people who may need help soon."
        ),
        by_label["How developed is it?"].id: "A prototype",
        by_label["Cost of the pilot"].id: "48500",
        by_label["Who would use it?"].id: ["Residents", "Frontline staff"],
        by_label["Can you start the pilot within 6 weeks of an award?"].id: "yes",
        by_label["Earliest start date"].id: "2027-02-01",
        by_label["Declaration"].id: True,
    }


def enable_staff_sign_in(user) -> list[str]:
    """Verify the address and set up the demo authenticator key and recovery codes; returns unused codes."""
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    codes = Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).first()
    recovery = RecoveryCodes(codes) if codes else RecoveryCodes.activate(user)
    return recovery.get_unused_codes()


def verify_email(user) -> None:
    EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})


def build_suppliers(upsert_user, password: str) -> list[tuple[str, str]]:
    """Organisations with owners, drafts and submitted proposals."""
    owners = {}
    accounts = []
    for data in SUPPLIERS:
        email, first, last = data["owner"]
        owner = upsert_user(email, password, first_name=first, last_name=last, is_staff=False)
        verify_email(owner)
        fields = {k: v for k, v in data.items() if k not in {"owner", "slug"}}
        fields["companies_house_number"] = fields["companies_house_number"] or None
        organisation, _ = Organisation.objects.update_or_create(slug=data["slug"], defaults=fields)
        Membership.objects.update_or_create(organisation=organisation, user=owner, defaults={"role": "owner"})
        owners[data["slug"]] = (organisation, owner)
        accounts.append((f"Supplier, owner of {organisation.name}", email))

    for supplier_slug, challenge_slug, submit, title in PROPOSALS:
        organisation, owner = owners[supplier_slug]
        challenge = ChallengePage.objects.get(slug=challenge_slug)
        proposal = proposal_start(challenge=challenge, organisation=organisation, by=owner)
        if proposal.status == ProposalStatus.WITHDRAWN:
            continue
        sections = sections_from_raw(challenge.first_stage.questions.raw_data)
        questions = [q for section in sections for q in section.questions]
        answers = demo_answers(challenge, title)
        proposal = proposal_save_answers(proposal=proposal, values=answers, questions=questions, by=owner)
        if submit:
            plan = next(q for q in questions if q.kind == "file")
            if plan.id not in proposal.answers:
                upload = SimpleUploadedFile(f"{title} project plan.pdf", DEMO_PDF, content_type="application/pdf")
                attachment_add(proposal=proposal, question=plan, upload=upload, by=owner)
            proposal_submit(proposal=proposal, by=owner)
    return accounts


def upsert_supplier(data: dict, upsert_user, password: str) -> tuple[Organisation, User]:
    """A demo supplier organisation and its owner (``data`` as in ``judging_content.MORE_SUPPLIERS``), verified."""
    email, first, last = data["owner"]
    owner = upsert_user(email, password, first_name=first, last_name=last, is_staff=False)
    verify_email(owner)
    fields = {k: v for k, v in data.items() if k not in {"owner", "slug"}}
    organisation, _ = Organisation.objects.update_or_create(
        slug=data["slug"], defaults={**fields, "region": "west_midlands"}
    )
    Membership.objects.update_or_create(organisation=organisation, user=owner, defaults={"role": "owner"})
    return organisation, owner
