"""The CJK font certificates are drawn with, found the same way on every machine.

Order: the file named by EDULEDGER_CERTIFICATE_FONT (exactly that one: a configured font that is
missing is an error, never silently replaced), else Debian's fonts-noto-cjk (Noto Serif CJK,
then Noto Sans CJK). In a collection (.ttc) the Simplified Chinese face ("… CJK SC") is used.

A full CJK font holds ~65,000 glyphs, and fpdf2 parses and subsets it for every PDF (fontTools
on the whole CFF table: most of a render's time). So the font is first cut down, once, to a
working set: GB 2312 (ASCII, punctuation and the 6,763 hanzi of everyday names and titles) plus
a few marks of names (·) and dates. The working set is kept in memory for the process and in
the cache directory across processes, keyed by the source file and the fontTools version.
A document with a character outside it is drawn from the full font (slower, same look).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import fontTools
from fontTools import subset as ftsubset
from fontTools import ttLib

from application.training.certificate_document import CertificateRenderingUnavailable

# fontTools reports each subsetting step at INFO, whole glyph lists included: not for our logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_VARIABLE = "EDULEDGER_CERTIFICATE_FONT"
DEBIAN_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
)
DEBIAN_PACKAGE = "fonts-noto-cjk"
# Characters every certificate prints; a font without them cannot draw one.
PROBE = "继续教育学时证书网培中心"
# Beyond GB 2312: the middle dot of minority names, dashes, and the zero of written dates.
EXTRA_CHARACTERS = "·•—–―‘’〇"
WORKING_SET_VERSION = "1"


@dataclass(frozen=True)
class CjkFont:
    path: Path
    face: int  # the font's number inside a collection (0 for a single font)
    name: str


def configured_font_path(environ: os._Environ[str] | dict[str, str] | None = None) -> Path | None:
    value = (os.environ if environ is None else environ).get(FONT_VARIABLE, "").strip()
    return Path(value) if value else None


def locate_cjk_font(configured: Path | None) -> CjkFont:
    """The font to draw certificates with; CertificateRenderingUnavailable when there is none."""
    if configured is not None:
        if not configured.is_file():
            raise CertificateRenderingUnavailable(f"{FONT_VARIABLE} 指定的字体文件不存在")
        font = _simplified_chinese_face(configured)
        if font is None:
            raise CertificateRenderingUnavailable(f"{FONT_VARIABLE} 指定的字体不含简体中文字形")
        return font
    for path in DEBIAN_FONTS:
        if path.is_file():
            font = _simplified_chinese_face(path)
            if font is not None:
                return font
    raise CertificateRenderingUnavailable(f"服务器未安装中文字体（Debian 软件包 {DEBIAN_PACKAGE}）")


def _simplified_chinese_face(path: Path) -> CjkFont | None:
    try:
        if path.suffix.lower() in (".ttc", ".otc"):
            faces = list(enumerate(ttLib.TTCollection(str(path), lazy=True).fonts))
        else:
            faces = [(0, ttLib.TTFont(str(path), lazy=True))]
    except Exception:  # an unreadable file is simply not a usable font
        return None
    usable = [(number, face) for number, face in faces if _draws(face, PROBE)]
    if not usable:
        return None
    number, face = next(((n, f) for n, f in usable if _family(f).endswith(" SC")), usable[0])
    return CjkFont(path=path, face=number, name=_family(face))


def _family(face: ttLib.TTFont) -> str:
    return str(face["name"].getDebugName(1) or "")


def _draws(face: ttLib.TTFont, text: str) -> bool:
    cmap = face.getBestCmap() or {}
    return all(ord(ch) in cmap for ch in text)


def working_set_characters() -> frozenset[int]:
    codes = {ord(ch) for ch in EXTRA_CHARACTERS}
    for code in range(0x20, 0x10000):
        try:
            chr(code).encode("gb2312")
        except UnicodeEncodeError:
            continue
        codes.add(code)
    return frozenset(codes)


class WorkingSets:
    """Working-set fonts, built once per source font and shared by every renderer in the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: dict[str, bytes] = {}

    def get(self, font: CjkFont, cache_dir: Path) -> Path | None:
        """The working set of the font (a single OpenType file), or None when it cannot be
        written to the cache directory (then certificates are drawn from the full font)."""
        key = self.key(font)
        path = cache_dir / f"certificate-font-{key}.otf"
        with self._lock:
            if not path.is_file():
                data = self._built.get(key)
                if data is None:
                    data = build_working_set(font)
                    self._built[key] = data
                try:
                    _write_atomically(path, data)
                except OSError:
                    return None
        return path

    @staticmethod
    def key(font: CjkFont) -> str:
        stat = font.path.stat()
        identity = "|".join(
            (str(font.path.resolve()), str(stat.st_size), str(stat.st_mtime_ns), str(font.face),
             fontTools.version, WORKING_SET_VERSION)
        )
        return hashlib.sha256(identity.encode()).hexdigest()[:16]


def build_working_set(font: CjkFont) -> bytes:
    """The source font cut down to the working-set characters, without subroutines (so that
    fpdf2's per-document subsetting has no subroutine pruning to do), as OpenType bytes."""
    face = ttLib.TTFont(str(font.path), fontNumber=font.face, lazy=True, recalcTimestamp=False)
    options = ftsubset.Options(
        notdef_outline=True, recommended_glyphs=True, layout_features=[], desubroutinize=True
    )
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "VORG", "vhea", "vmtx"]
    subsetter = ftsubset.Subsetter(options)
    subsetter.populate(unicodes=working_set_characters())
    subsetter.subset(face)
    out = io.BytesIO()
    face.save(out)
    return out.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".font-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


WORKING_SETS = WorkingSets()
