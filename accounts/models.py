from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone


class UserManager(BaseUserManager):
    """Creates users identified by email address alone; there are no usernames."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(**{f"{self.model.USERNAME_FIELD}__iexact": username})


class User(AbstractUser):
    """A person who signs in with an email address: supplier, judge, manager or administrator."""

    username = None
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(models.functions.Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


COMPANIES_HOUSE_PREFIXES = frozenset(
    {
        # Companies: England and Wales have no prefix; Scotland; Northern Ireland after and before partition.
        "SC", "NI", "R0",
        # Limited liability partnerships and limited partnerships (England and Wales, Scotland, Northern Ireland).
        "OC", "SO", "NC", "LP", "SL", "NL",
        # Scottish qualifying partnerships; charitable incorporated organisations (England and Wales, Scotland).
        "SG", "CE", "CS",
        # Overseas companies and the Register of Overseas Entities.
        "FC", "SF", "NF", "OE",
        # Assurance companies; unregistered companies (s.1043); European Economic Interest Groupings; Societas Europaea.
        "AC", "SA", "NA", "ZC", "SZ", "NZ", "GE", "GS", "GN", "SE", "ES", "EN",
        # Industrial and provident societies, credit unions, investment companies with variable capital, royal charters.
        "IP", "SP", "NP", "NO", "IC", "SI", "NV", "RC", "SR", "NR",
    }
)  # fmt: skip
COMPANIES_HOUSE_NUMBER_MESSAGE = "Enter a Companies House number in the correct format, like 01234567 or SC123456"


def validate_companies_house_number(value: str) -> None:
    """Eight characters: eight digits, or a registry prefix Companies House really issues and six digits.

    Checking the prefix against the issued set catches the common slip of typing a VAT or charity
    number, which a bare "two letters and six digits" pattern would let through.
    """
    if len(value) == 8 and value.isascii():
        if value.isdigit():
            return
        if value[:2] in COMPANIES_HOUSE_PREFIXES and value[2:].isdigit():
            return
    raise ValidationError(COMPANIES_HOUSE_NUMBER_MESSAGE, code="invalid")


class CompaniesHouseNumberField(models.CharField):
    """A Companies House number kept in one canonical form: upper case, no spaces, NULL when not given.

    People copy numbers from letters and PDFs with spaces and lower case; normalising here means the
    same company cannot be registered twice under two spellings. NULL rather than "" lets the unique
    index apply only to organisations that gave a number.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 8)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        return "".join(value.split()).upper() or None

    def get_prep_value(self, value):
        return self.to_python(super().get_prep_value(value))


class Organisation(models.Model):
    """A supplier: a company, social enterprise, university or other body that submits proposals."""

    class Size(models.TextChoices):
        MICRO = "micro", "Micro (fewer than 10 employees)"
        SMALL = "small", "Small (10 to 49 employees)"
        MEDIUM = "medium", "Medium (50 to 249 employees)"
        LARGE = "large", "Large (250 or more employees)"

    class Sector(models.TextChoices):
        TECHNOLOGY = "technology", "Technology"
        SOCIAL_ENTERPRISE = "social_enterprise", "Social enterprise or charity"
        CONSULTANCY = "consultancy", "Consultancy or professional services"
        ACADEMIC = "academic", "University or research organisation"
        PUBLIC_SECTOR = "public_sector", "Public sector"
        OTHER = "other", "Other"

    class Region(models.TextChoices):
        NORTH_EAST = "north_east", "North East"
        NORTH_WEST = "north_west", "North West"
        YORKSHIRE = "yorkshire_and_the_humber", "Yorkshire and the Humber"
        EAST_MIDLANDS = "east_midlands", "East Midlands"
        WEST_MIDLANDS = "west_midlands", "West Midlands"
        EAST_OF_ENGLAND = "east_of_england", "East of England"
        LONDON = "london", "London"
        SOUTH_EAST = "south_east", "South East"
        SOUTH_WEST = "south_west", "South West"
        WALES = "wales", "Wales"
        SCOTLAND = "scotland", "Scotland"
        NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True, editable=False)
    companies_house_number = CompaniesHouseNumberField(
        "Companies House number",
        unique=True,
        null=True,
        blank=True,
        validators=[validate_companies_house_number],
        error_messages={
            "unique": "An organisation with this Companies House number is already registered. "
            "Ask one of its owners to invite you."
        },
    )
    size = models.CharField(max_length=20, choices=Size.choices)
    sector = models.CharField(max_length=40, choices=Sector.choices)
    region = models.CharField(max_length=40, choices=Region.choices)
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", through_fields=("organisation", "user"), related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's place in an organisation. Owners manage the profile and the people; members take part."""

    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="accounts_membership_once_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.user}, {self.get_role_display().lower()} of {self.organisation}"

    @property
    def is_owner(self) -> bool:
        return self.role == self.Role.OWNER


class FormerMembership(models.Model):
    """A membership that ended: who left which organisation, and when they had joined and left it.

    Memberships are deleted when someone leaves or is removed; this keeps the record, because having belonged to
    an organisation while it prepared a proposal is a conflict of interest for anyone judging that proposal.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="former_memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="former_memberships")
    role = models.CharField(max_length=20, choices=Membership.Role.choices)
    joined_at = models.DateTimeField()
    left_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["organisation", "left_at"]
        indexes = [models.Index(fields=["user", "organisation"])]

    def __str__(self) -> str:
        return f"{self.user}, formerly of {self.organisation}"


def invitation_expiry():
    """Read the setting at call time so tests and deployments can change it without a migration."""
    return timezone.now() + timedelta(days=getattr(settings, "INVITATION_EXPIRY_DAYS", 14))


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor revoked; it may still have expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True)


class EmailInvitation(models.Model):
    """What every emailed invitation records: who, who asked, when it was sent and until when it works, and
    whether it was accepted or revoked. Organisations and judging panels each add what the invitation is to.

    Expiry, revocation and acceptance live on the row rather than in the signed link, so re-sending extends
    the same link and revoking stops it at once.
    """

    email = models.EmailField("email address")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    sent_count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(default=invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def prepare_to_send(self, *, by) -> None:
        """Ready to email, again or for the first time: from ``by``, sent now, valid from now, one more send."""
        self.invited_by = by
        self.sent_at = timezone.now()
        self.expires_at = invitation_expiry()
        self.sent_count += 1


class Invitation(EmailInvitation):
    """An owner's invitation for someone to join, sent by email as a signed link.

    At most one open invitation exists per address and organisation: inviting the same person again
    re-sends it with a fresh expiry instead of piling up links that all work.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(max_length=20, choices=Membership.Role.choices, default=Membership.Role.MEMBER)

    class Meta(EmailInvitation.Meta):
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="accounts_invitation_one_open_per_email",
                violation_error_message="This person already has an invitation to this organisation.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None
