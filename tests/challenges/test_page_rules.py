from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from challenges.models import ChallengeIndexPage, ChallengePage, Sponsor, Theme
from home.models import HomePage, StandardPage
from tests.factories.accounts import enable_two_factor
from tests.factories.admin_forms import stage_row, stages_formset


class PageTypeRulesTests(WagtailPageTestCase):
    @staticmethod
    def create_test_user():
        """Wagtail's test superuser, with the authenticator app every admin user needs."""
        user = WagtailPageTestCase.create_test_user()
        enable_two_factor(user)
        return user

    def test_home_page_sits_at_the_root_and_holds_listings_and_standard_pages(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(HomePage, {ChallengeIndexPage, StandardPage})

    def test_challenge_index_lives_under_home_or_another_index(self):
        self.assertAllowedParentPageTypes(ChallengeIndexPage, {HomePage, ChallengeIndexPage})
        self.assertAllowedSubpageTypes(ChallengeIndexPage, {ChallengeIndexPage, ChallengePage})

    def test_challenge_lives_only_in_an_index_and_has_no_children(self):
        self.assertAllowedParentPageTypes(ChallengePage, {ChallengeIndexPage})
        self.assertAllowedSubpageTypes(ChallengePage, set())
        self.assertCanNotCreateAt(HomePage, ChallengePage)
        self.assertCanNotCreateAt(StandardPage, ChallengePage)

    def test_only_one_home_page(self):
        root = Page.get_first_root_node()
        self.assertFalse(HomePage.can_create_at(root))

    def test_a_manager_can_create_a_challenge_through_the_admin_form(self):
        home = HomePage.objects.get()
        sponsor = Sponsor.objects.create(name="Brindleford City Council", slug="brindleford")
        section = ChallengeIndexPage(title="Brindleford", slug="brindleford", sponsor=sponsor)
        home.add_child(instance=section)
        theme = Theme.objects.get(slug="wellbeing")
        opens = timezone.localtime() + timedelta(days=1)
        self.login()
        self.assertCanCreate(
            section,
            ChallengePage,
            nested_form_data(
                {
                    "title": "Living well at home",
                    "slug": "living-well-at-home",
                    "summary": "Help people stay independent for longer.",
                    "sponsor": sponsor.pk,
                    "themes": theme.pk,
                    "problem_statement": streamfield([("paragraph", rich_text("<p>The problem.</p>"))]),
                    "what_we_seek": rich_text("<p>Sensors residents control.</p>"),
                    "eligibility": rich_text("<p>UK organisations.</p>"),
                    "funding_available": "80000",
                    "faqs": inline_formset([{"question": "Can I apply?", "answer": rich_text("<p>Yes.</p>")}]),
                    "stages": stages_formset(
                        stage_row(
                            opens.strftime("%Y-%m-%d %H:%M"), (opens + timedelta(days=30)).strftime("%Y-%m-%d %H:%M")
                        )
                    ),
                }
            ),
        )


@pytest.mark.django_db
def test_a_sponsor_has_at_most_one_section(listing, sponsor_index, sponsor):
    from django.core.exceptions import ValidationError

    second = ChallengeIndexPage(title="Again", slug="again", sponsor=sponsor)
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert error.value.message_dict["sponsor"] == ["This sponsor already has its own challenges section."]
