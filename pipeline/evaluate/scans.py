"""Scans made of PDFs the way scanners make them, for `make evaluate` and the tests.

A clean render in grey is how the dev set's own scan was made; real scans arrive worse.
An office scanner feeds each sheet slightly turned (the direction alternates with the
feed), adds sensor noise, softens edges and saves JPEG; an archive scanned decades ago is
low-resolution JPEG too. Each profile is a record; the images are made with a seeded
random generator, so a scan is the same bytes on every machine and its OCR is cached.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class ScanProfile:
    name: str
    dpi: int = 200
    turn_degrees: tuple[float, float] = (0.0, 0.0)  # each page turned by an angle in this range, alternating sign
    noise_sigma: float = 0.0                          # Gaussian sensor noise, grey levels
    blur_px: float = 0.0                              # Gaussian blur radius, pixels
    jpeg_quality: int | None = None                   # None: Pillow's default (75): a PDF stores grey pages as JPEG
    seed: int = 0


SCAN_PROFILES = {p.name: p for p in (
    ScanProfile("clean"),  # grey at 200 dpi, as the dev set's OAS scan was made
    ScanProfile("office", turn_degrees=(0.4, 0.6), noise_sigma=25.0, blur_px=0.5, jpeg_quality=70),
    ScanProfile("archive", dpi=100, turn_degrees=(0.4, 0.4), noise_sigma=30.0, blur_px=0.5, jpeg_quality=60),
)}
DEFAULT_SCAN_PROFILE = "clean"


def page_image_to_scan(image, profile: ScanProfile, page_index: int):
    """One rendered page (PIL, grey) as ``profile``'s scanner gives it back."""
    import numpy as np
    from PIL import Image, ImageFilter

    rng = np.random.default_rng([profile.seed, page_index])
    low, high = profile.turn_degrees
    if high > 0:
        angle = float(rng.uniform(low, high)) * (1 if page_index % 2 == 0 else -1)
        image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    if profile.blur_px > 0:
        image = image.filter(ImageFilter.GaussianBlur(profile.blur_px))
    if profile.noise_sigma > 0:
        pixels = np.asarray(image, dtype=np.float32) + rng.normal(0.0, profile.noise_sigma, (image.height, image.width))
        image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return image


def made_scan(pdf: Path, target: Path, profile: ScanProfile | str = DEFAULT_SCAN_PROFILE) -> Path:
    """``pdf`` as an image-only PDF, each page rendered in grey at the profile's dpi and
    passed through its scanner (made once: an unchanged re-run keeps the file, so its OCR
    is cached)."""
    import pypdfium2 as pdfium

    profile = SCAN_PROFILES[profile] if isinstance(profile, str) else profile
    if target.exists() and target.stat().st_mtime >= pdf.stat().st_mtime:
        return target
    document = pdfium.PdfDocument(str(pdf))
    try:
        images = [page_image_to_scan(page.render(scale=profile.dpi / 72).to_pil().convert("L"), profile, i)
                  for i, page in enumerate(document)]
    finally:
        document.close()
    target.parent.mkdir(parents=True, exist_ok=True)
    quality = {} if profile.jpeg_quality is None else {"quality": profile.jpeg_quality}
    images[0].save(target, "PDF", resolution=profile.dpi, save_all=True, append_images=images[1:], **quality)
    return target
