"""`pocdesk import history FILE --mapping MAPPING.toml [--dry-run] [--team SLUG] [--user NAME]`.

Imports a CRM export into the history source the mapping names (created, or its mapping
replaced, from the file), through the same services as the web page and the API, the job run in
this process. A rejected file prints its bad cells and exits with code 2.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.insights.history import (
    history_import_run,
    history_import_start,
    history_source_save,
)
from pocdesk.insights.history_mapping import parse_mapping
from pocdesk.insights.history_selectors import history_source_detail
from pocdesk.insights.models import ImportStatus
from pocdesk.people.models import Membership, Role, Team
from pocdesk.people.selectors import user_get

ERRORS_PRINTED = 50


class Command(BaseCommand):
    help = "Import data from files: `import history` reads a CRM export of deals."

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True, metavar="history")
        history = kinds.add_parser("history", help="Won, lost and open deals from a CRM "
                                                   "export (CSV or XLSX), all or nothing.")
        history.add_argument("file", metavar="FILE", help="The CSV or XLSX export.")
        history.add_argument("--mapping", required=True, metavar="MAPPING.toml",
                             help="The column mapping (see examples/history/).")
        history.add_argument("--dry-run", action="store_true",
                             help="Check every row and import nothing.")
        history.add_argument("--team", metavar="SLUG",
                             help="The source's team (default: the user's only team).")
        history.add_argument("--user", metavar="USERNAME",
                             help="Import as this user, a manager of the team (default: the "
                                  "team's first manager).")

    def handle(self, *args, kind: str, file: str, mapping: str, dry_run: bool,
               team: str | None, user: str | None, **options) -> None:
        try:
            self.handle_history(path=Path(file), mapping_path=Path(mapping), dry_run=dry_run,
                                team_slug=team, username=user)
        except ValidationFailed as error:
            messages = [f"{name}: {' '.join(texts)}" for name, texts in error.fields.items()]
            raise CommandError(" ".join(messages), returncode=2) from error
        except ApplicationError as error:
            raise CommandError(error.message, returncode=2) from error

    def handle_history(self, *, path: Path, mapping_path: Path, dry_run: bool,
                       team_slug: str | None, username: str | None) -> None:
        try:
            mapping = parse_mapping(mapping_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(_("Cannot read the mapping %(path)s: %(reason)s")
                               % {"path": mapping_path, "reason": error}, returncode=2) from error
        actor = self._user(username)
        team = self._team(team_slug, actor)
        if actor is None:
            actor = self._first_manager(team)
        source = history_source_save(actor=actor, team=team, name=mapping.name, mapping=mapping)
        try:
            with path.open("rb") as file:
                history_import = history_import_start(actor=actor, source=source, file=file,
                                                      file_name=path.name, dry_run=dry_run,
                                                      queue=False)
        except OSError as error:
            raise CommandError(_("Cannot read %(path)s: %(reason)s")
                               % {"path": path, "reason": error.strerror or error},
                               returncode=2) from error
        history_import = history_import_run(history_import.pk)
        if history_import.status == ImportStatus.REJECTED:
            self._print_errors(history_import.errors, total=history_import.error_count)
            raise CommandError(history_import.message, returncode=2)
        if history_import.status == ImportStatus.CHECKED:
            self.stdout.write(history_import.message)
            return
        self.stdout.write(_("%(count)d deals imported (%(won)d won, %(lost)d lost, %(open)d "
                            "open) into source %(source)s") % {
            "count": history_import.rows_imported, **history_source_detail(source).counts,
            "source": source.name})

    def _user(self, username: str | None):
        if not username:
            return None
        user = user_get(username=username)
        if user is None:
            raise CommandError(_("Unknown or inactive user “%(username)s”.")
                               % {"username": username}, returncode=2)
        return user

    def _team(self, slug: str | None, actor) -> Team:
        if slug:
            team = Team.objects.filter(slug=slug).first()
            if team is None:
                raise CommandError(_("No team has the short name “%(slug)s”.") % {"slug": slug},
                                   returncode=2)
            return team
        teams = (Team.objects.filter(memberships__user=actor) if actor is not None
                 else Team.objects.all())
        found = list(teams.distinct()[:2])
        if len(found) != 1:
            raise CommandError(_("Give the team with --team SLUG."), returncode=2)
        return found[0]

    def _first_manager(self, team: Team):
        membership = (Membership.objects.filter(team=team, role=Role.MANAGER,
                                                user__is_active=True)
                      .select_related("user").order_by("user__username").first())
        if membership is None:
            raise CommandError(_("The team “%(team)s” has no manager: give --user USERNAME.")
                               % {"team": team.slug}, returncode=2)
        return membership.user

    def _print_errors(self, errors: list[dict], *, total: int) -> None:
        """The first bad cells as a table, then how many more the file has (`total` counts
        them all; only the first ERRORS_KEPT are stored)."""
        shown = errors[:ERRORS_PRINTED]
        if not shown:
            return
        headings = (_("Row"), _("Column"), _("Value"), _("Problem"))
        rows = [(str(error.get("row", "")), error.get("column", ""),
                 _clipped(error.get("value", "")), error.get("message", ""))
                for error in shown]
        widths = [max(len(heading), *(len(row[index]) for row in rows))
                  for index, heading in enumerate(headings[:3])]
        for cells in (headings, *rows):
            self.stderr.write("  ".join(cell.ljust(width) for cell, width
                                        in zip(cells[:3], widths, strict=True))
                              + "  " + cells[3])
        if total > len(shown):
            self.stderr.write(_("… and %(count)d more.") % {"count": total - len(shown)})


def _clipped(value: str, width: int = 30) -> str:
    return value if len(value) <= width else value[:width - 1] + "…"

