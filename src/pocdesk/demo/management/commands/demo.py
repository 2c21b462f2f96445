"""`pocdesk demo`: migrate, seed the demo company once, print the logins, serve."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from pocdesk.core.errors import ApplicationError
from pocdesk.demo.people import ADMIN, COMPANY_NAME, DEMO_PEOPLE, DEMO_TEAMS
from pocdesk.demo.seed import STORIES, demo_existing, demo_is_seeded, demo_seed
from pocdesk.opportunities.models import Opportunity
from pocdesk.people.models import Role
from pocdesk.pocs.models import POC

DEFAULT_ADDRPORT = "127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        f"Seed a demo company ({COMPANY_NAME}: teams, users of every role, POCs in every state) "
        "and serve it on http://127.0.0.1:8000/. Every demo login uses the password "
        f"“{settings.POCDESK_DEMO_PASSWORD}”. Seeding is done once: running the command again "
        "changes nothing. Refused unless POCDESK_ALLOW_DEMO is on (development settings)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true",
                            help="Seed (if needed) and exit without starting the web server.")
        parser.add_argument("--reset", action="store_true",
                            help="Empty the whole database (every table, not only the demo's "
                                 "rows: Django's flush) and seed the demo again.")
        parser.add_argument("--scale", type=int, default=0, metavar="N",
                            help="Add N generated opportunities, each with its account, a POC "
                                 "and its timeline, for load tests. Adds N more on every run.")
        parser.add_argument("--addrport", default=DEFAULT_ADDRPORT,
                            help=f"Address and port to serve on (default {DEFAULT_ADDRPORT}).")

    def handle(self, *args, **options):
        if not settings.POCDESK_ALLOW_DEMO:
            raise CommandError(
                "The demo is disabled in these settings (POCDESK_ALLOW_DEMO is off): it creates "
                f"logins whose password is “{settings.POCDESK_DEMO_PASSWORD}”. Use the development "
                "settings (pocdesk.settings.dev).", returncode=2)
        if options["scale"] < 0:
            raise CommandError("--scale must be 0 or more.", returncode=2)
        call_command("migrate", verbosity=0, interactive=False)
        if options["reset"]:
            call_command("flush", verbosity=0, interactive=False)
            self.stdout.write("Database emptied.")
        try:
            self._seed()
            if options["scale"]:
                self._scale(options["scale"])
        except ApplicationError as error:
            raise CommandError(f"Seeding failed: {error.message} {error.details}",
                               returncode=2) from error
        url = self._url(options["addrport"])
        self._print_logins(url)
        if options["no_serve"]:
            return
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        except KeyboardInterrupt:
            self.stdout.write("")

    def _seed(self) -> None:
        if demo_is_seeded():
            self.stdout.write(f"The demo company {COMPANY_NAME} is already seeded: nothing changed.")
            return
        slugs, usernames = demo_existing()
        if slugs or usernames:
            raise CommandError(
                "Part of the demo already exists (" + ", ".join(sorted(slugs | usernames))
                + "): run `pocdesk demo --reset` to empty the database and seed it again.",
                returncode=2)
        cast = demo_seed()
        teams = list(cast.teams.values())
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {COMPANY_NAME}: {len(teams)} teams, {len(cast.users)} people, "
            f"{Opportunity.objects.filter(team__in=teams).count()} opportunities and "
            f"{POC.objects.filter(team__in=teams).count()} POCs telling {len(STORIES)} stories."))

    def _scale(self, count: int) -> None:
        from pocdesk.demo.scale import scale_add
        from pocdesk.insights.scoring import scores_recompute_all

        result = scale_add(count=count)
        self.stdout.write(self.style.SUCCESS(
            f"Added {result.opportunities} generated opportunities (each with an account and a "
            f"POC) and {result.events} events in {result.seconds:.1f} s."))
        started = time.perf_counter()
        scores_recompute_all()
        self.stdout.write(f"Scored every open opportunity in {time.perf_counter() - started:.1f} s.")

    @staticmethod
    def _url(addrport: str) -> str:
        host, _sep, port = addrport.rpartition(":")
        if not host:
            host = "127.0.0.1"
        if host in ("0.0.0.0", "[::]", "::"):  # noqa: S104 - only displayed
            host = "127.0.0.1"
        return f"http://{host}:{port or '8000'}/"

    def _print_logins(self, url: str) -> None:
        team_names = {team.slug: team.name for team in DEMO_TEAMS}
        languages = dict(settings.LANGUAGES)
        rows = [("username", "role", "teams", "language")]
        for person in DEMO_PEOPLE:
            role = "Administrator (staff)" if person.role == ADMIN else str(Role(person.role).label)
            teams = ", ".join(team_names[slug] for slug in person.teams) or "all teams"
            rows.append((person.username, role, teams, languages.get(person.language, "")))
        widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
        self.stdout.write(f"\npocdesk demo: {url}")
        self.stdout.write(f"Every login below uses the password “{settings.POCDESK_DEMO_PASSWORD}”.\n")
        for number, row in enumerate(rows):
            line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(line.rstrip())
            if number == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        self.stdout.write("")
