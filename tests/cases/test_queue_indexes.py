import uuid
from datetime import date

import pytest
from django.db import connection

from accounts.models import Role
from cases.models import OPEN_STATUSES, Case
from cases.queue import apply_filters, encode_cursor, keyset
from cases.selectors import visible_cases


def test_the_open_statuses_are_every_status_but_closed_and_merged():
    assert [s for s in Case.Status.values if s not in (Case.Status.CLOSED, Case.Status.MERGED)] == OPEN_STATUSES


@pytest.mark.django_db
@pytest.mark.parametrize(("sort", "index"), [("due", "case_queue_due"), ("newest", "case_queue_received")])
def test_the_default_queue_walks_its_partial_index_from_the_cursor(make_user, sort, index):
    """PostgreSQL uses a partial index only if it proves the queue's filter implies the index's condition."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the query plan checked is PostgreSQL's")
    officer = make_user(Role.PREVENT_OFFICER)
    today = date(2026, 12, 1)
    cases = apply_filters(visible_cases(officer), {}, officer, today)
    cursor = encode_cursor(today, uuid.UUID(int=0), field="assessment_due") if sort == "due" else None
    query, _, _ = keyset(cases, sort=sort, cursor=cursor)
    sql, params = query.query.sql_with_params()
    with connection.cursor() as c:
        c.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off")
        c.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in c.fetchall())
    assert f"Index Scan using {index}" in plan or f"Index Scan Backward using {index}" in plan, plan
