"""Exports read their rows through config.streaming.stream_rows: every row, a chunk at a time, with PostgreSQL told
that the whole result will be read (a cursor is otherwise planned for its first rows: see the function)."""

from django.db import connection

from config.streaming import stream_rows
from members.models import Member
from tests.factories import MemberFactory


def _fraction():
    with connection.cursor() as cursor:
        cursor.execute("SHOW cursor_tuple_fraction")
        return cursor.fetchone()[0]


def test_every_row_comes_and_the_planner_setting_is_set_back(tree):
    made = {MemberFactory(unit=tree.branch_a).pk for _ in range(5)}
    on_postgresql = connection.vendor == "postgresql"
    before = _fraction() if on_postgresql else None
    seen, during = set(), None
    for pk in stream_rows(Member.objects.filter(pk__in=made).values_list("pk", flat=True), chunk_size=2):
        seen.add(pk)
        if on_postgresql and during is None:
            during = _fraction()
    assert seen == made
    if on_postgresql:
        assert (during, _fraction()) == ("1", before)


def test_a_reader_that_stops_early_sets_it_back_too(tree):
    for _ in range(3):
        MemberFactory(unit=tree.branch_a)
    rows = stream_rows(Member.objects.values_list("pk", flat=True), chunk_size=1)
    next(rows)
    rows.close()
    if connection.vendor == "postgresql":
        assert _fraction() == "0.1"
