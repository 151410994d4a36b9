"""Signing up (allauth's form, through the real page): any email and passwords give either a new account whose
email is what was typed (stripped and lower-cased, as allauth documents) or the form again with the email as
typed and each error linked from the summary. Passwords are never shown again, by design."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import User
from tests.fuzz.conftest import FUZZ, around, html, rolled_back, summary_links, text

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

GOOD_PASSWORD = "a-long-and-unusual-passphrase"
EMAILS = st.one_of(
    st.emails(),
    st.emails().map(lambda e: f"  {e.upper()} "),
    st.sampled_from(
        [
            "",
            "ada@example.com",
            "ada@exämple.com",
            "zoë@example.com",
            "ada@example",
            "@example.com",
            "ada@@example.com",
            "ada@example.com\x00",
            "<script>@example.com",
            "a" * 250 + "@x.co",
            "ada@" + "b" * 63 + ".com",
            "ada@example.com\nBcc: eve@example.com",
        ]
    ),
    text(40),
    around(254, "a").map(lambda s: s[:-12] + "@example.com"),
)
PASSWORDS = st.one_of(
    st.just(GOOD_PASSWORD), st.sampled_from(["", "password", "12345678", "\x00" * 12, GOOD_PASSWORD + "\x00"]), text(30)
)


@FUZZ
@given(email=EMAILS, password1=PASSWORDS, same=st.booleans(), password2=PASSWORDS)
def test_sign_up_creates_the_account_typed_or_shows_the_form_again(client, db, email, password1, same, password2):
    password2 = password1 if same else password2
    with rolled_back():
        client.cookies.clear()
        response = client.post(
            reverse("account_signup"), {"email": email, "password1": password1, "password2": password2}
        )

        assert response.status_code in (200, 302, 400), (response.status_code, html(response)[-3000:])
        if response.status_code == 302:
            assert "\x00" not in email + password1 + password2
            user = User.objects.get()
            assert user.email == email.strip().lower()
            assert user.check_password(password1)
            return
        assert not User.objects.exists()
        links = summary_links(response)
        assert links, "the form came back without an error summary"
        page = html(response)
        for anchor in links:
            assert f'id="{anchor}"' in page, anchor
        assert (
            f'name="email" value="{escape(email)}"' in page
            or f'value="{escape(email)}"' in page
            or (email.strip() == "" and 'name="email"' in page)
        ), email
