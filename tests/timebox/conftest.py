"""Fixtures of the timebox tests: a POC with dates in a given state, a customer of its deal."""

import datetime

import pytest

from pocdesk.pocs.models import POC

from ..factories import make_customer

START, END = datetime.date(2026, 3, 2), datetime.date(2026, 4, 30)  # 59 days


def with_dates(poc, *, status="running", start=START, end=END):
    """Put the POC in `status` with its dates, through the model (the lifecycle is tested
    elsewhere)."""
    POC.objects.filter(pk=poc.pk).update(status=status, start_date=start, end_date=end)
    poc.refresh_from_db()
    return poc


@pytest.fixture
def running_poc(poc):
    return with_dates(poc)


@pytest.fixture
def customer(poc):
    return make_customer(poc, name="Dana Witness")
