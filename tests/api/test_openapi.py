"""The OpenAPI document and the interactive docs are served, locally, and describe every path."""

import pytest
from django.test import Client

EXPECTED_OPERATIONS = {
    "/api/v1/accounts": {"get", "post"},
    "/api/v1/accounts/{account_id}": {"get", "patch"},
    "/api/v1/opportunities": {"get", "post"},
    "/api/v1/opportunities/{opportunity_id}": {"get", "patch"},
    "/api/v1/pocs": {"get", "post"},
    "/api/v1/pocs/{poc_id}": {"get", "patch"},
    "/api/v1/pocs/{poc_id}/transition": {"post"},
    "/api/v1/pocs/{poc_id}/events": {"get"},
    "/api/v1/pocs/{poc_id}/qualification": {"get"},
    "/api/v1/pocs/{poc_id}/commitment": {"put"},
    "/api/v1/pocs/{poc_id}/engagements": {"get", "post"},
    "/api/v1/stakeholders": {"get", "post"},
    "/api/v1/stakeholders/{stakeholder_id}": {"get", "patch"},
    "/api/v1/pocs/{poc_id}/criteria": {"get", "post"},
    "/api/v1/pocs/{poc_id}/criteria/reorder": {"post"},
    "/api/v1/pocs/{poc_id}/criteria/from-templates": {"post"},
    "/api/v1/pocs/{poc_id}/criteria/copy": {"post"},
    "/api/v1/pocs/{poc_id}/criteria/{criterion_id}": {"get", "patch", "delete"},
    "/api/v1/pocs/{poc_id}/criteria/{criterion_id}/save-to-library": {"post"},
    "/api/v1/criteria-templates": {"get"},
    "/api/v1/criteria-templates/{template_id}": {"get", "delete"},
    "/api/v1/pocs/{poc_id}/agreement": {"get", "put"},
    "/api/v1/pocs/{poc_id}/agreement/resources/{resource_key}": {"patch"},
    **{path.format(kind=kind): operations for kind in ("criteria", "agreement")
       for path, operations in {
           "/api/v1/pocs/{{poc_id}}/{kind}/versions": {"get", "post"},
           "/api/v1/pocs/{{poc_id}}/{kind}/versions/diff": {"get"},
           "/api/v1/pocs/{{poc_id}}/{kind}/versions/{{number}}": {"get"},
           "/api/v1/pocs/{{poc_id}}/{kind}/versions/{{number}}/submit": {"post"},
       }.items()},
    "/api/v1/pocs/{poc_id}/signoffs": {"get", "post"},
    "/api/v1/pocs/{poc_id}/report": {"get"},
    "/api/v1/pocs/{poc_id}/timebox": {"get"},
    "/api/v1/pocs/{poc_id}/milestones": {"get", "post", "put"},
    "/api/v1/pocs/{poc_id}/milestones/propose": {"post"},
    "/api/v1/pocs/{poc_id}/milestones/{key}": {"get", "patch", "delete"},
    "/api/v1/pocs/{poc_id}/milestones/{key}/evidence": {"get", "post"},
    "/api/v1/pocs/{poc_id}/extensions": {"get", "post"},
    "/api/v1/pocs/{poc_id}/extensions/{extension_id}": {"get"},
    "/api/v1/pocs/{poc_id}/extensions/{extension_id}/decision": {"post"},
    "/api/v1/pocs/{poc_id}/exit-decision": {"post"},
    "/api/v1/pocs/{poc_id}/scope-changes": {"get", "post"},
    "/api/v1/pocs/{poc_id}/scope-changes/summary": {"get"},
    "/api/v1/pocs/{poc_id}/scope-changes/{change_id}": {"get", "patch"},
    "/api/v1/pocs/{poc_id}/scope-changes/{change_id}/decision": {"post"},
    "/api/v1/pocs/{poc_id}/commitments": {"get", "post"},
    "/api/v1/pocs/{poc_id}/commitments/{commitment_id}": {"get", "patch"},
    "/api/v1/pocs/{poc_id}/commitments/{commitment_id}/resolve": {"post"},
    "/api/v1/pocs/{poc_id}/measurements": {"get", "post"},
    "/api/v1/pocs/{poc_id}/measurements/bulk": {"post"},
    "/api/v1/pocs/{poc_id}/measurements/{measurement_id}": {"get", "patch", "delete"},
    "/api/v1/pocs/{poc_id}/criteria/{criterion_id}/status": {"get"},
    "/api/v1/pocs/{poc_id}/execution": {"get"},
    "/api/v1/pocs/{poc_id}/log": {"get", "post"},
    "/api/v1/pocs/{poc_id}/log/{entry_id}": {"get", "patch"},
    "/api/v1/pocs/{poc_id}/log/{entry_id}/witness": {"post"},
    "/api/v1/pocs/{poc_id}/evidence": {"get", "post"},
    "/api/v1/pocs/{poc_id}/evidence/{evidence_id}": {"get", "delete"},
    "/api/v1/pocs/{poc_id}/evidence/{evidence_id}/file": {"get"},
    "/api/v1/pocs/{poc_id}/meetings": {"get", "post"},
    "/api/v1/pocs/{poc_id}/meetings/{meeting_id}": {"get", "patch", "delete"},
    "/api/v1/pocs/{poc_id}/action-items": {"get", "post"},
    "/api/v1/pocs/{poc_id}/action-items/{action_item_id}": {"patch"},
    "/api/v1/pocs/{poc_id}/cadence": {"get", "put"},
    "/api/v1/pocs/{poc_id}/governance": {"get"},
    "/api/v1/pocs/{poc_id}/results": {"get", "put"},
    "/api/v1/pocs/{poc_id}/retrospective": {"get", "put"},
    "/api/v1/pocs/{poc_id}/retrospective/carry-risks": {"post"},
    "/api/v1/pocs/{poc_id}/costs": {"get", "post"},
    "/api/v1/pocs/{poc_id}/costs/{cost_id}": {"patch", "delete"},
    "/api/v1/pocs/{poc_id}/cost-summary": {"get"},
    "/api/v1/pocs/{poc_id}/risk-costs": {"put"},
    "/api/v1/result-reasons": {"get"},
    "/api/v1/portfolio": {"get"},
    "/api/v1/portfolio/priorities": {"get"},
    "/api/v1/opportunities/{opportunity_id}/assessments": {"get", "post"},
    "/api/v1/opportunities/{opportunity_id}/assessments/{assessment_id}": {"delete"},
    "/api/v1/opportunities/{opportunity_id}/score": {"get"},
    "/api/v1/opportunities/{opportunity_id}/score/override": {"put", "delete"},
    "/api/v1/history-sources": {"get", "post"},
    "/api/v1/history-sources/{source_id}": {"get"},
    "/api/v1/history-sources/{source_id}/imports": {"post"},
    "/api/v1/history-imports/{import_id}": {"get"},
}


@pytest.fixture
def document(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_document_lists_every_path_and_method(document):
    assert {path: set(operations) for path, operations in document["paths"].items()} == (
        EXPECTED_OPERATIONS)


def test_the_document_describes_the_api(document):
    assert document["info"]["title"] == "pocdesk API"
    assert "Authorization: Bearer <token>" in document["info"]["description"]
    assert [tag["name"] for tag in document["tags"]] == [
        "Accounts", "Opportunities", "POCs", "Stakeholders", "Qualification", "Success criteria",
        "Agreement", "Sign-off", "Reports", "Timebox", "Scope", "Execution", "Governance",
        "Results", "Portfolio", "Win probability", "History import"]
    used = {operation["tags"][0] for operations in document["paths"].values()
            for operation in operations.values()}
    assert used == {tag["name"] for tag in document["tags"]}
    assert set(document["components"]["securitySchemes"]) == {"BearerToken", "SessionCookie"}
    assert document["components"]["securitySchemes"]["BearerToken"] == {
        "type": "http", "scheme": "bearer"}


def test_every_operation_has_a_tag_a_summary_and_its_error_answers(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert len(operation["tags"]) == 1, (method, path)
            assert operation["summary"], (method, path)
            assert {"401", "422", "429"} <= set(operation["responses"]), (method, path)
            assert operation["security"] == [{"BearerToken": []}, {"SessionCookie": []}]


def test_lists_document_their_pagination(document):
    for path in ("/api/v1/accounts", "/api/v1/opportunities", "/api/v1/pocs",
                 "/api/v1/pocs/{poc_id}/events", "/api/v1/stakeholders",
                 "/api/v1/pocs/{poc_id}/engagements", "/api/v1/pocs/{poc_id}/criteria",
                 "/api/v1/criteria-templates", "/api/v1/pocs/{poc_id}/criteria/versions",
                 "/api/v1/pocs/{poc_id}/agreement/versions", "/api/v1/pocs/{poc_id}/milestones",
                 "/api/v1/pocs/{poc_id}/extensions", "/api/v1/pocs/{poc_id}/scope-changes",
                 "/api/v1/pocs/{poc_id}/commitments", "/api/v1/pocs/{poc_id}/measurements",
                 "/api/v1/pocs/{poc_id}/log", "/api/v1/pocs/{poc_id}/evidence",
                 "/api/v1/pocs/{poc_id}/meetings", "/api/v1/pocs/{poc_id}/action-items"):
        operation = document["paths"][path]["get"]
        parameters = {parameter["name"] for parameter in operation["parameters"]}
        assert {"page", "page_size"} <= parameters, path
        assert "`page`" in operation["description"], path
        answer = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        schema = document["components"]["schemas"][answer.rsplit("/", 1)[1]]
        assert set(schema["properties"]) == {"items", "count"}, path


def test_the_transition_documents_its_conflict_and_its_statuses(document):
    operation = document["paths"]["/api/v1/pocs/{poc_id}/transition"]["post"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][body.rsplit("/", 1)[1]]

    assert "409" in operation["responses"]
    assert schema["properties"]["to"]["enum"] == [
        "draft", "qualified", "agreed", "running", "paused", "evaluating", "closed", "walked_away"]
    assert schema["required"] == ["to"]


def test_a_signature_is_sent_as_multipart_or_json(document):
    body = document["paths"]["/api/v1/pocs/{poc_id}/signoffs"]["post"]["requestBody"]["content"]

    assert list(body) == ["multipart/form-data", "application/json"]
    form = body["multipart/form-data"]["schema"]
    assert form["properties"]["scan"] == {"format": "binary", "title": "Scan", "type": "string"}
    assert form["required"] == ["kind", "version", "side", "method"]
    assert set(body["application/json"]["schema"]["properties"]) == (
        set(form["properties"]) - {"scan"})
    assert body["application/json"]["schema"]["additionalProperties"] is False


def test_the_report_is_documented_as_a_file(document):
    answer = document["paths"]["/api/v1/pocs/{poc_id}/report"]["get"]["responses"]["200"]

    assert answer["content"] == {
        content_type: {"schema": {"type": "string", "format": "binary"}} for content_type in (
            "application/pdf",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "text/html; charset=utf-8")}
    assert "Content-Disposition" in answer["headers"]


def test_the_poc_schema_describes_its_fields(document):
    properties = document["components"]["schemas"]["POCOut"]["properties"]

    assert "allowed_transitions" in properties
    assert properties["objective"]["description"] == "What this POC must prove."
    assert properties["allowed_transitions"]["items"] == {"type": "string"}


def test_the_interactive_docs_are_served_without_a_cdn(db):
    response = Client().get("/api/v1/docs")

    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/" in page
    assert "cdn." not in page
    assert "/api/v1/openapi.json" in page


def test_the_run_and_its_governance_are_tagged(document):
    tags = {operation["operationId"]: operation["tags"] for path, operations in
            document["paths"].items() for operation in operations.values()
            if path.startswith(("/api/v1/pocs/{poc_id}/measurements",
                                "/api/v1/pocs/{poc_id}/log", "/api/v1/pocs/{poc_id}/evidence",
                                "/api/v1/pocs/{poc_id}/execution",
                                "/api/v1/pocs/{poc_id}/criteria/{criterion_id}/status",
                                "/api/v1/pocs/{poc_id}/meetings",
                                "/api/v1/pocs/{poc_id}/action-items",
                                "/api/v1/pocs/{poc_id}/cadence",
                                "/api/v1/pocs/{poc_id}/governance"))}

    assert {operation for operation, tag in tags.items() if tag == ["Execution"]} == {
        "measurement_list", "measurement_create", "measurement_bulk_create", "measurement_get",
        "measurement_update", "measurement_delete", "criterion_status", "execution_summary",
        "log_list", "log_entry_create", "log_entry_get", "log_entry_update",
        "log_entry_witness", "evidence_list", "evidence_upload", "evidence_get",
        "evidence_delete", "evidence_download"}
    assert {operation for operation, tag in tags.items() if tag == ["Governance"]} == {
        "meeting_list", "meeting_create", "meeting_get", "meeting_update", "meeting_delete",
        "action_item_list", "action_item_create", "action_item_update", "cadence_get",
        "cadence_update", "governance_get"}


def test_evidence_is_uploaded_as_multipart_and_readings_in_bounded_batches(document):
    upload = document["paths"]["/api/v1/pocs/{poc_id}/evidence"]["post"]
    form = upload["requestBody"]["content"]["multipart/form-data"]["schema"]
    bulk = document["paths"]["/api/v1/pocs/{poc_id}/measurements/bulk"]["post"]
    body = bulk["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    items = document["components"]["schemas"][body.rsplit("/", 1)[1]]["properties"]["items"]

    assert list(upload["requestBody"]["content"]) == ["multipart/form-data"]
    assert form["properties"]["file"] == {"format": "binary", "title": "File", "type": "string"}
    assert set(form["properties"]) == {"file", "caption", "criterion", "taken_at"}
    assert form["required"] == ["file"]
    assert {"409", "413", "422"} <= set(upload["responses"])
    assert items["maxItems"] == 10_000
    assert {"409", "413", "422"} <= set(bulk["responses"])
