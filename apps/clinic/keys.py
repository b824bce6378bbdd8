"""Identity rules of registry records, in plain Python: the models and the CSV loader share them."""


def centro_key(nombre: str, direccion: str) -> str:
    """Two centros are the same one when name and address match ignoring case and spacing."""
    return "|".join(" ".join(part.split()).casefold() for part in (nombre, direccion))
