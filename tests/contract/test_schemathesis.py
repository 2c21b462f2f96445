"""Property-based fuzzing of every operation of the OpenAPI document: no input gives a 5xx.

Schemathesis generates valid and invalid requests (wrong types, missing fields, huge numbers,
odd strings) from /api/v1/openapi.json and sends them through the Django WSGI app with a
manager's token, so most calls get past authentication and reach the services.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from pocdesk.people.services import api_token_create
from tests.factories import POCFactory


@pytest.fixture
def keep_test_transaction():
    """Like Django's test client: a request must not close the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(request, db, keep_test_transaction):
    # schemathesis 4.32 renames the test node through `_nodeid`, which pytest 9.2 no longer has.
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@pytest.fixture
def manager_headers(poc, manager, other_team):
    """A manager of a team with data, and another team's POC to stumble upon."""
    POCFactory(opportunity__account__team=other_team)
    _token, key = api_token_create(actor=manager, user=manager, name="fuzzing")
    return {"Authorization": f"Bearer {key}"}


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=30, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_request_makes_the_server_fail(case, manager_headers):
    case.call_and_validate(headers=manager_headers, checks=[not_a_server_error])
