"""History sources and imports for the tests, and the mapping text most of them start from."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from pocdesk.insights.history_mapping import parse_mapping
from pocdesk.insights.models import HistoricalDeal, HistoryImport, HistorySource

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "history"
MAVEN_FILE = SHARED_DATA / "maven-crm-sales-opportunities" / "sales_pipeline.csv"
SALVIRT_FILE = SHARED_DATA / "salvirt-b2b-sales" / "Salvirt_B2B_ML_dataset_HF.csv"

MAPPING_TOML = """\
name = "crm"
[file]
separator = ","
[outcome]
column = "Stage"
won = ["Won"]
lost = ["Lost"]
open = ["Open"]
[columns]
id = "Id"
amount = "Amount"
opened = "Opened"
[defaults]
currency = "EUR"
[features]
categorical = ["Region"]
numeric = ["Seats"]
exclude = ["Closed value"]
"""

GOOD_CSV = (
    "Id,Stage,Amount,Opened,Region,Seats,Closed value\r\n"
    "A1,Won,1200.50,2025-01-10,North,12,1200.50\r\n"
    "A2,Lost,800,2025-02-01,South,,0\r\n"
    "A3,Open,,2025-03-05,,4,\r\n"
)


def csv_upload(text: str = GOOD_CSV, name: str = "crm.csv",
               encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def make_source(team, *, created_by, mapping: str = MAPPING_TOML, name: str = "crm",
                ) -> HistorySource:
    return HistorySource.objects.create(
        team=team, name=name, mapping=parse_mapping(mapping, name=name).to_json(),
        created_by=created_by)


def make_import(source, *, created_by, **values) -> HistoryImport:
    values = {"file_name": "crm.csv", **values}
    return HistoryImport.objects.create(source=source, created_by=created_by, **values)


def make_deal(source, history_import, *, row_number: int = 2, outcome: str = "won",
              **values) -> HistoricalDeal:
    return HistoricalDeal.objects.create(source=source, history_import=history_import,
                                         row_number=row_number, outcome=outcome, **values)
