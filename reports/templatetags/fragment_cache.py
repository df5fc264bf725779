"""A piece of a page rendered once per reader and kept until the portal's data changes.

The long lists (members, a ranking) spend most of a request rendering their rows; the same reader opening the same
page again, or paging back, gets the rows from the cache. The key holds the reader (what the access policy lets them
see follows from their roles, and any change of a role is a change of data), the language (reports.caching adds it)
and the parts the template names: whatever else the rows depend on must be among them.

A fragment whose parts name everything it shows (``by_parts_alone`` last: the dashboard's figures, named by their
counting) is kept under its key alone, whatever table changes, and also while the page shows figures of before a
change: readers of a busy hour, when every change of a commitment makes the page stale, are shown the piece drawn
from the figures they see, not drawn again for each of them."""

from django import template
from django.utils.safestring import mark_safe

from reports import caching

register = template.Library()

# A reader's fragments help while they browse; kept longer, the pieces of every reader and page would crowd the
# shared cache (past its size the database's drops a third of its keys, whichever they are: feedback counters too).
FRAGMENT_TIMEOUT = 10 * 60


class ReaderFragmentNode(template.Node):
    def __init__(self, name: str, parts: list[template.base.FilterExpression], nodelist: template.NodeList, *,
                 by_parts_alone: bool = False):
        self.name, self.parts, self.nodelist, self.by_parts_alone = name, parts, nodelist, by_parts_alone

    def render(self, context):
        request = context.get("request")
        if request is None:  # drawn outside a request (a mail, a PDF): no reader to keep it for
            return self.nodelist.render(context)
        parts = (request.user.pk, *(part.resolve(context) for part in self.parts))
        keeper = caching.cached_by_parts if self.by_parts_alone else caching.cached
        html = keeper(f"fragment:{self.name}", parts, lambda: self._render_rows(context), timeout=FRAGMENT_TIMEOUT)
        # What the template engine drew, every value escaped as it was drawn; kept as a plain string.
        return mark_safe(html)  # nosec B308 B703

    def _render_rows(self, context) -> str:
        html = self.nodelist.render(context)
        if "csrfmiddlewaretoken" in html:  # a token kept in the cache would be refused once the reader's changed
            raise template.TemplateSyntaxError(f"The cached fragment {self.name!r} holds a CSRF token.")
        return html


@register.tag
def cached_for_reader(parser, token):
    """``{% cached_for_reader "name" part … [by_parts_alone] %}…{% end_cached_for_reader %}``. Nothing inside may
    carry a CSRF token or a message: those belong to one response, not to the data."""
    bits = token.split_contents()
    by_parts_alone = bits[-1] == "by_parts_alone"
    if by_parts_alone:
        bits.pop()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a quoted name first, then the parts of its key.")
    nodelist = parser.parse(("end_cached_for_reader",))
    parser.delete_first_token()
    return ReaderFragmentNode(bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist,
                              by_parts_alone=by_parts_alone)
