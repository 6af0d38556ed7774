"""Scheduled oversight work: the alerts on unusual access."""

from oversight.alerts import raise_alerts  # noqa: F401  (registers the task under its old name)
