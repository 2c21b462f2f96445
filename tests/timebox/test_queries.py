"""The timebox and scope reads cost a constant number of queries, however many rows there are
(2 or 20 milestones, extensions, requests, promises, POCs in a list)."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from pocdesk.pocs.models import POC
from pocdesk.scope.selectors import (
    annotate_scope,
    commitments_for_poc,
    scope_changes_for_poc,
    scope_creep,
)
from pocdesk.timebox.selectors import (
    annotate_timebox,
    extensions_for_poc,
    milestones_for_poc,
    timebox_summary,
)

from ..factories import (
    POCFactory,
    make_commitment,
    make_customer,
    make_extension,
    make_milestone,
    make_scope_change,
)
from .conftest import START, with_dates

SIZES = [2, 20]


@pytest.fixture(autouse=True)
def during_the_poc():
    with time_machine.travel(datetime.datetime(2026, 3, 20, 12, tzinfo=datetime.UTC),
                             tick=False):
        yield


def fill(poc, *, size, engineer, manager):
    customer = make_customer(poc, name=f"Customer of {poc.pk}")
    for number in range(size):
        day = START + datetime.timedelta(days=number)
        done = number % 2 == 0
        make_milestone(poc, sequence=number + 1, due_date=day, owner=engineer,
                       customer_owner=customer, status="done" if done else "planned",
                       completed_on=day if done else None,
                       witnessed_by=customer if done else None)
        make_extension(poc, requested_by=engineer, status="approved", decided_by=manager,
                       previous_end=poc.end_date + datetime.timedelta(days=number), days=1)
        change = make_scope_change(poc, recorded_by=engineer, requested_by=customer,
                                   decision="accepted", decided_by=engineer,
                                   decided_at=timezone.now())
        make_commitment(poc, made_by=engineer, made_to=customer, scope_change=change,
                        due_at=timezone.now() + datetime.timedelta(days=1 - 2 * number))
    return poc


@pytest.mark.parametrize("size", SIZES)
def test_the_timebox_of_a_poc_costs_the_same_queries(running_poc, engineer, manager,
                                                     django_assert_num_queries, size):
    fill(running_poc, size=size, engineer=engineer, manager=manager)

    with django_assert_num_queries(1):
        milestones = milestones_for_poc(poc=running_poc)
        names = [(m.owner.profile.display_name, m.customer_owner.name,
                  m.witnessed_by and m.witnessed_by.name, m.evidence_file) for m in milestones]
    with django_assert_num_queries(1):
        extensions = extensions_for_poc(poc=running_poc)
        deciders = [(e.requested_by.profile.display_name, e.decided_by.profile.display_name)
                    for e in extensions]
    with django_assert_num_queries(4):  # milestones, extensions, agreement, team policy
        summary = timebox_summary(poc=running_poc)
    with django_assert_num_queries(1):  # only the policy: the page passes what it read
        timebox_summary(poc=running_poc, milestones=milestones, extensions=extensions,
                        agreement=None)
    with django_assert_num_queries(5):  # past the exit clause: and its recorded decision
        late = timebox_summary(poc=running_poc, today=datetime.date(2026, 12, 1))

    assert len(names) == len(deciders) == size
    assert (summary.milestones_total, summary.extensions_approved) == (size, size)
    assert not summary.exit.reached and late.exit.reached


@pytest.mark.parametrize("size", SIZES)
def test_the_scope_of_a_poc_costs_the_same_queries(running_poc, engineer, manager,
                                                  django_assert_num_queries, size):
    fill(running_poc, size=size, engineer=engineer, manager=manager)

    with django_assert_num_queries(1):
        changes = scope_changes_for_poc(poc=running_poc)
        people = [(c.requested_by.name, c.decided_by.profile.display_name,
                   c.recorded_by.profile.display_name) for c in changes]
    with django_assert_num_queries(1):  # the team policy's threshold
        creep = scope_creep(poc=running_poc, changes=changes)
    with django_assert_num_queries(1):
        commitments = commitments_for_poc(poc=running_poc)
        promised = [(c.made_by.profile.display_name, c.made_to.name, c.scope_change.text,
                     c.overdue) for c in commitments]

    assert len(people) == len(promised) == size
    assert creep.accepted_hours == Decimal(8 * size)


@pytest.mark.parametrize("size", SIZES)
def test_the_list_annotations_are_one_query(opportunity, engineer, manager,
                                            django_assert_num_queries, size):
    for _number in range(size):
        poc = with_dates(POCFactory(opportunity=opportunity, owner=engineer))
        fill(poc, size=2, engineer=engineer, manager=manager)

    with django_assert_num_queries(1):
        rows = list(annotate_scope(annotate_timebox(POC.objects.order_by("pk"))))

    assert len(rows) == size
    assert {(row.drift_days, row.extensions_approved, row.accepted_hours,
             row.commitments_overdue) for row in rows} == {(2, 2, Decimal(16), 1)}
