"""Fixtures of the governance tests: a running POC started on Monday 2 March 2026, the deal's
executive sponsor and champion."""

import datetime

import pytest

from pocdesk.pocs.models import POC

from ..factories import make_customer

START = datetime.date(2026, 3, 2)


@pytest.fixture
def running_poc(poc):
    POC.objects.filter(pk=poc.pk).update(status="running", start_date=START,
                                         end_date=datetime.date(2026, 5, 29))
    poc.refresh_from_db()
    return poc


@pytest.fixture
def sponsor(poc):
    return make_customer(poc, name="Dana Sponsor", role="executive_sponsor", title="COO")


@pytest.fixture
def champion(poc):
    return make_customer(poc, name="Chris Champion", role="champion", title="Plant manager")
