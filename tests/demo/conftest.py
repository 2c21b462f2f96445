import pytest
from django.db import transaction

from .seeding import demo


@pytest.fixture(scope="class")
def seeded(django_db_setup, django_db_blocker):
    """One seeding shared by the read-only tests of a class, rolled back after them: each
    seeding costs about a second, and these tests only look."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo()
        transaction.set_rollback(True)
