"""References people quote on the phone and in letters: random, unguessable, never sequential."""

import secrets

# Crockford's base32 without look-alike letters: easy to read out on the phone.
REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_LENGTH = 8


def new_reference(prefix: str, model=None, *, field: str = "reference") -> str:
    """Return a random reference like 'PR-7K3Q9XW2': unguessable, never sequential, no personal data.

    With a model, return one that model does not use yet in `field` (32^8 choices: a clash is very rare).
    The model is passed in: core knows no model of ours.
    """
    while True:
        reference = f"{prefix}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if model is None or not model.objects.filter(**{field: reference}).exists():
            return reference
