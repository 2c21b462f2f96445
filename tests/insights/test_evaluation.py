"""Evaluating the win model: the service, the job, the page and `pocdesk model evaluate`."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from pocdesk.core.errors import ApplicationError, NotFound, ValidationFailed
from pocdesk.insights.evaluation import (
    model_evaluation_start,
    source_dataset,
)
from pocdesk.insights.history_selectors import history_source_get
from pocdesk.insights.models import (
    HistoricalDeal,
    HistoryImport,
    HistorySource,
    ImportStatus,
    ModelEvaluation,
)
from pocdesk.people.models import Role
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
MAPPING = {"name": "crm", "features": [{"name": "authority", "kind": "categorical"},
                                       {"name": "size", "kind": "numeric"}]}


@pytest.fixture
def source():
    team = TeamFactory()
    manager = UserFactory()
    MembershipFactory(user=manager, team=team, role=Role.MANAGER)
    source = HistorySource.objects.create(team=team, name="crm", mapping=MAPPING,
                                          created_by=manager)
    history_import = HistoryImport.objects.create(source=source, file_name="crm.csv",
                                                  status=ImportStatus.DONE, created_by=manager)
    deals = []
    for number in range(120):
        authority = ["High", "Mid", "Low"][number % 3]
        won = (number % 3 == 0 and number % 5 != 0) or (number % 3 == 1 and number % 4 == 0)
        deals.append(HistoricalDeal(
            source=source, history_import=history_import, row_number=number + 2,
            outcome="won" if won else "lost",
            attributes={"authority": authority, "size": float(number % 7)}))
    deals += [HistoricalDeal(source=source, history_import=history_import, row_number=200,
                             outcome="open", attributes={"authority": "High", "size": 1.0})]
    HistoricalDeal.objects.bulk_create(deals)
    return source


def test_the_source_dataset_holds_the_closed_deals_with_their_outcomes(source,
                                                                        django_assert_num_queries):
    with django_assert_num_queries(1):
        dataset = source_dataset(source)
    assert len(dataset) == 120
    assert sum(dataset.outcomes) == sum(1 for n in range(120) if (n % 3 == 0 and n % 5 != 0)
                                        or (n % 3 == 1 and n % 4 == 0))
    assert [feature.name for feature in dataset.features] == ["authority", "size"]
    assert len(source_dataset(source, closed=False)) == 1


def test_an_evaluation_runs_and_keeps_every_figure(source, django_capture_on_commit_callbacks):
    manager = source.created_by
    with django_capture_on_commit_callbacks(execute=True):
        evaluation = model_evaluation_start(actor=manager, source=source, folds=3, repeats=1)
    evaluation.refresh_from_db()
    assert evaluation.status == ImportStatus.DONE
    assert evaluation.steps_done == evaluation.steps_total == 3
    result = evaluation.result
    assert result["n"] == 120
    assert {"auc", "brier", "log_loss", "baseline_auc", "baseline_brier", "estimator",
            "reliability", "candidates"} <= set(result)
    # Authority carries the signal: the model ranks better than chance.
    assert result["auc"] > 0.7
    assert result["brier"] < result["base_rate_brier"]


@pytest.mark.parametrize(("folds", "repeats", "field"), [(1, 1, "folds"), (11, 1, "folds"),
                                                          (5, 0, "repeats")])
def test_bad_settings_name_their_field_and_start_nothing(source, folds, repeats, field):
    with pytest.raises(ValidationFailed) as refusal:
        model_evaluation_start(actor=source.created_by, source=source, folds=folds,
                               repeats=repeats)
    assert set(refusal.value.fields) == {field}
    assert not ModelEvaluation.objects.exists()


def test_too_few_deals_of_one_outcome_is_refused_with_the_counts(source):
    source.deals.filter(outcome="won").exclude(row_number=2).delete()
    with pytest.raises(ApplicationError) as refusal:
        model_evaluation_start(actor=source.created_by, source=source, folds=5, repeats=1)
    assert refusal.value.code == "not_enough_deals"
    assert "there are 0 won and 78 lost" in refusal.value.message
    assert not ModelEvaluation.objects.exists()


def test_another_team_cannot_see_the_source_or_evaluate_it(source):
    outsider = UserFactory()
    MembershipFactory(user=outsider, team=TeamFactory(), role=Role.MANAGER)
    with pytest.raises(NotFound):
        history_source_get(user=outsider, source_id=source.pk)
    with pytest.raises(ApplicationError):
        model_evaluation_start(actor=outsider, source=source, folds=3, repeats=1)
    assert not ModelEvaluation.objects.exists()


def test_the_page_runs_an_evaluation_and_shows_the_figures(source, client,
                                                           django_capture_on_commit_callbacks):
    client.force_login(source.created_by)
    url = reverse("web:model_evaluation", args=[source.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"folds": "3", "repeats": "1"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-testid="evaluation-result"' in page
    assert "evaluation-chart" in page
    refused = client.post(url, {"folds": "1", "repeats": "1"})
    assert refused.status_code == 400
    assert ModelEvaluation.objects.count() == 1


def test_the_command_evaluates_a_source_as_json(source, capsys):
    call_command("model", "evaluate", "--source", "crm", "--folds", "3", "--repeats", "1",
                 "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 120
    assert {"n", "auc", "brier", "log_loss", "baseline_auc", "baseline_brier",
            "estimator"} <= set(result)


def test_the_command_refuses_an_unknown_source():
    with pytest.raises(CommandError) as refusal:
        call_command("model", "evaluate", "--source", "nowhere")
    assert refusal.value.returncode == 2


@pytest.mark.parametrize(("data", "mapping", "closed"), [
    ("salvirt-b2b-sales/Salvirt_B2B_ML_dataset_HF.csv", "salvirt-b2b.toml", 448),
    ("maven-crm-sales-opportunities/sales_pipeline.csv", "maven-crm.toml", 6711),
])
def test_the_shared_datasets_evaluate_from_their_files(data, mapping, closed, capsys):
    path = SHARED / data
    if not path.exists():
        pytest.skip("the shared datasets are not on this machine")
    examples = Path(__file__).resolve().parents[2] / "examples" / "history"
    call_command("model", "evaluate", "--csv", str(path), "--mapping", str(examples / mapping),
                 "--folds", "3", "--repeats", "1", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == closed
    # Never worse calibrated than the plain one-hot logistic baseline, and as good at ranking.
    assert result["brier"] <= result["baseline_brier"]
    assert result["auc"] >= result["baseline_auc"] - 0.02
