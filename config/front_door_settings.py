"""Settings of the public front door (front_door/), read from the environment; imported by config.settings.

Set per force, no code changes: the force's name, area and routes to its Prevent team, and the limits on the
public "get in touch" form.
"""

import environ

env = environ.Env()
__all__ = [
    "FORCE_NAME",
    "FORCE_AREA",
    "FORCE_PREVENT_EMAIL",
    "FORCE_ADVICE_PHONE",
    "FORCE_TEXT_RELAY",
    "PUBLIC_REFERRALS_ORGANISATION",
    "RATE_LIMIT_PUBLIC_CONTACT_ADDRESS",
    "RATE_LIMIT_PUBLIC_CONTACT_UNCHECKED",
    "RATE_LIMIT_PUBLIC_CONTACT_ALL",
    "ALTCHA_MAX_NUMBER",
    "ALTCHA_MINUTES",
]

# The force this deployment serves, named on the public pages.
FORCE_NAME = env("FORCE_NAME", default="Example Police")
FORCE_AREA = env("FORCE_AREA", default="Exampleshire")
FORCE_PREVENT_EMAIL = env("FORCE_PREVENT_EMAIL", default="prevent@example.police.uk")
FORCE_ADVICE_PHONE = env("FORCE_ADVICE_PHONE", default="101")
FORCE_TEXT_RELAY = env("FORCE_TEXT_RELAY", default="18001 101")
# Referrals recorded for members of the public are counted under this organisation (sector: community).
PUBLIC_REFERRALS_ORGANISATION = env("PUBLIC_REFERRALS_ORGANISATION", default="Members of the public")

# The public "get in touch" form (no sign-in): per client address, tighter without the proof-of-work check, and
# for the whole service, so a flood from many addresses cannot bury the team.
RATE_LIMIT_PUBLIC_CONTACT_ADDRESS = env("RATE_LIMIT_PUBLIC_CONTACT_ADDRESS", default="10/h")
RATE_LIMIT_PUBLIC_CONTACT_UNCHECKED = env("RATE_LIMIT_PUBLIC_CONTACT_UNCHECKED", default="3/h")
RATE_LIMIT_PUBLIC_CONTACT_ALL = env("RATE_LIMIT_PUBLIC_CONTACT_ALL", default="500/h")
# ALTCHA proof-of-work (self-hosted, no third party): how hard, and how long a challenge may be answered.
ALTCHA_MAX_NUMBER = env.int("ALTCHA_MAX_NUMBER", default=50_000)
ALTCHA_MINUTES = env.int("ALTCHA_MINUTES", default=30)
