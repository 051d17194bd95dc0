"""Labels: every key in both languages, the same placeholders, lookup by namespace (numbers and dates:
tests/text/test_format.py)."""

from __future__ import annotations

import re

import pytest

from epianalysis.text import labels
from epianalysis.text.labels import LANGUAGES, label, load_labels, placeholders

SEPARATORS = {"separator", "na_because"}  # texts that may start or end with a space ("… 2020-02-11 (because)")


def test_every_label_has_exactly_english_and_chinese():
    table = load_labels()
    assert len(table) > 20
    for key, entry in table.items():
        assert set(entry) == set(LANGUAGES), key
        for lang in LANGUAGES:
            value = entry[lang]
            assert value, (key, lang)
            if isinstance(value, str):
                assert value.strip() == value or key in SEPARATORS, (key, lang)


def test_format_tables_have_the_same_keys_in_both_languages():
    # the data of epianalysis.text.format: tables per language and plural units
    table = load_labels()
    for key in ("number_format", "separators"):
        assert set(table[key]["en"]) == set(table[key]["zh"]), key
    assert len(table["month_names"]["en"]) == len(table["month_names_full"]["zh"]) == 12
    units = [key for key in table if key.startswith("unit_")]
    assert units
    for key in units:
        for lang in LANGUAGES:
            forms = table[key][lang]
            forms = list(forms.values()) if isinstance(forms, dict) else [forms]
            assert all("{value}" in form for form in forms), (key, lang)
        if isinstance(table[key]["en"], dict):
            assert set(table[key]["en"]) == {"one", "other"}, key


def test_placeholders_match_between_languages():
    for key, entry in load_labels().items():
        if isinstance(entry["en"], str):
            assert placeholders(entry["en"]) == placeholders(entry["zh"]), key


def test_chinese_labels_contain_chinese():
    # Texts that must be translated (not copied from English) in the zh column.
    for key in (
        "synthetic",
        "source",
        "recovery.epidemic_curve_title",
        "recovery.discharge_rate_title",
        "recovery.local_cases",
        "recovery.imported_cases",
        "recovery.revision",
        "risk_red",
        "risk_unknown",
    ):
        assert any("\u4e00" <= ch <= "\u9fff" for ch in label(key, "zh", source="x")), key


def test_source_and_synthetic_labels():
    assert label("synthetic", "en") == "synthetic scenario"
    assert label("synthetic", "zh") == "合成情景数据"
    assert label("source", "en", source="JHU CSSE") == "Source: JHU CSSE"
    assert label("source", "zh", source="浙江省卫健委") == "来源：浙江省卫健委"


def test_unknown_key_and_language_are_errors():
    with pytest.raises(KeyError, match="no_such_label"):
        label("no_such_label", "en")
    with pytest.raises(ValueError, match="fr"):
        label("synthetic", "fr")
    with pytest.raises(KeyError, match="needs a value for source"):
        label("source", "en")


def test_each_topic_names_its_labels_by_its_folder():
    files = labels.label_files()
    assert files[""] == labels.LABELS_FILE and labels.LABELS_FILE.parent.name == "text"
    for namespace, path in files.items():
        if namespace:
            assert path.parent.name == namespace and path.name == "labels.toml"
    keys = labels.load_labels()
    assert "capacity.firms" in keys and "cap_firms" not in keys  # one name per topic, no private prefixes
    assert all(key.count(".") <= 1 for key in keys)


def test_a_table_is_not_a_text():
    with pytest.raises(KeyError, match="number_format"):
        label("number_format", "en")


# A file name or a section of the documentation is for the analyst, not for a chart or a page: no
# visible label names a source or rule file ("topics/control_index/rules.toml"), a folder of the
# project, the documentation ("docs/methods.md#discharge-rate") or a design note.
_INTERNAL = re.compile(
    r"\.(toml|py|ipynb|md|ya?ml)\b"  # source, rule and document files
    r"|\b(docs|topics|epianalysis|notebooks|scripts|tests)/"  # folders of the project
    r"|\bDESIGN\b"
    r"|\w#[a-z0-9][a-z0-9-]*"  # a document's section anchor ("methods.md#rt")
    r"|§"
)


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def test_no_visible_label_mentions_a_file_or_a_document_section():
    found = [
        (key, lang, text)
        for key, entry in load_labels().items()
        for lang in LANGUAGES
        for text in _texts(entry[lang])
        if _INTERNAL.search(text)
    ]
    assert found == []


@pytest.mark.parametrize(
    "text",
    [
        "Indicators are assumptions (topics/control_index/rules.toml)",
        "see docs/methods.md#discharge-rate",
        "as DESIGN says",
        "the scenario (epianalysis/scenario/cases.py)",
    ],
)
def test_the_check_finds_file_names_and_sections(text):
    assert _INTERNAL.search(text)
