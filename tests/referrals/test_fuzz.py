"""Whatever is typed into the form, the answer is a page or a redirect, never a server error."""

import os

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Role
from referrals import sections
from tests.referrals.factories import make_draft

# Text as people (and attackers) type it: any unicode, control characters, very long strings,
# plus values that look like what the fields expect.
values = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=30000),
    st.sampled_from(["", " ", "0", "-1", "2010", "31", "13", "99999999999999999999", "yes", "no", "exact", "age"]),
    st.lists(st.text(max_size=20), max_size=3),
)
FIELDS = sorted(
    {name for section in sections.SECTIONS for name in section.form.base_fields}
    | {"date_of_birth_day", "date_of_birth_month", "date_of_birth_year"}
)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def referrer(signed_in, settings):
    # Forty examples from one user would pass the advice limit (20 an hour): the fuzz is about what input does,
    # and the limit has its own tests (tests/accounts/test_limits.py).
    settings.RATE_LIMIT_ADVICE_MESSAGES = "1000/h"
    return signed_in(Role.REFERRER)


@pytest.mark.parametrize("slug", [section.slug for section in sections.SECTIONS])
@FUZZ
@given(data=st.dictionaries(st.sampled_from(FIELDS), values, max_size=len(FIELDS)))
def test_no_input_makes_a_question_page_fail(referrer, slug, data):
    draft = make_draft(referrer.user)
    response = referrer.post(reverse("referrals:section", args=[draft.pk, slug]), data)
    assert response.status_code in (200, 302)


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["question", "body", "organisation", "advice"]), values))
def test_no_input_makes_the_advice_pages_fail(referrer, data):
    response = referrer.post(reverse("referrals:advice_new"), data)
    assert response.status_code in (200, 302)


@FUZZ
@given(
    # Any name a browser could send (Django's own upload class refuses names that are only a path).
    name=st.text(min_size=1, max_size=300).filter(lambda name: os.path.basename(name) not in ("", ".", "..")),
    content=st.binary(max_size=4096),
)
def test_no_upload_makes_the_attachments_page_fail(referrer, name, content):
    from tests.referrals.factories import uploaded

    draft = make_draft(referrer.user)
    response = referrer.post(reverse("referrals:attachments", args=[draft.pk]), {"files": [uploaded(name, content)]})
    assert response.status_code in (200, 302)
