"""Both catalogues carry the same keys with the same placeholders."""

import re

import pytest

from leadroi.i18n import catalogue

_FIELD = re.compile(r"{(\w+)")


def test_same_keys():
    en, zh = catalogue("en"), catalogue("zh")
    assert set(en.strings) == set(zh.strings)


def test_each_file_has_a_twin(repo):
    folder = repo / "leadroi" / "locales"
    assert sorted(p.name for p in (folder / "en").glob("*.yaml")) == sorted(
        p.name for p in (folder / "zh").glob("*.yaml"))


def test_same_placeholders():
    en, zh = catalogue("en"), catalogue("zh")
    for key, text in en.strings.items():
        assert set(_FIELD.findall(str(text))) == set(_FIELD.findall(str(zh.strings[key]))), key


def test_zh_is_chinese():
    zh = catalogue("zh")
    for key in ("section.input", "section.output", "section.comparison",
                "section.recommendations", "section.appendix", "report.title"):
        assert re.search(r"[\u4e00-\u9fff]", zh(key)), key


def test_missing_key_is_loud():
    with pytest.raises(KeyError, match="no 'nope' in the en catalogue"):
        catalogue("en")("nope")
    assert catalogue("en").get("nope", "x") == "x"


def test_unknown_language():
    with pytest.raises(ValueError):
        catalogue("fr")


def test_every_used_key_exists(repo):
    """Literal keys used in the code exist in the catalogue."""
    en = catalogue("en")
    used = set()
    for path in (repo / "leadroi").rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_.]+)["']""", path.read_text()))
    missing = sorted(k for k in used if k not in en.strings)
    assert not missing, missing
