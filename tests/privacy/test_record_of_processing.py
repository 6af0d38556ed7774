import dataclasses
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from privacy import classification, record

ABOUT_THE_PERSON = {
    classification.CASE_FACT,
    classification.PERSON_IDENTITY,
    classification.FREE_TEXT,
    classification.REFERRAL_ANSWERS,
    classification.CONCERN_TYPE,
    classification.CRIMINAL_INTELLIGENCE,
    classification.SUPPORT,
    classification.CONSENT,
    classification.FILE,
}


def run(*args) -> str:
    out = StringIO()
    call_command("record_of_processing", *args, stdout=out)
    return out.getvalue()


def test_every_field_of_every_local_model_is_classified():
    missing = record.unclassified_fields()
    assert not missing, (
        f"Fields with no data-protection category: {', '.join(missing)}. Add each to its model's `fields` in "
        "PROCESSING in privacy/classification.py (a new model needs its own ModelProcessing entry: purpose, "
        "lawful basis, retention rule, recipients)."
    )


def test_no_classification_names_a_model_or_field_that_does_not_exist():
    stale = record.stale_classifications()
    assert not stale, f"privacy/classification.py names what the models do not have: {', '.join(stale)}. Remove them."


def test_the_project_apps_are_covered_and_third_party_models_are_not():
    labels = {model._meta.label for model in record.local_models()}
    for app in ("accounts", "audit", "referrals", "cases", "notifications"):
        assert any(label.startswith(f"{app}.") for label in labels), app
    assert {"referrals.Referral", "cases.Case", "audit.AuditEvent", "accounts.User"} <= labels
    assert not {"auditlog.LogEntry", "auth.Group", "sessions.Session", "axes.AccessAttempt"} & labels


def test_a_field_missing_from_the_table_is_named_and_a_field_not_in_the_model_is_reported(monkeypatch):
    case = classification.PROCESSING["cases.Case"]
    fields = {name: category for name, category in case.fields.items() if name != "outcome"}
    fields["no_such_field"] = classification.OPERATIONAL
    monkeypatch.setitem(classification.PROCESSING, "cases.Case", dataclasses.replace(case, fields=fields))

    assert record.unclassified_fields() == ["cases.Case.outcome"]
    assert record.stale_classifications() == ["cases.Case.no_such_field"]
    with pytest.raises(CommandError, match=r"cases\.Case\.outcome.*cases\.Case\.no_such_field"):
        run()


def test_a_model_missing_from_the_table_has_every_field_named(monkeypatch):
    monkeypatch.delitem(classification.PROCESSING, "cases.CaseNote")

    assert record.unclassified_fields() == [
        "cases.CaseNote.id",
        "cases.CaseNote.case",
        "cases.CaseNote.text",
        "cases.CaseNote.written_by",
        "cases.CaseNote.written_at",
    ]


def test_every_category_and_retention_rule_used_is_defined():
    for label, processing in classification.PROCESSING.items():
        assert processing.retention in classification.RETENTION_RULES, label
        assert processing.purpose and processing.lawful_basis and processing.recipients, label
        for name, category in processing.fields.items():
            assert category in classification.CATEGORIES, f"{label}.{name}: {category}"


def test_data_about_the_person_referred_is_law_enforcement_processing_under_the_case_or_referral_rules():
    for label, processing in classification.PROCESSING.items():
        if ABOUT_THE_PERSON & set(processing.fields.values()):
            assert processing.lawful_basis == classification.LAW_ENFORCEMENT, label
            assert processing.retention in ("case", "referral", "public contact"), label


def test_models_said_to_hold_no_personal_data_have_only_operational_fields():
    harmless = {classification.IDENTIFIER, classification.OPERATIONAL, classification.ORGANISATION}
    for label, processing in classification.PROCESSING.items():
        if processing.lawful_basis == classification.NO_PERSONAL_DATA:
            assert set(processing.fields.values()) <= harmless, label


def test_free_text_that_may_describe_the_person_is_classified_as_personal():
    table = classification.PROCESSING
    assert table["referrals.Referral"].fields["answers"] == classification.REFERRAL_ANSWERS
    assert table["referrals.Referral"].fields["concern_type"] == classification.CONCERN_TYPE
    assert table["cases.CaseNote"].fields["text"] == classification.FREE_TEXT
    assert table["cases.Decision"].fields["rationale"] == classification.FREE_TEXT
    assert table["referrals.AdviceMessage"].fields["body"] == classification.FREE_TEXT
    assert table["cases.Check"].fields["result"] == classification.CRIMINAL_INTELLIGENCE


def test_the_markdown_record_has_a_section_and_a_row_per_field_for_every_model():
    output = run()
    sections = output.split("\n## ")[1:]
    by_label = {section.split(" ", 1)[0]: section for section in sections}

    for model in record.local_models():
        section = by_label[model._meta.label]
        assert "- Lawful basis: " in section and "- Retention (" in section and "- Recipients: " in section
        rows = [line for line in section.splitlines() if line.startswith("| `")]
        assert [row.split("`")[1] for row in rows] == [f.name for f in record.stored_fields(model)]
        assert all(row.count(" | ") == 3 for row in rows)
    assert (
        "| `answers` | answers | JSONField | special category: the referral form's answers, as given |"
        in (by_label["referrals.Referral"])
    )


def test_the_json_record_parses_and_gives_each_model_its_lawful_basis_retention_and_fields():
    data = json.loads(run("--format", "json"))

    assert [entry["model"] for entry in data["models"]] == [model._meta.label for model in record.local_models()]
    for entry in data["models"]:
        assert entry["lawful_basis"], entry["model"]
        assert entry["retention"]["rule"] in data["retention_rules"], entry["model"]
        assert entry["retention"]["description"], entry["model"]
        assert entry["recipients"], entry["model"]
        assert all(f["category"] in data["categories"] for f in entry["fields"]), entry["model"]
    case = next(entry for entry in data["models"] if entry["model"] == "cases.Case")
    assert case["lawful_basis"].startswith("DPA 2018 Part 3")
    assert "no further action" in case["retention"]["description"] and "3 years" in case["retention"]["description"]
    assert case["personal_data"] is True
    assigned = next(f for f in case["fields"] if f["name"] == "assigned_to")
    assert assigned == {
        "name": "assigned_to",
        "verbose_name": "assigned to",
        "type": "ForeignKey to accounts.User",
        "category": classification.STAFF_ACTOR,
    }
    assert "28 days" in data["retention_rules"]["referral"]


def test_the_command_refuses_an_unknown_format():
    with pytest.raises(CommandError):
        run("--format", "csv")
