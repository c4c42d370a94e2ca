"""Find an installed CJK font and set matplotlib up so Chinese never renders as boxes.

matplotlib falls back through ``font.family`` when that is a list, so the CJK family goes
in the list (seaborn's ``set_theme`` overwrites ``font.sans-serif``, so that is not used).
"""

from __future__ import annotations

import matplotlib
from matplotlib import font_manager

from leadroi.errors import FontMissingError

__all__ = ["CJK_FAMILIES", "find_cjk_font", "configure_matplotlib", "INSTALL_HINT"]

#: CJK families we look for, best first.
CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Micro Hei",
                "WenQuanYi Zen Hei", "PingFang SC", "Microsoft YaHei", "SimHei",
                "Noto Sans CJK JP")

INSTALL_HINT = ("Install a Chinese font: on Debian/Ubuntu `sudo apt-get install fonts-noto-cjk` "
                "(or fonts-wqy-microhei), on macOS/Windows one is already present; then "
                "delete matplotlib's font cache (`rm -rf ~/.cache/matplotlib`).")


def _installed() -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


def find_cjk_font(*, rescan: bool = True) -> str | None:
    """Name of the first installed family of :data:`CJK_FAMILIES`, or None.

    Parameters
    ----------
    rescan : bool
        If none is found in matplotlib's cached font list, rebuild the list once (a font
        installed after the cache was written is otherwise invisible).
    """
    names = _installed()
    for family in CJK_FAMILIES:
        if family in names:
            return family
    if rescan:
        font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
        return find_cjk_font(rescan=False)
    return None


def configure_matplotlib(lang: str = "en") -> str | None:
    """Point matplotlib at a CJK-capable font list; return the CJK family used.

    Parameters
    ----------
    lang : {"en", "zh"}
        In ``zh`` a missing CJK font is an error; in ``en`` the report still renders
        (Latin text only is expected) and None is returned.

    Raises
    ------
    FontMissingError
        ``lang == "zh"`` and no CJK font is installed.
    """
    family = find_cjk_font()
    if family is None and lang == "zh":
        raise FontMissingError("No Chinese (CJK) font is installed, so Chinese text would "
                               "render as empty boxes.", hint=INSTALL_HINT)
    fallback = ["DejaVu Sans"]
    matplotlib.rcParams["font.family"] = ([family] if family else []) + fallback
    matplotlib.rcParams["axes.unicode_minus"] = False
    matplotlib.rcParams["svg.fonttype"] = "path"
    # Labels come from CRM data: "$x^2$" in a channel name is text, never mathtext (which
    # would typeset it, or raise on "$\\undefined$").
    matplotlib.rcParams["text.parse_math"] = False
    return family
