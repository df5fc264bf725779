"""Files members attach as evidence: recognised by their content, never by their name."""

from contextlib import contextmanager
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


def _recognise(upload, kinds: list[tuple[bytes, FileKind]], refusal) -> FileKind:
    if upload.size > MAX_EVIDENCE_FILE_BYTES:
        raise ValidationError(_("%(name)s is larger than 5 MB.") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, kind in kinds:
        if head.startswith(signature):
            return kind
    raise ValidationError(refusal % {"name": upload.name})


def recognise(upload) -> FileKind:
    """The kind of an uploaded document from its first bytes; a refusal names the file and says why."""
    return _recognise(upload, _SIGNATURES, _("%(name)s is not a PDF, JPEG or PNG file."))


def recognise_image(upload) -> FileKind:
    """A photo: JPEG or PNG only."""
    return _recognise(upload, [entry for entry in _SIGNATURES if entry[1].extension != "pdf"],
                      _("%(name)s is not a JPEG or PNG photo."))


@contextmanager
def removed_on_failure():
    """Collects the stored files of a write; when the write fails its rows roll back, and the files go too."""
    written = []
    try:
        yield written
    except Exception:
        for stored in written:
            stored.file.delete(save=False)
        raise


def stored_file_response(file, *, content_type: str, name: str):
    """A stored evidence file, sent to someone the caller has already let through: a PDF is downloaded rather
    than shown (a browser's PDF viewer runs scripts), and nobody's cache keeps it."""
    from django.http import FileResponse

    response = FileResponse(file.open("rb"), content_type=content_type,
                            as_attachment=content_type == "application/pdf", filename=name)
    response["Cache-Control"] = "private, no-store"
    return response
