"""Package entries read straight from the file (``format._Reader._direct``) give exactly what
``zipfile`` gives: the same bytes for a sound package, and for a damaged one the same refusal
(code and Thai reason), because every entry the direct read doubts is read by zipfile again."""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest

from lev_desktop.exchange import format as fmt
from lev_desktop.exchange.errors import Refusal
from lev_desktop.exchange.exporter import export_package

from .helpers import make_lao


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("zipdirect")
    os.environ["LEV_DATA_DIR"] = str(folder / "data")
    lao = make_lao(folder / "lao.db", "4801006", seed=6)
    data = export_package(lao, "D4801", folder / "p.levpkg").path.read_bytes()
    lao.dispose()
    return data


def _outcome(path: Path, data: bytes) -> tuple:
    """Everything reading the package gives: its payloads, or the refusal."""
    path.write_bytes(data)
    try:
        outer, embedded = fmt.open_package(path)
        read = {}
        for part in (outer, *embedded):
            for name in part.payload_names:
                read[part.root + name] = part.load(name)
            part.close()
        return ("read", outer.manifest_bytes, outer.signature, read)
    except Refusal as refusal:
        return ("refused", refusal.code, refusal.message)


def _both(monkeypatch, path: Path, data: bytes) -> tuple[tuple, tuple]:
    direct = _outcome(path, data)
    with monkeypatch.context() as patch:
        patch.setattr(fmt._Reader, "_direct", lambda *_args: None)
        through_zipfile = _outcome(path, data)
    return direct, through_zipfile


def test_a_sound_package_is_read_without_zipfile_opening_an_entry(package, tmp_path, monkeypatch):
    def no_open(*_args, **_kwargs):
        raise AssertionError("zipfile opened an entry")

    expected = _outcome(tmp_path / "a.levpkg", package)
    assert expected[0] == "read" and expected[3]
    with monkeypatch.context() as patch:
        patch.setattr(zipfile.ZipFile, "open", no_open)
        assert _outcome(tmp_path / "b.levpkg", package) == expected
    assert _both(monkeypatch, tmp_path / "c.levpkg", package) == (expected, expected)


def test_every_flipped_byte_gives_what_zipfile_gives(package, tmp_path, monkeypatch):
    """A byte changed anywhere in the file (every 11th position, and every position of the
    first entry's local header and data): refused alike, or read alike."""
    first = zipfile.ZipFile(io.BytesIO(package)).infolist()[0]
    spots = set(range(0, len(package), 11))
    spots |= set(range(first.header_offset, first.header_offset + 30 + 64))
    refused = 0
    for spot in sorted(spots):
        for flip in (0x01, 0x80):
            data = bytearray(package)
            data[spot] ^= flip
            direct, through_zipfile = _both(monkeypatch, tmp_path / "p.levpkg", bytes(data))
            assert direct == through_zipfile, (spot, flip)
            refused += direct[0] == "refused"
    assert refused > len(spots)  # (most changes are refused: the test reaches the checks)


def test_a_cut_file_gives_what_zipfile_gives(package, tmp_path, monkeypatch):
    for length in range(0, len(package), max(1, len(package) // 97)):
        direct, through_zipfile = _both(monkeypatch, tmp_path / "p.levpkg", package[:length])
        assert direct == through_zipfile, length
        assert direct[0] == "refused"


def _entry(package: bytes, name: str) -> zipfile.ZipInfo:
    return zipfile.ZipFile(io.BytesIO(package)).getinfo(name)


def test_a_wrong_crc_is_refused_as_damaged(package, tmp_path, monkeypatch):
    """The CRC-32 in the local header is not what zipfile checks (the directory's is): changed
    in the directory, the entry is damaged, whichever way it is read."""
    info = _entry(package, fmt.MANIFEST)
    data = bytearray(package)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_length]) == info.filename.encode():
            struct.pack_into("<L", data, at + 16, info.CRC ^ 1)
            break
        at = data.find(b"PK\x01\x02", at + 4)
    assert at >= 0
    direct, through_zipfile = _both(monkeypatch, tmp_path / "p.levpkg", bytes(data))
    assert direct == through_zipfile
    assert direct[:2] == ("refused", "truncated")


def test_a_local_header_naming_another_file_is_refused_alike(package, tmp_path, monkeypatch):
    info = _entry(package, fmt.MANIFEST)
    data = bytearray(package)
    start = info.header_offset + 30
    assert bytes(data[start : start + len(fmt.MANIFEST)]) == fmt.MANIFEST.encode()
    data[start] = ord("X")
    direct, through_zipfile = _both(monkeypatch, tmp_path / "p.levpkg", bytes(data))
    assert direct == through_zipfile
    assert direct[:2] == ("refused", "truncated")


def test_extra_data_after_the_deflate_stream_or_a_stored_entry_reads_alike(
    package, tmp_path, monkeypatch
):
    """Entries written other ways than the exporter's: stored (not compressed), and a deflate
    stream that ends before its entry's bytes do."""
    files = {}
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        for info in archive.infolist():
            files[info.filename] = archive.read(info)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    stored = buffer.getvalue()
    direct, through_zipfile = _both(monkeypatch, tmp_path / "s.levpkg", stored)
    assert direct == through_zipfile and direct[0] == "read"

    # A payload whose deflate stream ends early but whose directory claims more bytes.
    name = next(n for n in files if n.startswith(fmt.PAYLOAD_DIR))
    short = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    packed = short.compress(files[name][:-1]) + short.flush()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for other, content in files.items():
            if other != name:
                archive.writestr(other, content)
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, files[name])
    data = bytearray(buffer.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name)
    start = info.header_offset + 30 + len(name.encode()) + len(info.extra)
    if len(packed) <= info.compress_size:  # the shorter stream in place of the real one
        data[start : start + len(packed)] = packed
        direct, through_zipfile = _both(monkeypatch, tmp_path / "t.levpkg", bytes(data))
        assert direct == through_zipfile
        assert direct[0] == "refused"


def test_a_small_file_is_read_once_and_its_payloads_from_that_reading(package, tmp_path):
    """A package file up to READ_WHOLE bytes is read whole once: its payloads come from that
    reading (the file changed on the disk afterwards changes nothing of what is compared), the
    commit still reads the file again and refuses it when it is not what was checked, and the
    bytes are let go once the part was compared."""
    path = tmp_path / "small.levpkg"
    path.write_bytes(package)
    expected = _outcome(tmp_path / "expected.levpkg", package)
    outer, _embedded = fmt.open_package(path)
    assert outer.kept == len(package)
    path.write_bytes(b"not a package any more")
    read = {name: outer.load(name) for name in outer.payload_names}
    assert ("read", outer.manifest_bytes, outer.signature, read) == expected
    with pytest.raises(Refusal) as refused:
        outer.read_container()
    assert refused.value.code == "changed"
    outer.close()
    outer.slim()
    assert outer.kept == 0


def test_a_file_not_kept_whole_is_read_from_the_disk(package, tmp_path):
    path = tmp_path / "disk.levpkg"
    path.write_bytes(package)
    outer, _embedded = fmt.open_package(path, whole=False)
    assert outer.kept == 0
    assert outer.read_container() == package
    path.write_bytes(b"not a package any more")
    with pytest.raises(Refusal) as refused:
        outer.load(outer.payload_names[0])
    assert refused.value.code == "truncated"
    outer.close()
