"""Charts kept by content (epianalysis.briefing.chart_cache): a chart drawn once from the same inputs is
given back byte for byte, anything that changes the chart changes the key, a damaged entry is a miss."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import zipfile

import pandas as pd
import pytest
from matplotlib.figure import Figure

from epianalysis.briefing import chart_cache
from epianalysis.charts import export
from epianalysis.data import cache

DRAWN: list[str] = []


def bars(table: pd.DataFrame, lang: str = "en", subtitle: str = "", size: str = "wide") -> Figure:
    """A small chart with a title and subtitle, counting its drawings in DRAWN."""
    DRAWN.append(size)
    fig = Figure(figsize=(4, 4) if size == "square" else (6, 3))
    ax = fig.add_subplot()
    ax.bar(table["county"], table["cases"])
    fig.text(0.01, 0.97, f"Cases ({lang})", gid="title")
    fig.text(0.01, 0.92, subtitle, gid="subtitle")
    return fig


def table(cases=(3, 1, 4)) -> pd.DataFrame:
    # strings built at run time: equal to the literals, but other objects
    return pd.DataFrame({"county": ["".join(["Yi", "wu"]), "Shangcheng", "Lin'an"], "cases": list(cases)})


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("EPIANALYSIS_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    DRAWN.clear()


def key(*args, **kwargs) -> str | None:
    return chart_cache.chart_key(bars, args, kwargs, [".png"])


def test_equal_content_gives_the_same_key_whatever_objects_hold_it():
    a, b = table(), pd.DataFrame({"county": ["Yiwu", "Shangcheng", "Lin'an"], "cases": [3, 1, 4]})
    assert a["county"][0] is not b["county"][0]
    assert key(a, lang="en") == key(b, lang="en") is not None
    assert key({"x", "y", "z"}) == key({"z", "y", "x"})


@pytest.mark.parametrize(
    "other",
    [
        table(cases=(3, 1, 5)),  # a value
        table().astype({"cases": "float64"}),  # a dtype
        table().rename(columns={"cases": "deaths"}),  # a column name
        table().set_axis([1, 2, 3]),  # the index
        table().iloc[::-1],  # the order of rows
    ],
)
def test_a_changed_table_changes_the_key(other):
    assert key(other) != key(table())


def test_attrs_language_and_options_change_the_key():
    tagged = table()
    tagged.attrs["as_of"] = "2020-03-01"
    assert key(tagged) != key(table())
    assert key(table(), lang="zh") != key(table(), lang="en")
    assert key(table(), subtitle="No new case") != key(table(), subtitle="")
    assert chart_cache.chart_key(bars, [table()], {}, [".png", ".svg"]) != key(table())

    @dataclasses.dataclass
    class View:
        table: pd.DataFrame
        target: float

    assert key(View(table(), 0.9)) == key(View(table(), 0.9)) != key(View(table(), 0.8))


def test_an_argument_without_content_gives_no_key(tmp_path):
    with open(tmp_path / "f.txt", "w") as handle:
        assert key(table(), handle) is None
    assert key(table(), iter([1, 2])) is None


def test_a_kept_drawing_is_not_drawn_again_and_gives_the_same_bytes(monkeypatch):
    first = chart_cache.draw(bars, [table()], {"lang": "zh"}, ("png", "svg", "pdf"), square=True)
    assert DRAWN == ["wide", "square"] and first.figure is not None
    again = chart_cache.draw(bars, [table()], {"lang": "zh"}, ("png", "svg", "pdf"), square=True)
    assert DRAWN == ["wide", "square"], "drawn again"
    assert again.figure is None
    assert again.files == first.files and set(again.files) == {".png", ".svg", ".pdf", "_square.png"}
    assert again.texts == {"title": "Cases (zh)", "subtitle": ""} == first.texts
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    fresh = chart_cache.draw(bars, [table()], {"lang": "zh"}, ("png", "svg", "pdf"), square=True)
    assert DRAWN == ["wide", "square"] * 2
    assert fresh.files == again.files


def test_a_kept_figure_shows_in_a_notebook_as_the_drawn_figure():
    drawn = chart_cache.draw(bars, [table()], {}, ("png",))
    kept = chart_cache.draw(bars, [table()], {}, ("png",))
    shown = kept.shown(lambda: bars(table()))
    assert repr(shown) == repr(drawn.figure) == "<Figure size 600x300 with 1 Axes>"
    assert shown._repr_png_() == export.png_bytes(drawn.figure)
    assert isinstance(shown.figure(), Figure)
    assert drawn.shown(lambda: bars(table())) is drawn.figure


def test_no_cache_draws_every_time(monkeypatch):
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    for _ in range(2):
        chart_cache.draw(bars, [table()], {}, ("png",))
    assert DRAWN == ["wide", "wide"]
    assert not (chart_cache.kept_file("x").parent).exists()


@pytest.mark.parametrize("damage", ["truncate", "member", "foreign"])
def test_a_damaged_entry_is_a_miss_and_is_replaced(damage):
    drawn = chart_cache.draw(bars, [table()], {}, ("png", "svg"))
    path = chart_cache.kept_file(chart_cache.chart_key(bars, [table()], {}, [".png", ".svg"]))
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "member":  # a file's bytes changed, its zip entry rewritten to match
        with zipfile.ZipFile(path) as archive:
            members = {name: archive.read(name) for name in archive.namelist()}
        members["file.svg"] = members["file.svg"].replace(b"<svg", b"<svg data-x='1'", 1)
        with zipfile.ZipFile(path, "w") as archive:
            for name, member in members.items():
                archive.writestr(name, member)
    else:  # another chart's entry under this name
        other = chart_cache.draw(bars, [table(cases=(9, 9, 9))], {}, ("png", "svg"))
        assert other.files != drawn.files
        other_key = chart_cache.chart_key(bars, [table(cases=(9, 9, 9))], {}, [".png", ".svg"])
        path.write_bytes(chart_cache.kept_file(other_key).read_bytes())
    DRAWN.clear()
    again = chart_cache.draw(bars, [table()], {}, ("png", "svg"))
    assert DRAWN == ["wide"], "a damaged entry must be drawn again"
    assert again.files == drawn.files
    assert chart_cache.read(path.stem).files == drawn.files  # replaced by a whole entry


def test_prune_removes_the_entries_used_longest_ago(tmp_path):
    folder = chart_cache.kept_file("x").parent
    folder.mkdir(parents=True)
    for age, name in enumerate(["new", "middle", "old"]):
        path = folder / f"{name}.zip"
        path.write_bytes(b"x" * 1000)
        os.utime(path, ns=(10**18 - age * 10**12, 10**18 - age * 10**12))
    (folder / "notes.txt").write_bytes(b"y" * 5000)  # not ours to remove
    removed = chart_cache.prune(limit=2000)
    assert [p.name for p in removed] == ["old.zip"]
    assert sorted(p.name for p in folder.iterdir()) == ["middle.zip", "new.zip", "notes.txt"]
    assert chart_cache.prune(limit=10**6) == []


def test_reading_an_entry_marks_it_used(tmp_path):
    chart_cache.draw(bars, [table()], {}, ("png",))
    path = chart_cache.kept_file(key(table()))
    os.utime(path, ns=(10**9, 10**9))
    assert chart_cache.read(path.stem) is not None
    assert path.stat().st_mtime_ns > 10**9


def test_the_size_limit_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv(chart_cache.LIMIT_ENV, "1.5")
    assert chart_cache.limit_bytes() == int(1.5 * 1024 * 1024)
    monkeypatch.setenv(chart_cache.LIMIT_ENV, "lots")
    with pytest.raises(ValueError, match="EPIANALYSIS_CHART_CACHE_MB='lots' is not a number"):
        chart_cache.limit_bytes()


def test_kept_bytes_are_checked():
    drawn = chart_cache.draw(bars, [table()], {}, ("png",))
    path = chart_cache.kept_file(key(table()))
    with zipfile.ZipFile(path) as archive:
        meta = archive.read("meta.json")
    assert hashlib.sha256(drawn.files[".png"]).hexdigest().encode() in meta


def test_making_a_key_leaves_matplotlib_settings_as_they_were():
    import matplotlib

    with matplotlib.rc_context({"font.family": ["serif"], "font.size": 7.0}):
        before = dict(matplotlib.rcParams)
        assert key(table()) is not None
        assert dict(matplotlib.rcParams) == before
        changed = key(table())
    assert changed != key(table())  # the settings in effect are part of the key


def test_a_cache_that_cannot_be_written_only_means_drawing_again(monkeypatch, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("EPIANALYSIS_CACHE_DIR", str(blocked))
    for _ in range(2):
        drawn = chart_cache.draw(bars, [table()], {}, ("png",))
        assert drawn.figure is not None and drawn.files[".png"].startswith(b"\x89PNG")
    assert DRAWN == ["wide", "wide"]
    assert chart_cache.prune(limit=0) == []
