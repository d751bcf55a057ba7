"""Images: dimensions are read from the header and bounded before any pixel is decoded, then the
image is re-encoded, which keeps the pixels only (no metadata, nothing appended after the image's
end, no second frame of an animation)."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

from .kinds import Kind
from .names import figure, pixels_label
from .policies import Refusal, UploadRefused

#: Pillow's own ceiling for every decode in the process (Wagtail renditions included): above it,
#: Pillow warns, and at twice it refuses. The gate's per-policy limit is checked before this one.
MAX_IMAGE_PIXELS = 40_000_000
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

PILLOW_FORMATS = {"PNG": Kind.PNG, "JPEG": Kind.JPEG, "WEBP": Kind.WEBP, "GIF": Kind.GIF}
_SAVE = {
    "PNG": ({"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"}, "RGBA", {"optimize": True}),
    "JPEG": ({"L", "RGB", "CMYK"}, "RGB", {"quality": 90}),
    "WEBP": ({"RGB", "RGBA"}, "RGBA", {"quality": 90}),
    "GIF": ({"P", "L"}, "P", {}),
}


RESIZE_ADVICE = "Réduisez-la puis réessayez."


def _too_large(*, max_pixels: int, advice: str, size: tuple[int, int] | None = None) -> Refusal:
    dimensions = f" ({figure(size[0])} × {figure(size[1])} pixels)" if size else ""
    return Refusal(f"cette image est trop grande{dimensions} : {pixels_label(max_pixels)} au plus. {advice}")


def image_size(
    content: bytes, *, max_pixels: int = MAX_IMAGE_PIXELS, advice: str = RESIZE_ADVICE
) -> tuple[str, int, int]:
    """(Pillow format, width, height), read from the header only; raises Refusal if unreadable or
    too large for Pillow to open (then the message gives `max_pixels` and `advice`)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                return image.format, *image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_large(max_pixels=max_pixels, advice=advice) from exc
    except Exception as exc:  # noqa: BLE001 — Pillow raises many kinds of errors on a damaged file
        raise Refusal("cette image est endommagée ou illisible : elle est refusée.") from exc


def _reencode(
    content: bytes,
    *,
    max_pixels: int,
    box: tuple[int, int] | None,
    fmt: str,
    advice: str = RESIZE_ADVICE,
) -> bytes:
    fmt = fmt.upper()
    if fmt not in _SAVE:
        raise ValueError(f"Unsupported output format {fmt}")
    _, width, height = image_size(content, max_pixels=max_pixels, advice=advice)
    if width * height > max_pixels:
        raise _too_large(max_pixels=max_pixels, advice=advice, size=(width, height))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                if box is not None:
                    image.thumbnail(box, Image.Resampling.LANCZOS)
                modes, fallback, options = _SAVE[fmt]
                if image.mode not in modes:
                    image = image.convert(fallback)
                output = io.BytesIO()
                image.save(output, format=fmt, **options)
    except Exception as exc:  # noqa: BLE001 — a file whose header passed but whose data is damaged
        raise Refusal("cette image est endommagée ou illisible : elle est refusée.") from exc
    return output.getvalue()


def image_reencode(
    content: bytes,
    *,
    max_pixels: int,
    box: tuple[int, int] | None,
    fmt: str = "PNG",
    advice: str = RESIZE_ADVICE,
) -> bytes:
    """The image re-encoded as `fmt` (pixels only: no metadata, nothing appended, first frame),
    fitted into `box` if given (aspect kept, never enlarged). Refuses (UploadRefused) an image
    above `max_pixels` before decoding it, its message ending with `advice`, or one Pillow cannot
    read."""
    try:
        return _reencode(content, max_pixels=max_pixels, box=box, fmt=fmt, advice=advice)
    except Refusal as refusal:
        raise UploadRefused(refusal.why[0].upper() + refusal.why[1:]) from refusal
