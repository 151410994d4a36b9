"""Bad input on the sign-up page found by tests/fuzz (tests/fuzz/test_signup.py)."""

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-and-unusual-passphrase"


@pytest.mark.parametrize("email", ["a" * 243 + "@example.com", "a" * 250 + "@x.co"])
def test_an_email_longer_than_254_characters_is_refused_with_a_message(client, email):
    assert len(email) == 255
    response = client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})

    assert response.status_code == 200
    assert "254 characters or fewer" in response.content.decode()
    assert not User.objects.exists()
