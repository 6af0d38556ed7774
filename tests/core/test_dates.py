from datetime import date

import pytest
from django import forms

from core.dates import DateField, date_range, refuse
from core.forms import error_list


class BirthForm(forms.Form):
    born = DateField(
        label="Date of birth",
        example="27 3 2009",
        required_message="Enter their date of birth",
        earliest=date(1906, 1, 1),
        latest=lambda: date(2026, 6, 1),
        too_late="Date of birth must be in the past",
    )


class RangeForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from"] = DateField(label="Date from")
        self.fields["to"] = DateField(label="Date to")

    def clean(self):
        cleaned = super().clean()
        cleaned["since"], cleaned["until"] = date_range(self, "from", "to")
        return cleaned


def born(day="", month="", year=""):
    return BirthForm({"born_day": day, "born_month": month, "born_year": year})


def test_a_whole_date_is_read_from_the_three_boxes():
    form = born("27", "3", "2009")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["born"] == date(2009, 3, 27)


def test_nothing_typed_in_a_required_date_gets_its_own_message():
    form = born()
    assert form.errors["born"] == ["Enter their date of birth"]


def test_an_optional_date_left_empty_is_none():
    form = RangeForm({})
    assert form.is_valid()
    assert form.cleaned_data["since"] is None


@pytest.mark.parametrize(
    ("typed", "message", "wrong"),
    [
        (("27", "", "2009"), "Date of birth must include a month", {"month"}),
        (("", "3", ""), "Date of birth must include a day and year", {"day", "year"}),
        (("27", "March", "2009"), "Date of birth must be a real date, like 27 3 2009", {"month"}),
        (("31", "2", "2009"), "Date of birth must be a real date, like 27 3 2009", {"day", "month"}),
        (("1", "13", "2009"), "Date of birth must be a real date, like 27 3 2009", {"month"}),
        (("27", "3", "09"), "Year must include 4 numbers", {"year"}),
        (("²", "3", "2009"), "Date of birth must be a real date, like 27 3 2009", {"day"}),
    ],
)
def test_each_problem_is_named_and_only_the_wrong_boxes_are_marked(typed, message, wrong):
    form = born(*typed)
    assert form.errors["born"] == [message]
    assert form.fields["born"].widget.wrong == wrong
    html = str(form["born"])
    for part in ("day", "month", "year"):
        box = html.split(f'name="born_{part}"')[1].split(">")[0]
        assert ("govuk-input--error" in box) == (part in wrong)


def test_what_was_typed_is_kept_on_error():
    html = str(born("31", "2", "2009")["born"])
    assert 'name="born_day" value="31"' in html
    assert 'name="born_month" value="2"' in html
    assert 'name="born_year" value="2009"' in html


def test_a_date_after_the_latest_gets_the_fields_own_words():
    assert born("2", "6", "2026").errors["born"] == ["Date of birth must be in the past"]
    assert born("1", "6", "2026").is_valid()


def test_a_date_before_the_earliest_says_the_first_date_allowed():
    assert born("31", "12", "1905").errors["born"] == ["Date of birth must be the same as or after 1 January 1906"]


def test_years_outside_the_range_are_refused_even_without_bounds():
    form = RangeForm({"from_day": "1", "from_month": "1", "from_year": "9999"})
    assert form.errors["from"] == ["Date from must be between 1900 and 2100"]


def test_an_end_before_the_start_is_an_error_on_the_end():
    form = RangeForm(
        {"from_day": "2", "from_month": "1", "from_year": "2026", "to_day": "1", "to_month": "1", "to_year": "2026"}
    )
    assert not form.is_valid()
    assert form.errors["to"] == ["Date to must be the same as or after date from"]
    assert "from" not in form.errors


def test_a_form_rule_marks_the_whole_date_and_the_summary_links_its_first_wrong_box():
    form = RangeForm({"from_day": "1", "from_month": "1", "from_year": "2026"})
    assert form.is_valid()
    refuse(form, "from", "The period must be 5 years or shorter")
    assert form.fields["from"].widget.wrong == {"day", "month", "year"}
    assert error_list(form) == [("id_from_day", "The period must be 5 years or shorter")]


def test_the_summary_links_to_the_box_that_is_missing():
    form = born("27", "", "2009")
    form.is_valid()
    assert error_list(form) == [("id_born_month", "Date of birth must include a month")]


def test_the_boxes_are_named_and_identified_by_their_part():
    html = str(BirthForm()["born"])
    for part in ("day", "month", "year"):
        assert f'name="born_{part}"' in html
        assert f'id="id_born_{part}"' in html
    assert 'inputmode="numeric"' in html
    assert BirthForm()["born"].id_for_label == "id_born_day"


def test_the_component_draws_legend_hint_message_and_kept_boxes():
    from django.template.loader import render_to_string

    form = born("27", "", "2009")
    form.is_valid()
    html = render_to_string("components/date_input.html", {"field": form["born"]})
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Date of birth</legend>' in html
    assert "govuk-form-group--error" in html
    assert '<span class="govuk-visually-hidden">Error:</span> Date of birth must include a month' in html
    assert 'name="born_day" value="27"' in html
