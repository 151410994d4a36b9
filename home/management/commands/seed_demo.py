from django.core.management.base import BaseCommand, CommandError

from challenges.models import ChallengeIndexPage
from home.demo.builder import DEMO_TOTP_SECRET, build_demo_site
from home.demo.scale import add_generated_challenges

DEFAULT_PASSWORD = "urban-challenge-demo"


class Command(BaseCommand):
    help = (
        "Build the demo site: sponsors, themes, a challenge in every lifecycle status, an administrator and a "
        "challenge manager per sponsor. Safe to run again. For demonstration and benchmarks only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password for every demo account.")
        parser.add_argument("--scale", type=int, default=0, metavar="N", help="Also add N generated challenges.")

    def handle(self, *args, password: str, scale: int, **options):
        if len(password) < 12:
            raise CommandError("Use a password of at least 12 characters.")
        if scale < 0:
            raise CommandError("--scale must be zero or more.")
        credentials = build_demo_site(password=password)
        self.stdout.write(self.style.SUCCESS("Demo site ready."))
        if scale:
            sections = list(ChallengeIndexPage.objects.filter(sponsor__isnull=False).order_by("path"))
            share, extra = divmod(scale, len(sections))
            for position, section in enumerate(sections):
                add_generated_challenges(section=section, count=share + (1 if position < extra else 0))
            self.stdout.write(f"Added {scale} generated challenges.")
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
