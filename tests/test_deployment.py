"""The production shape: settings pass Django's deploy checks; docker-compose.yml describes every service."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "PATH": os.environ["PATH"],
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_DEBUG": "false",
    "DEMO_DATA_ALLOWED": "false",
    "SECRET_KEY": "production-like-secret-key-" + "x" * 40,
    "ALLOWED_HOSTS": "prevent.example.police.uk",
    "TRUSTED_PROXIES": "10.0.0.0/8",
    "DATABASE_URL": os.environ.get("DATABASE_URL", "sqlite:///:memory:"),
}


def manage(*args, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env or PRODUCTION_ENV, capture_output=True, text=True
    )


def test_production_settings_pass_the_deploy_checks():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_the_deploy_checks_insist_on_naming_the_trusted_proxies():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "TRUSTED_PROXIES"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0 and "audit.W001" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_demo_data_cannot_be_loaded_in_production():
    result = manage("load_demo")
    assert result.returncode != 0 and "never belongs in production" in result.stderr


def test_every_model_change_has_a_migration():
    result = manage("makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr


def test_compose_runs_web_worker_beat_postgres_and_redis_with_health_checks():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"migrate", "web", "worker", "beat", "db", "redis"}
    for name, service in services.items():
        if name != "migrate":  # a one-shot job: it runs, exits, and the others wait for its success
            assert "healthcheck" in service and service["healthcheck"]["test"], name
    assert "gunicorn config.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A config worker")
    assert services["beat"]["command"].startswith("celery -A config beat")
    assert "DatabaseScheduler" in services["beat"]["command"]
    assert services["db"]["image"].startswith("postgres:") and int(services["db"]["image"].split(":")[1][:2]) >= 15
    assert services["redis"]["image"].startswith("redis:")
    for app in ("web", "worker", "beat"):
        env = services[app]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://") and env["REDIS_URL"].startswith("redis://redis:")
        assert services[app]["depends_on"]["db"]["condition"] == "service_healthy"
        assert services[app]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        # The application's role, which may only read and append to the audit tables, never the owner.
        assert env["DATABASE_URL"].startswith("postgres://prevent_app:")
        assert "migrate" not in services[app]["command"]
    migrate = services["migrate"]
    assert migrate["environment"]["DATABASE_URL"].startswith("postgres://prevent_owner:")
    assert "manage.py migrate" in migrate["command"] and "apply_db_roles --app-role prevent_app" in migrate["command"]
    assert "./scripts/docker-db-init.sh:/docker-entrypoint-initdb.d/10-roles.sh:ro" in services["db"]["volumes"]
    init = (ROOT / "scripts" / "docker-db-init.sh").read_text()
    assert "CREATE ROLE prevent_owner LOGIN" in init and "CREATE ROLE prevent_app LOGIN" in init
    assert "SUPERUSER" not in init and "OWNER prevent_owner" in init
    assert subprocess.run(["sh", "-n", str(ROOT / "scripts" / "docker-db-init.sh")], check=False).returncode == 0
    assert {"pgdata", "redisdata"} <= set(compose["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert (ROOT / "Dockerfile").exists()


def test_requirements_are_pinned_exactly():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r")):
                assert "==" in line, f"{name}: {line} is not pinned"
