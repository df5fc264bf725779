"""Files members attach as evidence: recognised by their content, never by their name."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_EVIDENCE_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str


# The first bytes of each accepted format.
_SIGNATURES = [
    (b"%PDF-", FileKind("application/pdf", "pdf")),
    (b"\x89PNG\r\n\x1a\n", FileKind("image/png", "png")),
    (b"\xff\xd8\xff", FileKind("image/jpeg", "jpg")),
]


def recognise(upload) -> FileKind:
    """The kind of an uploaded file from its first bytes; a refusal names the file and says why."""
    if upload.size > MAX_EVIDENCE_FILE_BYTES:
        raise ValidationError(_("%(name)s is larger than 5 MB.") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    raise ValidationError(_("%(name)s is not a PDF, JPEG or PNG file.") % {"name": upload.name})
