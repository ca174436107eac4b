"""Tesseract on one page image → words with boxes and confidences."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache

from pipeline.errors import OcrError, TesseractCrashed, TesseractMissing
from pipeline.records import Word


DEFAULT_TESSERACT_CMD = "tesseract"
OCR_ENGINES = ("auto", "api", "cli")  # see OcrSettings.engine


@dataclass(frozen=True, slots=True)
class OcrSettings:
    languages: str = "spa+eng"
    dpi: int = 200                # render resolution; on the 150 dpi seed scan 200 matched 300 dpi accuracy (CER 0.17%) in 70% of the time
    psm: int = 3                  # fully automatic page segmentation
    timeout_s: float = 180.0      # per page
    tesseract_cmd: str = DEFAULT_TESSERACT_CMD
    threads: int = 1              # OMP_THREAD_LIMIT: parallelism comes from pages, not threads
    # "api": tesseract's library through tesserocr, its language data loaded once per worker;
    # "cli": a tesseract process per page through pytesseract; "auto": the library when
    # tesserocr imports and tesseract_cmd is the default one (whose language data it reads),
    # else the command. On the 4 first pages of the seed scan the library took 9.5 s where the
    # command took 13.2 s (each page's process loaded spa+eng again and read a PNG written for it)
    engine: str = "auto"
    # a photographed or badly fed page is turned upright before OCR: on the dev phone photo
    # (1.5° skew) tesseract's segmentation read 2,772 of a page's 4,521 characters, 4,523 deskewed
    deskew: bool = True
    max_skew_degrees: float = 4.0  # angles searched, both ways
    min_skew_degrees: float = 0.3  # smaller skews are left alone (tesseract copes)
    # an image under min_dpi is upscaled to dpi before OCR: on a 100-dpi bilevel scan of
    # seed 004, tesseract's word error rate was 7.0% as is, 5.0% at 2× and 5.0% at 3×
    min_dpi: float = 150.0
    max_upscale: float = 3.0
    # a noisy low-resolution scan is smoothed after upscaling: on 100-dpi grey JPEG scans of
    # a seed page with sensor noise of sigma 30, tesseract's word error rate went from 7.1%
    # to 4.1% with a 1-px Gaussian blur at 2x (no change on a clean or bilevel scan, which
    # is why it waits for measured noise)
    denoise_min_noise: float = 5.0
    denoise_radius: float = 1.0  # pixels at 2x


DEFAULT_PAGE_WIDTH_INCHES = 8.5  # an image without a resolution is taken for a page this wide


def image_resolution(image) -> float:
    """The image's dots per inch: as it records it, else as if it were a whole page."""
    dpi = image.info.get("dpi")
    if dpi and float(dpi[0]) > 1:
        return float(dpi[0])
    return image.width / DEFAULT_PAGE_WIDTH_INCHES


def one_channel_if_grey(image):
    """An RGB image whose three channels are equal (a grey scan, as PDFium renders it) as
    one grey channel: the same pixel values, a third of the bytes for every step after it.
    tesseract thresholds each channel of a colour image on its own and reads a grey copy
    (equal channels: the same thresholds, the same grey), so its words are the same, in
    about a fifth less time (seed scan, page 2: 2.1 s where RGB took 2.5-2.7 s). A colour
    image (a phone photo) is returned as it is."""
    import numpy as np

    if image.mode != "RGB":
        return image
    pixels = np.asarray(image)
    if not ((pixels[..., 0] == pixels[..., 1]).all() and (pixels[..., 1] == pixels[..., 2]).all()):
        return image
    return image.convert("L")  # (its info, the resolution, comes along)


def upscaled(image, resolution: float, settings: OcrSettings):
    """(the image, its resolution), scaled up to ``settings.dpi`` when under ``min_dpi``."""
    from PIL import Image, ImageFilter

    if resolution >= settings.min_dpi:
        return image, resolution
    factor = min(settings.dpi / resolution, settings.max_upscale)
    size = (round(image.width * factor), round(image.height * factor))
    grey = image.convert("L")
    bigger = grey.resize(size, Image.LANCZOS)
    if paper_noise(grey) >= settings.denoise_min_noise:
        bigger = bigger.filter(ImageFilter.GaussianBlur(settings.denoise_radius * factor / 2))
    return bigger, resolution * factor


def paper_noise(image) -> float:
    """The spread of the paper's grey levels (a robust standard deviation: most of a page
    is paper, so the median absolute deviation of all its pixels is the paper's). 0 on a
    clean render or a bilevel scan; about the sensor noise's sigma on a noisy scan."""
    import numpy as np

    pixels = np.asarray(image.convert("L"), dtype=np.float32)
    return float(1.4826 * np.median(np.abs(pixels - np.median(pixels))))


INSTALL_TESSERACT = "install tesseract-ocr"  # what a reader of a missing tesseract's error row is told to do


def not_a_tesseract(cmd: str) -> str | None:
    """Why ``cmd`` is no working tesseract (missing, or its --version names no tesseract), or None."""
    import subprocess

    try:
        answer = subprocess.run([cmd, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return f"tesseract not found ({cmd}); {INSTALL_TESSERACT}"
    if "tesseract" not in (answer.stdout + answer.stderr).lower():
        return f"{cmd} does not report a tesseract version: is it tesseract? ({INSTALL_TESSERACT})"
    return None


def image_to_words(image, settings: OcrSettings) -> list[Word]:
    """OCR one PIL image; words in tesseract's reading order, keyed by (block, par, line)."""
    # Why: tesseract's OpenMP threads fight each other and the page-level pool
    # (measured 14 s/page threaded vs 2.6 s/page single-threaded on 2 cores).
    os.environ["OMP_THREAD_LIMIT"] = str(settings.threads)
    api = tesseract_api(settings)
    if api is not None:
        return tsv_dict_to_words(api_image_to_data(api, image, settings))
    if settings.engine == "api":
        raise OcrError("tesserocr (tesseract's library) is not installed or finds no language data; "
                       "use the engine 'cli' or 'auto'")
    return tsv_dict_to_words(cli_image_to_data(image, settings))


def cli_image_to_data(image, settings: OcrSettings) -> dict:
    """pytesseract's image_to_data dict, from a tesseract process."""
    import pytesseract

    pytesseract.pytesseract.tesseract_cmd = settings.tesseract_cmd
    try:
        return pytesseract.image_to_data(
            image,
            lang=settings.languages,
            config=f"--psm {settings.psm}",
            output_type=pytesseract.Output.DICT,
            timeout=settings.timeout_s,
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise TesseractMissing(f"tesseract not found ({settings.tesseract_cmd}); {INSTALL_TESSERACT}") from exc
    except (pytesseract.TesseractError, RuntimeError, OSError) as exc:
        if (problem := not_a_tesseract(settings.tesseract_cmd)) is not None:
            raise TesseractMissing(problem) from exc  # (pytesseract may have cached a real one's version)
        if isinstance(exc, pytesseract.TesseractError) and isinstance(exc.status, int) and exc.status < 0:
            raise TesseractCrashed.by_signal(-exc.status, str(exc.message).strip()) from exc  # killed by a signal
        raise OcrError(f"tesseract failed: {str(exc).strip()[:200]}") from exc
    except SystemExit as exc:  # pytesseract exits the process when `tesseract --version` is no version
        raise TesseractMissing(f"{settings.tesseract_cmd} on PATH does not report a tesseract version: "
                               f"is it tesseract? ({INSTALL_TESSERACT})") from exc


TSV_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num",
               "left", "top", "width", "height", "conf", "text")


@lru_cache(maxsize=4)
def tessdata_folder(cmd: str) -> str | None:
    """The folder of the language data ``cmd`` reads ($TESSDATA_PREFIX, else what
    ``tesseract --list-langs`` names), so that the library reads the same files."""
    import subprocess

    if os.environ.get("TESSDATA_PREFIX"):
        return os.environ["TESSDATA_PREFIX"]
    try:
        answer = subprocess.run([cmd, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r'"([^"]+)"', answer.stdout + answer.stderr)
    return found.group(1) if found else None


@lru_cache(maxsize=2)
def _api(tessdata: str, languages: str, psm: int):
    import tesserocr

    return tesserocr.PyTessBaseAPI(path=tessdata, lang=languages, psm=psm)


def tesseract_api(settings: OcrSettings):
    """The process's tesserocr API for these settings (built once: the language data is
    loaded once per worker), or None when the command is to be used: engine 'cli', a
    tesseract_cmd other than the default, tesserocr not installed, or no language data
    (then the command reports what is missing, as before)."""
    if settings.engine == "cli" or settings.engine == "auto" and settings.tesseract_cmd != DEFAULT_TESSERACT_CMD:
        return None
    tessdata = tessdata_folder(settings.tesseract_cmd)
    if tessdata is None:
        return None
    try:
        return _api(tessdata, settings.languages, settings.psm)
    except (ImportError, RuntimeError):  # tesserocr not installed; the languages' data not in that folder
        return None


def api_image_to_data(api, image, settings: OcrSettings) -> dict:
    """The dict pytesseract's image_to_data gives, from the library: the same TSV columns.
    The image's resolution is what the command would read from the PNG pytesseract writes
    (none: tesseract estimates it from the text, as the command does)."""
    api.SetImage(image)
    dpi = image.info.get("dpi")
    api.SetSourceResolution(int(round(float(dpi[0]))) if dpi and float(dpi[0]) > 1 else 0)
    if not api.Recognize(max(1, int(settings.timeout_s * 1000))):  # milliseconds; 0 would be none
        api.Clear()
        raise OcrError(f"tesseract gave up on the page (over {settings.timeout_s:.0f} s, or it failed)")
    tsv = api.GetTSVText(0)
    api.Clear()
    data: dict[str, list] = {column: [] for column in TSV_COLUMNS}
    for line in tsv.splitlines():
        values = line.split("\t")
        if len(values) < len(TSV_COLUMNS):
            values += [""] * (len(TSV_COLUMNS) - len(values))
        for column, value in zip(TSV_COLUMNS, values):
            data[column].append(value)
    return data


SKEW_STEP_DEGREES = 0.25
SKEW_SEARCH_WIDTH = 500  # px: the angle is searched on a copy this wide


def skew_angle(image, max_degrees: float = 4.0) -> float | None:
    """The rotation (degrees, counter-clockwise) that makes the page's text lines horizontal:
    the angle whose row profile of dark pixels is sharpest (text lines and the gaps between
    them make the sharpest profile when level), searched on a small binarised copy. None when
    no angle stands out (a blank page: every profile is flat)."""
    import numpy as np
    from PIL import Image

    small = image.convert("L")
    small = small.resize((SKEW_SEARCH_WIDTH, max(1, round(small.height * SKEW_SEARCH_WIDTH / small.width))))
    pixels = np.asarray(small)
    dark = Image.fromarray(((pixels < min(128, pixels.mean() - 30)) * 255).astype("uint8"))
    best, best_score, worst_score = 0.0, -1.0, float("inf")
    steps = int(max_degrees / SKEW_STEP_DEGREES)
    for k in range(-steps, steps + 1):
        angle = k * SKEW_STEP_DEGREES
        profile = (np.asarray(dark.rotate(angle, fillcolor=0)) > 0).sum(axis=1).astype(float)
        score = float(((profile[1:] - profile[:-1]) ** 2).sum())
        worst_score = min(worst_score, score)
        if score > best_score:
            best, best_score = angle, score
    return None if best_score <= worst_score else best


def deskewed(image, settings: OcrSettings):
    """(the image turned upright, the angle turned); the image itself when its skew is
    below ``min_skew_degrees``, and (image, None) when no skew can be measured (a blank page)."""
    from PIL import Image

    if not settings.deskew:
        return image, 0.0
    angle = skew_angle(image, settings.max_skew_degrees)
    if angle is None:
        return image, None
    if abs(angle) < settings.min_skew_degrees:
        return image, 0.0
    # expand: the turned corners stay on the canvas (a last line near the bottom edge is not cut)
    # a grey or bilevel page is turned as one grey channel (the values an RGB copy would get)
    mode = "L" if image.mode in ("1", "L") else "RGB"
    return image.convert(mode).rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor="white"), angle


def tsv_dict_to_words(data: dict) -> list[Word]:
    """pytesseract's image_to_data dict → words (empty and non-word rows dropped)."""
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        left, top = float(data["left"][i]), float(data["top"][i])
        words.append(
            Word(
                text=text,
                x0=left,
                x1=left + float(data["width"][i]),
                top=top,
                bottom=top + float(data["height"][i]),
                conf=conf,
                line_key=(int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i])),
            )
        )
    return words


def mean_confidence(words: list[Word]) -> float | None:
    confs = [w.conf for w in words if w.conf is not None]
    return round(sum(confs) / len(confs), 2) if confs else None
