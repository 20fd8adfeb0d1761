"""Certificates checked as a person sees them: a PDF rasterised with poppler's pdftoppm, its text
read back with pdftotext, and the QR codes decoded from the page images with zxing-cpp."""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image


def rasterise(pdf: bytes, dpi: int) -> list[Image.Image]:
    """Each page as a greyscale image."""
    with tempfile.TemporaryDirectory(prefix="certificate-") as folder:
        source = Path(folder) / "certificate.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), f"{folder}/page"], check=True)
        pages = sorted(Path(folder).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        return [Image.open(page).convert("L") for page in pages]


def text_of(pdf: bytes) -> str:
    """The text in the order it is drawn (pdftotext -raw), so a wrapped cell reads as one."""
    with tempfile.TemporaryDirectory(prefix="certificate-") as folder:
        source = Path(folder) / "certificate.pdf"
        source.write_bytes(pdf)
        return subprocess.run(
            ["pdftotext", "-raw", str(source), "-"], check=True, capture_output=True, text=True
        ).stdout


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def qr_codes(page: Image.Image) -> list[str]:
    return [barcode.text for barcode in zxingcpp.read_barcodes(page)]


def ink_share(page: Image.Image) -> float:
    """The share of the page's pixels that are not (nearly) white."""
    histogram = page.histogram()
    return sum(histogram[:200]) / (page.width * page.height)
