"""A flood of 1,000 submissions from one address, against the running server over HTTP (not the test client):
throttled after the limit, and every accepted one kept with its own reference."""

import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from audit.models import AuditEvent
from front_door.models import PublicContact

FLOOD = 1000
LIMIT = 40
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True)
def test_a_flood_from_one_address_is_throttled_and_loses_no_accepted_message(live_server, settings):
    settings.RATE_LIMIT_PUBLIC_CONTACT_UNCHECKED = f"{LIMIT}/h"
    settings.RATE_LIMIT_PUBLIC_CONTACT_ADDRESS = "100/h"
    settings.RATE_LIMIT_PUBLIC_CONTACT_ALL = "5000/h"
    opener = urllib.request.build_opener(NoRedirect)
    url = f"{live_server.url}/public/get-in-touch/"
    form = opener.open(url)
    token = TOKEN.search(form.read().decode()).group(1)
    # The cookies are Secure, which urllib keeps off plain http: send them back as a browser on localhost would.
    cookies = "; ".join(value.split(";")[0] for value in form.headers.get_all("Set-Cookie"))
    statuses = []
    for number in range(FLOOD):
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "concern": f"Flood message {number}",
                "relationship": "other",
                "relationship_other": "a script",
            }
        ).encode()
        request = urllib.request.Request(url, data=body, headers={"Referer": url, "Cookie": cookies})
        try:
            statuses.append(opener.open(request).status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
    assert statuses[:LIMIT] == [302] * LIMIT
    assert statuses[LIMIT:] == [429] * (FLOOD - LIMIT)
    kept = PublicContact.objects.order_by("received_at", "pk")
    assert sorted(int(text.split()[-1]) for text in kept.values_list("concern", flat=True)) == list(range(LIMIT))
    assert len(set(kept.values_list("reference", flat=True))) == LIMIT
    assert AuditEvent.objects.filter(action="public.contact_received").count() == LIMIT
    # Past the tighter limit for unchecked forms first, then past the address's own (which counts every attempt).
    refused = AuditEvent.objects.filter(action="access.rate_limited").values_list("details__limit", flat=True)
    assert sorted(set(refused)) == ["public_contact_address", "public_contact_unchecked"]
    assert len(refused) == FLOOD - LIMIT
