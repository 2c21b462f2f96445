"""An API client that speaks JSON with a real personal token, made by the token service."""

import json

import pytest
from django.core.cache import cache
from django.test import Client

from pocdesk.people.services import api_token_create

PREFIX = "/api/v1"


class ApiClient:
    """Django's test client with `Authorization: Bearer <key>` and JSON bodies."""

    def __init__(self, key: str | None = None, **client_options):
        self.key = key
        self.client = Client(**client_options)

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"} if self.key else {}

    def get(self, path: str, params=None, **headers):
        return self.client.get(PREFIX + path, params or {}, headers={**self.headers(), **headers})

    def post(self, path: str, body=None, *, raw: str | bytes | None = None, **headers):
        return self.client.post(PREFIX + path, raw if raw is not None else json.dumps(body),
                                content_type="application/json",
                                headers={**self.headers(), **headers})

    def post_form(self, path: str, data: dict, **headers):
        """A multipart/form-data POST; files are given as `SimpleUploadedFile` values."""
        return self.client.post(PREFIX + path, data, headers={**self.headers(), **headers})

    def delete(self, path: str, **headers):
        return self.client.delete(PREFIX + path, headers={**self.headers(), **headers})

    def patch(self, path: str, body=None, *, raw: str | bytes | None = None, **headers):
        return self.client.patch(PREFIX + path, raw if raw is not None else json.dumps(body),
                                 content_type="application/json",
                                 headers={**self.headers(), **headers})

    def put(self, path: str, body=None, **headers):
        return self.client.put(PREFIX + path, json.dumps(body), content_type="application/json",
                               headers={**self.headers(), **headers})


@pytest.fixture(autouse=True)
def _fresh_throttle_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_as(db):
    """api_as(user) → an ApiClient authenticated with a fresh token of that user."""

    def make(user) -> ApiClient:
        _token, key = api_token_create(actor=user, user=user, name="tests")
        return ApiClient(key)

    return make


@pytest.fixture
def anonymous_api():
    return ApiClient()
