"""Bad input on the section pages found by tests/fuzz, each fixed and kept fixed here."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from submissions.services import proposal_start
from tests.submissions.conftest import PDF, question_ids

pytestmark = pytest.mark.django_db

NULL_MESSAGE = "Your answer contains a null character, which cannot be saved. Remove it and try again."


def test_a_nul_byte_in_an_answer_is_refused_with_a_message_and_the_rest_is_kept(
    supplier_client, challenge, organisation, supplier
):
    """PostgreSQL cannot store NUL in a text column or JSON: it used to be a server error that lost the page."""
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    names = question_ids(challenge)
    response = supplier_client.post(
        reverse("submissions:section", args=[proposal.pk, 1]),
        {names["Product name"]: "Rent\x00Alert", names["Describe your solution"]: "An early warning."},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert NULL_MESSAGE in body
    assert f'href="#{names["Product name"]}"' in body
    assert 'value="Rent\x00Alert"' in body
    proposal.refresh_from_db()
    assert proposal.answers[names["Describe your solution"][2:]] == "An early warning."
    assert names["Product name"][2:] not in proposal.answers


@pytest.mark.parametrize("field", ["title", "public_summary"])
def test_a_nul_byte_in_the_title_or_summary_is_refused(supplier_client, challenge, organisation, supplier, field):
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    response = supplier_client.post(
        reverse("submissions:section", args=[proposal.pk, 0]), {f"q-{field}": "Rent\x00Alert", "return": "1"}
    )

    assert response.status_code == 400
    assert NULL_MESSAGE in response.content.decode()
    proposal.refresh_from_db()
    assert getattr(proposal, field) == ""


@pytest.mark.parametrize("kind", ["multiple_choice", "date"])
def test_a_nul_byte_in_a_choice_or_date_part_is_refused(supplier_client, challenge, organisation, supplier, kind):
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    names = question_ids(challenge)
    index, data = {
        "multiple_choice": (1, {names["Who benefits"]: ["Staff\x00"]}),
        "date": (2, {f"{names['Earliest start date']}-{part}": f"1{part[0]}\x00" for part in ("day", "month", "year")}),
    }[kind]

    response = supplier_client.post(reverse("submissions:section", args=[proposal.pk, index]), data)

    assert response.status_code == 400
    assert NULL_MESSAGE in response.content.decode()


@pytest.mark.parametrize("name", ["★.pdf", "&.pdf", "——.pdf", "(!).pdf"])
def test_a_pdf_whose_name_has_no_letters_is_stored_as_file_pdf(
    supplier_client, challenge, organisation, supplier, name
):
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    names = question_ids(challenge)
    response = supplier_client.post(
        reverse("submissions:section", args=[proposal.pk, 2]),
        {
            names["Can you start within 6 weeks?"]: "maybe",
            names["Project plan"]: SimpleUploadedFile(name, PDF, content_type="application/pdf"),
        },
    )

    assert response.status_code == 400  # for the yes/no answer, re-shown with its error
    assert 'href="#' + names["Can you start within 6 weeks?"] in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.attachments.get().name == "file.pdf"


@pytest.mark.parametrize("typed", ["1e999999999", "-1e999999999", "1e-999999999"])
def test_a_number_too_big_or_small_for_decimal_arithmetic_gets_a_message_not_a_server_error(
    supplier_client, challenge, organisation, supplier, typed
):
    """``abs()`` of 1e999999999 overflowed Python's default decimal context: a 500 that lost the page."""
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    names = question_ids(challenge)
    response = supplier_client.post(
        reverse("submissions:section", args=[proposal.pk, 1]),
        {names["Cost of the pilot"]: typed, names["Product name"]: "Rent Alert"},
    )

    body = response.content.decode()
    assert response.status_code == 400
    assert "Enter a number, like 25000" in body
    assert f'value="{typed}"' in body
    proposal.refresh_from_db()
    assert proposal.answers[names["Product name"][2:]] == "Rent Alert"


def test_a_number_with_many_digits_is_stored_exactly_as_typed(supplier_client, challenge, organisation, supplier):
    """Normalising in the default 28-digit context rounded 1.000…0001 to 1: a silent change to the answer."""
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    names = question_ids(challenge)
    typed = "12345.000000000000000000000000000001"
    response = supplier_client.post(
        reverse("submissions:section", args=[proposal.pk, 1]), {names["Cost of the pilot"]: typed, "return": "1"}
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.answers[names["Cost of the pilot"][2:]] == typed


@pytest.mark.parametrize("part", ["day", "month"])
def test_a_date_part_of_many_digits_is_not_a_real_date(supplier_client, challenge, organisation, supplier, part):
    proposal = proposal_start(challenge=challenge, organisation=organisation, by=supplier)
    start = question_ids(challenge)["Earliest start date"]
    typed = {"day": "1", "month": "3", "year": "2027", part: "9" * 40}

    response = supplier_client.post(
        reverse("submissions:section", args=[proposal.pk, 2]), {f"{start}-{key}": value for key, value in typed.items()}
    )

    assert response.status_code == 400
    assert "The date must be a real date, like 27 3 2027" in response.content.decode()
    assert f'value="{"9" * 40}"' in response.content.decode()
