import unicodedata


def fold(text: str) -> str:
    """Lower-case text without Vietnamese diacritics, so "nguyen" finds "Nguyễn" on every database."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().strip()


def sort_key_for_name(full_name: str) -> str:
    """Vietnamese lists are ordered by the given name (the last word), then by the whole name."""
    folded = " ".join(fold(full_name).split())
    given_name = folded.rsplit(" ", 1)[-1] if folded else ""
    return f"{given_name} {folded}"
