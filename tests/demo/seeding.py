"""Seeding the demo company in tests: `demo(*arguments)` runs the command and returns its
output; the `seeded` fixture (tests/demo/conftest.py) shares one seeding per test class."""

import io

from django.core.management import call_command


def demo(*arguments) -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", *arguments, stdout=out)
    return out.getvalue()
