"""Spanish identity documents: a patient's DNI or NIE."""

from stdnum.es import dni, nie


def documento_normalizado(texto: str) -> str:
    """A DNI or NIE as it is stored: upper case, without spaces, dots or hyphens."""
    return "".join(char for char in texto if char not in " .-").upper()


def documento_valido(texto: str) -> bool:
    """Whether a normalized document is a Spanish DNI or NIE whose check letter is right."""
    return texto.isascii() and (dni.is_valid(texto) or nie.is_valid(texto))
