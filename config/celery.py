"""The Celery application: Redis as broker in production, in-process when no REDIS_URL is set."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("prevent")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
