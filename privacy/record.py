"""Build the record of processing from the classification table and the models' own field metadata."""

from pathlib import Path

from django.apps import apps
from django.conf import settings

from privacy import classification


def local_models() -> list:
    """Return the concrete models of this project's own apps (top-level packages of the repository)."""
    base = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        if Path(config.path).resolve().parent != base:
            continue
        found.extend(model for model in config.get_models() if not model._meta.abstract and not model._meta.proxy)
    return sorted(found, key=lambda model: model._meta.label)


def stored_fields(model) -> list:
    """Return the fields a model stores: its columns and its many-to-many links, not reverse relations."""
    return [*model._meta.concrete_fields, *model._meta.many_to_many]


def unclassified_fields() -> list[str]:
    """Return "app.Model.field" for each stored field of a local model that has no category."""
    missing = []
    for model in local_models():
        processing = classification.PROCESSING.get(model._meta.label)
        for model_field in stored_fields(model):
            if processing is None or model_field.name not in processing.fields:
                missing.append(f"{model._meta.label}.{model_field.name}")
    return missing


def stale_classifications() -> list[str]:
    """Return "app.Model[.field]" for each entry of the table naming a model or field that does not exist."""
    existing = {model._meta.label: {f.name for f in stored_fields(model)} for model in local_models()}
    stale = []
    for label, processing in classification.PROCESSING.items():
        if label not in existing:
            stale.append(label)
            continue
        stale.extend(f"{label}.{name}" for name in processing.fields if name not in existing[label])
    return stale


def _field_type(model_field) -> str:
    kind = type(model_field).__name__
    if model_field.is_relation:
        return f"{kind} to {model_field.related_model._meta.label}"
    return kind


def build_record() -> dict:
    """Return the record of processing: every local model with its purpose, basis, retention and fields."""
    models = []
    for model in local_models():
        processing = classification.PROCESSING[model._meta.label]
        models.append(
            {
                "model": model._meta.label,
                "name": str(model._meta.verbose_name),
                "table": model._meta.db_table,
                "purpose": processing.purpose,
                "lawful_basis": processing.lawful_basis,
                "retention": {
                    "rule": processing.retention,
                    "description": classification.RETENTION_RULES[processing.retention],
                },
                "recipients": list(processing.recipients),
                "personal_data": processing.lawful_basis != classification.NO_PERSONAL_DATA,
                "fields": [
                    {
                        "name": model_field.name,
                        "verbose_name": str(model_field.verbose_name),
                        "type": _field_type(model_field),
                        "category": processing.fields[model_field.name],
                    }
                    for model_field in stored_fields(model)
                ],
            }
        )
    return {
        "title": "Record of processing",
        "controller": "The police force running this service (Prevent team)",
        "categories": dict(classification.CATEGORIES),
        "retention_rules": dict(classification.RETENTION_RULES),
        "models": models,
    }


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(record: dict) -> str:
    """Return the record as a Markdown document: one section per model, one table row per field."""
    lines = [f"# {record['title']}", "", f"Controller: {record['controller']}.", ""]
    for entry in record["models"]:
        lines += [
            f"## {entry['model']} ({entry['name']})",
            "",
            f"- Purpose: {entry['purpose']}",
            f"- Lawful basis: {entry['lawful_basis']}",
            f"- Retention ({entry['retention']['rule']}): {entry['retention']['description']}",
            f"- Recipients: {'; '.join(entry['recipients'])}",
            "",
            "| Field | Description | Type | Category |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| `{f['name']}` | {_cell(f['verbose_name'])} | {_cell(f['type'])} | {_cell(f['category'])} |"
            for f in entry["fields"]
        ]
        lines.append("")
    lines += ["## Categories", "", "| Category | Meaning |", "|---|---|"]
    lines += [f"| {_cell(name)} | {_cell(meaning)} |" for name, meaning in record["categories"].items()]
    return "\n".join(lines) + "\n"
