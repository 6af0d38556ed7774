import re

from core import references
from core.references import REFERENCE_ALPHABET, new_reference


class _Taken:
    """Stand in for a model: `objects.filter(reference=...).exists()` answers from a set of used references."""

    def __init__(self, used, field="reference"):
        self.used = set(used)
        self.field = field
        self.objects = self

    def filter(self, **lookup):
        self._asked = lookup
        return self

    def exists(self):
        return self._asked in [{self.field: used} for used in self.used]


def test_a_reference_is_the_prefix_and_eight_unambiguous_characters():
    reference = new_reference("PR")
    assert re.fullmatch(r"PR-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}", reference)


def test_the_alphabet_has_no_look_alike_letters():
    assert len(REFERENCE_ALPHABET) == 32
    assert not set("ILOU") & set(REFERENCE_ALPHABET)


def test_references_are_not_sequential_or_repeated():
    made = {new_reference("PC") for _ in range(200)}
    assert len(made) == 200


def test_a_reference_the_model_already_uses_is_not_given_again(monkeypatch):
    letters = iter("A" * 8 + "A" * 8 + "B" * 8)
    monkeypatch.setattr(references.secrets, "choice", lambda alphabet: next(letters))
    model = _Taken({"SA-AAAAAAAA"})
    assert new_reference("SA", model) == "SA-BBBBBBBB"


def test_the_field_checked_can_be_named(monkeypatch):
    letters = iter("C" * 8 + "D" * 8)
    monkeypatch.setattr(references.secrets, "choice", lambda alphabet: next(letters))
    model = _Taken({"DC-CCCCCCCC"}, field="certificate_number")
    assert new_reference("DC", model, field="certificate_number") == "DC-DDDDDDDD"


def test_without_a_model_a_clash_is_not_checked(monkeypatch):
    monkeypatch.setattr(references.secrets, "choice", lambda alphabet: "A")
    assert new_reference("AD") == "AD-AAAAAAAA"


def test_a_real_model_is_checked_for_its_references(db):
    from referrals.models import AdviceRequest

    reference = new_reference("AD", AdviceRequest)
    assert reference.startswith("AD-")
    assert not AdviceRequest.objects.filter(reference=reference).exists()
