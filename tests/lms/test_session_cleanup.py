"""Expired sessions are deleted every night by a Celery beat job (Django's `clearsessions`)."""

from __future__ import annotations

import datetime

import pytest
from celery.schedules import crontab
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from lms.celery import app
from lms.tasks import clear_expired_sessions


def _session(*, expires_in: datetime.timedelta) -> str:
    store = SessionStore()
    store["lms.session.started"] = 0
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


@pytest.mark.django_db
def test_the_task_deletes_expired_sessions_only():
    """Run through Celery, the task deletes the sessions past their expiry and keeps the others."""
    expired = _session(expires_in=-datetime.timedelta(minutes=1))
    live = _session(expires_in=datetime.timedelta(hours=1))
    clear_expired_sessions.delay().get()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert expired != live


def test_the_task_runs_every_night():
    """Celery beat runs the task once a day, and the worker knows it by that name."""
    [job] = [
        job for job in settings.CELERY_BEAT_SCHEDULE.values() if job["task"] == clear_expired_sessions.name
    ]
    assert job["schedule"] == crontab(hour=3, minute=30)
    assert (
        clear_expired_sessions.name == "lms.tasks.clear_expired_sessions"
        and clear_expired_sessions.name in app.tasks
    )
