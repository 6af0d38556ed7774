"""Fixtures shared by the tests of the supervisors' screens."""

import uuid

import pytest
from django.core.cache import cache

from accounts import services as accounts
from accounts.models import Organisation, Role
from oversight.selectors import STAFF_CACHE_KEY
from tests.conftest import PASSWORD


@pytest.fixture
def officer(make_user):
    return make_user(Role.PREVENT_OFFICER)


@pytest.fixture
def named(make_organisation):
    """Make a Prevent officer with the given full name."""

    def make(full_name):
        return accounts.create_user(
            by=None,
            email=f"{uuid.uuid4().hex[:10]}@police.example",
            full_name=full_name,
            organisation=make_organisation(Organisation.Kind.POLICE_PREVENT),
            roles=[Role.PREVENT_OFFICER],
            password=PASSWORD,
        )

    return make


@pytest.fixture(autouse=True)
def fresh_staff_list():
    """The user filter's list is cached for a minute: each test makes its own users."""
    cache.delete(STAFF_CACHE_KEY)  # not clear(): on Redis that empties every test worker's cache
    yield
    cache.delete(STAFF_CACHE_KEY)  # not clear(): on Redis that empties every test worker's cache


@pytest.fixture
def supervisor(signed_in):
    return signed_in(Role.SUPERVISOR)


@pytest.fixture
def partner(make_user):
    return make_user(Role.REFERRER)
