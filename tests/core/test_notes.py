import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.notes import (
    CASE_NOTE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    bounded,
    note_field,
    reason_field,
    too_long,
)


class ReasonForm(forms.Form):
    reason = reason_field("Why?", required_message="Give a reason", hint="Do not name the person.")


class NoteForm(forms.Form):
    note = note_field()


def test_the_limits_are_the_ones_the_models_and_services_expect():
    assert (REASON_MAX_LENGTH, NOTE_MAX_LENGTH, CASE_NOTE_MAX_LENGTH) == (2000, 5000, 20000)


def test_the_message_names_the_text_and_writes_the_limit_with_a_comma():
    assert too_long("The reason", 2000) == "The reason must be 2,000 characters or fewer"


def test_a_reason_at_the_limit_is_accepted_and_stripped():
    form = ReasonForm({"reason": "  " + "x" * REASON_MAX_LENGTH + "  "})
    assert form.is_valid()
    assert form.cleaned_data["reason"] == "x" * REASON_MAX_LENGTH


def test_a_reason_one_over_the_limit_is_refused_with_the_message():
    form = ReasonForm({"reason": "x" * (REASON_MAX_LENGTH + 1)})
    assert not form.is_valid()
    assert form.errors["reason"] == ["The reason must be 2,000 characters or fewer"]


def test_what_was_typed_over_the_limit_is_kept_in_the_page():
    typed = "y" * (REASON_MAX_LENGTH + 1)
    form = ReasonForm({"reason": typed})
    form.is_valid()
    assert typed in str(form["reason"])


def test_the_box_does_not_cut_text_off_as_it_is_typed():
    html = str(ReasonForm()["reason"])
    assert "maxlength" not in html
    assert ReasonForm().fields["reason"].max_characters == REASON_MAX_LENGTH


def test_a_required_reason_left_empty_gets_its_own_message():
    form = ReasonForm({"reason": "   "})
    assert not form.is_valid()
    assert form.errors["reason"] == ["Give a reason"]


def test_a_note_is_optional_and_bounded_by_the_note_limit():
    assert NoteForm({"note": ""}).is_valid()
    assert NoteForm({"note": "n" * NOTE_MAX_LENGTH}).is_valid()
    over = NoteForm({"note": "n" * (NOTE_MAX_LENGTH + 1)})
    assert over.errors["note"] == ["The note must be 5,000 characters or fewer"]


def test_a_field_can_carry_its_own_limit_and_name():
    field = note_field("Progress", max_length=10, what="The progress note", required_message="Enter the progress")
    with pytest.raises(ValidationError) as refused:
        field.clean("z" * 11)
    assert refused.value.messages == ["The progress note must be 10 characters or fewer"]
    with pytest.raises(ValidationError) as empty:
        field.clean("")
    assert empty.value.messages == ["Enter the progress"]


def test_a_service_check_gives_the_same_message_on_the_named_field():
    assert bounded(" ok ", field="reason", limit=2, what="The reason") == "ok"
    with pytest.raises(ValidationError) as refused:
        bounded("abc", field="note", limit=2, what="The note")
    assert refused.value.message_dict == {"note": ["The note must be 2 characters or fewer"]}
    with pytest.raises(ValidationError) as missing:
        bounded(None, field="reason", limit=2, what="The reason", required_message="Give a reason")
    assert missing.value.message_dict == {"reason": ["Give a reason"]}


def test_the_form_and_the_service_agree_on_the_message():
    text = "x" * (REASON_MAX_LENGTH + 1)
    form = ReasonForm({"reason": text})
    form.is_valid()
    with pytest.raises(ValidationError) as refused:
        bounded(text, field="reason", limit=REASON_MAX_LENGTH, what="The reason")
    assert form.errors["reason"] == refused.value.message_dict["reason"]
