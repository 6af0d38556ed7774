"""Where a request comes from, taken safely, for the audit trail and for lockouts."""

import ipaddress
import secrets
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None
    request_id: str


current: ContextVar[RequestContext | None] = ContextVar("audit_request_context", default=None)


def _is_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES)


def client_ip(request) -> str | None:
    """Return the client's address: X-Forwarded-For is believed only as far back as trusted proxies go."""
    address = request.META.get("REMOTE_ADDR") or None
    if address is None or not _is_trusted_proxy(address):
        return address
    forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    # Walk from the nearest hop outwards; the first address not ours is the client.
    for hop in reversed(forwarded):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return address
        if not _is_trusted_proxy(hop):
            return hop
        address = hop
    return address


def context_for(request) -> RequestContext:
    """Build the audit context of one request."""
    return RequestContext(ip_address=client_ip(request), request_id=secrets.token_hex(8))
