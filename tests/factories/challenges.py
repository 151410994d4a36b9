from datetime import timedelta

import factory
from django.utils import timezone
from wagtail.models import Page

from challenges.models import ChallengeFAQ, ChallengeIndexPage, ChallengePage, Sponsor, Theme
from challenges.services import sponsor_grant_manager_access
from challenges.stages import single_stage
from home.models import HomePage

from .accounts import UserFactory


class SponsorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sponsor
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Test Combined Authority {n}")
    slug = factory.Sequence(lambda n: f"test-combined-authority-{n}")
    kind = Sponsor.Kind.COMBINED_AUTHORITY


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


def rich_story() -> list:
    """A problem statement using the text block types that need no uploaded file."""
    return [
        ("heading", "Why this matters"),
        ("paragraph", "<p>Rough sleeping rose by <b>16%</b> in a year.</p>"),
        ("key_statistic", {"figure": "4,134", "label": "people sleeping rough in England in 2016", "source": "MHCLG"}),
        ("quote", {"text": "Prevention starts with the data we already hold.", "attribution": "A housing officer"}),
    ]


class PageFactory(factory.django.DjangoModelFactory):
    """Adds the page under ``parent`` (default: the site's home page), as Wagtail's tree requires."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Page {n}")
    live = True

    @classmethod
    def _create(cls, model_class, *args, parent: Page | None = None, **kwargs):
        parent = parent or HomePage.objects.get()
        page = model_class(*args, **kwargs)
        parent.add_child(instance=page)
        return page


class ChallengeIndexPageFactory(PageFactory):
    class Meta:
        model = ChallengeIndexPage

    title = "Challenges"
    slug = factory.Sequence(lambda n: f"challenges-{n}")


STAGE_SETTINGS = ("proposal_questions", "rubric", "judges_per_proposal", "blind_judging", "places")


def move_window(challenge, *, opens_at=None, closes_at=None) -> None:
    """Move a challenge's entry window: its first stage's dates, which the page then takes as its own."""
    stage = challenge.first_stage
    stage.opens_at = opens_at or stage.opens_at
    stage.closes_at = closes_at or stage.closes_at
    stage.save()
    challenge.opens_at, challenge.closes_at = stage.opens_at, stage.closes_at
    ChallengePage.objects.filter(pk=challenge.pk).update(opens_at=stage.opens_at, closes_at=stage.closes_at)


class ChallengePageFactory(PageFactory):
    """An open challenge by default: opened a week ago, closes in ten days, in one written stage.

    ``proposal_questions``, ``rubric``, ``judges_per_proposal``, ``blind_judging`` and ``places`` set that stage; pass
    ``stages`` (unsaved ``Stage`` objects) for a challenge of several.
    """

    class Meta:
        model = ChallengePage
        skip_postgeneration_save = True

    @classmethod
    def _create(cls, model_class, *args, parent: Page | None = None, **kwargs):
        settings = {name: kwargs.pop(name) for name in STAGE_SETTINGS if name in kwargs}
        if "proposal_questions" in settings:
            settings["questions"] = settings.pop("proposal_questions")
        if not kwargs.get("stages"):
            kwargs["stages"] = [single_stage(kwargs["opens_at"], kwargs["closes_at"], **settings)]
        return super()._create(model_class, *args, parent=parent, **kwargs)

    title = factory.Sequence(lambda n: f"Challenge {n}")
    summary = "How can data help the council prevent homelessness before it happens?"
    sponsor = factory.SubFactory(SponsorFactory)
    problem_statement = factory.LazyFunction(rich_story)
    what_we_seek = "<p>A tool that identifies households at risk of losing their home.</p>"
    eligibility = "<p>UK-registered companies and social enterprises.</p>"
    funding_available = 50000
    opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        self.themes.set(extracted if extracted is not None else [ThemeFactory()])
        if create:
            self.save()

    @factory.post_generation
    def faqs(self, create, extracted, **kwargs):
        for position, (question, answer) in enumerate(extracted or []):
            ChallengeFAQ.objects.create(page=self, question=question, answer=answer, sort_order=position)


def other_sponsor_section(listing, name: str = "Greater Manchester Combined Authority"):
    sponsor = SponsorFactory(name=name, slug="gmca")
    return ChallengeIndexPageFactory(parent=listing, title=name, slug="gmca", sponsor=sponsor), sponsor


def make_manager(sponsor, **kwargs):
    """A challenge manager of ``sponsor``: publish rights on its section only, with two-factor set up."""
    user = UserFactory(verified=True, two_factor=True, **kwargs)
    user.groups.add(sponsor_grant_manager_access(sponsor=sponsor))
    return user
