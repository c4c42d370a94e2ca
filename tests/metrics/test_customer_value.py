"""Customer value from the deal history, against an independent pandas computation of
every number (repeat, retention, cross-sell, CLV and its interval, cohorts, health)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import lead

from leadroi.metrics.customer_value import apply_measured, customer_value

AS_OF = dt.date(2026, 10, 31)
H, CHURN, FPD = 12, 12, 30
PRODUCTS = ["Core", "Analytics", "Services"]


def _history(seed: int = 7, n: int = 360):
    """Leads in channels A/B/C over two years; a third win, repeat deals while the
    customer stays (A stays most), some in another product line, two deals on the first
    day of some customers (one first purchase)."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-07-01")
    leads, deals = [], []
    stay = {"A": 0.75, "B": 0.45, "C": 0.2}
    for i in range(n):
        ch = "ABC"[i % 3]
        created = start + pd.Timedelta(days=int(rng.integers(0, 700)))
        won = created + pd.Timedelta(days=int(rng.integers(5, 60)))
        is_won = rng.random() < 0.35 and won <= pd.Timestamp(AS_OF)
        amount = float(rng.integers(10, 100) * 1000)
        leads.append(lead(f"L{i}", ch, f"{created:%Y-%m-%d} 09:00",
                          won=f"{won:%Y-%m-%d}" if is_won else None,
                          amount=amount if is_won else None,
                          industry=["Retail", "Tech"][i % 2]))
        if not is_won:
            continue
        product = int(rng.integers(0, 3))
        deals.append({"deal_id": f"D{i}-0", "lead_id": f"L{i}", "stage": "Closed Won",
                      "amount": amount, "closed_at": f"{won:%Y-%m-%d}",
                      "product": PRODUCTS[product]})
        if rng.random() < 0.2:  # a second deal within the first-purchase window
            deals.append({"deal_id": f"D{i}-s", "lead_id": f"L{i}", "stage": "Closed Won",
                          "amount": 1000.0, "closed_at": f"{won + pd.Timedelta(days=10):%Y-%m-%d}",
                          "product": PRODUCTS[product]})
        t = won
        for k in range(1, 6):
            if rng.random() > stay[ch]:
                break
            t = t + pd.Timedelta(days=int(rng.integers(40, 300)))
            if t > pd.Timestamp("2027-03-01"):
                break
            if rng.random() < 0.4:
                product = (product + 1) % 3
            deals.append({"deal_id": f"D{i}-{k}", "lead_id": f"L{i}", "stage": "Closed Won",
                          "amount": float(rng.integers(5, 40) * 1000),
                          "closed_at": f"{t:%Y-%m-%d}", "product": PRODUCTS[product]})
    return leads, deals


def _months(a: pd.Series, b) -> pd.Series:
    b = pd.Timestamp(b)
    return (b.year * 12 + b.month) - (a.dt.year * 12 + a.dt.month)


def _expected(leads: list[dict], deals: list[dict], as_of=AS_OF, margin=None) -> dict:
    """Plain pandas: per-customer facts, then per channel the sheet's numbers."""
    ld = pd.DataFrame(leads)[["lead_id", "channel", "industry"]]
    d = pd.DataFrame(deals)
    d["won"] = pd.to_datetime(d["closed_at"])
    d = d[d["won"] < pd.Timestamp(as_of) + pd.Timedelta(days=1)].copy()
    d["first"] = d.groupby("lead_id")["won"].transform("min")
    d["idx"] = (d["won"].dt.year * 12 + d["won"].dt.month) - (
        d["first"].dt.year * 12 + d["first"].dt.month)
    d["in_first"] = d["won"] <= d["first"] + pd.Timedelta(days=FPD)
    d["value"] = d["amount"] * (margin or 1.0)
    rows = []
    for lid, g in d.groupby("lead_id"):
        first, last = g["won"].min(), g["won"].max()
        in_h = g[g["idx"] < H]
        rows.append({
            "lead_id": lid, "first": first, "last": last, "purchases": len(g),
            "first_value": g.loc[g["in_first"], "value"].sum(),
            "value_h": in_h["value"].sum(), "revenue": g["amount"].sum(),
            "repeat": bool((~in_h["in_first"]).any()),
            "lines_h": in_h["product"].nunique(), "lines": g["product"].nunique(),
            "last_month": int(g["idx"].max())})
    c = pd.DataFrame(rows).merge(ld, on="lead_id")
    c["age"] = _months(c["first"], as_of)
    c["active"] = _months(c["last"], as_of) < CHURN
    return {"customers": c, "purchases": d}


def _by_channel(c: pd.DataFrame, min_customers: int, repeat_purchases: float):
    out = {}
    for ch, g in c.groupby("channel"):
        obs = g[g["age"] >= H]
        seen12 = g[g["age"] >= 12]
        n = len(obs)
        sd = obs["value_h"].std(ddof=1)
        out[ch] = {
            "customers": len(g), "observed": n,
            "repeat_rate": obs["repeat"].mean(),
            "cross_sell_rate": (obs["lines_h"] > 1).mean(),
            "retention_12m": ((seen12["last_month"] >= 12) | seen12["active"]).mean(),
            "first_deal": g["first_value"].mean(),
            "clv": obs["value_h"].mean() if n >= min_customers
            else g["first_value"].mean() * repeat_purchases,
            "half": 1.959963984540054 * sd / np.sqrt(n),
            "repeat_value": obs["value_h"].mean() - obs["first_value"].mean()
            if n >= min_customers else g["first_value"].mean() * (repeat_purchases - 1),
            "basis": "measured" if n >= min_customers else "assumed"}
    return out


@pytest.fixture(scope="module")
def history():
    return _history()


@pytest.fixture
def measured(case, history):
    leads, deals = history
    params, data = case(leads=leads, deals=deals,
                        customer_value={"min_customers": 10, "dimensions": ["channel",
                                                                            "industry"]},
                        value={"repeat_purchases": 2.5})
    return params, data, customer_value(data, data.as_of, settings=params.customer_value,
                                        value=params.value)


def test_customer_value_by_channel_matches_pandas(measured, history):
    params, data, cv = measured
    want = _by_channel(_expected(*history)["customers"], 10, 2.5)
    got = cv.group("channel").set_index("group")
    assert set(got.index) == {"A", "B", "C"}
    for ch, w in want.items():
        g = got.loc[ch]
        assert g["customers"] == w["customers"] and g["observed"] == w["observed"]
        for col in ("repeat_rate", "cross_sell_rate", "retention_12m", "first_deal", "clv"):
            assert g[col] == pytest.approx(w[col], rel=1e-9), (ch, col)
        assert g["clv_basis"] == w["basis"] == "measured"
        assert g["clv_low"] == pytest.approx(max(w["clv"] - w["half"], 0.0), rel=1e-9)
        assert g["clv_high"] == pytest.approx(w["clv"] + w["half"], rel=1e-9)
        assert g["repeat_rate_low"] < g["repeat_rate"] < g["repeat_rate_high"]
    # the channel that keeps its customers shows it
    assert got.loc["A", "repeat_rate"] > got.loc["B", "repeat_rate"] > \
        got.loc["C", "repeat_rate"]
    total = cv.total
    c = _expected(*history)["customers"]
    assert total["customers"] == len(c)
    assert total["clv"] == pytest.approx(c.loc[c["age"] >= H, "value_h"].mean())
    industry = cv.group("industry").set_index("group")
    assert industry["customers"].sum() == len(c)


def test_cohort_table_matches_pandas(measured, history):
    _, _, cv = measured
    exp = _expected(*history)
    c, d = exp["customers"], exp["purchases"]
    c["cohort"] = c["first"].dt.year.astype(str) + "-Q" + c["first"].dt.quarter.astype(str)
    d = d.merge(c[["lead_id", "cohort"]], on="lead_id")
    logo = cv.retention[cv.retention["measure"] == "logo_retention"].set_index("cohort")
    nrr = cv.retention[cv.retention["measure"] == "net_revenue_retention"] \
        .set_index("cohort")
    rpc = cv.retention[cv.retention["measure"] == "revenue_per_customer"] \
        .set_index("cohort")
    checked = 0
    for cohort, g in c.groupby("cohort"):
        assert logo.loc[cohort, "customers"] == len(g)
        for m in (0, 1, 3, 6, 12):
            if (g["age"] >= m).all():
                want = ((g["last_month"] >= m) | g["active"]).mean()
                assert logo.loc[cohort, f"m{m}"] == pytest.approx(want), (cohort, m)
                dd = d[d["cohort"] == cohort]
                cum = dd.loc[dd["idx"] <= m, "amount"].sum()
                assert nrr.loc[cohort, f"m{m}"] == pytest.approx(
                    cum / dd.loc[dd["idx"] == 0, "amount"].sum())
                assert rpc.loc[cohort, f"m{m}"] == pytest.approx(cum / len(g))
                checked += 1
            else:
                assert np.isnan(logo.loc[cohort, f"m{m}"])
    assert checked > 10


def test_health_bands_match_pandas(measured, history):
    params, _, cv = measured
    c = _expected(*history)["customers"]
    hs = params.customer_value.health
    rec = (pd.Timestamp(AS_OF) + pd.Timedelta(days=1) - c["last"]).dt.total_seconds() / 86400
    pts = sum((rec <= t).astype(int) for t in hs.recency_days) \
        + sum((c["purchases"] >= t).astype(int) for t in hs.frequency) \
        + sum((c["revenue"] >= t).astype(int) for t in hs.value)
    band = np.where(pts >= hs.healthy, "healthy", np.where(pts <= hs.at_risk, "at_risk",
                                                          "watch"))
    total = cv.health[cv.health["channel"].isna()].iloc[0]
    assert total["customers"] == len(c)
    assert total["healthy"] == (band == "healthy").sum()
    assert total["at_risk"] == (band == "at_risk").sum()
    assert total["mean_points"] == pytest.approx(pts.mean())
    want = c[(band == "healthy") & (c["lines"] == 1)]
    assert total["candidates"] == len(want)
    assert set(cv.candidates["lead_id"]) <= set(want["lead_id"])


def test_too_short_a_history_is_assumed(case, history):
    leads, deals = history
    params, data = case(leads=leads, deals=deals, as_of="2025-03-31", period="2025-Q1",
                        customer_value={"min_customers": 10},
                        value={"repeat_purchases": 2.5})
    cv = customer_value(data, data.as_of, settings=params.customer_value, value=params.value)
    exp = _expected(leads, deals, as_of=dt.date(2025, 3, 31))["customers"]
    want = _by_channel(exp, 10, 2.5)
    got = cv.group("channel").set_index("group")
    for ch, w in want.items():
        assert w["basis"] == "assumed" == got.loc[ch, "clv_basis"]
        assert got.loc[ch, "too_few"]
        assert got.loc[ch, "clv"] == pytest.approx(w["first_deal"] * 2.5)
        assert np.isnan(got.loc[ch, "clv_low"]) and np.isnan(got.loc[ch, "clv_high"])


def test_without_deals_nothing_is_measured(case, history):
    leads, _ = history
    params, data = case(leads=leads, value={"repeat_purchases": 3.0})
    cv = customer_value(data, data.as_of, settings=params.customer_value, value=params.value)
    assert not cv.has_history
    assert (cv.by_group["clv_basis"] == "assumed").all()
    assert cv.by_group["repeat_rate"].isna().all()
    won = pd.DataFrame(leads)
    won = won[won["won_at"] != ""]
    assert cv.total["clv"] == pytest.approx(won["amount"].astype(float).mean() * 3.0)


def test_margin_is_the_value_basis(case, history):
    leads, deals = history
    params, data = case(leads=leads, deals=deals, value={"margin": 0.4},
                        customer_value={"min_customers": 10})
    cv = customer_value(data, data.as_of, settings=params.customer_value, value=params.value)
    c = _expected(leads, deals, margin=0.4)["customers"]
    assert cv.total["clv"] == pytest.approx(c.loc[c["age"] >= H, "value_h"].mean())


def test_measured_value_flows_into_the_drilldowns(case, history):
    from leadroi import metrics
    from leadroi.periods import parse_period

    leads, deals = history
    spend = [{"date": "2025-08-01", "channel": ch, "amount": amount}
             for ch, amount in (("A", 90000), ("B", 60000), ("C", 30000))]
    params, data = case(leads=leads, deals=deals, spend=spend, period="2025-Q3",
                        customer_value={"min_customers": 10}, value={"repeat_purchases": 2})
    cv = customer_value(data, data.as_of, settings=params.customer_value, value=params.value)
    facts = metrics.lead_facts(data, parse_period("2025-Q3"), data.as_of, value=params.value)
    drills = metrics.drilldowns(facts, data, ["channel"], min_leads=1, value=params.value)
    out = apply_measured(cv, drills, value=params.value)
    want = _by_channel(_expected(leads, deals)["customers"], 10, 2.0)
    ch = out["channel"].set_index("group")
    got = cv.group("channel").set_index("group")
    for g in ("A", "B", "C"):
        assert ch.loc[g, "clv_basis"] == "measured"
        assert ch.loc[g, "clv"] == got.loc[g, "clv"]
        cac = ch.loc[g, "cac"]
        assert np.isfinite(cac)
        assert ch.loc[g, "ltv_cac"] == pytest.approx(got.loc[g, "clv"] / cac)
        assert got.loc[g, "ltv_cac"] == pytest.approx(got.loc[g, "clv"] / cac)
        assert ch.loc[g, "payback_months"] == pytest.approx(cac * H / got.loc[g, "clv"])
        r = ch.loc[g]
        assert got.loc[g, "lifetime_roi"] == pytest.approx(
            r["roi"] + r["customers"] * want[g]["repeat_value"] / r["spend"])
        assert got.loc[g, "lifetime_roi"] >= got.loc[g, "roi"]
        assert got.loc[g, "roi"] == pytest.approx(r["roi"])
    # the drill-down passed in keeps its assumption
    assert drills["channel"]["clv"].iloc[0] == pytest.approx(
        drills["channel"]["avg_deal"].iloc[0] * 2)
