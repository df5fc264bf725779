"""How a signed-in person's account is read on each request."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections, router
from django.db.models.expressions import Col

from config.first_read import read_row_checking_connection
from members.notifications import UNREAD_ATTRIBUTE, unread_count_statement


def _account_read(connection):
    """The account's statement on ``connection``, the model's attribute names of its columns and, for each column
    that needs one, the database's conversions of its value (SQLite's dates and booleans): what a query set would
    apply, worked out once per connection."""
    read = getattr(connection, "_account_read", None)
    if read is None:
        model = get_user_model()
        meta = model._meta
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in meta.concrete_fields)
        # Names of the models' own tables and columns, quoted; the account's id goes as a parameter.
        statement = (f"SELECT {columns}, ({unread_count_statement(connection)}) "  # nosec B608
                     f"FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s")
        conversions = []
        for index, field in enumerate(meta.concrete_fields):
            column = Col(meta.db_table, field)
            converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if converters:
                conversions.append((index, column, converters))
        attribute_names = [field.attname for field in meta.concrete_fields]
        read = connection._account_read = (statement, attribute_names, conversions)
    return read


class AccountBackend(ModelBackend):
    """Django's ModelBackend (passwords, is_active, permissions), with the account of a signed-in person read in
    one plain statement that also counts their unread notifications: every page reads the account and shows that
    count in its menu. Through the ORM the two were two queries and some 0.45 ms of Python to build the first one,
    more than the database takes to answer both (bench/, a page read from the cache). The read also serves as the
    connection's health check when it is the request's first (config.first_read)."""

    def get_user(self, user_id):
        model = get_user_model()
        connection = connections[router.db_for_read(model)]
        statement, attribute_names, conversions = _account_read(connection)
        row = read_row_checking_connection(connection, statement, [user_id, user_id])
        if row is None:
            return None
        values = list(row[:-1])
        for index, column, converters in conversions:
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        user = model.from_db(connection.alias, attribute_names, values)
        setattr(user, UNREAD_ATTRIBUTE, row[-1])
        return user if self.user_can_authenticate(user) else None
