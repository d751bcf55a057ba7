"""The trainer's « Mon espace »: the next sessions they lead, and only theirs."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.courses.sessions.test_views import make_provider, make_session
from tests.factories import TrainerFactory

pytestmark = pytest.mark.django_db


def test_trainer_space_lists_the_next_sessions_they_lead(client, modules, region, cohort):
    """Upcoming sessions led by the trainer are listed with a link to their attendance sheets;
    past sessions and sessions led by someone else are not."""
    trainer, colleague = TrainerFactory(), TrainerFactory()
    provider = make_provider()
    soon = timezone.localdate() + datetime.timedelta(days=10)
    mine = make_session(modules[0], region, provider, day=soon, title="Séminaire à venir", cohorts=[cohort])
    past = make_session(
        modules[0], region, provider, day=soon - datetime.timedelta(days=60), title="Séminaire passé"
    )
    theirs = make_session(modules[1], region, provider, day=soon, title="Séminaire d'un·e collègue")
    mine.trainers.add(trainer)
    past.trainers.add(trainer)
    theirs.trainers.add(colleague)
    client.force_login(trainer)
    html = client.get(reverse("lms:my_space")).content.decode()
    assert "Séminaire à venir" in html
    assert reverse("attendances:overview", args=[mine.pk]) in html
    assert "Séminaire passé" not in html
    assert "Séminaire d&#x27;un·e collègue" not in html and "collègue" not in html


def test_trainer_space_without_sessions_says_what_will_appear(client):
    """With no session to lead, the space says that sessions entrusted to them will appear there."""
    client.force_login(TrainerFactory())
    html = client.get(reverse("lms:my_space")).content.decode()
    assert "Aucune session à venir ne vous est confiée" in html


def test_trainer_space_query_count_does_not_grow_with_sessions(client, modules, region, cohort):
    """The trainer's space runs the same number of queries with 1 or 12 upcoming sessions."""
    trainer = TrainerFactory()
    provider = make_provider()
    day = timezone.localdate() + datetime.timedelta(days=5)
    client.force_login(trainer)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("lms:my_space")).status_code == 200
        return len(ctx.captured_queries)

    make_session(modules[0], region, provider, day=day, title="S0").trainers.add(trainer)
    client.get(reverse("lms:my_space"))  # warm the site root paths cache, as a running server has it
    small = count()
    for i in range(1, 12):
        make_session(
            modules[0], region, provider, day=day + datetime.timedelta(days=i), title=f"S{i}"
        ).trainers.add(trainer)
    assert count() == small
