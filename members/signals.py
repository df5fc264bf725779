"""Signals other apps listen to, so that members/ need not know them."""

from django.dispatch import Signal

# Sent inside the transaction of a move between units (members.services.member_transfer), with ``actor``,
# ``member`` (already in its new unit), ``from_unit`` and ``to_unit``. A receiver moves the rows of its app that
# follow the person and returns a dict of counts for the audit entry.
member_moved = Signal()
