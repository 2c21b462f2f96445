"""`pocdesk model evaluate (--source NAME | --csv FILE --mapping MAPPING.toml) [--folds 5] [--json]`.

The held-out evaluation of the win model (§10): on a source's imported deals, or on a file read
with a mapping without importing anything. Same code as the evaluation page.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.insights.evaluation import (
    dataset_from_records,
    evaluate_dataset,
    source_dataset,
)
from pocdesk.insights.models import HistorySource


class Command(BaseCommand):
    help = "Evaluate the win-probability model on held-out deals."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True, metavar="evaluate")
        evaluate = commands.add_parser("evaluate", help="Cross-validated ROC-AUC, Brier score "
                                                        "and log loss against two baselines.")
        evaluate.add_argument("--source", metavar="NAME", help="An imported history source.")
        evaluate.add_argument("--team", metavar="SLUG", help="The source's team, when two "
                                                             "teams use the same name.")
        evaluate.add_argument("--csv", metavar="FILE", help="A CSV or XLSX file, not imported.")
        evaluate.add_argument("--mapping", metavar="MAPPING.toml", help="The file's mapping.")
        evaluate.add_argument("--folds", type=int, default=5)
        evaluate.add_argument("--repeats", type=int, default=3)
        evaluate.add_argument("--json", action="store_true", help="Print the figures as JSON.")

    def handle(self, *args, action: str, source: str | None, team: str | None,
               csv: str | None, mapping: str | None, folds: int, repeats: int,
               json: bool, **options) -> None:
        if bool(source) == bool(csv):
            raise CommandError(_("Give either --source NAME or --csv FILE --mapping "
                                 "MAPPING.toml."), returncode=2)
        try:
            dataset = self._from_source(source, team) if source else self._from_file(csv,
                                                                                     mapping)
            result = evaluate_dataset(dataset, folds=folds, repeats=repeats,
                                      progress=None if json else self._progress)
        except ValidationFailed as error:
            messages = [f"--{name}: {' '.join(texts)}" for name, texts in error.fields.items()]
            raise CommandError("; ".join(messages), returncode=2) from error
        except ApplicationError as error:
            raise CommandError(error.message, returncode=2) from error
        if json:
            self.stdout.write(_dumps(result))
        else:
            self.stderr.write("")
            self.stdout.write(report(result))

    def _from_source(self, name: str, team: str | None):
        sources = HistorySource.objects.filter(name=name)
        if team:
            sources = sources.filter(team__slug=team)
        found = list(sources.select_related("team")[:2])
        if not found:
            raise CommandError(_("No history source is named “%(name)s”.") % {"name": name},
                               returncode=2)
        if len(found) > 1:
            raise CommandError(_("Several teams have a source named “%(name)s”: add --team.")
                               % {"name": name}, returncode=2)
        return source_dataset(found[0])

    def _from_file(self, path: str, mapping_path: str | None):
        from pocdesk.insights.history_mapping import parse_mapping
        from pocdesk.insights.history_read import read_history

        if not mapping_path:
            raise CommandError(_("--csv needs --mapping MAPPING.toml."), returncode=2)
        try:
            mapping = parse_mapping(Path(mapping_path).read_text(encoding="utf-8"))
            if not Path(path).is_file():
                raise CommandError(_("No file at %(path)s.") % {"path": path}, returncode=2)
            result = read_history(path, mapping)
        except OSError as error:
            raise CommandError(str(error), returncode=2) from error
        if result.errors:
            lines = [_("Row %(row)s, %(column)s: %(message)s") % error
                     for error in result.errors[:20]]
            if len(result.errors) > 20:
                lines.append(_("… and %(count)s more.") % {"count": len(result.errors) - 20})
            raise CommandError("\n".join([_("The file has errors:")] + lines), returncode=2)
        return dataset_from_records(result.records, list(mapping.features))

    def _progress(self, done: int, total: int) -> None:
        self.stderr.write(f"\r{_('Evaluating')} {done}/{total}", ending="")
        self.stderr.flush()


def _dumps(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=2)


def report(result: dict) -> str:
    """The figures as a small text table, the chosen estimator and the reliability bins."""
    lines = [
        _("%(n)s closed deals (%(won)s won), %(folds)s folds × %(repeats)s repeats, "
          "duplicates kept in one fold.") % result,
        "",
        f"{'':24}{_('ROC-AUC'):>10}{_('Brier score'):>10}{_('Log loss'):>10}",
        f"{_('Model') + ' (' + result['estimator'] + ')':24}{result['auc']:>10.3f}"
        f"{result['brier']:>10.4f}{result['log_loss']:>10.4f}",
        f"{_('One-hot logistic'):24}{result['baseline_auc']:>10.3f}"
        f"{result['baseline_brier']:>10.4f}{result['baseline_log_loss']:>10.4f}",
        f"{_('Win rate'):24}{0.5:>10.3f}{result['base_rate_brier']:>10.4f}"
        f"{result['base_rate_log_loss']:>10.4f}",
        "",
        _("Estimator chosen per fold: %(choices)s") % {"choices": ", ".join(
            f"{key} {count}" for key, count in result["estimator_per_fold"].items())},
        _("Out-of-fold Brier score of each candidate on all the deals: %(scores)s")
        % {"scores": ", ".join(f"{key} {score:.4f}"
                               for key, score in result["candidates"].items())},
        "",
        _("Reliability (predicted → observed, deals):"),
    ]
    for row in result["reliability"]["model"]:
        lines.append(f"  {row['low']:.1f}–{row['high']:.1f}: {row['predicted']:.2f} → "
                     f"{row['observed']:.2f} ({row['count']})")
    return "\n".join(lines)


