"""Just enough of ELF (64-bit little-endian, Linux x86-64/arm64) for the Linux build.

`needed(path)` — the DT_NEEDED names of a shared library (which libraries the dynamic
loader loads with it; motcua.spec drops the bundled libraries nothing loads);
`symbol(path, name)` — where a dynamic symbol's bytes lie in the file (trim_icu.py
reads ICU's data blob, the exported `icudt73_dat`, out of libicudata.so.73).
Standard library only: no binutils or pyelftools needed.
"""

from __future__ import annotations

import struct
from pathlib import Path

_SHT_DYNSYM = 11
_SHT_DYNAMIC = 6
_DT_NEEDED = 1
_SHN_UNDEF = 0


class NotElf(ValueError):
    pass


class _Elf:
    def __init__(self, data: bytes) -> None:
        if data[:4] != b"\x7fELF":
            raise NotElf("not an ELF file")
        if data[4] != 2 or data[5] != 1:
            raise NotElf("only 64-bit little-endian ELF files are handled")
        self.data = data
        (self.shoff,) = struct.unpack_from("<Q", data, 0x28)
        self.shentsize, self.shnum = struct.unpack_from("<HH", data, 0x3A)
        self.sections = [self._section(i) for i in range(self.shnum)]

    def _section(self, i: int) -> dict[str, int]:
        off = self.shoff + i * self.shentsize
        (name, type_, flags, addr, offset, size, link, info, align,
         entsize) = struct.unpack_from("<IIQQQQIIQQ", self.data, off)
        return {"type": type_, "addr": addr, "offset": offset, "size": size, "link": link,
                "entsize": entsize}

    def _string(self, strtab: dict[str, int], index: int) -> str:
        start = strtab["offset"] + index
        end = self.data.index(b"\0", start)
        return self.data[start:end].decode("utf-8", "replace")

    def needed(self) -> list[str]:
        names: list[str] = []
        for sec in self.sections:
            if sec["type"] != _SHT_DYNAMIC:
                continue
            strtab = self.sections[sec["link"]]
            for off in range(sec["offset"], sec["offset"] + sec["size"], 16):
                tag, value = struct.unpack_from("<qQ", self.data, off)
                if tag == 0:
                    break
                if tag == _DT_NEEDED:
                    names.append(self._string(strtab, value))
        return names

    def symbol(self, name: str) -> tuple[int, int]:
        for sec in self.sections:
            if sec["type"] != _SHT_DYNSYM:
                continue
            strtab = self.sections[sec["link"]]
            for off in range(sec["offset"], sec["offset"] + sec["size"], 24):
                st_name, _info, _other, shndx, value, size = struct.unpack_from(
                    "<IBBHQQ", self.data, off)
                if shndx == _SHN_UNDEF or self._string(strtab, st_name) != name:
                    continue
                owner = self.sections[shndx]
                return owner["offset"] + (value - owner["addr"]), size
        raise KeyError(f"no defined dynamic symbol {name}")


def needed(path: str | Path) -> list[str]:
    """The DT_NEEDED entries of an ELF file; [] for anything else."""
    try:
        return _Elf(Path(path).read_bytes()).needed()
    except (NotElf, struct.error, IndexError, ValueError):
        return []


def symbol(path: str | Path, name: str) -> tuple[int, int]:
    """(file offset, size in bytes) of the defined dynamic symbol `name`."""
    return _Elf(Path(path).read_bytes()).symbol(name)
