"""The column mapping: TOML in, a checked Mapping out, every problem named by its key."""

import pytest

from pocdesk.insights.history_mapping import (
    Feature,
    Mapping,
    MappingError,
    mapping_from_data,
    parse_mapping,
)

from .history_factories import EXAMPLES, MAPPING_TOML


def problems(text: str) -> dict[str, list[str]]:
    with pytest.raises(MappingError) as caught:
        parse_mapping(text)
    assert caught.value.code == "invalid_mapping"
    return caught.value.details["fields"]


def test_a_mapping_is_read_with_its_defaults():
    mapping = parse_mapping(MAPPING_TOML)

    assert mapping.name == "crm"
    assert (mapping.format, mapping.separator, mapping.encoding, mapping.sheet) == (
        "", ",", "utf-8", "")
    assert (mapping.outcome_column, mapping.won, mapping.lost, mapping.open) == (
        "Stage", ("Won",), ("Lost",), ("Open",))
    assert mapping.columns == {"id": "Id", "amount": "Amount", "opened": "Opened"}
    assert (mapping.default_currency, mapping.date_format, mapping.decimal) == ("EUR", "", ".")
    assert mapping.features == (Feature("Region", "categorical"), Feature("Seats", "numeric"))
    assert mapping.exclude == ("Closed value",)


def test_json_and_toml_give_the_same_mapping_back():
    mapping = parse_mapping(MAPPING_TOML)

    assert Mapping.from_json(mapping.to_json()) == mapping
    assert parse_mapping(mapping.to_toml()) == mapping
    assert mapping.to_json()["features"] == [{"name": "Region", "kind": "categorical"},
                                             {"name": "Seats", "kind": "numeric"}]


def test_texts_with_quotes_and_tabs_survive_the_toml_round_trip():
    mapping = parse_mapping(MAPPING_TOML.replace('separator = ","', 'separator = "\\t"')
                            .replace('won = ["Won"]', 'won = ["Won", "Gagné \\"ferme\\""]'))

    assert mapping.separator == "\t"
    assert parse_mapping(mapping.to_toml()) == mapping


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda path: path.name)
def test_the_example_mappings_are_valid(path):
    mapping = parse_mapping(path.read_text(encoding="utf-8"))

    assert mapping.name == path.stem
    assert mapping.features  # an example without features would teach the model nothing


def test_bad_toml_names_its_line():
    fields = problems('name = "crm"\n[outcome\ncolumn = "Stage"\n')

    assert list(fields) == ["mapping"]
    assert "line 2" in fields["mapping"][0]


def test_every_problem_is_reported_at_once():
    fields = problems("""
name = "not a slug!"
colour = "blue"
[file]
format = "ods"
separator = ";;"
encoding = "klingon-8"
[outcome]
won = ["Won", "Closed"]
lost = ["closed"]
[columns]
amount = "Amount"
owner_email = "Email"
[defaults]
currency = "EURO"
decimal = ";"
date_format = "day-month"
[features]
categorical = ["Region", "Stage"]
numeric = ["Seats", "Region"]
exclude = ["Seats"]
""")

    assert sorted(fields) == sorted([
        "name", "colour", "file.format", "file.separator", "file.encoding", "outcome.column",
        "outcome.lost", "columns.owner_email", "defaults.currency", "defaults.decimal",
        "defaults.date_format", "features.numeric"])
    assert "“Closed” is also listed in outcome.won" in fields["outcome.lost"][0].replace(
        "“closed”", "“Closed”")
    assert "EURO" in fields["defaults.currency"][0]
    assert "klingon-8" in fields["file.encoding"][0]
    assert fields["features.numeric"] == ["“Seats” is also in features.exclude.",
                                          "“Region” is already a categorical feature."]


def test_missing_outcome_and_values_are_named():
    fields = problems('name = "crm"\n[outcome]\ncolumn = ""\nwon = []\n')

    assert fields == {
        "outcome.column": ["Give the column that says whether the deal was won or lost."],
        "outcome.won": ["List the values that mean the deal was won."],
        "outcome.lost": ["List the values that mean the deal was lost."],
    }


def test_the_outcome_column_cannot_be_a_feature_or_a_standard_column():
    fields = problems(MAPPING_TOML.replace('id = "Id"', 'id = "Stage"')
                      .replace('categorical = ["Region"]', 'categorical = ["Region", "Stage"]'))

    assert fields == {
        "columns.id": ["“Stage” is the outcome column."],
        "features.categorical": ["“Stage” is the outcome column: it cannot be a feature."],
    }


def test_an_amount_needs_a_currency():
    fields = problems(MAPPING_TOML.replace('currency = "EUR"', ""))

    assert list(fields) == ["defaults.currency"]


def test_wrong_types_are_named():
    fields = problems('name = "crm"\n[outcome]\ncolumn = "Stage"\nwon = "Won"\nlost = [1]\n'
                      '[file]\nseparator = 3\n')

    assert set(fields) == {"outcome.won", "outcome.lost", "file.separator"}


def test_a_non_text_encoding_is_refused():
    fields = problems(MAPPING_TOML.replace('separator = ","', 'encoding = "base64"'))

    assert list(fields) == ["file.encoding"]


def test_the_name_can_be_given_apart():
    mapping = parse_mapping(MAPPING_TOML.replace('name = "crm"', ""), name="crm-2025")

    assert mapping.name == "crm-2025"


def test_a_mapping_that_is_not_a_table_is_refused():
    with pytest.raises(MappingError) as caught:
        mapping_from_data(["Stage"])

    assert list(caught.value.details["fields"]) == ["mapping"]


def test_nul_characters_are_refused():
    fields = problems(MAPPING_TOML.replace('column = "Stage"', 'column = "St\\u0000age"')
                      .replace('won = ["Won"]', 'won = ["W\\u0000on"]'))

    assert set(fields) == {"outcome.column", "outcome.won"}
