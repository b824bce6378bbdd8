"""RS256 key pair for JWT signing: loading, and generation for development and tests."""

from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa


def generate_keypair(private_path: Path, public_path: Path) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    private_path.parent.mkdir(parents=True, exist_ok=True)
    public_path.parent.mkdir(parents=True, exist_ok=True)
    # Write to temporary names first so that a concurrent reader never sees half a key.
    for path, pem, mode in ((private_path, private_pem, 0o600), (public_path, public_pem, 0o644)):
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(pem)
        tmp.chmod(mode)
        tmp.replace(path)


def ensure_keypair(private_path: Path, public_path: Path) -> None:
    if not private_path.exists() or not public_path.exists():
        generate_keypair(private_path, public_path)


def read_key(path: Path) -> str:
    return path.read_text()
