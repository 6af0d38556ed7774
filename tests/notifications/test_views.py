"""The notification centre: a user's own notices, paged in a fixed number of queries, read one by one or all."""

from django.urls import reverse

from accounts.models import Role
from notifications.models import Notification
from notifications.services import mark_all_read, notify

K = Notification.Kind


def leave(user, count, reference="PC-VIEW2345", link="/cases/"):
    for number in range(count):
        notify([user], kind=K.CASE_ASSIGNED, reference=f"{reference[:-2]}{number:02d}", link=link)


def test_the_list_shows_only_ones_own_notifications_a_page_at_a_time(signed_in, make_user, settings):
    settings.PAGE_SIZE = 10
    client = signed_in(Role.PREVENT_OFFICER)
    leave(client.user, 15)
    leave(make_user(Role.PREVENT_OFFICER), 1, reference="PC-OTHER999")
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "15 notifications, newest first" in body and "PC-VIEW2314" in body and "PC-OTHER9" not in body
    assert len(response.context["rows"]) == 10
    assert "Page 1 of 2" in body
    second = client.get(reverse("notifications:list"), {"page": 2})
    assert len(second.context["rows"]) == 5
    assert client.get(reverse("notifications:list"), {"page": "nonsense"}).status_code == 200


def test_the_list_runs_a_fixed_number_of_queries_whatever_the_count(signed_in, django_assert_max_num_queries, settings):
    settings.PAGE_SIZE = 10
    client = signed_in(Role.PREVENT_OFFICER)
    leave(client.user, 3)
    # Session, user, device, roles; the page count; the page. The header's unread count comes from the cache
    # (filled at sign-in, added to by each new notice); a miss would cost one indexed COUNT.
    with django_assert_max_num_queries(6):
        client.get(reverse("notifications:list"))
    leave(client.user, 40)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("notifications:list"), {"page": 2})
    assert '43<span class="govuk-visually-hidden"> unread</span>' in response.content.decode()


def test_the_header_shows_the_unread_count_on_every_page(signed_in):
    client = signed_in(Role.REFERRER)
    leave(client.user, 3)
    body = client.get(reverse("pages:home")).content.decode()
    assert '3<span class="govuk-visually-hidden"> unread</span>' in body
    client.post(reverse("notifications:read_all"))
    body = client.get(reverse("accounts:security")).content.decode()
    assert 'href="/notifications/">Notifications</a>' in body


def test_opening_a_notification_marks_it_read_and_follows_its_link(signed_in):
    client = signed_in(Role.PREVENT_OFFICER)
    leave(client.user, 1, link="/cases/")
    notification = Notification.objects.get(recipient=client.user)
    response = client.post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/cases/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_link_leaving_the_service_is_never_followed(signed_in):
    client = signed_in(Role.PREVENT_OFFICER)
    leave(client.user, 1, link="//evil.example/")
    notification = Notification.objects.get(recipient=client.user)
    response = client.post(reverse("notifications:read", args=[notification.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_someone_elses_notification_is_not_found_and_stays_unread(signed_in, make_user):
    client = signed_in(Role.PREVENT_OFFICER)
    other = make_user(Role.PREVENT_OFFICER)
    leave(other, 1)
    notification = Notification.objects.get(recipient=other)
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_all_read_touches_only_ones_own(signed_in, make_user):
    client = signed_in(Role.PREVENT_OFFICER)
    other = make_user(Role.PREVENT_OFFICER)
    leave(client.user, 2)
    leave(other, 2)
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "All notifications marked as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=client.user, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 2


def test_reading_is_by_post_only(signed_in):
    client = signed_in(Role.PREVENT_OFFICER)
    leave(client.user, 1)
    notification = Notification.objects.get(recipient=client.user)
    assert client.get(reverse("notifications:read", args=[notification.pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_opening_the_record_a_notice_points_at_marks_it_read_however_it_was_reached(signed_in, make_user):
    from tests.referrals.factories import make_referral

    client = signed_in(Role.SUPERVISOR)
    case = make_referral(make_user(Role.REFERRER)).case
    mark_all_read(by=client.user)  # the new referral's notice
    leave(client.user, 1, reference="PC-SIGN0001", link=reverse("cases:detail", args=[case.pk]))
    leave(client.user, 1, reference="PC-OTHER001", link="/cases/")
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert '1<span class="govuk-visually-hidden"> unread</span>' in body  # the other one is still unread
    assert Notification.objects.get(reference="PC-SIGN0000").read_at is not None
    assert Notification.objects.get(reference="PC-OTHER000").read_at is None
    client.get("/cases/")  # a list page: its notices wait to be opened (and the list keeps its queries)
    assert Notification.objects.get(reference="PC-OTHER000").read_at is None


def test_a_notice_opened_from_the_home_page_is_marked_read(signed_in):
    client = signed_in(Role.PREVENT_OFFICER)
    leave(client.user, 1, reference="PC-HOME0001", link="/cases/")
    notice = Notification.objects.get()
    body = client.get(reverse("pages:home")).content.decode()
    assert f'action="{reverse("notifications:read", args=[notice.pk])}"' in body
    response = client.post(reverse("notifications:read", args=[notice.pk]))
    assert response["Location"] == "/cases/"
    notice.refresh_from_db()
    assert notice.read_at is not None
