"""`pocdesk token create|revoke|list`: personal API tokens from the command line.

`create` prints the token alone on stdout (it is shown only once), so a script can capture it:
`TOKEN=$(pocdesk token create alice --name ci)`.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from pocdesk.core.errors import ApplicationError
from pocdesk.people.selectors import api_token_find, api_token_list, user_get
from pocdesk.people.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, revoke and list personal API tokens (Authorization: Bearer <token>)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Create a token and print it, once.")
        create.add_argument("username")
        create.add_argument("--name", default="", help="What the token is for, e.g. 'CI'.")
        revoke = actions.add_parser("revoke", help="Revoke the token with this prefix.")
        revoke.add_argument("prefix", help="The token's prefix as listed, e.g. pd_Ab3dE-7x.")
        listing = actions.add_parser("list", help="List a user's tokens (never the keys).")
        listing.add_argument("username")

    def handle(self, *args, action: str, **options):
        try:
            getattr(self, f"handle_{action}")(**options)
        except ApplicationError as error:
            raise CommandError(error.message, returncode=2) from error

    def handle_create(self, *, username: str, name: str, **options) -> None:
        user = self._user(username)
        token, key = api_token_create(actor=None, user=user, name=name)
        self.stdout.write(key)
        self.stderr.write(_("Token %(prefix)s… created for %(username)s; it is not shown again.")
                          % {"prefix": _shown(token), "username": username})

    def handle_revoke(self, *, prefix: str, **options) -> None:
        prefix = prefix.removeprefix("pd_")[:8]
        tokens = list(api_token_find(prefix=prefix)[:2])
        if not tokens:
            raise CommandError(_("No token starts with “%(prefix)s”.") % {"prefix": prefix},
                               returncode=2)
        if len(tokens) > 1:
            raise CommandError(_("Several tokens start with “%(prefix)s”: revoke them in the "
                                 "admin.") % {"prefix": prefix}, returncode=2)
        token = api_token_revoke(actor=tokens[0].user, token=tokens[0])
        self.stdout.write(_("Token %(prefix)s… of %(username)s revoked.") % {
            "prefix": _shown(token), "username": token.user.get_username()})

    def handle_list(self, *, username: str, **options) -> None:
        user = self._user(username)
        for token in api_token_list(user=user):
            if token.revoked_at:
                state = _("revoked %(date)s") % {"date": f"{token.revoked_at:%Y-%m-%d}"}
            elif token.last_used_at:
                state = _("last used %(date)s") % {"date": f"{token.last_used_at:%Y-%m-%d}"}
            else:
                state = _("never used")
            self.stdout.write(f"{_shown(token)}\t{token.created_at:%Y-%m-%d}\t{state}\t{token.name}")

    def _user(self, username: str):
        user = user_get(username=username)
        if user is None:
            raise CommandError(_("Unknown or inactive user “%(username)s”.")
                               % {"username": username}, returncode=2)
        return user


def _shown(token) -> str:
    """The prefix as people copy it: with `pd_`, so that it never starts with a dash."""
    return f"pd_{token.prefix}"
