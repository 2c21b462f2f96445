"""The final report page (/pocs/<id>/final-report/) and its downloads."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import POCFactory
from tests.reports.final_poc import TITLES, make_report_poc


def page_url(poc) -> str:
    return reverse("web:poc_final_report", args=[poc.pk])


def download_url(poc, fmt: str) -> str:
    return f"{reverse('web:poc_final_report_download', args=[poc.pk])}?format={fmt}"


def test_a_team_member_sees_the_report_with_its_charts_and_downloads(client, poc, sales):
    make_report_poc(poc)
    client.force_login(sales)
    response = client.get(page_url(poc))
    assert response.status_code == 200
    html = response.content.decode()
    for title in TITLES["en"]:
        assert title.replace("'", "&#x27;") in html
    assert html.count('data-testid="final-chart"') == 5  # the sixth has no reading
    assert reverse("web:poc_criterion_chart", args=[poc.pk, poc.criteria.first().pk]) in html
    assert download_url(poc, "pdf") in html and download_url(poc, "docx") in html
    assert 'id="exec-chart-labels"' in html
    assert "Order for the whole site by June." in html
    assert "?tab=evidence" in html


def test_an_outsider_gets_404(client, poc, outsider):
    make_report_poc(poc, criteria=1)
    client.force_login(outsider)
    assert client.get(page_url(poc)).status_code == 404
    assert client.get(download_url(poc, "pdf")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, poc):
    response = client.get(page_url(poc))
    assert response.status_code == 302
    assert response["Location"] == f"{resolve_url(settings.LOGIN_URL)}?next={page_url(poc)}"


def test_a_poc_under_evaluation_shows_results_not_stated(client, poc, engineer):
    make_report_poc(poc, closed=False)
    client.force_login(engineer)
    response = client.get(page_url(poc))
    assert response.status_code == 200
    assert b'data-testid="final-not-closed"' in response.content
    assert b"not yet stated" in response.content


@pytest.mark.parametrize("fmt,start", [("pdf", b"%PDF"), ("docx", b"PK"), ("html", b"<!DOCTYPE")])
def test_downloads(client, poc, engineer, fmt, start):
    make_report_poc(poc, criteria=2)
    client.force_login(engineer)
    response = client.get(download_url(poc, fmt))
    assert response.status_code == 200
    assert response.content.startswith(start)
    assert "attachment" in response["Content-Disposition"]


def test_an_unknown_format_is_refused(client, poc, engineer):
    client.force_login(engineer)
    response = client.get(download_url(poc, "odt"))
    assert response.status_code == 422


def test_the_query_count_does_not_grow_with_criteria_or_readings(client, poc, opportunity,
                                                                engineer):
    make_report_poc(poc, criteria=2)
    other = POCFactory(opportunity=opportunity, owner=engineer, title="Bigger")
    make_report_poc(other, criteria=6, scale=3)
    client.force_login(engineer)
    client.get(page_url(poc))  # warm up (session, caches)
    counts = []
    for target in (poc, other):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page_url(target)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
