"""Saved queue filters: each user's own, named, at most twenty, audited when saved and deleted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from audit.models import AuditEvent
from cases import saved_filters
from cases.models import MAX_SAVED_FILTERS, SavedQueueFilter


@pytest.fixture
def officer(make_user):
    return make_user(Role.PREVENT_OFFICER)


def test_saving_keeps_only_the_chosen_filters_and_is_audited(officer):
    saved = saved_filters.save_queue_filter(
        by=officer, name="My overdue", filters={"status": "", "assigned": "me", "overdue": True, "repeats": False}
    )
    assert saved.filters == {"assigned": "me", "overdue": True}
    event = AuditEvent.objects.get(action="queue_filter.saved")
    assert event.target_id == str(saved.pk) and event.details == {"fields": ["assigned", "overdue"]}


def test_names_are_unique_per_user_but_two_users_may_share_one(officer, make_user):
    saved_filters.save_queue_filter(by=officer, name="Mine", filters={})
    with pytest.raises(ValidationError, match="already have"):
        saved_filters.save_queue_filter(by=officer, name="mine ", filters={})
    saved_filters.save_queue_filter(by=make_user(Role.PREVENT_OFFICER), name="Mine", filters={})


def test_a_user_may_save_at_most_twenty(officer):
    for number in range(MAX_SAVED_FILTERS):
        saved_filters.save_queue_filter(by=officer, name=f"Filter {number}", filters={})
    with pytest.raises(ValidationError, match="up to 20"):
        saved_filters.save_queue_filter(by=officer, name="One more", filters={})


def test_only_the_owner_deletes_and_it_is_audited(officer, make_user):
    saved = saved_filters.save_queue_filter(by=officer, name="Mine", filters={})
    with pytest.raises(PermissionDenied):
        saved_filters.delete_queue_filter(saved, by=make_user(Role.SUPERVISOR))
    pk = saved.pk
    saved_filters.delete_queue_filter(saved, by=officer)
    assert not SavedQueueFilter.objects.exists()
    assert AuditEvent.objects.filter(action="queue_filter.deleted", target_id=str(pk)).exists()


def test_a_referrer_cannot_save_queue_filters(make_user):
    with pytest.raises(PermissionDenied):
        saved_filters.save_queue_filter(by=make_user(Role.REFERRER), name="Mine", filters={})


def test_the_queue_saves_its_filters_and_lists_them_as_links(officer, signed_in):
    client = signed_in(user=officer)
    response = client.post(reverse("cases:save_filter"), {"name": "Overdue repeats", "overdue": "on", "repeats": "on"})
    assert response.status_code == 302
    assert response.url == reverse("cases:queue") + "?overdue=on&repeats=on"
    body = client.get(reverse("cases:queue")).content.decode()
    assert "Overdue repeats" in body and 'href="/cases/?overdue=on&amp;repeats=on"' in body


def test_a_bad_filter_or_missing_name_is_shown_back_with_the_filters_kept(officer, signed_in):
    client = signed_in(user=officer)
    response = client.post(reverse("cases:save_filter"), {"name": "", "assigned": "me"})
    body = response.content.decode()
    assert response.status_code == 200 and "Enter a name for these filters" in body
    assert '<input type="hidden" name="assigned" value="me">' in body
    assert not SavedQueueFilter.objects.exists()
    saved_filters.save_queue_filter(by=officer, name="Taken", filters={})
    response = client.post(reverse("cases:save_filter"), {"name": "Taken"})
    assert response.status_code == 200 and "already have a saved filter" in response.content.decode()


def test_another_users_saved_filter_is_not_there(officer, make_user, signed_in):
    saved = saved_filters.save_queue_filter(by=make_user(Role.PREVENT_OFFICER), name="Theirs", filters={})
    client = signed_in(user=officer)
    assert client.post(reverse("cases:delete_filter", args=[saved.pk])).status_code == 404
    assert "Theirs" not in client.get(reverse("cases:queue")).content.decode()
    assert SavedQueueFilter.objects.filter(pk=saved.pk).exists()


def test_deleting_from_the_queue(officer, signed_in):
    saved = saved_filters.save_queue_filter(by=officer, name="Mine", filters={})
    response = signed_in(user=officer).post(reverse("cases:delete_filter", args=[saved.pk]))
    assert response.status_code == 302 and not SavedQueueFilter.objects.exists()
