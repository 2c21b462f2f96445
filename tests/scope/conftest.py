"""Fixtures of the scope tests: a running POC with a planned effort, a customer of its deal."""

import datetime
from decimal import Decimal

import pytest

from pocdesk.pocs.models import POC

from ..factories import make_customer


@pytest.fixture
def running_poc(poc):
    POC.objects.filter(pk=poc.pk).update(
        status="running", start_date=datetime.date(2026, 3, 2),
        end_date=datetime.date(2026, 4, 30), planned_effort_hours=Decimal("100"))
    poc.refresh_from_db()
    return poc


@pytest.fixture
def customer(poc):
    return make_customer(poc, name="Sandrine Faure")
