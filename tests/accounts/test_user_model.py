import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError

from accounts.models import User


@pytest.mark.django_db
def test_people_sign_in_with_their_email_address_in_any_case():
    User.objects.create_user("Ada.Lovelace@Example.org", "a long enough password", first_name="Ada")
    assert authenticate(username="ada.lovelace@example.org", password="a long enough password")
    assert authenticate(username="ADA.LOVELACE@EXAMPLE.ORG", password="a long enough password")


@pytest.mark.django_db
def test_one_account_per_email_address_whatever_the_case():
    User.objects.create_user("ada@example.org", "a long enough password")
    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="ADA@example.org")])


@pytest.mark.django_db
def test_superuser_needs_no_username():
    admin = User.objects.create_superuser("root@example.org", "a long enough password")
    assert admin.is_staff and admin.is_superuser
    assert not hasattr(admin, "username") or admin.username is None
    assert str(admin) == "root@example.org"


def test_an_email_address_is_required():
    with pytest.raises(ValueError, match="email address is required"):
        User.objects.create_user("", "a long enough password")
