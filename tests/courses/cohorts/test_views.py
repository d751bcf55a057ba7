"""The staff cohort space: scope by region, cohorts, enrolment one by one and by spreadsheet."""

import datetime
import io
import re
from decimal import Decimal
from html import escape

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from courses.cohorts.models import Cohort, Enrolment, EnrolmentImport
from courses.cohorts.services import ACCOUNT_NOT_ENROLLABLE
from courses.enums import HoursSource, Modality
from courses.hours.models import HoursEntry
from lms.models import User
from tests.factories import CohortFactory, EnrolmentFactory, TrainerFactory, UserFactory
from tests.uploads_samples import pdf_bytes

pytestmark = pytest.mark.django_db

HEADER = "Nom;Prénom;E-mail;Employeur;Fonction;Date accord ARS;Date accord employeur\r\n"


@pytest.fixture
def setup(programme, region, other_region, ars_staff, other_ars_staff, pedagogical):
    cohort = CohortFactory(programme=programme, region=region, name="Bretagne 2026", capacity=5)
    other = CohortFactory(programme=programme, region=other_region, name="Occitanie 2026")
    enrolment = EnrolmentFactory(cohort=cohort)
    other_enrolment = EnrolmentFactory(cohort=other)
    return {
        "cohort": cohort,
        "other": other,
        "enrolment": enrolment,
        "other_enrolment": other_enrolment,
        "users": {
            "anonymous": None,
            "learner": enrolment.user,
            "ars_region": ars_staff,
            "ars_other_region": other_ars_staff,
            "trainer": TrainerFactory(),
            "pedagogical": pedagogical,
        },
    }


@pytest.fixture
def full(setup, modules, ars_staff):
    """The setup plus a previewed import and a ledger entry, for the views that need them."""
    enrolment = setup["enrolment"]
    batch = EnrolmentImport.objects.create(
        cohort=setup["cohort"],
        uploaded_by=ars_staff,
        filename="apprenants.csv",
        rows=[
            {
                "line": 2,
                "email": "nouvelle@exemple.fr",
                "last_name": "Nouvelle",
                "first_name": "Anne",
                "employer": "",
                "job_title": "",
                "ars_agreement_on": "",
                "employer_agreement_on": "",
                "errors": [],
            }
        ],
    )
    entry = HoursEntry.objects.create(
        enrolment=enrolment,
        modality=Modality.ORGANISATION,
        source=HoursSource.DECLARATION,
        module=modules[0],
        hours=Decimal("3"),
        occurred_on=datetime.date(2026, 10, 1),
        recorded_by=ars_staff,
    )
    return {**setup, "batch": batch, "entry": entry}


def _urls(s):
    c, e = s["cohort"].pk, s["enrolment"].pk
    return {
        "list": "/gestion/promotions/",
        "create": "/gestion/promotions/nouvelle/",
        "detail": f"/gestion/promotions/{c}/",
        "edit": f"/gestion/promotions/{c}/modifier/",
        "close": f"/gestion/promotions/{c}/cloture/",
        "export_csv": f"/gestion/promotions/{c}/export.csv",
        "export_xlsx": f"/gestion/promotions/{c}/export.xlsx",
        "enrol": f"/gestion/promotions/{c}/inscrire/",
        "import": f"/gestion/promotions/{c}/importer/",
        "import_preview": f"/gestion/promotions/{c}/importer/{s['batch'].pk}/",
        "enrolment": f"/gestion/inscriptions/{e}/",
        "correct": f"/gestion/inscriptions/{e}/heures/{s['entry'].pk}/corriger/",
    }


#            anon learner ars  ars2 trainer pedago
MATRIX = {
    "list": [302, 403, 200, 200, 403, 200],
    "create": [302, 403, 200, 200, 403, 200],
    "detail": [302, 403, 200, 404, 403, 200],
    "edit": [302, 403, 200, 404, 403, 200],
    "close": [302, 403, 200, 404, 403, 200],
    "export_csv": [302, 403, 200, 404, 403, 200],
    "export_xlsx": [302, 403, 200, 404, 403, 200],
    "enrol": [302, 403, 200, 404, 403, 200],
    "import": [302, 403, 200, 404, 403, 200],
    "import_preview": [302, 403, 200, 404, 403, 200],
    "enrolment": [302, 403, 200, 404, 403, 200],
    "correct": [302, 403, 200, 404, 403, 200],
}
ROLES = ["anonymous", "learner", "ars_region", "ars_other_region", "trainer", "pedagogical"]
CASES = [
    (name, role, code) for name, codes in MATRIX.items() for role, code in zip(ROLES, codes, strict=True)
]


@pytest.mark.parametrize(("name", "role", "expected"), CASES, ids=[f"{n}-{r}" for n, r, _ in CASES])
def test_staff_url_matrix(client, full, name, role, expected):
    """Each role gets the expected status; another region's objects are not found."""
    user = full["users"][role]
    if user:
        client.force_login(user)
    assert client.get(_urls(full)[name]).status_code == expected


#: A valid POST for each writing view: what ARS staff of the region would send.
POSTS = {
    "edit": {
        "region": "REGION",
        "name": "Renommée",
        "start_date": "2026-09-01",
        "end_date": "2027-06-30",
        "capacity": "3",
    },
    "enrol": {"last_name": "Intrus", "first_name": "Paul", "email": "intrus@exemple.fr"},
    "import_preview": {},
    "correct": {"kind": "adjust", "hours": "5", "reason": "Essai", "confirm": "1"},
    "close": {"action": "close"},
}
#                    learner trainer ars2
POST_EXPECTED = {"learner": 403, "trainer": 403, "ars_other_region": 404}
POST_CASES = [(name, role) for name in POSTS for role in POST_EXPECTED]


def _written(s) -> tuple:
    """Everything the writing views could change."""
    cohort = Cohort.objects.get(pk=s["cohort"].pk)
    batch = EnrolmentImport.objects.get(pk=s["batch"].pk)
    return (
        cohort.name,
        cohort.capacity,
        cohort.closed_at,
        Enrolment.objects.count(),
        User.objects.count(),
        batch.confirmed_at,
        HoursEntry.objects.count(),
    )


@pytest.mark.parametrize(("name", "role"), POST_CASES, ids=[f"{n}-{r}" for n, r in POST_CASES])
def test_staff_posts_by_other_roles_write_nothing(client, full, region, name, role):
    """A learner, a trainer or ARS staff of another region posting to a writing view gets 403 or
    404 and nothing is written."""
    client.force_login(full["users"][role])
    before = _written(full)
    data = {k: (region.pk if v == "REGION" else v) for k, v in POSTS[name].items()}
    response = client.post(_urls(full)[name], data)
    assert response.status_code == POST_EXPECTED[role]
    assert _written(full) == before


def test_staff_posts_by_region_staff_do_write(client, full, ars_staff, region):
    """The same POSTs by ARS staff of the region are accepted, so the refusals above are not vacuous."""
    client.force_login(ars_staff)
    for name in POSTS:
        before = _written(full)
        data = {k: (region.pk if v == "REGION" else v) for k, v in POSTS[name].items()}
        response = client.post(_urls(full)[name], data)
        assert response.status_code == 302, name
        assert _written(full) != before, name


def test_list_shows_only_own_region(client, setup, ars_staff):
    """The cohort list of an ARS staff member holds their region's cohorts only."""
    client.force_login(ars_staff)
    html = client.get("/gestion/promotions/").content.decode()
    assert "Bretagne 2026" in html and "Occitanie 2026" not in html


def test_create_cohort_in_own_region(client, setup, ars_staff, region):
    """ARS staff create a cohort with capacity and dates in their region."""
    client.force_login(ars_staff)
    response = client.post(
        "/gestion/promotions/nouvelle/",
        {
            "region": region.pk,
            "name": "Bretagne 2027",
            "start_date": "2027-01-04",
            "end_date": "2027-12-17",
            "capacity": "25",
        },
    )
    assert response.status_code == 302
    assert Cohort.objects.get(name="Bretagne 2027").capacity == 25


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"region": "other", "capacity": "10"}, "Sélectionnez un choix valide"),
        ({"capacity": "0"}, "supérieure ou égale à 1"),
        (
            {"start_date": "2027-12-17", "end_date": "2027-01-04", "capacity": "10"},
            "La date de fin doit suivre",
        ),
    ],
)
def test_bad_cohort_input_is_refused(client, setup, ars_staff, region, other_region, data, message):
    """Another region, zero places or reversed dates: a clear error and no cohort."""
    client.force_login(ars_staff)
    post = {"region": region.pk, "name": "Mauvaise", "start_date": "2027-01-04", "end_date": "2027-12-17"}
    post.update(data)
    if post["region"] == "other":
        post["region"] = other_region.pk
    response = client.post("/gestion/promotions/nouvelle/", post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Cohort.objects.filter(name="Mauvaise").exists()


def test_capacity_cannot_drop_below_enrolled(client, setup, ars_staff, region):
    """Lowering places under the number enrolled is refused."""
    EnrolmentFactory(cohort=setup["cohort"])
    client.force_login(ars_staff)
    c = setup["cohort"]
    response = client.post(
        f"/gestion/promotions/{c.pk}/modifier/",
        {
            "region": region.pk,
            "name": c.name,
            "start_date": "2026-09-01",
            "end_date": "2027-06-30",
            "capacity": "1",
        },
    )
    assert response.status_code == 400
    assert "compte déjà 2 inscrit·es" in response.content.decode()
    c.refresh_from_db()
    assert c.capacity == 5


def _enrol(client, cohort, **extra):
    data = {
        "last_name": "Martin",
        "first_name": "Hélène",
        "email": "helene.martin@mairie-brest.fr",
        "employer": "Ville de Brest",
        "job_title": "Coordinatrice CLS",
        "ars_agreement_on": "2026-06-01",
        "employer_agreement_on": "2026-06-15",
    }
    data.update(extra)
    return client.post(f"/gestion/promotions/{cohort.pk}/inscrire/", data)


def test_enrol_new_person_creates_account_and_sends_invitation(
    client, setup, ars_staff, django_capture_on_commit_callbacks
):
    """A new email creates a learner account, enrols it, and sends an invitation with a password link."""
    client.force_login(ars_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = _enrol(client, setup["cohort"])
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user__email="helene.martin@mairie-brest.fr")
    assert enrolment.is_eligible and enrolment.invited_at is not None
    assert len(mail.outbox) == 1 and "Bretagne 2026" in mail.outbox[0].body
    assert "Ce lien est valable 3 jours et ne sert qu'une fois." in mail.outbox[0].body
    link = re.search(r"http://\S+/comptes/password/reset/key/\S+", mail.outbox[0].body).group(0)
    path = link.split("127.0.0.1:8000", 1)[1]
    client.logout()
    set_page = client.get(path, follow=True)
    form_path = set_page.redirect_chain[-1][0] if set_page.redirect_chain else path
    client.post(
        form_path, {"password1": "nouveau-mot-de-passe-2026", "password2": "nouveau-mot-de-passe-2026"}
    )
    assert client.login(email="helene.martin@mairie-brest.fr", password="nouveau-mot-de-passe-2026")
    response = client.post(
        "/comptes/login/", {"login": "helene.martin@mairie-brest.fr", "password": "nouveau-mot-de-passe-2026"}
    )
    assert response.status_code == 302 and response["Location"] == "/mon-espace/"


def test_invitation_says_how_long_its_link_is_valid(
    client, setup, ars_staff, settings, django_capture_on_commit_callbacks
):
    """The invitation states the link's validity from PASSWORD_RESET_TIMEOUT (here 12 hours)."""
    settings.PASSWORD_RESET_TIMEOUT = 12 * 3600
    client.force_login(ars_staff)
    with django_capture_on_commit_callbacks(execute=True):
        _enrol(client, setup["cohort"])
    assert "Ce lien est valable 12 heures" in mail.outbox[0].body


def test_closed_cohort_reads_cloturee(client, setup, ars_staff):
    """Closing a cohort says « clôturée » in the message, the badge and the list."""
    client.force_login(ars_staff)
    done = client.post(f"/gestion/promotions/{setup['cohort'].pk}/cloture/", {"action": "close"}, follow=True)
    assert "« Bretagne 2026 » est clôturée." in done.content.decode()
    assert "Clôturée</span>" in done.content.decode()
    assert "Clôturée</p>" in client.get("/gestion/promotions/").content.decode()


def test_enrol_existing_account_makes_no_duplicate(client, setup, ars_staff):
    """An email that already has an account enrols that account."""
    existing = UserFactory(email="deja@exemple.fr")
    client.force_login(ars_staff)
    assert _enrol(client, setup["cohort"], email="DEJA@exemple.fr").status_code == 302
    assert User.objects.filter(email__iexact="deja@exemple.fr").count() == 1
    assert Enrolment.objects.filter(user=existing, cohort=setup["cohort"]).exists()


@pytest.mark.parametrize("case", ["other_cohort", "same_cohort", "full", "closed", "future", "bad_email"])
def test_bad_enrolments_are_refused(client, setup, ars_staff, case):
    """Already enrolled elsewhere or here, no places, closed cohort, future date, bad email: refused."""
    cohort = setup["cohort"]
    extra, message = {}, ""
    if case == "other_cohort":
        extra, message = {"email": setup["other_enrolment"].user.email}, escape(ACCOUNT_NOT_ENROLLABLE)
    elif case == "same_cohort":
        extra, message = {"email": setup["enrolment"].user.email}, "Déjà inscrit·e dans cette promotion."
    elif case == "full":
        cohort.capacity = 1
        cohort.save()
        message = "Plus de place"
    elif case == "closed":
        client.force_login(ars_staff)
        client.post(f"/gestion/promotions/{cohort.pk}/cloture/", {"action": "close"})
        message = "La promotion est clôturée"
    elif case == "future":
        extra, message = {"ars_agreement_on": "2099-01-01"}, "ne peut pas être dans le futur"
    else:
        extra, message = {"email": "pas-une-adresse"}, "Saisissez une adresse de courriel valide."
    before = Enrolment.objects.count()
    client.force_login(ars_staff)
    response = _enrol(client, cohort, **extra)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Occitanie 2026" not in response.content.decode()
    assert Enrolment.objects.count() == before


def test_other_cohort_is_named_only_to_who_manages_it(client, setup, pedagogical, ars_staff):
    """A learner already in another cohort: the team, who manage it, see its name; ARS staff of
    another region get the neutral message and nothing of the other region."""
    email = setup["other_enrolment"].user.email
    client.force_login(pedagogical)
    response = _enrol(client, setup["cohort"], email=email)
    assert "Déjà inscrit·e dans la promotion « Occitanie 2026 »" in response.content.decode()
    client.force_login(ars_staff)
    response = _enrol(client, setup["cohort"], email=email)
    html = response.content.decode()
    assert escape(ACCOUNT_NOT_ENROLLABLE) in html and "Occitanie" not in html
    assert not Enrolment.objects.filter(user__email=email, cohort=setup["cohort"]).exists()


def test_enrol_finds_an_existing_account_whatever_the_case(client, setup, ars_staff):
    """An account stored as « Jean.Dupont@Exemple.fr » is enrolled, not duplicated, from the
    lower-cased address."""
    existing = UserFactory()
    User.objects.filter(pk=existing.pk).update(email="Jean.Dupont@Exemple.fr")
    client.force_login(ars_staff)
    assert _enrol(client, setup["cohort"], email="jean.dupont@exemple.fr").status_code == 302
    assert User.objects.filter(email__iexact="jean.dupont@exemple.fr").count() == 1
    assert Enrolment.objects.filter(user=existing, cohort=setup["cohort"]).exists()


def test_import_reuses_an_existing_account_whatever_the_case(client, setup, ars_staff):
    """A spreadsheet line « jean.dupont@exemple.fr » enrols the account « Jean.Dupont@Exemple.fr »."""
    existing = UserFactory()
    User.objects.filter(pk=existing.pk).update(email="Jean.Dupont@Exemple.fr")
    client.force_login(ars_staff)
    body = HEADER + "Dupont;Jean;jean.dupont@exemple.fr;;;;\r\n"
    html = _upload(client, setup["cohort"], body.encode("utf-8")).content.decode()
    assert html.count('data-action="enrol_existing"') == 1
    batch = EnrolmentImport.objects.get()
    client.post(f"/gestion/promotions/{setup['cohort'].pk}/importer/{batch.pk}/")
    assert User.objects.filter(email__iexact="jean.dupont@exemple.fr").count() == 1
    assert Enrolment.objects.filter(user=existing, cohort=setup["cohort"]).exists()


def test_user_email_is_lower_cased_when_saved(db):
    """Saving a user stores the address lower-cased, so the same person cannot get two accounts."""
    user = UserFactory(email="  Marie.Curie@Exemple.FR ")
    user.refresh_from_db()
    assert user.email == "marie.curie@exemple.fr"


def test_confirmed_import_shows_what_was_done(client, setup, ars_staff):
    """After confirmation, the import's page shows each line's stored outcome, not a new preview
    where every imported line would read « Déjà inscrit·e dans cette promotion »."""
    body = HEADER + ("Lefèvre;Élodie;elodie.lefevre@quimper.fr;;;;\r\nLe Goff;Yann;pas-une-adresse;;;;\r\n")
    client.force_login(ars_staff)
    _upload(client, setup["cohort"], body.encode("utf-8"))
    batch = EnrolmentImport.objects.get()
    url = f"/gestion/promotions/{setup['cohort'].pk}/importer/{batch.pk}/"
    client.post(url)
    html = client.get(url).content.decode()
    assert "Déjà inscrit·e dans cette promotion" not in html
    assert html.count('data-action="create"') == 1 and html.count('data-action="error"') == 1
    assert "Adresse e-mail invalide" in html and "Import déjà confirmé" in html


def _upload(client, cohort, content: bytes, name="apprenants.csv"):
    return client.post(
        f"/gestion/promotions/{cohort.pk}/importer/", {"file": SimpleUploadedFile(name, content)}, follow=True
    )


def test_import_windows_1252_csv_previews_then_imports_valid_lines(
    client, setup, ars_staff, django_capture_on_commit_callbacks
):
    """A Windows-1252 semicolon CSV with a bad line: preview line by line, confirm imports the valid ones."""
    body = HEADER + (
        "Lefèvre;Élodie;elodie.lefevre@quimper.fr;Ville de Quimper;Coordinatrice;02/05/2026;10/05/2026\r\n"
        "Le Goff;Yann;pas-une-adresse;CC du Pays;Chargé de mission;;\r\n"
        f"Existant;Compte;{setup['other_enrolment'].user.email};;;;\r\n"
    )
    client.force_login(ars_staff)
    response = _upload(client, setup["cohort"], body.encode("cp1252"))
    html = response.content.decode()
    assert "Lefèvre Élodie" in html
    assert "Adresse e-mail invalide" in html
    assert escape(ACCOUNT_NOT_ENROLLABLE) in html and "Occitanie" not in html
    assert Enrolment.objects.filter(cohort=setup["cohort"]).count() == 1
    batch = EnrolmentImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/gestion/promotions/{setup['cohort'].pk}/importer/{batch.pk}/", follow=True)
    assert "1 compte(s) créé(s)" in done.content.decode()
    assert Enrolment.objects.filter(cohort=setup["cohort"], user__email="elodie.lefevre@quimper.fr").exists()
    assert Enrolment.objects.filter(cohort=setup["cohort"]).count() == 2
    assert len(mail.outbox) == 1
    again = client.post(f"/gestion/promotions/{setup['cohort'].pk}/importer/{batch.pk}/", follow=True)
    assert "déjà été confirmé" in again.content.decode()
    assert Enrolment.objects.filter(cohort=setup["cohort"]).count() == 2


def test_import_more_lines_than_places(client, setup, ars_staff):
    """Lines beyond the remaining places are shown as not imported, the first ones fit."""
    rows = "".join(f"Nom{i};Prénom{i};personne{i}@exemple.fr;;;;\r\n" for i in range(6))
    client.force_login(ars_staff)
    html = _upload(client, setup["cohort"], (HEADER + rows).encode("utf-8-sig")).content.decode()
    assert html.count('data-action="create"') == 4
    assert html.count("Plus de place") == 2


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"Prenom;Courriel\r\nA;b@c.fr\r\n", "x.csv", "Nom"),
        (b"", "x.csv", "vide"),
        (b"x" * (10 * 1024 * 1024), "gros.csv", "Mo"),
    ],
)
def test_bad_files_are_refused_with_a_message(client, setup, ars_staff, content, name, message):
    """Wrong header, empty file, 10 MB file: a clear message, nothing stored."""
    client.force_login(ars_staff)
    response = _upload(client, setup["cohort"], content, name)
    assert message in response.content.decode()
    assert not EnrolmentImport.objects.exists()


def test_exports_have_the_cohort_rows(client, setup, ars_staff):
    """CSV and XLSX exports list the cohort's learners and no one else."""
    client.force_login(ars_staff)
    csv_text = client.get(f"/gestion/promotions/{setup['cohort'].pk}/export.csv").content.decode("utf-8-sig")
    assert setup["enrolment"].user.email in csv_text
    assert setup["other_enrolment"].user.email not in csv_text
    xlsx = client.get(f"/gestion/promotions/{setup['cohort'].pk}/export.xlsx").content
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert setup["enrolment"].user.email in values


def test_agreement_accepts_a_pdf_and_refuses_a_fake(client, setup, ars_staff, other_ars_staff):
    """The agreement document must really be a PDF; it is downloadable only by the region's staff."""
    url = f"/gestion/inscriptions/{setup['enrolment'].pk}/"
    client.force_login(ars_staff)
    fake = SimpleUploadedFile("accord.pdf", b"MZ\x90\x00 not a pdf")
    response = client.post(
        url, {"ars_agreement_on": "2026-05-01", "employer_agreement_on": "2026-05-02", "document": fake}
    )
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 400 and "« accord.pdf » : malgré son extension .pdf" in page
    real = SimpleUploadedFile("accord.pdf", pdf_bytes())
    assert (
        client.post(
            url, {"ars_agreement_on": "2026-05-01", "employer_agreement_on": "2026-05-02", "document": real}
        ).status_code
        == 302
    )
    setup["enrolment"].refresh_from_db()
    assert setup["enrolment"].is_eligible
    assert client.get(url + "accord.pdf").status_code == 200
    client.force_login(other_ars_staff)
    assert client.get(url + "accord.pdf").status_code == 404


def test_future_agreement_date_is_refused(client, setup, ars_staff):
    """An agreement dated in the future is refused and nothing changes."""
    client.force_login(ars_staff)
    response = client.post(
        f"/gestion/inscriptions/{setup['enrolment'].pk}/",
        {"ars_agreement_on": "2099-05-01", "employer_agreement_on": ""},
    )
    assert response.status_code == 400 and "futur" in response.content.decode()
    setup["enrolment"].refresh_from_db()
    assert setup["enrolment"].ars_agreement_on is None


def test_staff_root_leads_to_the_cohorts(client, ars_staff):
    """/gestion/ typed by hand leads to the cohorts list (which decides access), not to a 404."""
    client.force_login(ars_staff)
    response = client.get("/gestion/", follow=True)
    assert response.redirect_chain == [("/gestion/promotions/", 302)]
    assert response.status_code == 200
