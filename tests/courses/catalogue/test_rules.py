from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.catalogue.models import ModulePage
from courses.catalogue.rules import option_pair_violations
from tests.factories import modules_of

D = Decimal


def test_demo_figures_fit_every_choice():
    """The demo figures (core 4 × 24.5 h; options 16 h, 16 h, 38 h) keep every pair within 130–152 h."""
    violations = option_pair_violations(
        core_total=D(98),
        options=[("Méthodo", D(38)), ("Env", D(16)), ("Mentale", D(16))],
        minimum=D(130),
        maximum=D(152),
    )
    assert violations == []


def test_pair_below_minimum_is_named_with_its_total():
    """A pair whose total falls under the minimum is reported with its modules and total."""
    violations = option_pair_violations(
        core_total=D(98),
        options=[("A", D(38)), ("B", D(15)), ("C", D(16))],
        minimum=D(130),
        maximum=D(152),
    )
    assert len(violations) == 1
    assert violations[0].titles == ("B", "C")
    assert "129 h" in violations[0].message and "minimum de 130 h" in violations[0].message


def test_pair_above_maximum_is_reported():
    """A pair whose total exceeds the maximum is reported as above the maximum."""
    violations = option_pair_violations(
        core_total=D(98),
        options=[("A", D(40)), ("B", D(16)), ("C", D(16))],
        minimum=D(130),
        maximum=D(152),
    )
    assert [v.titles for v in violations] == [("A", "B"), ("A", "C")]
    assert "maximum de 152 h" in violations[0].message


def test_fewer_than_two_options_yields_no_violation():
    """With a single optional module there is no pair to judge yet."""
    assert (
        option_pair_violations(core_total=D(98), options=[("A", D(1))], minimum=D(130), maximum=D(152)) == []
    )


@pytest.mark.django_db
def test_module_clean_refuses_figures_breaking_a_pair(programme):
    """Editing an option so that some pair leaves 130–152 h is refused, naming the pair."""
    env = ModulePage.objects.get(title="Santé environnement")
    env.hours_presential = D(2)
    with pytest.raises(ValidationError) as excinfo:
        env.full_clean()
    text = " ".join(excinfo.value.messages)
    assert "« Santé environnement » + « Santé mentale »" in text
    assert "sous le minimum de 130 h" in text


@pytest.mark.django_db
def test_module_clean_accepts_valid_figures(programme):
    """Figures that keep every pair in range are accepted."""
    env = ModulePage.objects.get(title="Santé environnement")
    env.hours_elearning, env.hours_organisation = D("4.5"), D("5.5")
    env.full_clean()


@pytest.mark.django_db
def test_new_module_in_admin_form_is_checked_against_its_programme(programme, pedagogical, client):
    """Adding a fourth option through the Wagtail admin that breaks a pair shows the reason."""
    client.force_login(pedagogical)
    response = client.post(
        f"/cms/pages/add/courses/modulepage/{programme.pk}/",
        nested_form_data(
            {
                "title": "Option trop lourde",
                "slug": "option-lourde",
                "kind": "optional",
                "number": 8,
                "summary": "",
                "hours_elearning": "10",
                "hours_presential": "40",
                "hours_organisation": "20",
                "themes": streamfield([]),
                "objectives": rich_text(""),
                "action-publish": "Publier",
            }
        ),
    )
    assert response.status_code == 200
    assert "au-delà du maximum de 152 h" in response.content.decode()
    assert not ModulePage.objects.filter(slug="option-lourde").exists()
    assert len(modules_of(programme)) == 7


@pytest.mark.django_db
def test_programme_clean_refuses_bounds_that_a_pair_would_leave(programme):
    """Lowering the programme's maximum below a choice of options is refused, naming the choice."""
    from courses.catalogue.models import ProgrammePage

    page = ProgrammePage.objects.get(pk=programme.pk)
    page.hours_max = D(150)
    with pytest.raises(ValidationError) as excinfo:
        page.full_clean()
    text = " ".join(excinfo.value.messages)
    assert (
        "chaque choix de deux modules d'approfondissement doit donner un parcours entre 130 h et 150 h"
        in text
    )
    assert "Le choix « Méthodologie de projet » + « Santé environnement » donne un parcours de 152 h" in text
    assert "au-delà du maximum de 150 h" in text
    assert "« Santé environnement » + « Santé mentale »" not in text
    assert ProgrammePage.objects.get(pk=programme.pk).hours_max == D(152)


@pytest.mark.django_db
def test_programme_clean_accepts_bounds_every_pair_fits(programme):
    """Widening the bounds keeps every choice inside them and is accepted."""
    from courses.catalogue.models import ProgrammePage

    page = ProgrammePage.objects.get(pk=programme.pk)
    page.hours_min, page.hours_max = D(120), D(160)
    page.full_clean()


@pytest.mark.django_db
def test_programme_bounds_edited_in_the_admin_are_checked(programme, pedagogical, client):
    """Raising the minimum through the Wagtail admin above a choice of options shows which one."""
    from courses.catalogue.models import ProgrammePage

    client.force_login(pedagogical)
    response = client.post(
        f"/cms/pages/{programme.pk}/edit/",
        nested_form_data(
            {
                "title": programme.title,
                "slug": programme.slug,
                "intro": rich_text(""),
                "hours_min": "135",
                "hours_max": "152",
                "presential_cap": "72",
                "action-publish": "Publier",
            }
        ),
    )
    assert response.status_code == 200
    assert (
        "« Santé environnement » + « Santé mentale » donne un parcours de 130 h, sous le minimum de 135 h"
        in (response.content.decode().replace("&laquo;", "«").replace("&raquo;", "»"))
    )
    assert ProgrammePage.objects.get(pk=programme.pk).hours_min == D(130)
