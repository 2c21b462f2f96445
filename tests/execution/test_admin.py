"""The run's records in the admin: listed and shown to a superuser, never added or edited
there (the application's services hold the rules and write the events)."""

import pytest

from pocdesk.core.models import StoredFile
from pocdesk.execution.models import Evidence, SeriesImport

from ..factories import make_log_entry, make_measurement


@pytest.mark.parametrize("model", ["measurement", "evidence", "seriesimport", "logentry"])
def test_the_admin_lists_the_records_read_only(client, admin_user, running_poc, throughput,
                                               model):
    reading = make_measurement(throughput, value="121")
    entry = make_log_entry(running_poc)
    stored = StoredFile.objects.create(team=running_poc.team, storage_key="evidence/a.txt",
                                       original_name="a.txt", content_type="text/plain", size=1,
                                       sha256="0" * 64)
    export = StoredFile.objects.create(team=running_poc.team, storage_key="series/b.csv",
                                       original_name="b.csv", content_type="text/plain", size=1,
                                       sha256="0" * 64)
    evidence = Evidence.objects.create(poc=running_poc, file=stored)
    series = SeriesImport.objects.create(poc=running_poc, criterion=throughput, file=export)
    client.force_login(admin_user)

    listing = client.get(f"/admin/execution/{model}/")
    adding = client.get(f"/admin/execution/{model}/add/")

    assert listing.status_code == 200
    assert adding.status_code == 403
    record = {"measurement": reading, "logentry": entry, "evidence": evidence,
              "seriesimport": series}[model]
    shown = client.get(f"/admin/execution/{model}/{record.pk}/change/")
    assert shown.status_code == 200
    assert b'name="_save"' not in shown.content
