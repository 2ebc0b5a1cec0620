"""Removable drives (USB sticks and USB disks) to copy a package or a report onto, listed by the
name Explorer shows ("KINGSTON (E:)"), and what kind of drive a path is on (network or local).

Windows is asked through kernel32 with ctypes (no extra package): a drive is offered when
``GetDriveTypeW`` says REMOVABLE, or FIXED on the USB bus (USB hard disks call themselves
fixed). Linux lists what the desktop mounted under /media or /run/media. The operating-system
calls sit behind small ``*Api`` classes so tests can give fake answers on any platform.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import string
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from lev_desktop.i18n import _

DRIVE_UNKNOWN, DRIVE_NO_ROOT, DRIVE_REMOVABLE, DRIVE_FIXED, DRIVE_REMOTE = 0, 1, 2, 3, 4
DRIVE_CDROM, DRIVE_RAMDISK = 5, 6
BUS_TYPE_USB = 7
BUS_TYPE_SD, BUS_TYPE_MMC = 12, 13


@dataclass(frozen=True)
class Drive:
    root: Path  # E:\ or /media/user/KINGSTON
    label: str  # the volume name, may be empty
    letter: str = ""  # "E:" on Windows

    @property
    def name(self) -> str:
        """As Explorer shows it: "KINGSTON (E:)"; "USB drive (E:)" without a volume name."""
        label = self.label or _("USB drive")
        return f"{label} ({self.letter})" if self.letter else label

    def free_bytes(self) -> int | None:
        try:
            return shutil.disk_usage(self.root).free
        except OSError:
            return None


class _StoragePropertyQuery(ctypes.Structure):
    _fields_ = [
        ("PropertyId", ctypes.c_int),
        ("QueryType", ctypes.c_int),
        ("AdditionalParameters", ctypes.c_byte * 1),
    ]


class _StorageDeviceDescriptor(ctypes.Structure):
    _fields_ = [
        ("Version", ctypes.c_uint32),
        ("Size", ctypes.c_uint32),
        ("DeviceType", ctypes.c_byte),
        ("DeviceTypeModifier", ctypes.c_byte),
        ("RemovableMedia", ctypes.c_bool),
        ("CommandQueueing", ctypes.c_bool),
        ("VendorIdOffset", ctypes.c_uint32),
        ("ProductIdOffset", ctypes.c_uint32),
        ("ProductRevisionOffset", ctypes.c_uint32),
        ("SerialNumberOffset", ctypes.c_uint32),
        ("BusType", ctypes.c_int),
        ("RawPropertiesLength", ctypes.c_uint32),
        ("RawDeviceProperties", ctypes.c_byte * 1),
    ]


class WindowsApi:
    """The few kernel32 calls, through ctypes (only on Windows)."""

    def __init__(self) -> None:
        self.kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
        self.kernel32.CreateFileW.restype = ctypes.c_void_p

    def logical_drives(self) -> int:
        return int(self.kernel32.GetLogicalDrives())

    def drive_type(self, root: str) -> int:
        return int(self.kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))

    def volume_label(self, root: str) -> str:
        buffer = ctypes.create_unicode_buffer(261)
        ok = self.kernel32.GetVolumeInformationW(
            ctypes.c_wchar_p(root), buffer, 261, None, None, None, None, 0
        )
        return buffer.value if ok else ""

    def bus_type(self, letter: str) -> int | None:
        """The storage bus of the volume (7 = USB), from IOCTL_STORAGE_QUERY_PROPERTY."""
        # no access rights needed; share read|write; OPEN_EXISTING
        handle = self.kernel32.CreateFileW(f"\\\\.\\{letter}", 0, 3, None, 3, 0, None)
        if handle is None or handle == ctypes.c_void_p(-1).value:
            return None
        try:
            query = _StoragePropertyQuery(0, 0)  # StorageDeviceProperty, PropertyStandardQuery
            descriptor = _StorageDeviceDescriptor()
            returned = ctypes.c_uint32()
            ok = self.kernel32.DeviceIoControl(
                ctypes.c_void_p(handle),
                0x002D1400,  # IOCTL_STORAGE_QUERY_PROPERTY
                ctypes.byref(query),
                ctypes.sizeof(query),
                ctypes.byref(descriptor),
                ctypes.sizeof(descriptor),
                ctypes.byref(returned),
                None,
            )
            return int(descriptor.BusType) if ok else None
        finally:
            self.kernel32.CloseHandle(ctypes.c_void_p(handle))


class DriveApi(Protocol):
    """What ``windows_drives`` asks Windows (``WindowsApi``; tests give their own answers)."""

    def logical_drives(self) -> int: ...
    def drive_type(self, root: str) -> int: ...
    def volume_label(self, root: str) -> str: ...
    def bus_type(self, letter: str) -> int | None: ...


def windows_drives(api: DriveApi) -> list[Drive]:
    mask = api.logical_drives()
    found = []
    for index, letter in enumerate(string.ascii_uppercase):
        if not mask & (1 << index) or letter in "AB":  # A: and B: are floppy letters
            continue
        root = f"{letter}:\\"
        kind = api.drive_type(root)
        usb = kind == DRIVE_REMOVABLE or (
            kind == DRIVE_FIXED
            and api.bus_type(f"{letter}:") in (BUS_TYPE_USB, BUS_TYPE_SD, BUS_TYPE_MMC)
        )
        if usb:
            found.append(Drive(Path(root), api.volume_label(root), f"{letter}:"))
    return found


def _unescape_mount(path: str) -> str:
    return path.replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")


def linux_drives(mounts_text: str, user: str = "") -> list[Drive]:
    """What the desktop mounted for removable media (``/media/<user>/X``, ``/run/media/<user>/X``,
    ``/media/X``), from the text of /proc/mounts."""
    found = []
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _unescape_mount(fields[1])
        parts = Path(point).parts
        if (len(parts) >= 3 and parts[1] == "media") or (
            len(parts) >= 4 and parts[1] == "run" and parts[2] == "media"
        ):
            found.append(Drive(Path(point), Path(point).name))
    return found


def removable_drives() -> list[Drive]:
    """The USB drives plugged in now, in drive-letter order; [] when none or unknown."""
    try:
        if sys.platform == "win32":
            return windows_drives(WindowsApi())
        if sys.platform.startswith("linux"):
            return linux_drives(Path("/proc/mounts").read_text("utf-8", "replace"))
    except OSError:
        return []
    return []


# ---- network paths ------------------------------------------------------------------------


def is_unc(path: str | os.PathLike[str]) -> bool:
    r"""``\\server\share\...`` or ``//server/share/...`` (as Windows writes a network path)."""
    text = os.fspath(path)
    return text.startswith(("\\\\", "//")) and not text.startswith(("\\\\?\\", "\\\\.\\"))


def drive_letter(path: str | os.PathLike[str]) -> str:
    text = os.fspath(path)
    text = text.removeprefix("\\\\?\\")
    if len(text) >= 2 and text[1] == ":" and text[0].isalpha():
        return text[0].upper() + ":"
    return ""


# Linux file systems that are other computers' disks.
NETWORK_FILESYSTEMS = {"cifs", "smb3", "smbfs", "nfs", "nfs4", "fuse.sshfs", "9p", "afs", "davfs"}


def is_network_path(
    path: str | os.PathLike[str],
    *,
    drive_type: Callable[[str], int] | None = None,
    mounts_text: str | None = None,
) -> bool:
    """Is ``path`` on another computer: a UNC path, a mapped network drive (``GetDriveTypeW``
    says REMOTE) or, on Linux, a CIFS/NFS mount? ``drive_type`` (root → DRIVE_*) and
    ``mounts_text`` replace the operating system's answers in tests."""
    if is_unc(path):
        return True
    letter = drive_letter(path)
    if letter:
        if drive_type is None:
            if sys.platform != "win32":
                return False
            drive_type = WindowsApi().drive_type
        return bool(drive_type(letter + "\\") == DRIVE_REMOTE)
    if mounts_text is None:
        if not sys.platform.startswith("linux"):
            return False
        try:
            mounts_text = Path("/proc/mounts").read_text("utf-8", "replace")
        except OSError:
            return False
    target = os.path.abspath(os.fspath(path))
    best, best_type = "", ""
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _unescape_mount(fields[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fields[2]
    return best_type in NETWORK_FILESYSTEMS
