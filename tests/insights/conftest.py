"""The API tests' client fixtures, shared with the insights endpoints' tests."""

from tests.api.conftest import _fresh_throttle_counters, api_as  # noqa: F401
