"""The registry's public-naming rule: how many counties a ranking names is data (``[ranking] named``)."""

from __future__ import annotations

import pytest

from epianalysis.errors import DataError
from epianalysis.topics.control_index.rules import REGISTRY_FILE, load_registry


def test_the_package_names_the_top_and_bottom_ten():
    assert load_registry().ranking_named == 10


@pytest.mark.parametrize(("value", "ok"), [("5", True), ("0", False), ("-1", False), ('"ten"', False), ("true", False)])
def test_named_must_be_a_positive_whole_number(tmp_path, value, ok):
    text = REGISTRY_FILE.read_text("utf-8").replace("[ranking]\nnamed = 10", f"[ranking]\nnamed = {value}")
    assert f"named = {value}" in text
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    if ok:
        assert load_registry(path).ranking_named == int(value)
    else:
        with pytest.raises(DataError, match="ranking.named"):
            load_registry(path)
