"""Reads of the CRM history pages and API: sources, their deals counted, an import's state."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from pocdesk.core.errors import NotFound
from pocdesk.people.roles import scope_to_user
from pocdesk.people.selectors import team_list_visible

from .history import ERRORS_KEPT
from .models import DealOutcome, HistoryImport, HistorySource, ImportStatus

WAITING = (ImportStatus.QUEUED, ImportStatus.RUNNING)
IMPORTS_SHOWN = 10
OPEN_DEALS_SHOWN = 50


def _counted(sources):
    return sources.annotate(
        deals_won=Count("deals", filter=Q(deals__outcome=DealOutcome.WON)),
        deals_lost=Count("deals", filter=Q(deals__outcome=DealOutcome.LOST)),
        deals_open=Count("deals", filter=Q(deals__outcome=DealOutcome.OPEN)))


def history_sources_for(actor, *, team=None):
    """The sources of the actor's teams (every team for admins), their deals counted: one
    query."""
    sources = scope_to_user(HistorySource.objects.all(), actor)
    if team is not None:
        sources = sources.filter(team=team)
    return _counted(sources.select_related("team")).order_by("team__name", "name")


def history_source_get(*, user, source_id) -> HistorySource:
    """One source the user may see, or NotFound."""
    source = (scope_to_user(HistorySource.objects.all(), user)
              .select_related("team", "created_by__profile")
              .filter(pk=source_id).first() if str(source_id).isdigit() else None)
    if source is None:
        raise NotFound()
    return source


@dataclass
class SourceDetail:
    source: HistorySource
    counts: dict[str, int]
    imports: list[HistoryImport] = field(default_factory=list)
    open_deals: list[dict] = field(default_factory=list)  # the likeliest first, with factors

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def history_source_detail(source: HistorySource, *, open_deals: bool = False) -> SourceDetail:
    """The source with its deals counted by outcome (one query), its latest imports (one) and,
    with `open_deals`, its scored open deals (one)."""
    counts = source.deals.aggregate(
        won=Count("pk", filter=Q(outcome=DealOutcome.WON)),
        lost=Count("pk", filter=Q(outcome=DealOutcome.LOST)),
        open=Count("pk", filter=Q(outcome=DealOutcome.OPEN)))
    imports = list(source.imports.select_related("created_by__profile")
                   .defer("errors")[:IMPORTS_SHOWN])
    return SourceDetail(source=source, counts=counts, imports=imports,
                        open_deals=_open_deals(source) if open_deals else [])


def _open_deals(source: HistorySource) -> list[dict]:
    """The source's open deals as the model scored them (one query), factors in words."""
    from .scoring import factors_in_words

    deals = (source.deals.filter(outcome=DealOutcome.OPEN)
             .order_by(F("probability").desc(nulls_last=True), "row_number")
             .only("source", "external_id", "name", "row_number", "owner_name",
                   "probability", "factors")[:OPEN_DEALS_SHOWN])
    return [{"deal": deal, "percent": None if deal.probability is None
             else round(deal.probability * 100),
             "factors": factors_in_words(deal.factors)} for deal in deals]


def history_import_get(*, user, import_id, source=None) -> HistoryImport:
    """One import the user may see (of `source` when given), or NotFound."""
    imports = scope_to_user(HistoryImport.objects.all(), user, field="source__team_id")
    if source is not None:
        imports = imports.filter(source=source)
    found = (imports.select_related("source", "source__team", "created_by__profile")
             .filter(pk=import_id).first() if str(import_id).isdigit() else None)
    if found is None:
        raise NotFound()
    return found


def history_import_state(history_import: HistoryImport, *, errors: int = ERRORS_KEPT) -> dict:
    """What a progress bar or a script needs: the phase, the rows, the outcome, the errors."""
    waiting = history_import.status in WAITING
    total, done = history_import.rows_total, history_import.rows_done
    if history_import.status == ImportStatus.RUNNING and total:
        percent = min(99, int(100 * done / total))
    else:
        percent = 0 if waiting else 100
    return {
        "id": history_import.pk,
        "source": history_import.source_id,
        "file_name": history_import.file_name,
        "dry_run": history_import.dry_run,
        "status": history_import.status,
        "status_label": str(history_import.get_status_display()),
        "finished": not waiting,
        "rows_total": total,
        "rows_done": done,
        "rows_imported": history_import.rows_imported,
        "percent": percent,
        "message": history_import.message,
        "errors": list(history_import.errors[:errors]) if errors else [],
        "created_at": history_import.created_at,
        "finished_at": history_import.finished_at,
    }


def history_teams_for(user):
    """The teams whose sources the user may define and import into."""
    teams = team_list_visible(user=user)
    return teams.filter(pk__in=[team.pk for team in teams
                                if user.has_perm("pocdesk.manage_team", team)])
