"""Reading an export with its mapping: records out, every bad cell named, nothing written."""

import datetime
import io
from decimal import Decimal

import pytest

from pocdesk.insights.history_mapping import parse_mapping
from pocdesk.insights.history_read import (
    HistoryFileError,
    estimate_rows,
    guess_layout,
    parse_number,
    read_head,
    read_history,
)

from .history_factories import GOOD_CSV, MAPPING_TOML


def read(text: str, mapping_text: str = MAPPING_TOML, encoding: str = "utf-8", **options):
    return read_history(io.BytesIO(text.encode(encoding)), parse_mapping(mapping_text),
                        **options)


def file_error(text: str, mapping_text: str = MAPPING_TOML, encoding: str = "utf-8") -> str:
    with pytest.raises(HistoryFileError) as caught:
        read(text, mapping_text, encoding)
    assert caught.value.code == "unreadable_history_file"
    return caught.value.message


def test_a_good_file_gives_one_record_per_row():
    result = read(GOOD_CSV)

    assert result.errors == []
    assert result.rows_total == 3
    won, lost, still_open = result.records
    assert (won.row_number, won.outcome, won.external_id, won.amount, won.currency,
            won.opened_on) == (2, "won", "A1", Decimal("1200.50"), "EUR",
                               datetime.date(2025, 1, 10))
    assert won.attributes == {"Region": "North", "Seats": 12.0}
    assert lost.attributes == {"Region": "South", "Seats": None}
    assert (still_open.outcome, still_open.amount, still_open.attributes) == (
        "open", None, {"Region": None, "Seats": 4.0})
    assert result.counts() == {"won": 1, "lost": 1, "open": 1}


def test_a_path_is_read_too(tmp_path):
    path = tmp_path / "crm.csv"
    path.write_bytes(GOOD_CSV.encode())

    assert read_history(path, parse_mapping(MAPPING_TOML)).rows_total == 3


def test_outcome_values_are_compared_without_case_or_spaces():
    result = read(GOOD_CSV.replace("A1,Won", "A1,  won ").replace("A2,Lost", "A2,LOST"))

    assert [record.outcome for record in result.records] == ["won", "lost", "open"]


def test_the_missing_outcome_column_is_named_with_the_header():
    message = file_error(GOOD_CSV.replace("Stage", "Phase"))

    assert message == ("The file has no column “Stage”. Its header: “Id”, “Phase”, “Amount”, "
                       "“Opened”, “Region”, “Seats”, “Closed value”.")


def test_the_wrong_separator_is_recognised():
    message = file_error(GOOD_CSV.replace(",", ";"))

    assert message == "The file seems to be separated by “;”, not “,”: set [file] separator."


def test_a_tab_separated_file_is_recognised_too():
    assert "“\\t”" in file_error(GOOD_CSV.replace(",", "\t"))


def test_an_unknown_outcome_lists_the_allowed_values():
    result = read(GOOD_CSV.replace("A2,Lost", "A2,Stalled"))

    assert result.errors == [{"row": 3, "column": "Stage", "value": "Stalled", "message":
                              "Not an outcome of the mapping. Allowed: won: “Won”; lost: "
                              "“Lost”; open: “Open”."}]
    assert [record.row_number for record in result.records] == [2, 4]


def test_an_empty_outcome_is_an_error_unless_listed_as_open():
    text = GOOD_CSV.replace("A3,Open", "A3,")

    assert read(text).errors[0]["message"].startswith("The outcome is empty.")
    assert read(text, MAPPING_TOML.replace('open = ["Open"]', 'open = [""]')).errors == []


def test_a_bad_number_names_its_column_and_value():
    result = read(GOOD_CSV.replace("1200.50,2025", "12OO,2025").replace("South,,", "South,many,"))

    assert result.errors == [
        {"row": 2, "column": "Amount", "value": "12OO",
         "message": "Not a number (write it like 1234.56 or 1,234.56)."},
        {"row": 3, "column": "Seats", "value": "many",
         "message": "Not a number (write it like 1234.56 or 1,234.56)."},
    ]


def test_every_bad_cell_of_a_row_is_reported():
    result = read(GOOD_CSV.replace("A1,Won,1200.50,2025-01-10", "A1,Maybe,x,10/01/2025"))

    assert [(error["row"], error["column"]) for error in result.errors] == [
        (2, "Stage"), (2, "Opened"), (2, "Amount")]


@pytest.mark.parametrize(("text", "decimal", "expected"), [
    ("1,234.56", ".", Decimal("1234.56")),
    ("1 234,56", ",", Decimal("1234.56")),
    ("1.234.567,5", ",", Decimal("1234567.5")),
    ("1\u00a0234", ".", Decimal("1234")),
    ("-12", ".", Decimal("-12")),
    ("1e3", ".", Decimal("1E+3")),
    (".5", ".", Decimal("0.5")),
    ("", ".", None),
])
def test_numbers_are_read_with_the_decimal_mark(text, decimal, expected):
    assert parse_number(text, decimal) == expected


@pytest.mark.parametrize(("text", "decimal"), [("1,5", "."), ("1.5", ","), ("12,34,5", "."),
                                               ("1 2", "."), ("nan", "."), ("€12", ".")])
def test_ambiguous_numbers_are_refused(text, decimal):
    with pytest.raises(ValueError):
        parse_number(text, decimal)


def test_dates_follow_the_date_format():
    mapping_text = MAPPING_TOML.replace('currency = "EUR"',
                                        'currency = "EUR"\ndate_format = "%d/%m/%Y"')

    result = read(GOOD_CSV.replace("2025-01-10", "10/01/2025").replace("2025-02-01", "2025-02-01"),
                  mapping_text)

    assert result.records[0].opened_on == datetime.date(2025, 1, 10)
    assert result.errors[0] == {"row": 3, "column": "Opened", "value": "2025-02-01",
                                "message": "Not a date in the format %d/%m/%Y."}


def test_iso_datetimes_are_accepted_as_dates():
    result = read(GOOD_CSV.replace("2025-01-10", "2025-01-10T09:30:00"))

    assert result.records[0].opened_on == datetime.date(2025, 1, 10)


def test_a_currency_column_is_checked():
    mapping_text = MAPPING_TOML.replace('opened = "Opened"', 'opened = "Opened"\ncurrency = "Cur"')
    text = ("Id,Stage,Amount,Opened,Region,Seats,Cur\r\n"
            "A1,Won,10,2025-01-10,North,1,usd\r\n"
            "A2,Won,10,2025-01-10,North,1,XXQ\r\n"
            "A3,Won,10,2025-01-10,North,1,\r\n")

    result = read(text, mapping_text)

    assert [record.currency for record in result.records] == ["USD", "EUR"]
    assert [(error["row"], error["column"], error["value"]) for error in result.errors] == [
        (3, "Cur", "XXQ")]


def test_a_negative_or_huge_amount_is_refused():
    result = read(GOOD_CSV.replace("1200.50,2025", "-5,2025").replace("800,", "1e20,"))

    assert [(error["row"], error["message"]) for error in result.errors] == [
        (2, "An amount cannot be negative."), (3, "This amount is too large.")]


def test_a_row_longer_than_the_header_is_an_error():
    result = read(GOOD_CSV.replace("A2,Lost,800", "A2,Lost,8,00"))

    assert result.errors[0]["row"] == 3
    assert result.errors[0]["message"].startswith("The row has 8 cells but the header 7")


def test_blank_lines_are_skipped_and_rows_keep_their_numbers():
    result = read(GOOD_CSV.replace("\r\nA2", "\r\n\r\nA2"))

    assert result.rows_total == 3
    assert [record.row_number for record in result.records] == [2, 4, 5]


def test_a_bom_and_another_encoding_are_read():
    assert read("\ufeff" + GOOD_CSV).rows_total == 3
    mapping_text = MAPPING_TOML.replace('separator = ","', 'encoding = "cp1252"')
    result = read(GOOD_CSV.replace("North", "Région Nord"), mapping_text, encoding="cp1252")
    assert result.records[0].attributes["Region"] == "Région Nord"


def test_an_undecodable_line_is_named():
    text = GOOD_CSV.replace("South", "Süd")

    message = file_error(text, encoding="cp1252")

    assert message.startswith("Line 3 cannot be read as utf-8")


def test_utf16_is_read():
    mapping_text = MAPPING_TOML.replace('separator = ","', 'encoding = "utf-16"')

    assert read(GOOD_CSV, mapping_text, encoding="utf-16").rows_total == 3


def test_an_empty_file_has_no_header():
    assert file_error("\r\n\r\n") == "The file is empty: it has no header row."


def test_progress_is_reported_every_two_thousand_rows():
    rows = "".join(f"A{number},Won,1,2025-01-10,North,1,1\r\n" for number in range(4_500))
    seen = []

    result = read(GOOD_CSV.split("\r\n")[0] + "\r\n" + rows, progress=seen.append)

    assert result.rows_total == 4_500
    assert seen == [2_000, 4_000, 4_500]


def xlsx_bytes(rows, sheet="Deals") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_a_workbook_is_read_with_typed_cells():
    content = xlsx_bytes([
        ["Id", "Stage", "Amount", "Opened", "Region", "Seats"],
        [101, "Won", 1200.5, datetime.datetime(2025, 1, 10), "North", 12],
        ["A2", "Lost", "800", "2025-02-01", None, None],
    ])
    upload = io.BytesIO(content)
    upload.name = "crm.xlsx"

    result = read_history(upload, parse_mapping(MAPPING_TOML))

    assert result.errors == []
    first, second = result.records
    assert (first.external_id, first.amount, first.opened_on, first.attributes) == (
        "101", Decimal("1200.50"), datetime.date(2025, 1, 10), {"Region": "North",
                                                                 "Seats": 12.0})
    assert (second.amount, second.attributes) == (Decimal("800.00"),
                                                  {"Region": None, "Seats": None})
    assert estimate_rows(upload, parse_mapping(MAPPING_TOML)) == 2


def test_a_missing_sheet_is_named():
    upload = io.BytesIO(xlsx_bytes([["Id"]]))

    with pytest.raises(HistoryFileError) as caught:
        read_history(upload, parse_mapping(MAPPING_TOML.replace(
            'separator = ","', 'format = "xlsx"\nsheet = "Pipeline"')))

    assert caught.value.message == "The workbook has no sheet “Pipeline”. Its sheets: Deals."


def test_a_broken_workbook_is_refused():
    upload = io.BytesIO(b"PK\x03\x04 not really a zip")
    upload.name = "crm.xlsx"

    with pytest.raises(HistoryFileError) as caught:
        read_history(upload, parse_mapping(MAPPING_TOML))

    assert caught.value.message.startswith("This is not a valid XLSX workbook")


def test_the_head_and_the_layout_of_a_new_file():
    upload = io.BytesIO(GOOD_CSV.replace(",", ";").encode())

    layout = guess_layout(upload, "crm.csv")
    header, rows = read_head(upload, parse_mapping(MAPPING_TOML.replace(
        'separator = ","', 'separator = ";"')), rows=2)

    assert layout == {"format": "csv", "encoding": "utf-8", "separator": ";"}
    assert header[:3] == ["Id", "Stage", "Amount"]
    assert rows == [["A1", "Won", "1200.50", "2025-01-10", "North", "12", "1200.50"],
                    ["A2", "Lost", "800", "2025-02-01", "South", "", "0"]]
    assert estimate_rows(upload, parse_mapping(MAPPING_TOML)) == 3


@pytest.mark.parametrize(("encoding", "region", "guessed"), [
    ("utf-8", "Île-de-France", "utf-8"),
    ("utf-8-sig", "华北", "utf-8"),
    ("cp1252", "Île-de-France", "cp1252"),
    ("gb18030", "华北", "gb18030"),
])
def test_the_encoding_of_a_new_file_is_guessed_and_reads_it(encoding, region, guessed):
    upload = io.BytesIO(GOOD_CSV.replace("North", region).encode(encoding))

    layout = guess_layout(upload, "crm.csv")
    encoding_line = f'encoding = "{layout["encoding"]}"'
    result = read_history(upload, parse_mapping(MAPPING_TOML.replace(
        'separator = ","', f'separator = ","\n{encoding_line}')))

    assert layout == {"format": "csv", "encoding": guessed, "separator": ","}
    assert result.errors == []
    assert result.records[0].attributes["Region"] == region


def test_the_separator_is_the_one_that_splits_every_line_alike():
    upload = io.BytesIO(b"Deal,Notes;tags\r\nA1,budget;urgent\r\nA2,none\r\n")

    assert guess_layout(upload, "crm.csv")["separator"] == ","


def test_a_utf16_file_read_as_utf8_is_explained():
    message = file_error(GOOD_CSV, encoding="utf-16-le")

    assert message.startswith("Line 1 holds NUL characters: if the file is UTF-16")
