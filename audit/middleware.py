from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware

from audit import context


class AuditContextMiddleware:
    """Remember where this request comes from, so services can audit without being handed the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.audit_context = context.context_for(request)
        token = context.current.set(request.audit_context)
        try:
            return self.get_response(request)
        finally:
            context.current.reset(token)


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """django-auditlog's middleware, with the client address that cannot be forged by a header."""

    @staticmethod
    def _get_remote_addr(request):
        return context.client_ip(request)
