"""CSV and XLSX exports of the cohort progress: French spreadsheet conventions, typed cells, and
no formula injection from names, emails or employers."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from courses.enums import HoursSource, Modality
from courses.hours.models import HoursEntry
from courses.learning import services as learning_services
from courses.learning.models import LessonCompletion
from courses.tracking import exports as tracking_exports
from courses.tracking.exports import HEADERS, cohort_progress_csv, cohort_progress_xlsx, sheet_title
from courses.tracking.progress import cohort_progress
from tests.factories import CohortFactory, EnrolmentFactory, RegionFactory, lessons_of

FORMULA = '=HYPERLINK("http://x")'
# 22:30 UTC on 1 October: already 2 October in Paris (UTC+2), still 1 October in Guyane (UTC-3).
LAST_ACTIVITY = datetime.datetime(2026, 10, 1, 22, 30, tzinfo=datetime.UTC)


def _data(cohort, modules):
    """Two learners: an ordinary one with hours, agreements and an activity, and one whose name,
    employer and job title look like formulas."""
    marie = EnrolmentFactory(
        cohort=cohort,
        user__last_name="Kerleau",
        user__first_name="Marie",
        user__email="marie.kerleau@exemple.fr",
        employer="Ville de Brest",
        job_title="Coordinatrice CLS",
        ars_agreement_on=datetime.date(2026, 6, 3),
        employer_agreement_on=datetime.date(2026, 6, 17),
    )
    learning_services.options_choose(enrolment=marie, modules=modules[5:7])
    for modality, hours in ((Modality.PRESENTIAL, "12.5"), (Modality.ORGANISATION, "7.25")):
        HoursEntry.objects.create(
            enrolment=marie,
            modality=modality,
            source=HoursSource.DECLARATION,
            module=modules[0],
            hours=Decimal(hours),
            occurred_on=LAST_ACTIVITY.date(),
            recorded_by=marie.user,
            recorded_at=LAST_ACTIVITY - datetime.timedelta(days=1),
        )
    LessonCompletion.objects.create(
        enrolment=marie, lesson=lessons_of(modules[0])[0], completed_at=LAST_ACTIVITY
    )
    HoursEntry.objects.create(
        enrolment=marie,
        modality=Modality.ELEARNING,
        source=HoursSource.LESSON,
        module=modules[0],
        lesson=lessons_of(modules[0])[0],
        hours=Decimal("2.5"),
        occurred_on=LAST_ACTIVITY.date(),
        recorded_by=marie.user,
        recorded_at=LAST_ACTIVITY - datetime.timedelta(days=2),
    )
    EnrolmentFactory(
        cohort=cohort,
        user__last_name=FORMULA,
        user__first_name="@SUM(A1:A9)",
        user__email="x@exemple.fr",
        employer="+33 Mairie",
        job_title="-2+3",
    )
    return cohort_progress(cohort=cohort, now=LAST_ACTIVITY)


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def _csv_by_email(content: bytes) -> dict[str, dict[str, str]]:
    header, *rows = _csv_rows(content)
    return {row[2]: dict(zip(header, row, strict=True)) for row in rows}


MARIE, OTHER = "marie.kerleau@exemple.fr", "x@exemple.fr"


def test_csv_is_utf8_with_bom_semicolons_and_french_headers(cohort, modules):
    """The CSV opens in a French Excel: BOM, semicolons, the French column headers."""
    content = cohort_progress_csv(cohort=cohort, rows=_data(cohort, modules))
    assert content.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(content)
    assert rows[0] == list(HEADERS)
    assert rows[0][:3] == ["Nom", "Prénom", "E-mail"] and rows[0][-1] == "Statut"
    assert len(rows) == 3
    assert all(len(row) == 17 for row in rows)


def test_csv_values_use_decimal_commas_and_french_dates(cohort, modules):
    """Hours come with a decimal comma, dates as dd/mm/yyyy, in the cohort region's time zone."""
    marie = _csv_by_email(cohort_progress_csv(cohort=cohort, rows=_data(cohort, modules)))[MARIE]
    assert marie == {
        "Nom": "Kerleau",
        "Prénom": "Marie",
        "E-mail": "marie.kerleau@exemple.fr",
        "Employeur": "Ville de Brest",
        "Fonction": "Coordinatrice CLS",
        "Accord ARS": "03/06/2026",
        "Accord employeur": "17/06/2026",
        "E-learning (h)": "2,5",
        "Objectif e-learning (h)": "28",
        "Présentiel (h)": "12,5",
        "Objectif présentiel (h)": "60",
        "Organisation (h)": "7,25",
        "Objectif organisation (h)": "42",
        "Modules terminés": "0",
        "Modules suivis": "6",
        "Dernière activité": "02/10/2026",
        "Statut": "En cours",
    }


def test_csv_neutralises_formulas(cohort, modules):
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    other = _csv_by_email(cohort_progress_csv(cohort=cohort, rows=_data(cohort, modules)))[OTHER]
    assert other["Nom"] == "'" + FORMULA
    assert other["Prénom"] == "'@SUM(A1:A9)"
    assert other["Employeur"] == "'+33 Mairie"
    assert other["Fonction"] == "'-2+3"
    assert other["E-mail"] == "x@exemple.fr"
    assert (other["Accord ARS"], other["Dernière activité"]) == ("", "")
    assert other["Statut"] == "Accord conjoint manquant"


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_csv_neutralises_every_formula_trigger(cohort, modules, prefix):
    """Each character that starts a formula (=, +, -, @) is neutralised in the export."""
    EnrolmentFactory(cohort=cohort, employer=f"{prefix}cmd|' /C calc'!A0")
    rows = _csv_rows(cohort_progress_csv(cohort=cohort, rows=cohort_progress(cohort=cohort)))
    assert rows[1][3] == f"'{prefix}cmd|' /C calc'!A0"


@pytest.mark.parametrize("prefix", ["\t", "\r"])
def test_leading_tab_or_carriage_return_never_reaches_the_export(cohort, modules, prefix):
    """A tab or carriage return typed before a value is dropped when it is stored (single-line
    fields), and the export's own neutraliser would still quote one."""
    EnrolmentFactory(cohort=cohort, employer=f"{prefix}cmd|' /C calc'!A0")
    rows = _csv_rows(cohort_progress_csv(cohort=cohort, rows=cohort_progress(cohort=cohort)))
    assert rows[1][3] == "cmd|' /C calc'!A0"
    assert tracking_exports.csv_text(f"{prefix}cmd") == f"'{prefix}cmd"


def test_csv_follows_the_rows_given(cohort, modules):
    """The export lists the rows it is given, in their order (a filtered, sorted view)."""
    rows = _data(cohort, modules)
    assert [row.enrolment.user.email for row in rows] == [OTHER, MARIE]
    exported = _csv_rows(cohort_progress_csv(cohort=cohort, rows=[rows[1], rows[0]]))
    assert [row[2] for row in exported[1:]] == [MARIE, OTHER]
    exported = _csv_rows(cohort_progress_csv(cohort=cohort, rows=rows[:1]))
    assert [row[0] for row in exported[1:]] == ["'" + FORMULA]


def _sheet(content: bytes):
    return load_workbook(io.BytesIO(content)).active


def _xlsx_by_email(content: bytes) -> dict:
    sheet = _sheet(content)
    return {row[2].value: dict(zip(HEADERS, row, strict=True)) for row in sheet.iter_rows(min_row=2)}


def test_xlsx_has_a_bold_header_and_a_sheet_named_after_the_cohort(cohort, modules):
    """The workbook opens with openpyxl, one sheet named after the cohort, a bold frozen header
    and readable column widths."""
    sheet = _sheet(cohort_progress_xlsx(cohort=cohort, rows=_data(cohort, modules)))
    assert sheet.title == "Bretagne 2026"
    assert [cell.value for cell in sheet[1]] == list(HEADERS)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 3
    assert sheet.column_dimensions["C"].width >= len("marie.kerleau@exemple.fr")


def test_xlsx_values_are_typed(cohort, modules):
    """Hours and counts are numbers, agreement and activity dates are dates."""
    marie = _xlsx_by_email(cohort_progress_xlsx(cohort=cohort, rows=_data(cohort, modules)))[MARIE]
    assert marie["Nom"].value == "Kerleau"
    assert marie["Présentiel (h)"].data_type == "n"
    assert marie["Présentiel (h)"].value == pytest.approx(12.5)
    assert marie["Organisation (h)"].value == pytest.approx(7.25)
    assert marie["Objectif e-learning (h)"].value == 28
    assert marie["Modules suivis"].value == 6
    assert marie["Accord ARS"].is_date
    assert marie["Accord ARS"].value.date() == datetime.date(2026, 6, 3)
    assert marie["Accord ARS"].number_format == "DD/MM/YYYY"
    assert marie["Dernière activité"].value.date() == datetime.date(2026, 10, 2)
    assert marie["Statut"].value == "En cours"


def test_xlsx_stores_formula_looking_text_as_text(cohort, modules):
    """A name like =HYPERLINK(…) is stored as a string, never as a formula."""
    content = cohort_progress_xlsx(cohort=cohort, rows=_data(cohort, modules))
    other = _xlsx_by_email(content)[OTHER]
    for header, value in (
        ("Nom", FORMULA),
        ("Prénom", "@SUM(A1:A9)"),
        ("Employeur", "+33 Mairie"),
        ("Fonction", "-2+3"),
    ):
        assert other[header].value == value
        assert other[header].data_type == "s"
        assert other[header].quotePrefix
    assert b"<f>" not in _worksheet_xml(content)
    assert other["Accord ARS"].value is None


def _worksheet_xml(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_dates_follow_the_cohort_region_time_zone(db, programme, modules):
    """The last activity date is the one of the cohort's region: 1 October in Guyane."""
    guyane = RegionFactory(name="Guyane", slug="guyane", timezone="America/Cayenne")
    cohort = CohortFactory(programme=programme, region=guyane, name="Guyane 2026")
    rows = _data(cohort, modules)
    csv_marie = _csv_by_email(cohort_progress_csv(cohort=cohort, rows=rows))[MARIE]
    assert csv_marie["Dernière activité"] == "01/10/2026"
    xlsx_marie = _xlsx_by_email(cohort_progress_xlsx(cohort=cohort, rows=rows))[MARIE]
    assert xlsx_marie["Dernière activité"].value.date() == datetime.date(2026, 10, 1)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Bretagne 2026", "Bretagne 2026"),
        ("Île-de-France [promo 2026/2027]: test*?", "Île-de-France promo 2026 2027 t"),
        ("'Grand Est'", "Grand Est"),
        ("/:*?", "Promotion"),
        ("Provence-Alpes-Côte d'Azur — promotion de printemps 2027", "Provence-Alpes-Côte d'Azur — pr"),
        ("Occitanie 'A'", "Occitanie 'A"),
    ],
)
def test_sheet_title_is_one_excel_accepts(name, expected):
    """Sheet names drop the characters Excel refuses and keep at most 31 characters."""
    title = sheet_title(name)
    assert title == expected
    assert len(title) <= 31


def test_empty_cohort_exports_headers_only(cohort, modules):
    """With no learner, both exports hold the header row only."""
    assert _csv_rows(cohort_progress_csv(cohort=cohort, rows=[])) == [list(HEADERS)]
    assert _sheet(cohort_progress_xlsx(cohort=cohort, rows=[])).max_row == 1


def test_xlsx_drops_control_characters(cohort, modules):
    """A control character pasted into an employer name does not break the workbook."""
    EnrolmentFactory(cohort=cohort, employer="Mairie\x07 de Lorient")
    content = cohort_progress_xlsx(cohort=cohort, rows=cohort_progress(cohort=cohort))
    assert _sheet(content)["D2"].value == "Mairie de Lorient"


# --- The page's filters apply to its exports and its pagination ------------------------------------


@pytest.fixture
def filtered_cohort(cohort, modules, ars_staff):
    """Three learners: two Le Goff (one with the joint agreement) and a Kerleau."""
    for last, first, agreed in (
        ("Le Goff", "Yann", True),
        ("Le Goff", "Anne", False),
        ("Kerleau", "Marie", True),
    ):
        date = datetime.date(2026, 6, 1) if agreed else None
        EnrolmentFactory(
            cohort=cohort,
            user__last_name=last,
            user__first_name=first,
            user__email=f"{first.lower()}@exemple.fr",
            ars_agreement_on=date,
            employer_agreement_on=date,
        )
    return cohort


def test_exports_follow_the_page_filter_and_sort(client, filtered_cohort, ars_staff):
    """CSV and XLSX exported with the page's query string hold the rows shown, in the order shown."""
    client.force_login(ars_staff)
    query = "?q=le+goff&tri=-name"
    csv_rows = _csv_rows(client.get(f"/gestion/promotions/{filtered_cohort.pk}/export.csv{query}").content)
    assert [row[2] for row in csv_rows[1:]] == ["yann@exemple.fr", "anne@exemple.fr"]
    xlsx = client.get(f"/gestion/promotions/{filtered_cohort.pk}/export.xlsx{query}").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        "yann@exemple.fr",
        "anne@exemple.fr",
    ]
    status = client.get(f"/gestion/promotions/{filtered_cohort.pk}/export.csv?statut=not_eligible").content
    assert [row[2] for row in _csv_rows(status)[1:]] == ["anne@exemple.fr"]
    everything = client.get(f"/gestion/promotions/{filtered_cohort.pk}/export.csv").content
    assert len(_csv_rows(everything)) == 4


def test_page_links_its_exports_and_pages_with_its_filters(client, filtered_cohort, ars_staff):
    """The export links and the pagination links carry the search, the status and the sort."""
    for n in range(60):
        EnrolmentFactory(
            cohort=filtered_cohort, user__last_name=f"Le Goff {n:02d}", user__email=f"lg{n}@exemple.fr"
        )
    client.force_login(ars_staff)
    html = client.get(
        f"/gestion/promotions/{filtered_cohort.pk}/?q=le+goff&statut=not_eligible&tri=-activity"
    ).content.decode()
    kept = "q=le+goff&amp;statut=not_eligible&amp;tri=-activity"
    assert f'export.csv?{kept}"' in html and f'export.xlsx?{kept}"' in html
    assert f"page=2&amp;{kept}" in html
