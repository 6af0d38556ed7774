from django.apps import AppConfig


class OversightConfig(AppConfig):
    """The supervisors' screens over the audit trail: search, exports and alerts on unusual access.

    The trail itself (models, `record`, the chain, triggers, refusals, the verifier) is `audit`, which every app
    imports; this app sits at the top because its screens read cases, referrals and accounts.
    """

    name = "oversight"
    verbose_name = "Oversight of the audit trail"
