from django.core.management.base import BaseCommand, CommandError

from challenges.models import ChallengeIndexPage
from demo.builder import DEMO_TOTP_SECRET, build_demo_site
from demo.scale import add_generated_challenges
from demo.scale_archive import add_archive_entries
from demo.scale_judging import add_judged_challenge

DEFAULT_PASSWORD = "urban-challenge-demo"


class Command(BaseCommand):
    help = (
        "Build the demo site: sponsors, themes, a challenge in every lifecycle status, an administrator and a "
        "challenge manager per sponsor. Safe to run again. For demonstration and benchmarks only; the --scale "
        "options bulk-insert generated data for `make bench` and add more each time they are given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password for every demo account.")
        parser.add_argument("--scale", type=int, default=0, metavar="N", help="Also add N generated challenges.")
        parser.add_argument(
            "--scale-archive", type=int, default=0, metavar="N", help="Also add N generated archive entries."
        )
        parser.add_argument(
            "--scale-proposals",
            type=int,
            default=0,
            metavar="N",
            help="Also add one challenge with N proposals in assessment, every review submitted and scored.",
        )
        parser.add_argument("--scale-judges", type=int, default=5, metavar="N", help="Judges per proposal.")
        parser.add_argument("--scale-panel", type=int, default=50, metavar="N", help="Judges on that panel.")
        parser.add_argument("--scale-criteria", type=int, default=6, metavar="N", help="Criteria in its rubric.")

    def handle(self, *args, password: str, scale: int, **options):
        if len(password) < 12:
            raise CommandError("Use a password of at least 12 characters.")
        self._check_counts(scale=scale, **options)
        credentials = build_demo_site(password=password)
        self.stdout.write(self.style.SUCCESS("Demo site ready."))
        sections = list(ChallengeIndexPage.objects.filter(sponsor__isnull=False).order_by("path"))
        if scale:
            share, extra = divmod(scale, len(sections))
            for position, section in enumerate(sections):
                add_generated_challenges(section=section, count=share + (1 if position < extra else 0))
            self.stdout.write(f"Added {scale} generated challenges.")
        if options["scale_archive"]:
            add_archive_entries(parent=sections[0], count=options["scale_archive"])
            self.stdout.write(f"Added {options['scale_archive']} generated archive entries.")
        if options["scale_proposals"]:
            judged = add_judged_challenge(
                parent=sections[0],
                proposals=options["scale_proposals"],
                judges=options["scale_judges"],
                panel=options["scale_panel"],
                criteria=options["scale_criteria"],
            )
            self.stdout.write(
                f"Added “{judged.challenge.title}” (page {judged.challenge.pk}): {judged.proposals} proposals, "
                f"{judged.reviews} submitted reviews, {judged.scores} scores."
            )
        self._print_credentials(credentials)

    @staticmethod
    def _check_counts(*, scale: int, scale_archive: int, scale_proposals: int, **options) -> None:
        if min(scale, scale_archive, scale_proposals) < 0:
            raise CommandError("--scale, --scale-archive and --scale-proposals must be zero or more.")
        if scale_proposals:
            if min(options["scale_judges"], options["scale_criteria"]) < 1:
                raise CommandError("--scale-judges and --scale-criteria must be at least 1.")
            if options["scale_panel"] < options["scale_judges"]:
                raise CommandError("--scale-panel must be at least --scale-judges.")

    def _print_credentials(self, credentials) -> None:
        self.stdout.write("\nSign in at /account/login/ with:")
        for credential in credentials:
            line = f"  {credential.role}: {credential.email} / {credential.password}"
            if credential.recovery_code:
                line += f" (two-factor recovery code {credential.recovery_code})"
            self.stdout.write(line)
        self.stdout.write(
            f"\nStaff and judge accounts use two-factor sign-in: add the key {DEMO_TOTP_SECRET} to an authenticator "
            "app (or run: oathtool --totp -b KEY), or use a recovery code once."
        )
