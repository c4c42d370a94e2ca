"""Budget reallocation what-if: move budget from the weakest channels to the strongest
and project leads, customers, revenue and ROI before and after, under stated assumptions.

Assumptions (shown in words in the report):

- a channel's conversion rate and deal size stay as in the report period;
- its leads follow its spend as ``leads ∝ spend^b``: ``b`` fitted on the channel's own
  quarters (diminishing returns, :func:`leadroi.compare.elasticity`) when it has enough
  of them, else ``b = 1`` (constant cost per lead) with the increase capped at
  ``max_increase``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from leadroi.decide.rules import Recommendation
from leadroi.params import WhatIfSettings
from leadroi.stats import safe_div

__all__ = ["WhatIf", "reallocate", "WHATIF_COLUMNS"]

WHATIF_COLUMNS = ["channel", "role", "spend", "spend_after", "leads", "leads_after",
                  "customers", "customers_after", "revenue", "revenue_after", "roi",
                  "roi_after", "b", "fitted"]


@dataclass
class WhatIf:
    """A reallocation and its projection.

    ``table`` has :data:`WHATIF_COLUMNS` (``role``: ``from``, ``to`` or ``same``) with a
    last all-channels row (``channel`` None); ``moved`` is the budget moved.
    """

    table: pd.DataFrame
    moved: float
    settings: WhatIfSettings

    @property
    def total(self) -> pd.Series:
        return self.table.iloc[-1]


def _donors_receivers(bc: pd.DataFrame, recs: list[Recommendation]) -> tuple[list, list]:
    judged = bc[~bc["too_few"] & bc["roi"].notna() & (bc["spend"] > 0)]
    donors = [r.subject for r in recs if r.rule == "cut_channel"]
    receivers = [r.subject for r in recs if r.rule == "scale_channel"]
    if not receivers and donors:
        rest = judged[~judged["channel"].isin(donors)]
        receivers = rest.sort_values("roi_low", ascending=False)["channel"].head(2).tolist()
    return donors, [c for c in receivers if c not in donors]


def reallocate(bc: pd.DataFrame, recs: list[Recommendation], elasticity: pd.DataFrame,
               settings: WhatIfSettings | None = None) -> WhatIf | None:
    """Move ``move_share`` of the budget of the channels to cut to the channels to scale.

    Parameters
    ----------
    bc : DataFrame
        Channel drill-down of the period (``channel, leads, customers, revenue, spend,
        roi, roi_low, too_few``).
    recs : list of Recommendation
        The period's recommendations: ``cut_channel`` subjects give budget,
        ``scale_channel`` subjects receive it (without any, the two judged channels with
        the highest ROI lower bound).
    elasticity : DataFrame
        ``channel, b, fitted`` (:func:`leadroi.compare.elasticity`).

    Returns
    -------
    WhatIf or None
        None when there is no channel to take budget from or none to give it to.
    """
    settings = settings or WhatIfSettings()
    donors, receivers = _donors_receivers(bc, recs)
    if not donors or not receivers:
        return None
    df = bc.set_index("channel")[["leads", "customers", "revenue", "spend"]].astype(float)
    fit = elasticity.set_index("channel") if len(elasticity) else pd.DataFrame(
        columns=["b", "fitted"])
    b = fit["b"].reindex(df.index)
    fitted = fit["fitted"].reindex(df.index).fillna(False).astype(bool)
    pool = settings.move_share * df.loc[donors, "spend"].sum()
    room = df.loc[receivers, "spend"] * settings.max_increase
    share = df.loc[receivers, "spend"] / df.loc[receivers, "spend"].sum()
    given = np.minimum(pool * share, room)
    moved = float(given.sum())
    cut = moved * df.loc[donors, "spend"] / df.loc[donors, "spend"].sum()
    after = df["spend"].copy()
    after.loc[receivers] += given
    after.loc[donors] -= cut
    factor = pd.Series(safe_div(after, df["spend"]), index=df.index).fillna(1.0)
    factor = factor ** b.where(fitted, 1.0)
    out = pd.DataFrame({"channel": df.index, "role": [
        "from" if c in donors else "to" if c in receivers else "same" for c in df.index]})
    for col in ("spend", "leads", "customers", "revenue"):
        out[col] = df[col].to_numpy()
        out[f"{col}_after"] = (after if col == "spend" else df[col] * factor).to_numpy()
    out["b"] = b.where(fitted, 1.0).to_numpy()
    out["fitted"] = fitted.to_numpy()
    total = out.drop(columns=["channel", "role", "b", "fitted"]).sum()
    out = pd.concat([out, total.to_frame().T.assign(channel=None, role="total")],
                    ignore_index=True)
    out["roi"] = safe_div(out["revenue"] - out["spend"], out["spend"])
    out["roi_after"] = safe_div(out["revenue_after"] - out["spend_after"], out["spend_after"])
    return WhatIf(out[WHATIF_COLUMNS], moved, settings)
