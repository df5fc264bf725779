"""The first read of a request, which also serves as the database connection's health check.

Connections are kept between requests (CONN_MAX_AGE) with Django's health checks (CONN_HEALTH_CHECKS): before
the first statement of a request, Django sends ``SELECT 1`` to see whether the kept connection still works (the
server may have restarted, or a firewall dropped it), and opens a new one if it does not. That is one more round
trip on every request. For a page kept for its reader (reports.page_cache) it was a fifth of the whole request's
time in the app server (bench/, in-process: 2.0 ms with it, 1.6 ms without).

A signed-in request's first statements read the session (config.sessions) and the account (members.backends),
plain SELECTs that can be sent again without harm. So when such a read is the first statement on a kept
connection, it is sent without the check, and if the connection turns out to be broken, the read is sent again on
a new connection: the same outcome as the health check, with no extra round trip while the connection works."""

from django.db import Error


def read_row_checking_connection(connection, statement: str, parameters: list):
    """The first row ``statement`` reads (None if none). It must only read: it may be sent twice."""
    checks = (connection.connection is not None and connection.health_check_enabled
              and not connection.health_check_done and not connection.in_atomic_block)
    if checks:
        connection.health_check_done = True  # this read is the check
    try:
        return _read_row(connection, statement, parameters)
    except Error:
        if not checks:
            raise
        # As the health check would have: the kept connection is dropped and the read goes on a new one (made
        # healthy by definition). An error that was not the connection's comes back from the second read.
        connection.close()
        return _read_row(connection, statement, parameters)


def _read_row(connection, statement: str, parameters: list):
    with connection.cursor() as cursor:
        cursor.execute(statement, parameters)
        return cursor.fetchone()
