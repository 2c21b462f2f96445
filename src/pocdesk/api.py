"""The REST API at /api/v1/: routers from each domain app mounted on one NinjaAPI."""

from ninja import NinjaAPI

api = NinjaAPI(title="pocdesk API", version="1", urls_namespace="api")
