"""Health-code colour rules (as data) and the replay of a person's declarations and check-ins.

The rules live in ``rules.toml`` beside this module (docs/methods.md#colour-rules): green passes; yellow means up
to 7 days of quarantine and turns green after 7 consecutive normal daily check-ins; red means 14 days
of quarantine and turns green after 14. Red or yellow comes from contact with a confirmed or suspected
case, arrival from a key epidemic area, or symptoms. Source: Zhejiang provincial press conferences of
2020-02-11 and 2020-02-18 (14.989 M codes issued by 2020-02-17, 94.7 % green).

:func:`replay_colours` turns a person-level event log into each person's colour per day, so that a rule
change (:meth:`HealthCodeRules.replace`) can be tested on past data.

Event log (input of :func:`replay_colours`), one row per event:

- ``person_id`` (int), ``date`` (day), ``event`` in {``declare``, ``checkin``};
- ``detail``: for ``declare`` one of ``contact``, ``arrival``, ``symptoms``, ``none``; for ``checkin``
  one of ``normal``, ``abnormal``, ``missed``. A day without a check-in row is a missed check-in.

Output (the ``health_code_log`` contract without ``region_code``): ``person_id``, ``date``, ``colour``
in {green, yellow, red}, ``reason`` (contact, arrival, symptoms, checkin, released, or missing for a
green code that was never non-green or was released on an earlier day).
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from epianalysis.errors import DataError, Violation

RULES_FILE = Path(__file__).resolve().parent / "rules.toml"
#: Colours of the contract, from least to most severe (the severity is the index).
COLOURS = ("green", "yellow", "red")
#: Reasons of the contract; a reason's code in the replay is its index here (-1 = missing).
REASONS = ("contact", "arrival", "symptoms", "checkin", "released")
DECLARE_DETAILS = ("contact", "arrival", "symptoms", "none")
CHECKIN_DETAILS = ("normal", "abnormal", "missed")
_MISSED, _NORMAL, _ABNORMAL = 0, 1, 2
_CHECKIN_CODE = {"missed": _MISSED, "normal": _NORMAL, "abnormal": _ABNORMAL}


@dataclass(frozen=True)
class HealthCodeRules:
    """One version of the colour rules (see ``topics/health_codes/rules.toml`` for the meaning of each field)."""

    name: str
    version: str
    citation: str
    checkins_to_green: dict[str, int]
    triggers: dict[str, str]
    abnormal_gives: str
    missed_restarts: bool = True
    abnormal_restarts: bool = True
    count_from_next_day: bool = True
    restart_on_new_trigger: bool = True

    def replace(self, **changes) -> HealthCodeRules:
        """A copy with some fields changed (e.g. ``checkins_to_green={"yellow": 5, ...}``)."""
        rules = dataclasses.replace(self, **changes)
        _check_rules(rules, "HealthCodeRules.replace")
        return rules


def _check_rules(rules: HealthCodeRules, source: str) -> None:
    problems = []
    if set(rules.checkins_to_green) != set(COLOURS):
        problems.append(
            Violation(source, None, "colours", "colours_are_green_yellow_red", ",".join(rules.checkins_to_green))
        )
    for colour, days in rules.checkins_to_green.items():
        if not isinstance(days, int) or days < 0 or (colour == "green") != (days == 0):
            problems.append(
                Violation(
                    source,
                    None,
                    f"colours.{colour}.checkins_to_green",
                    "positive_for_yellow_red_zero_for_green",
                    str(days),
                )
            )
    if set(rules.triggers) != set(DECLARE_DETAILS):
        problems.append(
            Violation(source, None, "triggers", "one_colour_per_declaration_detail", ",".join(rules.triggers))
        )
    for detail, colour in rules.triggers.items():
        if colour not in COLOURS or (detail == "none") != (colour == "green"):
            problems.append(Violation(source, None, f"triggers.{detail}", "known_colour", str(colour)))
    if rules.abnormal_gives not in COLOURS:
        problems.append(Violation(source, None, "checkin.abnormal_gives", "known_colour", str(rules.abnormal_gives)))
    if problems:
        raise DataError(f"invalid health-code rules in {source}", problems)


def load_rules(path: str | Path | None = None) -> HealthCodeRules:
    """Read the colour rules from TOML (default: the package's ``topics/health_codes/rules.toml``).

    Raises
    ------
    DataError
        When a colour, trigger or count is missing or invalid (file and key named).
    """
    path = Path(path) if path is not None else RULES_FILE
    raw = tomllib.loads(path.read_text("utf-8"))
    checkin = raw.get("checkin", {})
    rules = HealthCodeRules(
        name=str(raw.get("name", "")),
        version=str(raw.get("version", "")),
        citation=str(raw.get("citation", "")),
        checkins_to_green={c["name"]: c["checkins_to_green"] for c in raw.get("colours", [])},
        triggers=dict(raw.get("triggers", {})),
        abnormal_gives=checkin.get("abnormal_gives", ""),
        missed_restarts=bool(checkin.get("missed_restarts", True)),
        abnormal_restarts=bool(checkin.get("abnormal_restarts", True)),
        count_from_next_day=bool(checkin.get("count_from_next_day", True)),
        restart_on_new_trigger=bool(raw.get("declarations", {}).get("restart_on_new_trigger", True)),
    )
    _check_rules(rules, path.name)
    return rules


def _validated_events(events: pd.DataFrame, source: str) -> pd.DataFrame:
    missing = [c for c in ("person_id", "date", "event", "detail") if c not in events.columns]
    if missing:
        raise DataError(f"{source}: missing columns", [Violation(source, None, c, "column_present") for c in missing])
    frame = events[["person_id", "date", "event", "detail"]].copy()
    frame["row"] = np.arange(1, len(frame) + 1)
    problems: list[Violation] = []
    dates = pd.to_datetime(frame["date"], errors="coerce")
    for row, value in zip(frame.loc[dates.isna(), "row"], frame.loc[dates.isna(), "date"]):
        problems.append(Violation(source, int(row), "date", "iso_date", str(value)))
    frame["date"] = dates.dt.normalize()
    bad_pid = frame["person_id"].isna()
    for row in frame.loc[bad_pid, "row"]:
        problems.append(Violation(source, int(row), "person_id", "not_null"))
    event = frame["event"].astype("string")
    detail = frame["detail"].astype("string")
    is_declare, is_checkin = event == "declare", event == "checkin"
    bad_event = ~(is_declare | is_checkin).fillna(False)
    bad_detail = ~bad_event & ~(
        (is_declare & detail.isin(DECLARE_DETAILS)) | (is_checkin & detail.isin(CHECKIN_DETAILS))
    ).fillna(False)
    for mask, column, rule, values in (
        (bad_event, "event", "allowed_values(declare, checkin)", event),
        (bad_detail, "detail", "allowed_detail_for_event", detail),
    ):
        for row, value in zip(frame.loc[mask, "row"], values[mask]):
            problems.append(Violation(source, int(row), column, rule, "" if pd.isna(value) else str(value)))
    checkins = frame[is_checkin.fillna(False)]
    dup = checkins.duplicated(["person_id", "date"], keep="first")
    for row, pid in zip(checkins.loc[dup, "row"], checkins.loc[dup, "person_id"]):
        problems.append(Violation(source, int(row), "person_id", "unique_checkin(person_id, date)", str(pid)))
    if problems:
        raise DataError(f"{source}: invalid health-code events", problems)
    frame["person_id"] = frame["person_id"].astype("int64")
    frame["event"], frame["detail"] = event, detail
    return frame


def replay_colours(
    events: pd.DataFrame,
    rules: HealthCodeRules | None = None,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
    source: str = "events",
) -> pd.DataFrame:
    """Replay declarations and daily check-ins into each person's colour per day.

    A person holds a code from the day of their first declaration. On each day, declarations are
    applied first, then the check-in:

    1. a declaration gives ``rules.triggers[detail]``; the colour held is the more severe of the
       current and the trigger's (red overrides yellow; ``none`` never lowers a colour); the reason
       is the trigger's when the colour is raised. A risk declaration resets the count of
       consecutive normal check-ins (also without raising the colour when
       ``restart_on_new_trigger``);
    2. an abnormal check-in gives ``rules.abnormal_gives`` (reason ``checkin``) when more severe,
       and resets the count (``abnormal_restarts``); a missed check-in (a ``missed`` row or no row)
       resets the count of a yellow or red holder (``missed_restarts``); a normal check-in adds 1.
       With ``count_from_next_day``, check-ins on the day a colour was given or reset do not count;
    3. a yellow or red holder whose count reaches ``checkins_to_green`` (yellow 7, red 14) is green
       that day with reason ``released``; later green days have no reason.

    So a yellow given on day D with normal check-ins from D+1 is yellow on D..D+6 and green on D+7.
    Check-ins before a person's first declaration change nothing (no code is held yet): a person with
    check-ins only has no output rows.

    Vectorised over persons: one pass over the days, each day a handful of array operations.

    Parameters
    ----------
    events : pandas.DataFrame
        ``person_id``, ``date``, ``event`` (declare / checkin), ``detail`` (see the module docstring).
    rules : HealthCodeRules, optional
        Default: :func:`load_rules` (the package's TOML).
    start, end : date-like, optional
        Days to output (inclusive). Events before ``start`` still set the state; events after ``end``
        are not needed. Defaults: the first and last event dates.
    source : str
        Name of the events' file or table, used in error messages.

    Returns
    -------
    pandas.DataFrame
        ``person_id`` (int64), ``date``, ``colour``, ``reason`` (nullable), sorted by person and date;
        one row per person and day from the person's first declaration (or ``start``) to ``end``.

    Raises
    ------
    DataError
        Unknown events or details, missing dates or person ids, two check-in rows of one person on
        one day (file, row, column and rule named).
    """
    rules = rules if rules is not None else load_rules()
    frame = _validated_events(events, source)
    columns = {"person_id": "int64", "date": "datetime64[ns]", "colour": "str", "reason": "str"}
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})
    first_day = frame["date"].min()
    start = pd.Timestamp(start) if start is not None else first_day
    end = pd.Timestamp(end) if end is not None else frame["date"].max()
    frame = frame[frame["date"] <= end]
    persons = np.unique(frame["person_id"].to_numpy())
    n = len(persons)
    first_day = min(first_day, start)
    n_days = (end - first_day).days + 1
    out_offset = (start - first_day).days
    out_days = n_days - out_offset
    if n == 0 or out_days <= 0:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})

    need = np.array([rules.checkins_to_green[c] for c in COLOURS], dtype=np.int32)
    trigger_sev = {d: COLOURS.index(c) for d, c in rules.triggers.items()}
    reason_code = {d: (REASONS.index(d) if d in REASONS else -1) for d in DECLARE_DETAILS}
    abnormal_sev = COLOURS.index(rules.abnormal_gives)
    checkin_reason, released = REASONS.index("checkin"), REASONS.index("released")

    pidx = np.searchsorted(persons, frame["person_id"].to_numpy())
    day = (frame["date"] - first_day).dt.days.to_numpy()
    is_declare = (frame["event"] == "declare").to_numpy()
    detail = frame["detail"].to_numpy(dtype=object)
    # declarations: the most severe per person-day; ties go to the detail listed first
    decl_order = {d: i for i, d in enumerate(DECLARE_DETAILS)}
    decl = pd.DataFrame(
        {
            "day": day[is_declare],
            "p": pidx[is_declare],
            "sev": [trigger_sev[d] for d in detail[is_declare]],
            "order": [decl_order[d] for d in detail[is_declare]],
            "reason": [reason_code[d] for d in detail[is_declare]],
        }
    ).sort_values(["day", "p", "sev", "order"], ascending=[True, True, False, True], kind="stable")
    decl = decl.drop_duplicates(["day", "p"], keep="first")
    chk = pd.DataFrame(
        {"day": day[~is_declare], "p": pidx[~is_declare], "status": [_CHECKIN_CODE[d] for d in detail[~is_declare]]}
    )
    decl_by_day = {d: g for d, g in decl.groupby("day", sort=True)}
    chk_by_day = {d: g for d, g in chk.groupby("day", sort=True)}

    started = np.zeros(n, dtype=bool)
    colour = np.zeros(n, dtype=np.int8)
    reason = np.full(n, -1, dtype=np.int8)
    count = np.zeros(n, dtype=np.int32)
    out_colour = np.full((out_days, n), -1, dtype=np.int8)
    out_reason = np.full((out_days, n), -1, dtype=np.int8)

    for d in range(n_days):
        reason[(colour == 0) & (reason == released)] = -1
        fresh = np.zeros(n, dtype=bool)
        if d in decl_by_day:
            g = decl_by_day[d]
            p, sev, why = g["p"].to_numpy(), g["sev"].to_numpy(np.int8), g["reason"].to_numpy(np.int8)
            new = ~started[p]
            colour[p[new]], reason[p[new]], count[p[new]] = sev[new], why[new], 0
            started[p] = True
            risk = sev > 0
            raise_ = ~new & (sev > colour[p])
            colour[p[raise_]], reason[p[raise_]] = sev[raise_], why[raise_]
            same = ~new & risk & (sev == colour[p]) & ~raise_
            reset = new | raise_ | (risk & rules.restart_on_new_trigger)
            reason[p[same & rules.restart_on_new_trigger]] = why[same & rules.restart_on_new_trigger]
            count[p[reset]] = 0
            fresh[p[reset & (colour[p] > 0)]] = True
        status = np.full(n, _MISSED, dtype=np.int8)
        if d in chk_by_day:
            g = chk_by_day[d]
            status[g["p"].to_numpy()] = g["status"].to_numpy(np.int8)
        abnormal = started & (status == _ABNORMAL)
        raised = abnormal & (colour < abnormal_sev)
        colour[raised], reason[raised], count[raised] = abnormal_sev, checkin_reason, 0
        fresh |= raised
        counting = started & (colour > 0)
        if rules.count_from_next_day:
            counting &= ~fresh
        count[counting & (status == _NORMAL)] += 1
        if rules.missed_restarts:
            count[counting & (status == _MISSED)] = 0
        if rules.abnormal_restarts:
            count[counting & (status == _ABNORMAL)] = 0
        done = counting & (count >= need[colour])
        colour[done], reason[done], count[done] = 0, released, 0
        if d >= out_offset:
            out_colour[d - out_offset] = np.where(started, colour, -1)
            out_reason[d - out_offset] = np.where(started, reason, -1)

    # person-major order: transpose the day x person matrices
    col_t, rea_t = out_colour.T.ravel(), out_reason.T.ravel()
    keep = col_t >= 0
    dates = pd.date_range(start, periods=out_days, freq="D").to_numpy()
    result = pd.DataFrame(
        {
            "person_id": np.repeat(persons, out_days)[keep],
            "date": np.tile(dates, n)[keep],
        }
    )
    result["colour"] = pd.Series(np.array(COLOURS, dtype=object)[col_t[keep]], dtype="str")
    reason_text = np.array([*REASONS, None], dtype=object)[rea_t[keep]]  # -1 -> None (last)
    result["reason"] = pd.Series(reason_text, dtype="str")
    return result
