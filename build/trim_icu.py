"""Trim the ICU data that Qt's wheel ships (libicudata.so.73, 31 MB) to what the app uses.

    python build/trim_icu.py dist/motcua/_internal/PySide6/Qt/lib

Linux only (build/build_linux.sh runs it after PyInstaller; PySide6 on Windows uses
the system's ICU and ships none). libQt6Core is the only user of ICU in the folder,
and it calls only: case mapping (u_strToUpper/Lower), converters (ucnv_* —
QStringConverter for encodings Qt has no codec of its own for), collation (ucol_* —
QCollator) and time zones (ucal_* — QTimeZone's names). Everything else in ICU's
data — 700 locales' names, currencies, units, spell-out rules, transliterators,
CJK/Thai/Khmer/Burmese/Lao dictionaries, 200 East-Asian and EBCDIC converters —
is dead weight (~28 MB).

Steps:
 1. read the common data blob out of libicudata.so.<N>: the bytes of its one exported
    symbol `icudt<N>_dat` (located with build/elfinfo.py);
 2. list its items and remove all but KEEP with `icupkg` (ICU's own package tool,
    Debian package icu-devtools; the package format is the same across ICU versions,
    and icupkg refuses to write a package whose resource bundles miss an item they
    depend on, such as a tree's pool.res);
 3. assemble a new libicudata.so.<N>: one .rodata symbol `icudt<N>_dat` (as ICU's own
    pkgdata does: .incbin of the .dat, 16-byte aligned), same soname, no symbol
    version (libicuuc imports it unversioned: `readelf --dyn-syms libicuuc.so.73`);
 4. check it, in a child process, against the original data through libicuuc and
    libicui18n themselves (ctypes): u_init succeeds, and every call Qt makes gives the
    same answer for the locales kept (vi, en, root) — collation order and the
    collator's locale, converters, upper/lower case, time zone ids and names — plus
    normalization and word/line breaks;
 5. replace the library in place (the folder's top-level libicudata.so.<N> is a
    symbolic link to it).

Another locale's collation falls back to the root order (ICU's default), and an
encoding not kept fails to open, as for any encoding ICU does not know.
"""

from __future__ import annotations

import argparse
import ctypes
import fnmatch
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import elfinfo  # noqa: E402

#: Locales whose data is kept in each tree kept: root, Vietnamese (the app's), English
#: (Qt's own fallback, and the C/POSIX locale).
LOCALES = ("root", "vi", "vi_VN", "en", "en_US", "en_US_POSIX")
#: Trees (sub-folders of the data) kept for LOCALES; curr, unit, rbnf, translit go.
TREES = ("", "coll", "brkitr", "zone", "region", "lang")
#: Items kept whatever their tree; fnmatch patterns on the name after "icudt<N>l/".
KEEP = (
    # Per-tree: the index of its locales and the pool bundle its locales' strings share.
    *(f"{t}/{n}" if t else n for t in TREES for n in ("res_index.res", "pool.res")),
    # Locale-independent tables the calls above read: likely subtags and aliases of
    # locale ids, calendar and week data, time zones (rules, meta zones, ids).
    "supplementalData.res", "likelySubtags.res", "langInfo.res", "metadata.res",
    "keyTypeData.res", "numberingSystems.res", "zoneinfo64.res", "metaZones.res",
    "timezoneTypes.res", "windowsZones.res", "icuver.res", "icustd.res",
    # Collation: the root (DUCET) tables; normalization beyond NFC (built into the
    # code), emoji and layout properties (small).
    "coll/ucadata.icu", "*.nrm", "uemoji.icu", "ulayout.icu",
    # Break iterators: the rules; not the dictionaries (cjdict 2 MB, khmer, burmese, lao,
    # thai), without which those scripts break per character.
    "brkitr/*.brk",
    # Converters: the alias table and the single-byte code pages of Vietnamese and
    # Western documents (UTF-*, ISO-8859-1 and US-ASCII are built into the code).
    "cnvalias.icu",
    "ibm-5346_P100-1998.cnv", "ibm-5347_P100-1998.cnv", "ibm-5348_P100-1997.cnv",
    "ibm-5349_P100-1998.cnv", "ibm-5350_P100-1998.cnv", "ibm-9447_P100-2002.cnv",
    "ibm-9448_X100-2005.cnv", "ibm-9449_P100-2002.cnv", "ibm-5354_P100-1998.cnv",  # windows-125x
    "ibm-1129_P100-1997.cnv", "ibm-1258_P100-1997.cnv",  # IBM Vietnamese
    "ibm-912_P100-1995.cnv", "ibm-913_P100-2000.cnv", "ibm-914_P100-1995.cnv",
    "ibm-915_P100-1995.cnv", "ibm-1089_P100-1995.cnv", "ibm-9005_X110-2007.cnv",
    "ibm-5012_P100-1999.cnv", "ibm-920_P100-1995.cnv", "ibm-921_P100-1995.cnv",
    "ibm-923_P100-1998.cnv",  # ISO-8859-2…9, 13, 15
    "ibm-437_P100-1995.cnv", "ibm-850_P100-1995.cnv", "ibm-858_P100-1997.cnv",
    "ibm-866_P100-1995.cnv", "ibm-878_P100-1996.cnv", "macos-0_2-10.2.cnv",  # DOS, KOI8-R, Mac
)
#: Encodings that must still open after trimming (checked against the original data).
ENCODINGS = ("windows-1258", "cp1258", "windows-1252", "windows-1250", "ISO-8859-15",
             "ISO-8859-2", "ibm-1129", "koi8-r", "macintosh", "cp850", "UTF-8", "ISO-8859-1")
#: A trimmed blob is far smaller than this; a bigger one is ICU's full data.
TRIMMED_MAX = 12_000_000


def keep(name: str) -> bool:
    """Whether the item `name` (without the package prefix) stays."""
    if any(fnmatch.fnmatchcase(name, pattern) for pattern in KEEP):
        return True
    tree, _, leaf = name.rpartition("/")
    return tree in TREES and leaf.endswith(".res") and leaf[:-4] in LOCALES


# ---------------------------------------------------------------------------- package


def toc(blob: bytes) -> list[tuple[str, int]]:
    """(item name, size) of an ICU common data package, in its order."""
    header_size = struct.unpack_from("<H", blob, 0)[0]
    if blob[2:4] != b"\xda\x27" or blob[12:16] != b"CmnD":
        raise ValueError("not an ICU common data package (CmnD)")
    count = struct.unpack_from("<I", blob, header_size)[0]
    entries = []
    for i in range(count):
        name_off, data_off = struct.unpack_from("<II", blob, header_size + 4 + 8 * i)
        start = header_size + name_off
        entries.append((blob[start:blob.index(b"\0", start)].decode("ascii"),
                        header_size + data_off))
    ends = [off for _, off in entries[1:]] + [len(blob)]
    return [(name, end - off) for (name, off), end in zip(entries, ends, strict=True)]


def icupkg() -> str:
    tool = shutil.which("icupkg")
    if tool is None:
        sys.exit("trim_icu: icupkg not found — install it once with: "
                 "sudo apt-get install -y icu-devtools")
    return tool


def trim_blob(blob: bytes, package: str, work: Path) -> bytes:
    """The package without the items `keep` refuses, written by icupkg."""
    src = work / "in" / f"{package}.dat"
    out = work / "out" / f"{package}.dat"
    src.parent.mkdir()
    out.parent.mkdir()
    src.write_bytes(blob)
    names = [name for name, _size in toc(blob)]
    prefix = package + "/"
    removed = [n for n in names if not keep(n.removeprefix(prefix))]
    kept = len(names) - len(removed)
    if kept < 40 or not removed:
        raise SystemExit(f"trim_icu: unexpected package ({len(names)} items, {kept} kept)")
    # Two passes: everything but the break dictionaries with icupkg's dependency check;
    # then the dictionaries, which brkitr/root.res names — their absence is the one
    # allowed (ICU then breaks those scripts per character), nothing else may be missing.
    dicts = [n for n in removed if n.startswith(prefix + "brkitr/") and n.endswith(".dict")]
    others = [n for n in removed if n not in dicts]
    middle = work / "mid" / f"{package}.dat"
    middle.parent.mkdir()
    _icupkg_remove(others, src, middle, work / "remove-others.txt", prefix)
    if dicts:
        listing = work / "remove-dicts.txt"
        check = _icupkg_remove(dicts, middle, out, listing, prefix, check=False)
        missing = re.findall(r"depends on missing item (\S+)", check.stdout + check.stderr)
        unexpected = sorted({m for m in missing if not m.endswith(".dict")})
        if check.returncode != 0 and (unexpected or not missing):
            raise SystemExit(f"trim_icu: icupkg failed ({check.returncode}):\n"
                             f"{check.stdout}{check.stderr}")
        if check.returncode != 0:
            _icupkg_remove(dicts, middle, out, listing, prefix, "--ignore-deps")
    else:
        shutil.copy2(middle, out)
    trimmed = out.read_bytes()
    left = {name for name, _size in toc(trimmed)}
    if left != {n for n in names if keep(n.removeprefix(prefix))}:
        raise SystemExit("trim_icu: icupkg kept other items than asked")
    print(f"trim_icu: {len(names)} items → {kept} ({len(blob) / 1e6:.1f} MB → "
          f"{len(trimmed) / 1e6:.1f} MB)")
    return trimmed


def _icupkg_remove(names: list[str], src: Path, out: Path, listing: Path, prefix: str,
                   *options: str, check: bool = True) -> subprocess.CompletedProcess:
    listing.write_text("".join(n.removeprefix(prefix) + "\n" for n in names), encoding="ascii")
    result = subprocess.run([icupkg(), *options, "-r", str(listing), str(src), str(out)],
                            capture_output=True, text=True)
    if check and result.returncode != 0:
        raise SystemExit(f"trim_icu: icupkg failed ({result.returncode}):\n"
                         f"{result.stdout}{result.stderr}")
    return result


# ---------------------------------------------------------------------------- library


_ASM = """\
/* ICU common data for {soname}, made by build/trim_icu.py. */
    .section .rodata
    .globl {symbol}
    .type {symbol}, @object
    .balign 16
{symbol}:
    .incbin "{dat}"
    .size {symbol}, . - {symbol}
    .section .note.GNU-stack,"",@progbits
"""


def build_library(blob_path: Path, soname: str, symbol: str, target: Path) -> None:
    cc = os.environ.get("CC") or shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        sys.exit("trim_icu: no C compiler — install one with: sudo apt-get install -y gcc")
    asm = blob_path.with_suffix(".S")
    asm.write_text(_ASM.format(soname=soname, symbol=symbol, dat=blob_path.name),
                   encoding="ascii")
    subprocess.run([cc, "-shared", "-nostdlib", "-s", f"-Wl,-soname,{soname}",
                    "-Wl,-z,noexecstack", "-Wl,--hash-style=both", "-o", str(target),
                    asm.name], cwd=asm.parent, check=True)


# ---------------------------------------------------------------------------- check

_WORDS = ["Zung", "az", "Đặng", "ăn", "Dung", "An", "Ơn", "Ôn", "on", "Ư", "u", "đi", "Đi",
          "2 hồ sơ", "10 hồ sơ", "Nguyễn", "Nguyên", "Nguyện"]
_TEXT = "Ủy ban nhân dân xã Tân Phú, tỉnh Đồng Nai — hồ sơ số 000.00.01.H56-260902-0001."


def probe(libdir: str, version: str) -> dict:
    """What ICU in `libdir` answers to the calls Qt makes (run in a child process)."""
    from ctypes import POINTER, byref, c_char_p, c_int, c_int32, c_uint16, c_void_p

    sfx = f"_{version}"
    uc = ctypes.CDLL(os.path.join(libdir, f"libicuuc.so.{version}"), mode=ctypes.RTLD_GLOBAL)
    i18n = ctypes.CDLL(os.path.join(libdir, f"libicui18n.so.{version}"))

    def fn(lib, name, restype, *argtypes):  # noqa: ANN001, ANN202
        f = getattr(lib, name + sfx)
        f.restype, f.argtypes = restype, list(argtypes)
        return f

    UCharP = POINTER(c_uint16)  # noqa: N806
    ErrP = POINTER(c_int)  # noqa: N806

    def uchars(text: str):  # noqa: ANN202
        data = text.encode("utf-16-le")
        return (c_uint16 * (len(data) // 2 + 1)).from_buffer_copy(data + b"\0\0"), len(data) // 2

    def ustr(buf, n: int) -> str:  # noqa: ANN001
        return bytes(memoryview(buf).cast("B")[: 2 * n]).decode("utf-16-le")

    out: dict = {}
    status = c_int(0)
    fn(uc, "u_init", None, ErrP)(byref(status))
    out["u_init"] = status.value

    # Converters (QStringConverter): open by alias, canonical name, encode and decode.
    ucnv_open = fn(uc, "ucnv_open", c_void_p, c_char_p, ErrP)
    ucnv_close = fn(uc, "ucnv_close", None, c_void_p)
    ucnv_get_name = fn(uc, "ucnv_getName", c_char_p, c_void_p, ErrP)
    ucnv_from = fn(uc, "ucnv_fromUChars", c_int32, c_void_p, c_char_p, c_int32, UCharP, c_int32,
                   ErrP)
    ucnv_to = fn(uc, "ucnv_toUChars", c_int32, c_void_p, UCharP, c_int32, c_char_p, c_int32, ErrP)
    convs = {}
    for enc in ENCODINGS:
        status = c_int(0)
        cnv = ucnv_open(enc.encode(), byref(status))
        if status.value > 0 or not cnv:
            convs[enc] = {"status": status.value}
            continue
        entry = {"status": status.value, "name": ucnv_get_name(cnv, byref(c_int(0))).decode()}
        src, n = uchars("Việt Nam: Tiếng Việt, hồ sơ, ĐỒNG — €")
        buf = ctypes.create_string_buffer(256)
        st = c_int(0)
        length = ucnv_from(cnv, buf, 256, src, n, byref(st))
        entry["bytes"] = buf.raw[:length].hex()
        back = (c_uint16 * 256)()
        st2 = c_int(0)
        m = ucnv_to(cnv, back, 256, buf, length, byref(st2))
        entry["text"] = ustr(back, m)
        ucnv_close(cnv)
        convs[enc] = entry
    out["converters"] = convs
    out["available_converters"] = fn(uc, "ucnv_countAvailable", c_int32)()

    # Collation (QCollator): the collator's locale and the order of Vietnamese words.
    ucol_open = fn(i18n, "ucol_open", c_void_p, c_char_p, ErrP)
    ucol_close = fn(i18n, "ucol_close", None, c_void_p)
    ucol_strcoll = fn(i18n, "ucol_strcoll", c_int, c_void_p, UCharP, c_int32, UCharP, c_int32)
    ucol_locale = fn(i18n, "ucol_getLocaleByType", c_char_p, c_void_p, c_int, ErrP)
    ucol_set = fn(i18n, "ucol_setAttribute", None, c_void_p, c_int, c_int, ErrP)
    colls = {}
    for loc in ("vi_VN", "vi", "en_US", "en", "", "fr_FR", "zh_CN"):
        status = c_int(0)
        coll = ucol_open(loc.encode(), byref(status))
        entry = {"status": status.value}
        if coll:
            entry["valid"] = (ucol_locale(coll, 1, byref(c_int(0))) or b"").decode()
            numeric = c_int(0)
            ucol_set(coll, 7, 17, byref(numeric))  # UCOL_NUMERIC_COLLATION on (QCollator)
            entry["numeric"] = numeric.value

            def cmp(a: str, b: str, coll=coll) -> int:  # noqa: ANN001
                (ua, na), (ub, nb) = uchars(a), uchars(b)
                return ucol_strcoll(coll, ua, na, ub, nb)

            from functools import cmp_to_key
            entry["order"] = sorted(_WORDS, key=cmp_to_key(cmp))
            ucol_close(coll)
        colls[loc] = entry
    out["collation"] = colls

    # Case mapping (QLocale::toUpper / toLower).
    to_upper = fn(uc, "u_strToUpper", c_int32, UCharP, c_int32, UCharP, c_int32, c_char_p, ErrP)
    to_lower = fn(uc, "u_strToLower", c_int32, UCharP, c_int32, UCharP, c_int32, c_char_p, ErrP)
    case = {}
    for loc in ("vi", "en", "tr", ""):
        for name, f in (("upper", to_upper), ("lower", to_lower)):
            src, n = uchars("Đặng Thị Ướt — ǅ ß İı ΣΑΣ Ủy ban")
            dst = (c_uint16 * 128)()
            st = c_int(0)
            m = f(dst, 128, src, n, loc.encode(), byref(st))
            case[f"{loc}:{name}"] = [st.value, ustr(dst, m)]
    out["case"] = case

    # Time zones (QTimeZone): canonical ids, calendars, display names.
    canon = fn(i18n, "ucal_getCanonicalTimeZoneID", c_int32, UCharP, c_int32, UCharP, c_int32,
               POINTER(ctypes.c_byte), ErrP)
    ucal_open = fn(i18n, "ucal_open", c_void_p, UCharP, c_int32, c_char_p, c_int, ErrP)
    ucal_close = fn(i18n, "ucal_close", None, c_void_p)
    display = fn(i18n, "ucal_getTimeZoneDisplayName", c_int32, c_void_p, c_int, c_char_p,
                 UCharP, c_int32, ErrP)
    zones = {}
    for zone in ("Asia/Ho_Chi_Minh", "Asia/Saigon", "Asia/Bangkok", "Europe/Kyiv", "US/Eastern",
                 "UTC"):
        src, n = uchars(zone)
        dst = (c_uint16 * 128)()
        st = c_int(0)
        system = ctypes.c_byte(0)
        m = canon(src, n, dst, 128, byref(system), byref(st))
        entry = {"canonical": [st.value, ustr(dst, m), system.value]}
        for loc in ("vi_VN", "en_US"):
            st = c_int(0)
            cal = ucal_open(src, n, loc.encode(), 1, byref(st))  # UCAL_GREGORIAN
            names = [st.value]
            if cal:
                for kind in range(4):  # UCAL_STANDARD, SHORT_STANDARD, DST, SHORT_DST
                    st = c_int(0)
                    m = display(cal, kind, loc.encode(), dst, 128, byref(st))
                    names.append([st.value, ustr(dst, m)])
                ucal_close(cal)
            entry[loc] = names
        zones[zone] = entry
    out["zones"] = zones

    # Normalization (NFKC, .nrm data) and breaks (rules without dictionaries).
    nfkc = fn(uc, "unorm2_getNFKCInstance", c_void_p, ErrP)
    normalize = fn(uc, "unorm2_normalize", c_int32, c_void_p, UCharP, c_int32, UCharP, c_int32,
                   ErrP)
    st = c_int(0)
    norm = nfkc(byref(st))
    src, n = uchars("ﬁ ① Ｔｉếng Ｖiệt ㎏")
    dst = (c_uint16 * 128)()
    st2 = c_int(0)
    m = normalize(norm, src, n, dst, 128, byref(st2)) if norm else 0
    out["nfkc"] = [st.value, st2.value, ustr(dst, m)]
    ubrk_open = fn(uc, "ubrk_open", c_void_p, c_int, c_char_p, UCharP, c_int32, ErrP)
    ubrk_next = fn(uc, "ubrk_next", c_int32, c_void_p)
    ubrk_close = fn(uc, "ubrk_close", None, c_void_p)
    breaks = {}
    for kind, label in ((1, "word"), (2, "line"), (0, "character"), (3, "sentence")):
        src, n = uchars(_TEXT)
        st = c_int(0)
        brk = ubrk_open(kind, b"vi", src, n, byref(st))
        found = [st.value]
        if brk:
            while (pos := ubrk_next(brk)) != -1:
                found.append(pos)
            ubrk_close(brk)
        breaks[label] = found
    out["breaks"] = breaks
    return out


def run_probe(libdir: Path, version: str) -> dict:
    result = subprocess.run([sys.executable, __file__, str(libdir), "--probe", version],
                            capture_output=True, text=True, env={**os.environ, "LC_ALL": "C"})
    if result.returncode != 0:
        raise SystemExit(f"trim_icu: ICU probe failed in {libdir}:\n{result.stderr}")
    return json.loads(result.stdout)


def differences(full: dict, trimmed: dict) -> list[str]:
    """What the trimmed data answers differently from the full data, where it must not."""
    problems = []
    if trimmed["u_init"] != 0:
        problems.append(f"u_init: status {trimmed['u_init']} (expected U_ZERO_ERROR)")
    for enc in ENCODINGS:
        if trimmed["converters"][enc] != full["converters"][enc]:
            problems.append(f"converter {enc}: {trimmed['converters'][enc]} "
                            f"!= {full['converters'][enc]}")
    for loc, entry in trimmed["collation"].items():
        if loc in ("fr_FR", "zh_CN"):
            # Not kept: they open, on the root order (a warning, not an error).
            if entry["status"] > 0 or entry.get("order") != trimmed["collation"][""]["order"]:
                problems.append(f"collation {loc}: {entry}")
        elif entry != full["collation"][loc]:
            problems.append(f"collation {loc!r}: {entry} != {full['collation'][loc]}")
    for key in ("case", "zones", "nfkc", "breaks"):
        if trimmed[key] != full[key]:
            problems.append(f"{key}: {trimmed[key]} != {full[key]}")
    vi = trimmed["collation"]["vi_VN"]
    if vi.get("valid") != "vi" or vi["order"].index("az") > vi["order"].index("ăn"):
        problems.append(f"Vietnamese collation is not ICU's vi tailoring: {vi}")
    return problems


# ---------------------------------------------------------------------------- main


def trim(libdir: Path) -> int:
    libs = sorted(libdir.glob("libicudata.so.*"))
    if not libs:
        print(f"trim_icu: no libicudata in {libdir}; nothing to do")
        return 0
    lib = libs[0]
    match = re.fullmatch(r"libicudata\.so\.(\d+)", lib.name)
    if match is None or lib.is_symlink():
        raise SystemExit(f"trim_icu: unexpected {lib}")
    version = match.group(1)
    symbol = f"icudt{version}_dat"
    package = f"icudt{version}l"
    offset, size = elfinfo.symbol(lib, symbol)
    blob = lib.read_bytes()[offset:offset + size]
    if len(blob) <= TRIMMED_MAX:
        print(f"trim_icu: {lib.name} holds {len(blob) / 1e6:.1f} MB of data; already trimmed")
        return 0
    if toc(blob)[0][0].split("/")[0] != package:
        raise SystemExit(f"trim_icu: the data in {lib} is not package {package}")
    with tempfile.TemporaryDirectory(prefix="trim-icu-") as tmp:
        work = Path(tmp)
        trimmed = trim_blob(blob, package, work)
        dat = work / f"{package}.dat"
        dat.write_bytes(trimmed)
        new_dir, full_dir = work / "trimmed", work / "full"
        for d in (new_dir, full_dir):
            d.mkdir()
            for name in (f"libicuuc.so.{version}", f"libicui18n.so.{version}"):
                shutil.copy2(libdir / name, d / name)
        shutil.copy2(lib, full_dir / lib.name)
        build_library(dat, lib.name, symbol, new_dir / lib.name)
        offset2, size2 = elfinfo.symbol(new_dir / lib.name, symbol)
        if (new_dir / lib.name).read_bytes()[offset2:offset2 + size2] != trimmed:
            raise SystemExit("trim_icu: the new library does not hold the trimmed data")
        if offset2 % 16:
            raise SystemExit("trim_icu: the data is not 16-byte aligned")
        full, new = run_probe(full_dir, version), run_probe(new_dir, version)
        problems = differences(full, new)
        if problems:
            raise SystemExit("trim_icu: the trimmed data answers differently:\n  "
                             + "\n  ".join(problems))
        print(f"trim_icu: checked — u_init OK; vi collation {new['collation']['vi_VN']['order'][:6]}…; "
              f"{new['available_converters']} converters (was {full['available_converters']}); "
              f"time zones, case mapping, NFKC, breaks as with the full data")
        before = lib.stat().st_size
        staged = libdir / (lib.name + ".new")
        shutil.copy2(new_dir / lib.name, staged)
        os.chmod(staged, 0o755)
        os.replace(staged, lib)
        print(f"trim_icu: {lib} {before / 1e6:.1f} MB → {lib.stat().st_size / 1e6:.1f} MB")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("libdir", type=Path, help="the folder of libicudata.so.<N> "
                        "(dist/motcua/_internal/PySide6/Qt/lib)")
    parser.add_argument("--probe", metavar="VERSION", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        json.dump(probe(str(args.libdir), args.probe), sys.stdout, ensure_ascii=False)
        return 0
    return trim(args.libdir)


if __name__ == "__main__":
    sys.exit(main())
