"""Identity rules of registry records, in plain Python: the models and the CSV loader share them."""

import hashlib


def centro_key(nombre: str, direccion: str) -> str:
    """Two centros are the same one when name and address match ignoring case and spacing.

    The key is a digest of the normalized pair, so its length is fixed: case folding can make text longer
    ("ß" is "ss"), and a unique index has a size limit.
    """
    normalized = "\n".join(" ".join(part.split()).casefold() for part in (nombre, direccion))
    return hashlib.sha256(normalized.encode()).hexdigest()
