"""The REST API at /api/v1/: routers from each domain app mounted on one NinjaAPI."""

from ninja import NinjaAPI

from pocdesk.core.api import authentication, install_error_handlers, throttles

DESCRIPTION = """
The pocdesk REST API: the same objects, permissions and validations as the web pages.

**Authentication.** Send a personal API token, `Authorization: Bearer <token>`
(create one with `pocdesk token create USERNAME`), or use the browser's session
(writes then need the `X-CSRFToken` header). Without either the answer is 401.

**Visibility.** You see the objects of your teams (admins see all). An object you cannot see
answers 404; one you can see but may not change answers 403.

**Errors** are JSON `{"code", "message", "details"}`: 400 `bad_request` (body is not JSON),
401 `not_authenticated`, 403 `permission_denied` / `csrf_failed`, 404 `not_found`,
409 `transition_refused` (`details.unmet` lists the unmet checks by code) or another refused
state change with its own code (e.g. `plan_unchanged`, `already_signed`, `version_mismatch`),
422 `validation_error` (`details.fields` maps each bad field to its messages),
413 `too_large` (body over 2.5 MB, uploaded files aside), 429 `throttled` (see the `Retry-After` header). Messages follow `Accept-Language`
(or your profile's language).

**Lists** are paginated with `page` (from 1) and `page_size` (1–200, default 25) and answer
`{"items": [...], "count": N}`.

**Money** is a decimal string (`"250000.00"`) with an ISO 4217 currency code.

**Updates** use `PATCH` with only the fields to change.

**Files** are uploaded as `multipart/form-data` (e.g. a signed scan, POST /pocs/{id}/signoffs)
and downloaded as attachments (GET /pocs/{id}/report).
"""

api = NinjaAPI(
    title="pocdesk API",
    version="1",
    description=DESCRIPTION.strip(),
    urls_namespace="api",
    auth=authentication(),
    throttle=throttles(),
    openapi_extra={"tags": [
        {"name": "Accounts", "description": "Customer companies."},
        {"name": "Opportunities", "description": "Deals, their competitors and close-date "
                                                 "changes."},
        {"name": "POCs", "description": "Proofs of concept, their lifecycle and timeline."},
        {"name": "Stakeholders", "description": "The people of the decision chain and who "
                                                "engaged in each POC."},
        {"name": "Qualification", "description": "The qualification gate of a POC and its "
                                                 "commitment level."},
        {"name": "Success criteria", "description": "A POC's measurable success criteria, "
                                                    "their versions, and the team's library of "
                                                    "reusable criteria."},
        {"name": "Agreement", "description": "The POC agreement: clauses, customer resources, "
                                             "cost sharing, and its versions."},
        {"name": "Sign-off", "description": "Both sides' signatures on the versions of the "
                                            "success criteria and the agreement."},
        {"name": "Reports", "description": "A POC's documents as PDF or DOCX files."},
        {"name": "Timebox", "description": "A POC's milestones (with their health), extensions "
                                           "and exit-clause decisions."},
        {"name": "Scope", "description": "Scope-change requests and the commitments register."},
        {"name": "Execution", "description": "Measurements against the criteria (one, or in bulk), each criterion's live status, evidence files and the execution log."},
        {"name": "Governance", "description": "Meetings with their attendees, decisions and action items, the meeting cadence and its warnings."},
        {"name": "Results", "description": "Closing a POC: its technical and commercial results, the retrospective with its lessons, the cost lines and the ROI sheet."},
        {"name": "Portfolio", "description": "How a team's or the company's POCs are doing: status, health, drift, outcome rates, duration and cost ratio; and the priorities: open deals ranked by expected value, engineers' capacity, the weighted forecast."},
        {"name": "Win probability", "description": "The engineers' win assessments after each presales activity, and the model's win probability with its factors and any manual override."},
        {"name": "History import", "description": "CRM exports of closed and open deals, imported with a saved column mapping, for the win model to learn from."},
    ]},
)
install_error_handlers(api)

api.add_router("/accounts", "pocdesk.accounts.api.router")
api.add_router("/opportunities", "pocdesk.opportunities.api.router")
api.add_router("/pocs", "pocdesk.pocs.api.router")
api.add_router("/pocs", "pocdesk.qualification.api.router")
api.add_router("/pocs", "pocdesk.stakeholders.api.poc_router")
api.add_router("/stakeholders", "pocdesk.stakeholders.api.router")
api.add_router("/pocs", "pocdesk.criteria.api.router")
api.add_router("/criteria-templates", "pocdesk.criteria.api.library_router")
api.add_router("/pocs", "pocdesk.agreements.api.router")
api.add_router("/pocs", "pocdesk.signoffs.api.router")
api.add_router("/pocs", "pocdesk.reports.api.router")
api.add_router("/pocs", "pocdesk.timebox.api.router")
api.add_router("/pocs", "pocdesk.scope.api.router")
api.add_router("/pocs", "pocdesk.execution.api.router")
api.add_router("/pocs", "pocdesk.governance.api.router")
api.add_router("/pocs", "pocdesk.results.api.router")
api.add_router("/result-reasons", "pocdesk.results.api.reasons_router")
api.add_router("/portfolio/priorities", "pocdesk.insights.api_priorities.router")
api.add_router("/portfolio", "pocdesk.reports.portfolio_api.router")
api.add_router("/opportunities", "pocdesk.insights.api_assessments.router")
api.add_router("/opportunities", "pocdesk.insights.api_scores.router")
api.add_router("", "pocdesk.insights.api_history.router")
