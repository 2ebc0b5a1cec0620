"""The office's private key at rest: DPAPI for the current Windows user (a fake protector stands
in for DPAPI off Windows; the real one is exercised on the Windows CI runner)."""

from __future__ import annotations

import sys

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lev_desktop.errors import describe_error
from lev_desktop.exchange import key_protection, keys


class FakeDpapi:
    """Reversible and keyed by "the user": another user's blob fails as DPAPI would."""

    def __init__(self, user: str = "somsri"):
        self.user = user.encode()

    def protect(self, data: bytes) -> bytes:
        return self.user + b":" + bytes(b ^ 0x5A for b in data)

    def unprotect(self, data: bytes) -> bytes:
        user, _sep, body = data.partition(b":")
        if user != self.user:
            raise key_protection.ProtectionError(13, "wrong user")
        return bytes(b ^ 0x5A for b in body)


@pytest.fixture
def windows_user(monkeypatch):
    fake = FakeDpapi()
    monkeypatch.setattr(key_protection, "_override", [fake])
    return fake


def test_on_windows_the_key_file_is_protected_for_the_user(windows_user):
    key = keys.load_or_create("4801006")
    data = keys.key_path("4801006").read_bytes()
    assert data.startswith(key_protection.MARK)
    assert b"PRIVATE KEY" not in data  # no readable PEM on disk
    again = keys.load_or_create("4801006")
    assert keys.fingerprint(again) == keys.fingerprint(key)


def test_a_key_saved_unprotected_before_is_protected_on_its_next_read(monkeypatch):
    monkeypatch.setattr(key_protection, "_override", [])
    if key_protection.current() is not None:
        pytest.skip("this platform protects keys itself")
    key = keys.load_or_create("4801006")
    path = keys.key_path("4801006")
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")  # 0600 elsewhere
    monkeypatch.setattr(key_protection, "_override", [FakeDpapi()])
    assert keys.fingerprint(keys.load_or_create("4801006")) == keys.fingerprint(key)
    assert path.read_bytes().startswith(key_protection.MARK)


def test_another_windows_user_gets_a_thai_message(windows_user, monkeypatch):
    keys.load_or_create("4801006")
    monkeypatch.setattr(key_protection, "_override", [FakeDpapi("another-user")])
    with pytest.raises(key_protection.ProtectionError) as caught:
        keys.load_or_create("4801006")
    message = describe_error(caught.value)
    assert message is not None and "ผู้ใช้ Windows" in message


def test_exported_packages_are_signed_with_the_protected_key(windows_user, lao_store, tmp_path):
    import json
    import zipfile

    from lev_desktop.exchange.exporter import export_package

    result = export_package(lao_store, "D4801", tmp_path / "p.levpkg")
    with zipfile.ZipFile(result.path) as archive:
        manifest = archive.read("manifest.json")
        signature = archive.read("manifest.sig")
    public = keys.public_b64(keys.load_or_create("4801006"))
    assert json.loads(manifest)["sender_key"]["public_key"] == public
    assert keys.verify(public, signature, manifest)
    assert keys.key_path("4801006").read_bytes().startswith(key_protection.MARK)


@pytest.mark.skipif(sys.platform != "win32", reason="DPAPI exists on Windows only")
def test_real_dpapi_round_trip():
    dpapi = key_protection.Dpapi()
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    blob = dpapi.protect(pem)
    assert pem not in blob and dpapi.unprotect(blob) == pem
