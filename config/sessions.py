"""Django's database sessions, read with one plain statement (SESSION_ENGINE when the cache is the database's)."""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from config.first_read import read_row_checking_connection


class SessionStore(db.SessionStore):
    """Every request of a signed-in person reads their session. Through the ORM that read cost some 0.3 ms of
    Python to build, more than the database takes to answer it (bench/, a page read from the cache); here it is
    the same statement written out, and the connection's health check too (config.first_read). Writing, expiring
    and clearing are Django's."""

    def load(self):
        connection = connections[router.db_for_read(self.model)]
        quote = connection.ops.quote_name
        # Names of the model's own table and columns, quoted; the values go as parameters.
        statement = (f"SELECT {quote('session_data')} FROM {quote(self.model._meta.db_table)} "  # nosec B608
                     f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s")
        row = read_row_checking_connection(
            connection, statement, [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
        if row is None:  # unknown or expired: a new session, as Django's own store does
            self._session_key = None
            return {}
        return self.decode(row[0])
