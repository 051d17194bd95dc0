"""The aggregations of person- and meter-level logs, written once as SQL that DuckDB and Spark both run.

Why one SQL text (and not Ibis or narwhals): the aggregations are a handful of GROUP BYs and one
self-join, which the common subset of DuckDB's and Spark SQL's dialects expresses directly; the text
is what each engine plans and optimises, so there is no translation layer to trust, debug or install
(the DuckDB path keeps working with no extra dependency), and the same text can be pasted into a
DuckDB shell or a Spark SQL notebook on a cluster. The subset used, checked by the engine tests on
both: unquoted identifiers (``date`` is non-reserved in both), ``CAST(x AS STRING)``/``AS DATE``/
``AS DOUBLE``/``AS BIGINT``, ``DATE 'YYYY-MM-DD'`` literals, ``date + 1`` (the next day),
``count(CASE WHEN ... THEN 1 END)`` (never NULL), ``avg``, ``sum``, inner, left and cross joins, explicit
``GROUP BY`` and ``ORDER BY`` columns, and the windows ``lag``/``lead``/``sum(...) OVER (PARTITION BY ...
ORDER BY ... ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)``, and Spark's join hints (``/*+ ... */``, a
comment to DuckDB). A value that comes from the caller (the data date of days to green) is a one-row view
registered beside the log (:data:`UNTIL_VIEW`), not text. Literals such as the resumed threshold come from
the TOML rules and are formatted here (typed: float and date), never from user strings.

The queries read views registered by the engine (:mod:`epianalysis.engine.backends`):
``health_code_log`` (person-day rows: ``person_id``, ``region_code``, ``date``, ``colour``),
``enterprise_daily`` (``date``, ``enterprise_id``, ``kwh``, ``employees_on_site``) and
``enterprises`` (the register: ``enterprise_id``, ``region_code``, ``employees``).
"""

from __future__ import annotations

import datetime as dt
import math

HEALTH_CODE_VIEW = "health_code_log"
DAILY_VIEW = "enterprise_daily"
REGISTER_VIEW = "enterprises"
UNTIL_VIEW = "days_to_green_until"  # one row, column ``until`` (DATE): the last date of the log used

# Health-code counts and transitions per county-day. Formulas: epianalysis.engine.health_codes.
# "Red on D-1 and D" is found by joining each day's rows to the (few) non-green rows of the day
# before, so no window over all rows is needed: new_red = red - red_on_both_days.
HEALTH_CODES = """
WITH counts AS (
    SELECT
        CAST(date AS DATE) AS day,
        CAST(region_code AS STRING) AS region_code,
        count(CASE WHEN CAST(colour AS STRING) = 'green' THEN 1 END) AS green,
        count(CASE WHEN CAST(colour AS STRING) = 'yellow' THEN 1 END) AS yellow,
        count(CASE WHEN CAST(colour AS STRING) = 'red' THEN 1 END) AS red
    FROM health_code_log
    GROUP BY CAST(date AS DATE), CAST(region_code AS STRING)
), prev AS (
    SELECT person_id, CAST(date AS DATE) + 1 AS next_day, CAST(colour AS STRING) AS prev_colour
    FROM health_code_log
    WHERE CAST(colour AS STRING) <> 'green'
), trans AS (
    SELECT
        CAST(l.date AS DATE) AS day,
        CAST(l.region_code AS STRING) AS region_code,
        count(CASE WHEN CAST(l.colour AS STRING) = 'red' AND p.prev_colour = 'red' THEN 1 END) AS red_stay,
        count(CASE WHEN CAST(l.colour AS STRING) = 'yellow' AND p.prev_colour = 'yellow' THEN 1 END)
            AS yellow_stay,
        count(CASE WHEN CAST(l.colour AS STRING) = 'green' AND p.prev_colour = 'red' THEN 1 END)
            AS red_to_green,
        count(CASE WHEN CAST(l.colour AS STRING) = 'green' AND p.prev_colour = 'yellow' THEN 1 END)
            AS yellow_to_green
    FROM health_code_log AS l
    JOIN prev AS p ON l.person_id = p.person_id AND CAST(l.date AS DATE) = p.next_day
    GROUP BY CAST(l.date AS DATE), CAST(l.region_code AS STRING)
)
SELECT
    c.day AS date,
    c.region_code,
    c.green,
    c.yellow,
    c.red,
    c.red - coalesce(t.red_stay, 0) AS new_red,
    c.yellow - coalesce(t.yellow_stay, 0) AS new_yellow,
    coalesce(t.red_to_green, 0) AS red_to_green,
    coalesce(t.yellow_to_green, 0) AS yellow_to_green
FROM counts AS c
LEFT JOIN trans AS t ON c.day = t.day AND c.region_code = t.region_code
ORDER BY date, region_code
"""

# The yellow/red episodes of the log dated on or before the one date of UNTIL_VIEW, counted by colour,
# first day and first green day (epianalysis.engine.days_to_green; the pandas reference is
# epianalysis.topics.health_codes.metrics.episodes). Only the rows of persons with a yellow or red row by
# then are windowed; an episode is a run of consecutive non-green rows of a person (by date), its colour
# the most severe one of the run, its end the date of the row after the run (green, since the run ended;
# no such row: ongoing). log_start is the log's first date (episodes starting on it are left-censored).
# The hint (a comment to DuckDB) makes Spark send the few flagged persons to every task, never the log:
# its size estimate of a well-compressed Parquet log can be small enough to pick the log otherwise.
DAYS_TO_GREEN = """
WITH bounds AS (
    SELECT CAST(until AS DATE) AS until FROM days_to_green_until
), flagged AS (
    SELECT DISTINCT l.person_id
    FROM health_code_log AS l CROSS JOIN bounds AS b
    WHERE CAST(l.colour AS STRING) <> 'green' AND CAST(l.date AS DATE) <= b.until
), person_rows AS (
    SELECT /*+ BROADCAST(f, b) */
        l.person_id,
        CAST(l.date AS DATE) AS day,
        CASE CAST(l.colour AS STRING) WHEN 'red' THEN 2 WHEN 'yellow' THEN 1 ELSE 0 END AS severity
    FROM health_code_log AS l
    JOIN flagged AS f ON l.person_id = f.person_id
    CROSS JOIN bounds AS b
    WHERE CAST(l.date AS DATE) <= b.until
), marked AS (
    SELECT
        person_id,
        day,
        severity,
        lag(severity) OVER (PARTITION BY person_id ORDER BY day) AS prev_severity,
        lead(severity) OVER (PARTITION BY person_id ORDER BY day) AS next_severity,
        lead(day) OVER (PARTITION BY person_id ORDER BY day) AS next_day
    FROM person_rows
), runs AS (
    SELECT
        person_id,
        day,
        severity,
        next_severity,
        next_day,
        sum(CASE WHEN severity > 0 AND (prev_severity IS NULL OR prev_severity = 0) THEN 1 ELSE 0 END)
            OVER (PARTITION BY person_id ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run
    FROM marked
), episodes AS (
    SELECT
        person_id,
        run,
        min(day) AS start_day,
        max(severity) AS severity,
        max(CASE WHEN next_severity = 0 THEN next_day END) AS end_day
    FROM runs
    WHERE severity > 0
    GROUP BY person_id, run
), log_start AS (
    SELECT min(CAST(date AS DATE)) AS log_start FROM health_code_log
)
SELECT
    CASE WHEN e.severity = 2 THEN 'red' ELSE 'yellow' END AS colour,
    e.start_day,
    e.end_day,
    s.log_start,
    count(*) AS episodes
FROM episodes AS e
CROSS JOIN log_start AS s
GROUP BY CASE WHEN e.severity = 2 THEN 'red' ELSE 'yellow' END, e.start_day, e.end_day, s.log_start
ORDER BY colour, start_day, end_day
"""

# Capacity recovery per county-day from meter readings (docs/methods.md#the-three-rates; the pandas reference is
# epianalysis.topics.capacity.metrics.recovery(by="county") with the window-mean baseline).
CAPACITY_BY_COUNTY = """
WITH base AS (
    SELECT enterprise_id, avg(kwh) AS baseline_kwh
    FROM enterprise_daily
    WHERE kwh IS NOT NULL
      AND CAST(date AS DATE) BETWEEN DATE '{start}' AND DATE '{end}'
    GROUP BY enterprise_id
), register AS (
    SELECT CAST(enterprise_id AS STRING) AS enterprise_id, CAST(region_code AS STRING) AS region_code,
           CAST(employees AS BIGINT) AS employees
    FROM enterprises
), sizes AS (
    SELECT region_code, count(*) AS n_enterprises FROM register GROUP BY region_code
), readings AS (
    SELECT
        CAST(d.date AS DATE) AS day,
        r.region_code,
        d.kwh,
        b.baseline_kwh,
        d.employees_on_site,
        r.employees,
        (d.kwh IS NOT NULL AND b.baseline_kwh IS NOT NULL AND b.baseline_kwh > 0) AS known
    FROM enterprise_daily AS d
    JOIN register AS r ON CAST(d.enterprise_id AS STRING) = r.enterprise_id
    LEFT JOIN base AS b ON d.enterprise_id = b.enterprise_id
)
SELECT
    g.day AS date,
    g.region_code,
    s.n_enterprises,
    g.n_known,
    g.n_resumed,
    g.employees,
    g.employees_on_site,
    g.kwh,
    g.baseline_kwh
FROM (
    SELECT
        day,
        region_code,
        count(CASE WHEN known THEN 1 END) AS n_known,
        count(CASE WHEN known AND kwh / baseline_kwh > CAST({threshold!r} AS DOUBLE) THEN 1 END) AS n_resumed,
        CAST(coalesce(sum(CASE WHEN employees_on_site IS NOT NULL THEN employees END), 0) AS BIGINT)
            AS employees,
        CAST(coalesce(sum(employees_on_site), 0) AS BIGINT) AS employees_on_site,
        coalesce(sum(CASE WHEN known THEN kwh END), CAST(0 AS DOUBLE)) AS kwh,
        coalesce(sum(CASE WHEN known THEN baseline_kwh END), CAST(0 AS DOUBLE)) AS baseline_kwh
    FROM readings
    GROUP BY day, region_code
) AS g
JOIN sizes AS s ON g.region_code = s.region_code
ORDER BY date, region_code
"""


def capacity_sql(start: dt.date, end: dt.date, threshold: float) -> str:
    """The capacity query with the December-2019 window and the resumed threshold filled in.

    Parameters
    ----------
    start, end : datetime.date
        Baseline window (inclusive), e.g. 2019-12-01 .. 2019-12-31 (``topics/capacity/rules.toml``).
    threshold : float
        Resumed when ``kwh / baseline > threshold`` (0.30, State Grid Zhejiang).
    """
    start, end = dt.date.fromisoformat(str(start)[:10]), dt.date.fromisoformat(str(end)[:10])
    threshold = float(threshold)
    if not math.isfinite(threshold) or start > end:
        raise ValueError(f"bad capacity parameters: window {start}..{end}, threshold {threshold}")
    return CAPACITY_BY_COUNTY.format(start=start.isoformat(), end=end.isoformat(), threshold=threshold)


# Checks run before CAPACITY_BY_COUNTY (which joins readings to the register): a reading of a firm
# missing from the register, or two readings of one firm on one day, would otherwise be dropped or
# counted twice without a word (the pandas reference raises a DataError for both).
CAPACITY_UNREGISTERED = """
SELECT CAST(d.enterprise_id AS STRING) AS enterprise_id, count(*) AS n
FROM enterprise_daily AS d
LEFT JOIN (SELECT DISTINCT CAST(enterprise_id AS STRING) AS enterprise_id FROM enterprises) AS r
    ON CAST(d.enterprise_id AS STRING) = r.enterprise_id
WHERE r.enterprise_id IS NULL
GROUP BY 1 ORDER BY 1 LIMIT 20
"""

CAPACITY_DUPLICATE_READINGS = """
SELECT CAST(enterprise_id AS STRING) AS enterprise_id, CAST(date AS DATE) AS day, count(*) AS n
FROM enterprise_daily
GROUP BY 1, 2 HAVING count(*) > 1 ORDER BY 1, 2 LIMIT 20
"""
