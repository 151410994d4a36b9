from datetime import UTC, datetime
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.formatting import format_moment
from core.kept import enabled as kept_results_enabled
from core.kept import kept
from core.pages import KeptViewRestrictionsMixin
from core.pagination import page_links

from .blocks import StoryBlock
from .cards import card_rows, render_cards
from .content import challenge_content
from .forms import ChallengeFilterForm, ChallengePageForm
from .funding import FundingLedger
from .identifiers import OrgIdField, validate_org_id
from .lifecycle import ChallengeStatus, KeyDates, challenge_status
from .querysets import (
    SORT_CLOSING_SOONEST,
    CardPaginator,
    ChallengePageManager,
    ChallengePageQuerySet,
    kept_next_status_change,
)
from .stages import Stage, StageKind, stage_order_errors

__all__ = [
    "ChallengeFAQ",
    "ChallengeIndexPage",
    "ChallengePage",
    "FundingLedger",
    "Sponsor",
    "Stage",
    "StageKind",
    "Theme",
]

NO_PUBLIC_CHANGE = datetime(2000, 1, 1, tzinfo=UTC)
RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "document-link"]


class Sponsor(index.Indexed, models.Model):
    """A publishing body: a combined authority, a council, a mayor's office."""

    class Kind(models.TextChoices):
        COMBINED_AUTHORITY = "combined_authority", "Combined authority"
        CITY_COUNCIL = "city_council", "City council"
        COUNTY_COUNCIL = "county_council", "County council"
        OTHER = "other", "Other public body"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True, help_text="Used in web addresses and filters.")
    kind = models.CharField(max_length=40, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    org_id = OrgIdField(
        "organisation identifier",
        blank=True,
        validators=[validate_org_id],
        help_text="The funder's identifier from org-id.guide, used in the 360Giving data, such as GB-LAE-BIR for "
        "Birmingham City Council. Leave blank if you do not know it: the data then uses the site's own identifier.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("website"),
        FieldPanel("org_id"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Theme(index.Indexed, models.Model):
    """A policy area a challenge addresses, such as homelessness or wellbeing."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in web addresses and filters.")
    description = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ChallengeIndexPage(KeptViewRestrictionsMixin, Page):
    """Lists challenges. The top-level index lists every sponsor's; a sponsor's own index holds its challenges,
    so Wagtail page permissions on that subtree keep sponsors apart."""

    intro = RichTextField(blank=True, features=RICH_TEXT_FEATURES)
    sponsor = models.ForeignKey(
        Sponsor,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="index_pages",
        help_text="Leave blank for the site-wide listing; set it for a sponsor's own section.",
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("sponsor")]

    search_fields = Page.search_fields + [index.SearchField("intro")]

    parent_page_types = ["home.HomePage", "challenges.ChallengeIndexPage"]
    subpage_types = ["challenges.ChallengeIndexPage", "challenges.ChallengePage"]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sponsor"], name="challenges_one_index_per_sponsor"),
        ]

    def clean(self) -> None:
        super().clean()
        if (
            self.sponsor_id
            and ChallengeIndexPage.objects.filter(sponsor_id=self.sponsor_id).exclude(pk=self.pk).exists()
        ):
            raise ValidationError({"sponsor": "This sponsor already has its own challenges section."})

    def sponsors_with_live_challenges(self) -> list["Sponsor"]:
        """Sponsors with a live challenge below this page. Each sponsor looks up its first such challenge (a
        LIMIT 1 subquery, planned for the first row: its index, then that page), never a pass over every challenge;
        an EXISTS was planned as a hash of all the sponsor's challenges."""
        live_below = ChallengePage.objects.live().descendant_of(self).filter(sponsor=OuterRef("pk"))
        one = Subquery(live_below.order_by().values("pk")[:1])
        return list(Sponsor.objects.alias(one=one).filter(one__isnull=False))

    def get_context(self, request, *args, **kwargs):
        """The listing: filters (each bad value reported, the rest still applied), the sort, and a page of cards.

        Unfiltered, in either sort, the order of every challenge below this page is kept (``core.kept``) until the
        site changes or the next status change moves a challenge in it; a page of it is then a slice, and its
        cards are kept too. Filtered, one query reads the page's keys and the total (``page_of_cards``)."""
        context = super().get_context(request, *args, **kwargs)
        params, now = request.GET, timezone.now()
        sponsors = kept(("listing-sponsors", self.pk, self.path), self.sponsors_with_live_challenges)
        form = ChallengeFilterForm(
            params, themes=kept(("themes",), lambda: list(Theme.objects.all())), sponsors=sponsors
        )
        filters = form.valid_filters()
        sort = filters.get("sort", SORT_CLOSING_SOONEST)
        if set(filters) <= {"sort"} and kept_results_enabled():
            order = kept(
                ("listing-order", self.pk, self.path, sort),
                lambda: list(self.public_challenges().sorted_by(sort).values_list("pk", flat=True)),
                until=lambda _: kept_next_status_change(ChallengePage.objects.live()),
            )
            paginator = Paginator(order, settings.CHALLENGES_PER_PAGE)
            page_obj = paginator.get_page(params.get("page"))
            page_obj.object_list = card_rows(ChallengePage.objects.live(), list(page_obj.object_list))
        else:
            challenges = self.public_challenges()
            if "theme" in filters:
                challenges = challenges.with_themes(filters["theme"])
            if "status" in filters:
                challenges = challenges.with_status(*filters["status"], now=now)
            if "sponsor" in filters:
                challenges = challenges.filter(sponsor__slug=filters["sponsor"])
            paginator = CardPaginator(challenges.sorted_by(sort, now=now), settings.CHALLENGES_PER_PAGE)
            page_obj = paginator.page_of_cards(
                params.get("page"), read_rows=lambda keys: card_rows(ChallengePage.objects.live(), keys)
            )
        query = urlencode({key: values for key, values in params.lists() if key != "page"}, doseq=True)
        context.update(
            filter_form=form,
            page_obj=page_obj,
            pagination=page_links(page_obj, query=query),
            challenges=page_obj.object_list,
            cards=render_cards(page_obj.object_list, request=request, now=now),
            result_count=paginator.count,
            sort=sort,
            active_filters=form.labels_of(filters),
            show_sponsor_filter=self.sponsor_id is None and len(sponsors) > 1,
            now=now,
        )
        return context

    def public_challenges(self) -> "ChallengePageQuerySet":
        return ChallengePage.objects.live().public().descendant_of(self)


class ChallengePage(KeptViewRestrictionsMixin, Page):
    """One published challenge: the problem, what is sought, who may apply, the money and the dates."""

    summary = models.TextField(
        max_length=400, help_text="One or two sentences shown on listings and in search results."
    )
    sponsor = models.ForeignKey(Sponsor, on_delete=models.PROTECT, related_name="challenges")
    themes = ParentalManyToManyField(Theme, related_name="challenges", blank=False)
    problem_statement = StreamField(StoryBlock(), help_text="The problem in the sponsor's words, with evidence.")
    what_we_seek = RichTextField("what we are looking for", features=RICH_TEXT_FEATURES)
    eligibility = RichTextField("who can apply", features=RICH_TEXT_FEATURES)
    funding_available = models.DecimalField(
        "funding available (£)",
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="The total funding in pounds sterling.",
    )
    funding_detail = models.CharField(
        max_length=250, blank=True, help_text="For example: up to three awards of £50,000 for a 12-week pilot."
    )
    # The first stage's window, kept equal to it by ``clean`` so listings filter and sort on indexed columns.
    opens_at = models.DateTimeField("entries open", blank=True, help_text="The first stage's opening. UK time.")
    closes_at = models.DateTimeField("entries close", blank=True, help_text="The first stage's closing. UK time.")
    judging_starts_at = models.DateTimeField("judging starts", null=True, blank=True)
    judging_ends_at = models.DateTimeField("judging ends", null=True, blank=True)
    announce_at = models.DateTimeField("winners announced", null=True, blank=True)
    status_override = models.CharField(
        max_length=30,
        choices=ChallengeStatus.choices,
        blank=True,
        help_text="Leave blank so the status follows the dates. Set it only to force a status.",
    )
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(blank=True)
    announced_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the winners were actually announced."
    )

    objects = ChallengePageManager()

    base_form_class = ChallengePageForm
    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("sponsor"), FieldPanel("themes", widget=forms.CheckboxSelectMultiple)],
            heading="Sponsor and themes",
        ),
        FieldPanel("problem_statement"),
        FieldPanel("what_we_seek"),
        FieldPanel("eligibility"),
        MultiFieldPanel([FieldPanel("funding_available"), FieldPanel("funding_detail")], heading="Funding"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("judging_starts_at"), FieldPanel("judging_ends_at")]),
                FieldPanel("announce_at"),
                FieldPanel("status_override"),
            ],
            heading="Key dates",
            help_text="Entries open and close with the first stage (see the Stages tab).",
        ),
        InlinePanel("faqs", heading="Frequently asked questions", label="Question"),
        MultiFieldPanel([FieldPanel("contact_name"), FieldPanel("contact_email")], heading="Contact"),
    ]
    stage_panels = [
        InlinePanel(
            "stages",
            heading="Stages",
            label="Stage",
            min_num=1,
            help_text=(
                "The rounds a proposal passes through, in order. The first is open to every supplier; later ones "
                "only to organisations taken forward. Each has its own dates, questions, rubric and panel."
            ),
        )
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Challenge"),
            ObjectList(stage_panels, heading="Stages"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("problem_statement"),
        index.SearchField("what_we_seek"),
        index.FilterField("sponsor"),
        index.FilterField("opens_at"),
        index.FilterField("closes_at"),
        index.RelatedFields("sponsor", [index.SearchField("name")]),
        index.RelatedFields("themes", [index.SearchField("name")]),
    ]

    parent_page_types = ["challenges.ChallengeIndexPage"]
    subpage_types: list[str] = []
    route_select_related = ("sponsor",)

    class Meta:
        # Statuses are date conditions (challenges.lifecycle): the home page's "open now" and "coming soon"
        # lists find their few rows through these instead of reading all 10,000 challenges; the partial index
        # holds only the handful of challenges whose status a manager forced.
        indexes = [
            models.Index(fields=["closes_at"], name="challenge_closes_at"),
            models.Index(fields=["opens_at"], name="challenge_opens_at"),
            models.Index(
                fields=["status_override"], name="challenge_status_override", condition=~models.Q(status_override="")
            ),
        ]

    DATE_ORDER = [
        ("opens_at", "opening date"),
        ("closes_at", "closing date of the first stage"),
        ("judging_starts_at", "judging start"),
        ("judging_ends_at", "judging end"),
        ("announce_at", "announcement date"),
    ]

    @property
    def stage_list(self) -> list[Stage]:
        """The stages in order (the in-memory ones while Wagtail builds the page from a form or revision)."""
        return sorted(self.stages.all(), key=lambda stage: (stage.sort_order is None, stage.sort_order or 0))

    @property
    def first_stage(self) -> Stage | None:
        return self.stage_list[0] if self.stage_list else None

    @property
    def last_stage(self) -> Stage | None:
        return self.stage_list[-1] if self.stage_list else None

    def stage_number(self, stage: Stage) -> int:
        return next(number for number, each in enumerate(self.stage_list, 1) if each.pk == stage.pk)

    def stage_after(self, stage: Stage) -> Stage | None:
        """The stage that follows ``stage``, or None when it is the last."""
        following = self.stage_list[self.stage_number(stage) :]
        return following[0] if following else None

    def current_stage(self, now=None) -> Stage | None:
        """Where the challenge is now: the last stage that has opened (the first while none has)."""
        now = now or timezone.now()
        opened = [stage for stage in self.stage_list if stage.opens_at <= now]
        return opened[-1] if opened else self.first_stage

    @property
    def key_dates(self) -> KeyDates:
        return KeyDates(
            opens_at=self.opens_at,
            closes_at=self.closes_at,
            judging_starts_at=self.judging_starts_at,
            judging_ends_at=self.judging_ends_at,
            announce_at=self.announce_at,
        )

    @cached_property
    def status(self) -> ChallengeStatus:
        return challenge_status(self.key_dates, now=timezone.now(), override=self.status_override)

    def is_accepting_proposals(self, now=None, stage: Stage | None = None) -> bool:
        """Open by the server's clock, in ``stage``'s window (the first stage's, the entry window, by default): an
        override can close a challenge early, never keep it open late. A pitch stage takes no written submission."""
        now = now or timezone.now()
        opens, closes = (stage.opens_at, stage.closes_at) if stage else (self.opens_at, self.closes_at)
        written = stage is None or stage.kind == StageKind.WRITTEN
        within_dates = written and self.live and opens <= now < closes
        return within_dates and self.status_override in ("", ChallengeStatus.OPEN)

    @property
    def last_public_change(self):
        """When anything the public reads of the challenge last changed: a publish, a revision, the announcement
        (the archive's entries and the feeds are dated by it). A page made in code has none of these: it gets a
        fixed early date, so it never looks newer than it is."""
        moments = [self.last_published_at, self.latest_revision_created_at, self.announced_at]
        return max((moment for moment in moments if moment), default=NO_PUBLIC_CHANGE)

    def clean(self) -> None:
        super().clean()
        self.clean_stages()
        self.clean_key_dates()

    def clean_stages(self) -> None:
        """At least one stage, in date order; the entry window follows the first stage."""
        stages = self.stage_list
        if not stages:
            raise ValidationError("Add at least one stage: the open call every supplier can enter.")
        errors = stage_order_errors(stages)
        if errors:
            raise ValidationError([message for fields in errors.values() for message in fields.values()])
        self.opens_at, self.closes_at = stages[0].opens_at, stages[0].closes_at
        if self.announce_at and stages[-1].closes_at > self.announce_at:
            raise ValidationError(
                {
                    "announce_at": f"The winners can only be announced after the last stage, {stages[-1].name}, closes "
                    f"({format_moment(stages[-1].closes_at)})."
                }
            )

    def clean_key_dates(self) -> None:
        """Key dates must run in order; each error names the field to fix and the date it must follow."""
        errors = {}
        previous = None
        for field, label in self.DATE_ORDER:
            value = getattr(self, field)
            if value is None:
                continue
            if previous is not None:
                previous_field, previous_label, previous_value = previous
                must_be_later = previous_field == "opens_at"
                if value < previous_value or (must_be_later and value == previous_value):
                    errors[field] = f"The {label} must be after the {previous_label} ({format_moment(previous_value)})."
            previous = (field, label, value)
        if self.announce_at and not self.judging_starts_at and "announce_at" not in errors:
            errors["judging_starts_at"] = "Enter when judging starts, because an announcement date is set."
        if errors:
            raise ValidationError(errors)

    # Once winners are announced, these record what happened, so publishing an older revision keeps them.
    ANNOUNCEMENT_FIELDS = ("announced_at", "judging_starts_at", "judging_ends_at", "announce_at", "status_override")

    def with_content_json(self, content):
        """Wagtail builds the page from a revision with this; the announcement is not editorial content, so the
        live page's record of it wins over whatever a revision saved before it happened."""
        page = super().with_content_json(content)
        if self.announced_at:
            for name in self.ANNOUNCEMENT_FIELDS:
                setattr(page, name, getattr(self, name))
        else:
            page.announced_at = None
        return page

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        content = challenge_content(self, request)
        context["content"] = content
        stages = content.stages
        now = timezone.now()
        opened = [stage for stage in stages if stage.opens_at <= now]
        context["stages"] = stages
        context["current_stage"] = opened[-1] if opened and len(stages) > 1 and not self.announced_at else None
        context["current_stage_number"] = len(opened)
        return context


class ChallengeFAQ(Orderable):
    page = ParentalKey(ChallengePage, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(max_length=300)
    answer = RichTextField(features=RICH_TEXT_FEATURES)

    panels = [FieldPanel("question"), FieldPanel("answer")]

    def __str__(self) -> str:
        return self.question
