"""`pocdesk report POC_ID --kind objective|agreement --format pdf|docx -o FILE`.

Renders a POC's document as the given user (the POC's owner by default), with the same
permission checks and the same content as the web and the API. `-o -` writes to stdout.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pocdesk.core.errors import ApplicationError, ValidationFailed
from pocdesk.people.selectors import user_get
from pocdesk.reports.documents import document_formats, document_kinds, render_document
from pocdesk.reports.selectors import document_poc_get


class Command(BaseCommand):
    help = "Render a POC's document (objective, agreement) as a file."

    def create_parser(self, prog_name, subcommand, **kwargs):
        # `--version N` names a document version here, not the program's version.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser):
        # Kinds and formats are checked by the renderer, so that a wrong one is a one-line
        # error with exit code 2 like every other refusal, and new kinds need no change here.
        parser.add_argument("poc_id", metavar="POC_ID", type=int)
        parser.add_argument("--kind", required=True, metavar="|".join(document_kinds()),
                            help="Which document.")
        parser.add_argument("--format", dest="fmt", required=True,
                            metavar="|".join(document_formats()), help="File format.")
        parser.add_argument("-o", "--output", metavar="FILE",
                            help="Where to write it; '-' for stdout. Default: the document's "
                                 "own file name in the current directory.")
        parser.add_argument("--version", dest="plan_version", type=int, metavar="N",
                            help="A signed or submitted version; default: the latest, or the "
                                 "draft when it changed since.")
        parser.add_argument("--user", metavar="USERNAME",
                            help="Render as this user (default: the POC's owner).")

    def handle(self, *args, poc_id: int, kind: str, fmt: str, output: str | None,
               plan_version: int | None, user: str | None, **options) -> None:
        poc = document_poc_get(poc_id=poc_id)
        if poc is None:
            raise CommandError(_("No POC has the id %(id)s.") % {"id": poc_id}, returncode=2)
        actor = poc.owner
        if user:
            actor = user_get(username=user)
            if actor is None:
                raise CommandError(_("Unknown or inactive user “%(username)s”.")
                                   % {"username": user}, returncode=2)
        try:
            document = render_document(actor=actor, poc=poc, kind=kind, fmt=fmt,
                                       version=plan_version)
        except ValidationFailed as error:
            messages = [f"--{name}: {' '.join(texts)}" for name, texts in error.fields.items()]
            raise CommandError(" ".join(messages), returncode=2) from error
        except ApplicationError as error:
            raise CommandError(error.message, returncode=2) from error
        if output == "-":
            sys.stdout.buffer.write(document.content)
            sys.stdout.buffer.flush()
            return
        path = Path(output or document.filename)
        try:
            path.write_bytes(document.content)
        except OSError as error:
            raise CommandError(_("Cannot write %(path)s: %(reason)s")
                               % {"path": path, "reason": error.strerror or error},
                               returncode=2) from error
        self.stderr.write(_("Wrote %(path)s (%(size)d KB).")
                          % {"path": path, "size": max(1, len(document.content) // 1024)})
