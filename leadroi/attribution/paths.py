"""Customer journeys in the engine: one row per touch, built with DuckDB through Ibis.

Two sources give the same :class:`Journeys` table (the second in
:mod:`leadroi.attribution.pathfile`):

* :func:`journeys_from_leads` — the touchpoints table (``lead_id, touched_at, channel``)
  joined to the leads: each lead is a journey whose touches, ordered by time, lie in a
  lookback window before its end. A lead won by the cut-off ends in a conversion worth its
  deal amount; an open or lost one ends in null.
* :func:`journeys_from_paths` — aggregated path files in ChannelAttribution's format
  (``path`` "a > b > c", ``total_conversions``, ``total_conversion_value``,
  ``total_null``): each row is a journey type with its counts.

Everything is window functions and aggregations in the engine; no Python loop ever walks
the journeys. Channel names of path files are trimmed after aggregation, where only a few
distinct names are left.
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field

import ibis
import numpy as np
import pandas as pd
from ibis.expr.types import Table

from leadroi import metrics
from leadroi.engine import Engine, collect
from leadroi.periods import Period

__all__ = ["Journeys", "PathTypes", "TOUCH_COLUMNS", "journeys_from_leads",
           "transition_counts", "path_types", "tidy_channels", "unordered",
           "collect_unordered", "START", "CONVERSION", "NULL"]

START, CONVERSION, NULL = "(start)", "(conversion)", "(null)"
_DAY_SECONDS = 86_400.0
#: Columns of :attr:`Journeys.touches`.
TOUCH_COLUMNS = ["journey", "pos", "n", "channel", "prev", "age", "lead_pos", "opp_pos",
                  "conversions", "value", "nulls"]


@dataclass
class Journeys:
    """Journeys as a touches table on the engine.

    Attributes
    ----------
    touches : ibis Table
        One row per touch: ``journey`` (id), ``pos`` (0 = first touch), ``n`` (touches in
        the journey), ``channel``, ``prev`` (channel of the previous touch, null for the
        first), ``age`` (time before the journey's last touch: days for touchpoints,
        touches for path files), ``lead_pos`` / ``opp_pos`` (position of the touch that
        created the lead / the opportunity, null when unknown), and the journey's
        ``conversions``, ``value`` and ``nulls`` (repeated on each of its touches).
    kind : {"touchpoints", "paths"}
    has_value : bool
        Whether conversion values were given.
    skipped : dict
        Rows that could not become a journey (``rows``, ``conversions``), e.g. empty paths.
    steps : ibis Table, optional
        ``prev, channel, last, conversions, value, nulls``: a cheaper query than
        ``touches`` for transition counts (default: derived from ``touches``).
    converting : ibis Table, optional
        ``touches`` of converting journeys only, numbered after filtering (default:
        ``touches`` filtered).
    """

    touches: Table
    kind: str
    has_value: bool = True
    skipped: dict = field(default_factory=lambda: {"rows": 0, "conversions": 0.0})
    steps: Table | None = None
    converting: Table | None = None

    @property
    def age_unit(self) -> str:
        """``days`` or ``touches``: the unit of ``age`` and of the time-decay half-life."""
        return "days" if self.kind == "touchpoints" else "touches"

    def step_table(self) -> Table:
        """Each touch with its previous channel, whether it is the journey's last touch,
        and the journey's outcome."""
        if self.steps is not None:
            return self.steps
        t = self.touches
        return t.select("prev", "channel", "conversions", "value", "nulls",
                        last=t.pos == t.n - 1)

    def converting_touches(self) -> Table:
        """``touches`` of the journeys that converted."""
        if self.converting is not None:
            return self.converting
        return self.touches.filter(self.touches.conversions > 0)

    def totals(self) -> dict[str, float]:
        """``journeys, touches, conversions, value, nulls, paths`` in one query."""
        t = self.step_table()
        last = t["last"]
        row = collect_unordered(t.aggregate(
            touches=t.count(),
            journeys=ibis.ifelse(last, t.conversions + t.nulls, 0.0).sum(),
            paths=last.cast("int64").sum(),
            conversions=ibis.ifelse(last, t.conversions, 0.0).sum(),
            value=ibis.ifelse(last, t.value, 0.0).sum(),
            nulls=ibis.ifelse(last, t.nulls, 0.0).sum())).iloc[0]
        return {k: float(v) if pd.notna(v) else 0.0 for k, v in row.items()}

    def materialize(self, engine: Engine, name: str = "attribution_touches") -> Journeys:
        """Store the touches as a table, so several queries do not rebuild them."""
        return Journeys(engine.store(name, self.touches), self.kind, self.has_value,
                        dict(self.skipped))


@contextmanager
def unordered(table: Table):
    """Let DuckDB drop row order while aggregating ``table`` (a third faster on large
    inputs); the setting is restored afterwards. Aggregates do not depend on row order."""
    con = table.get_backend()
    if getattr(con, "name", "") != "duckdb":
        yield
        return
    before = con.raw_sql("SELECT current_setting('preserve_insertion_order')").fetchone()[0]
    con.raw_sql("SET preserve_insertion_order = false")
    try:
        yield
    finally:
        con.raw_sql(f"SET preserve_insertion_order = {'true' if before else 'false'}")


def collect_unordered(expr: Table) -> pd.DataFrame:
    """:func:`~leadroi.engine.collect` for an aggregation, without keeping row order."""
    with unordered(expr):
        return collect(expr)


def _all_time(as_of: dt.date) -> Period:
    return Period("all", "all", dt.date(1900, 1, 1), as_of + dt.timedelta(days=1))


def journeys_from_leads(leads: Table, touchpoints: Table, *, as_of: dt.date,
                        lookback_days: int = 90, period: Period | None = None) -> Journeys:
    """Journeys of leads from the touchpoints table, ordered by time.

    Parameters
    ----------
    leads : ibis Table
        Canonical leads (``lead_id, created_at, channel``; ``won_at``, ``lost_at``,
        ``amount``, ``sql_at`` when present).
    touchpoints : ibis Table
        Canonical touchpoints (``lead_id, touched_at, channel``).
    as_of : datetime.date
        Data cut-off: a lead is converted if won on or before it.
    lookback_days : int
        Only touches in this many days before the journey's end count. The end is the won
        date for a converted lead, the lost date for a lost one, the cut-off otherwise.
    period : Period, optional
        Only leads created in it (the report's cohort); default every lead.

    Returns
    -------
    Journeys
        A lead with no touch in its window keeps its source channel, at creation, as its
        only touch, so every customer and every unit of revenue is credited.
        ``lead_pos`` is the last touch at or before the lead's creation; ``opp_pos`` the
        last touch at or before it became an SQL (the opportunity), when known. Touches
        at the same instant are ordered by channel name.
    """
    co = metrics.cohort(leads, period or _all_time(as_of), as_of)
    cut = ibis.literal(metrics.cutoff(as_of))
    end = cut
    if "lost_at" in co.columns:
        end = ibis.ifelse(co.lost_at.notnull() & (co.lost_at < cut), co.lost_at, cut)
    if "won_at" in co.columns:
        end = ibis.ifelse(co._won, co.won_at, end)
    opp = co.sql_at if "sql_at" in co.columns else ibis.null("timestamp")
    conv = co._won.cast("float64")
    j = co.select(journey=co.lead_id, _end=end,
                  _from=end - ibis.interval(days=int(lookback_days)),
                  _created=co.created_at, _opp=opp, _source=co.channel, conversions=conv,
                  value=co._revenue.cast("float64"), nulls=1.0 - conv)
    tp = touchpoints.select(_lid=touchpoints.lead_id, _at=touchpoints.touched_at,
                            _ch=touchpoints.channel)
    # One left join keeps the leads without a touch in their window (null touch).
    x = j.left_join(tp, [j.journey == tp._lid, tp._at <= j._end, tp._at > j._from])
    base = x.select("journey", "conversions", "value", "nulls", "_created", "_opp",
                    touched_at=ibis.coalesce(x._at, x._created),
                    channel=ibis.coalesce(x._ch, x._source))
    ordered = ibis.window(group_by=base.journey, order_by=[base.touched_at, base.channel])
    steps = base.select("channel", "conversions", "value", "nulls",
                        prev=base.channel.lag().over(ordered),
                        last=base.channel.lead().over(ordered).isnull())
    return Journeys(_number(base), "touchpoints", steps=steps,
                    converting=_number(base.filter(base.conversions > 0)))


def _number(t: Table) -> Table:
    """Positions, length, previous channel, age and milestones of each journey's touches."""
    ordered = ibis.window(group_by=t.journey, order_by=[t.touched_at, t.channel])
    whole = ibis.window(group_by=t.journey)
    seconds = t.touched_at.epoch_seconds()
    before_lead = (t.touched_at <= t._created).cast("int64").sum().over(whole) - 1
    before_opp = (t.touched_at <= t._opp).cast("int64").sum().over(whole) - 1
    out = t.mutate(
        pos=ibis.row_number().over(ordered),
        n=t.count().over(whole),
        prev=t.channel.lag().over(ordered),
        age=(seconds.max().over(whole) - seconds).cast("float64") / _DAY_SECONDS,
        lead_pos=ibis.ifelse(before_lead >= 0, before_lead, ibis.null("int64")),
        opp_pos=ibis.ifelse(before_opp >= 0, before_opp, ibis.null("int64")),
    )
    return out.select(*TOUCH_COLUMNS)


def tidy_channels(frame: pd.DataFrame, columns: list[str], sums: list[str]) -> pd.DataFrame:
    """Strip channel names in ``columns`` and add up ``sums`` of rows that now coincide.

    Path files are split without trimming each token (trimming millions of tokens costs
    more than trimming the few distinct names left after aggregating).
    """
    out = frame.copy()
    for col in columns:
        out[col] = out[col].where(out[col].isna(), out[col].astype("string").str.strip())
    keys = [c for c in out.columns if c not in sums]
    return out.groupby(keys, dropna=False, sort=False, as_index=False)[sums].sum()


def transition_counts(journeys: Journeys) -> pd.DataFrame:
    """Transition counts of the journey chain, from one aggregation in the engine.

    Returns
    -------
    DataFrame
        ``from, to, count, value``: journeys moving ``from`` one state ``to`` the next,
        with :data:`START` before the first touch and :data:`CONVERSION` / :data:`NULL`
        after the last; ``value`` is the conversion value on edges into conversion.
        Repeated touches of one channel (self-transitions) are left out: they do not
        change where a journey ends.
    """
    t = journeys.step_table()
    g = t.group_by(["prev", "channel", "last"]).aggregate(
        journeys=(t.conversions + t.nulls).sum(), conversions=t.conversions.sum(),
        value=t.value.sum(), nulls=t.nulls.sum())
    df = tidy_channels(collect_unordered(g), ["prev", "channel"],
                       ["journeys", "conversions", "value", "nulls"])
    moves = df[df["prev"].isna() | (df["prev"] != df["channel"])]
    moves = moves.groupby([moves["prev"].fillna(START), moves["channel"]], sort=False)[
        "journeys"].sum()
    ends = df[df["last"]].groupby("channel", sort=False)[["conversions", "value", "nulls"]
                                                          ].sum()
    frames = [
        pd.DataFrame({"from": moves.index.get_level_values(0),
                      "to": moves.index.get_level_values(1),
                      "count": moves.to_numpy(dtype=float), "value": 0.0}),
        pd.DataFrame({"from": ends.index, "to": CONVERSION,
                      "count": ends["conversions"].to_numpy(dtype=float),
                      "value": ends["value"].to_numpy(dtype=float)}),
        pd.DataFrame({"from": ends.index, "to": NULL,
                      "count": ends["nulls"].to_numpy(dtype=float), "value": 0.0}),
    ]
    out = pd.concat(frames, ignore_index=True)
    return out[out["count"] > 0].reset_index(drop=True)


@dataclass
class PathTypes:
    """Distinct journeys (channel sequences) with their counts, as numpy arrays.

    Attributes
    ----------
    channels : list of str
        Channel names; ``codes`` index into it.
    offsets : ndarray of int, shape (P + 1,)
        Path ``p`` is ``codes[offsets[p]:offsets[p + 1]]``.
    codes : ndarray of int
    conversions, value, nulls : ndarray of float, shape (P,)
    """

    channels: list[str]
    offsets: np.ndarray
    codes: np.ndarray
    conversions: np.ndarray
    value: np.ndarray
    nulls: np.ndarray

    def __len__(self) -> int:
        return len(self.conversions)


def path_types(journeys: Journeys) -> PathTypes:
    """Group journeys with the same channel sequence (in the engine) for resampling."""
    t = journeys.touches
    per = t.group_by(t.journey).aggregate(
        path=t.channel.collect(order_by=t.pos), conversions=t.conversions.max(),
        value=t.value.max(), nulls=t.nulls.max())
    types = per.group_by(per.path).aggregate(
        conversions=per.conversions.sum(), value=per.value.sum(), nulls=per.nulls.sum())
    arrow = types.order_by(types.path).to_pyarrow()
    lists = arrow.column("path").combine_chunks()
    flat = np.asarray(lists.flatten().to_numpy(zero_copy_only=False), dtype=object)
    offsets = np.asarray(lists.offsets.to_numpy(), dtype=np.int64)
    names, inverse = np.unique(flat.astype(str), return_inverse=True)
    tidy = pd.Index([str(n).strip() for n in names])
    channels = sorted(set(tidy))
    index = {name: i for i, name in enumerate(channels)}
    lookup = np.array([index[n] for n in tidy], dtype=np.int64)
    return PathTypes(
        channels=channels, offsets=offsets - offsets[0], codes=lookup[inverse],
        conversions=arrow.column("conversions").to_numpy().astype(float),
        value=np.nan_to_num(arrow.column("value").to_numpy().astype(float)),
        nulls=arrow.column("nulls").to_numpy().astype(float))
