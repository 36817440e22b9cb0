"""Generated papers for the digitisation tests and benchmark: text pages, blank pages."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = Path(__file__).resolve().parents[1] / "resources" / "fonts" / "NotoSerif-Regular.ttf"

LINES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "TỜ KHAI ĐĂNG KÝ KHAI SINH",
    "Kính gửi: Ủy ban nhân dân xã Tân Phú, tỉnh Đồng Nai",
    "Họ, chữ đệm, tên người yêu cầu: Nguyễn Văn An",
    "Nơi cư trú: thôn Phú Lợi, xã Tân Phú, tỉnh Đồng Nai",
    "Giấy tờ tùy thân: thẻ căn cước số 079123456789",
    "Quan hệ với người được khai sinh: cha",
    "Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
    "Họ, chữ đệm, tên: Nguyễn Thị Bình. Giới tính: nữ",
    "Ngày, tháng, năm sinh: 12 tháng 3 năm 2026",
    "Nơi sinh: Trạm y tế xã Tân Phú, tỉnh Đồng Nai",
    "Dân tộc: Kinh. Quốc tịch: Việt Nam",
    "Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật",
    "và chịu trách nhiệm trước pháp luật về cam đoan của mình.",
)


def text_page(dpi: int = 200, *, lines: int = 40, seed: int = 0, noise: float = 6.0,
              size_mm: tuple[float, float] = (210, 297), font_pt: float = 12) -> Image.Image:
    """A grey A4 page of Vietnamese text at `dpi`, with a little scanner noise."""
    w = round(size_mm[0] / 25.4 * dpi)
    h = round(size_mm[1] / 25.4 * dpi)
    img = Image.new("L", (w, h), 244)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), max(8, round(font_pt / 72 * dpi)))
    margin = round(25 / 25.4 * dpi)
    step = round(font_pt * 1.9 / 72 * dpi)
    rng = np.random.default_rng(seed)
    for i in range(lines):
        y = margin + i * step
        if y > h - margin:
            break
        text = LINES[(i + seed) % len(LINES)]
        draw.text((margin, y), text, fill=int(rng.integers(10, 40)), font=font)
    if noise:
        a = np.asarray(img, dtype=np.float32)
        a += rng.normal(0, noise, a.shape).astype(np.float32)
        img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
    img.info["dpi"] = (dpi, dpi)
    return img


def blank_page(dpi: int = 100, *, seed: int = 1) -> Image.Image:
    """An empty sheet: off-white paper, scanner noise and a few specks of dust."""
    w, h = round(8.27 * dpi), round(11.69 * dpi)
    rng = np.random.default_rng(seed)
    a = rng.normal(240, 5, (h, w))
    for _ in range(6):
        y, x = int(rng.integers(0, h - 3)), int(rng.integers(0, w - 3))
        a[y:y + 2, x:x + 2] = 60
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")
