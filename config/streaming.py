"""Reading a whole result a chunk at a time, planned as a whole."""

from django.db import DatabaseError, connections


def stream_rows(queryset, chunk_size: int = 2000):
    """``queryset.iterator(chunk_size)`` for a read that goes to the last row (an export).

    On PostgreSQL the iterator reads through a cursor, and a cursor is planned for its first rows by default
    (cursor_tuple_fraction 0.1). With a filter whose share of rows the planner cannot estimate (a position
    "containing" some words), that chose, for half a million members, to join every unit with every member in a
    loop: a minute, against half a second for the plan of the whole result. The setting is the connection's
    until the rows are read (or the reader stops), then set back."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        yield from queryset.iterator(chunk_size=chunk_size)
        return
    with connection.cursor() as cursor:
        cursor.execute("SET cursor_tuple_fraction = 1.0")
    try:
        yield from queryset.iterator(chunk_size=chunk_size)
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET cursor_tuple_fraction")
        except DatabaseError:
            # The transaction failed and takes no statement until it ends: the setting stays with this connection,
            # where it does no harm (the portal's cursors all read to the last row).
            pass
