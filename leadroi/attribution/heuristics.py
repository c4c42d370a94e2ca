"""Rule-based (touch) models: each gives every touch of a converting journey a share.

A model is one function ``(touches, settings) -> Ibis expression``; the shares of one
journey add up to 1, so each model's credit adds up to the actual conversions and value.
All of them are evaluated together in one engine query by :func:`touch_credit`.

Conventions (``n`` touches, positions ``0 .. n-1``):

* first / last touch: all credit to the first / last touch.
* linear: ``1/n`` per touch (a channel touched twice gets two shares).
* time decay: weight ``2^(-age / half_life)``, normalised per journey (age before the
  last touch: days for touchpoints, touches for path files).
* U-shaped: 40% first, 40% last, 20% spread over the touches between (one touch: 100%;
  two: 50/50).
* W-shaped: 30% each to the first touch, the opportunity-creation touch and the last
  touch, 10% spread over the rest. The opportunity touch is the last touch at or before
  the lead became an SQL when known, else the middle touch (``n // 2``, from 3 touches).
* full path (Z-shaped): 22.5% each to the first touch, the lead-creation touch, the
  opportunity-creation touch and the last touch, 10% over the rest; unknown milestones
  fall at one and two thirds of the journey.

In the anchored models a touch holding two roles (e.g. first touch that also created the
lead) takes both shares; when no touch is left for the spread share, the anchors' shares
are rescaled to add up to 1.
"""

from __future__ import annotations

import ibis
import pandas as pd
from ibis.expr.types import NumericValue, Table

from leadroi.attribution.paths import Journeys, collect_unordered, tidy_channels
from leadroi.attribution.registry import Model, Settings, register

__all__ = ["touch_credit", "first_touch", "last_touch", "linear", "time_decay",
           "u_shaped", "w_shaped", "full_path"]


def _flag(cond) -> NumericValue:
    return ibis.ifelse(cond, 1.0, 0.0)


@register("first_touch", kind="touch")
def first_touch(t: Table, settings: Settings) -> NumericValue:
    """All credit to the first touch."""
    return _flag(t.pos == 0)


@register("last_touch", kind="touch")
def last_touch(t: Table, settings: Settings) -> NumericValue:
    """All credit to the last touch."""
    return _flag(t.pos == t.n - 1)


@register("linear", kind="touch")
def linear(t: Table, settings: Settings) -> NumericValue:
    """Equal credit to every touch."""
    return 1.0 / t.n.cast("float64")


@register("time_decay", kind="touch")
def time_decay(t: Table, settings: Settings) -> NumericValue:
    """Credit halves with every half-life before the last touch."""
    raw = ibis.literal(2.0).pow(-t.age / float(settings.half_life))
    return raw / raw.sum().over(ibis.window(group_by=t.journey))


@register("u_shaped", kind="touch")
def u_shaped(t: Table, settings: Settings) -> NumericValue:
    """40% first, 40% last, 20% over the touches between."""
    n = t.n.cast("float64")
    ends = (t.pos == 0) | (t.pos == t.n - 1)
    return ibis.cases((t.n == 1, 1.0), (t.n == 2, 0.5), (ends, 0.4),
                      else_=0.2 / (n - 2.0))


@register("w_shaped", kind="touch")
def w_shaped(t: Table, settings: Settings) -> NumericValue:
    """30% first, 30% opportunity creation, 30% last, 10% over the rest."""
    middle = ibis.ifelse(t.n >= 3, t.n // 2, ibis.null("int64"))
    opp = t.opp_pos.fill_null(middle) if "opp_pos" in t.columns else middle
    return _anchored(t, [t.pos * 0, opp, t.n - 1], 0.3, 0.1)


@register("full_path", kind="touch")
def full_path(t: Table, settings: Settings) -> NumericValue:
    """22.5% each to first, lead creation, opportunity creation and last; 10% the rest."""
    span = (t.n - 1).cast("float64")
    lead = t.lead_pos.fill_null((span / 3.0 + 0.5).floor().cast("int64"))
    opp = t.opp_pos.fill_null((span * 2.0 / 3.0 + 0.5).floor().cast("int64"))
    return _anchored(t, [t.pos * 0, lead, opp, t.n - 1], 0.225, 0.1)


def _anchored(t: Table, anchors: list, share: float, rest: float) -> NumericValue:
    """Weight of a touch given anchor positions (null = no such anchor) taking ``share``
    each and ``rest`` spread evenly over the touches that are no anchor."""
    roles = sum(_flag(a.notnull()) for a in anchors)
    mine = sum(_flag(t.pos == a) for a in anchors)  # null anchors compare null -> 0
    distinct = _distinct_count(anchors)
    others = (t.n - distinct).cast("float64")
    spread = ibis.ifelse(others > 0, rest / others, 0.0)
    raw = ibis.ifelse(mine > 0, share * mine, spread)
    total = share * roles + ibis.ifelse(others > 0, rest, 0.0)
    return raw / total


def _distinct_count(anchors: list) -> NumericValue:
    """How many distinct non-null positions ``anchors`` name (per row)."""
    count = _flag(anchors[0].notnull())
    for i, a in enumerate(anchors[1:], start=1):
        earlier = [(a == b).fill_null(False) for b in anchors[:i]]
        seen = earlier[0]
        for e in earlier[1:]:
            seen = seen | e
        count = count + _flag(a.notnull() & ~seen)
    return count.cast("int64")


def touch_credit(journeys: Journeys, models: list[Model], settings: Settings
                 ) -> pd.DataFrame:
    """Credit of each touch model by channel, in one engine query.

    Returns
    -------
    DataFrame
        ``model, channel, conversions, value`` (long).
    """
    if not models:
        return pd.DataFrame(columns=["model", "channel", "conversions", "value"])
    t = journeys.converting_touches()
    weighted = t.mutate(**{f"_w{i}": ibis.coalesce(m.func(t, settings), 0.0)
                           for i, m in enumerate(models)})
    sums = {}
    for i, _ in enumerate(models):
        w = weighted[f"_w{i}"]
        sums[f"c{i}"] = (w * weighted.conversions).sum()
        sums[f"v{i}"] = (w * weighted.value).sum()
    wide = collect_unordered(weighted.group_by("channel").aggregate(**sums))
    wide = tidy_channels(wide, ["channel"], list(sums))
    frames = [pd.DataFrame({"model": m.name, "channel": wide["channel"],
                            "conversions": wide[f"c{i}"].astype(float),
                            "value": wide[f"v{i}"].astype(float)})
              for i, m in enumerate(models)]
    return pd.concat(frames, ignore_index=True)
