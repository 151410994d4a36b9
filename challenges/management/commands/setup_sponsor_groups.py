from django.core.management.base import BaseCommand

from challenges.models import ChallengeIndexPage
from challenges.services import sponsor_grant_manager_access


class Command(BaseCommand):
    help = "Create or repair each sponsor's challenge-manager group, limited to that sponsor's section."

    def handle(self, *args, **options):
        indexes = ChallengeIndexPage.objects.filter(sponsor__isnull=False).select_related("sponsor")
        for index in indexes:
            group = sponsor_grant_manager_access(sponsor=index.sponsor)
            self.stdout.write(f"{group.name}: manages {index.url_path}")
        if not indexes:
            self.stdout.write("No sponsor has a challenge section yet; create one under Challenges first.")
