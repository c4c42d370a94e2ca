"""Deterministic, realistic sample data: ``leadroi sample DIR [--lang en|zh] [--seed N]``.

Writes ``leads.csv``, ``deals.csv``, ``spend.csv``, ``touchpoints.csv`` and ``targets.csv``
covering the eight quarters that end with 2026-Q3, as a CRM export taken on 2026-10-31
would look. The channel economics live in :mod:`leadroi.sample.vocab`; the deals are every
customer's first purchase (the lead's own won date and amount) and its repeat purchases,
in product lines, with channels that differ in how long their customers keep buying. A
handful of rows carry the defects real exports have (duplicated ids, a won date before the
created date, amounts written as ``¥5万``, channel names in another case, placeholders; in
the deals another currency, an unreadable amount, unknown leads) so the data-quality
appendix of the sample report has something real to show. Same seed and language give
byte-identical files.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from leadroi.periods import parse_period
from leadroi.sample.vocab import CHANNELS, TITLES, VOCAB

__all__ = ["generate_sample", "SAMPLE_FILES"]

SAMPLE_FILES = ("leads.csv", "deals.csv", "spend.csv", "touchpoints.csv", "targets.csv")
_AS_OF = np.datetime64("2026-10-31T23:59")
_DAY = np.timedelta64(1, "D")
_MIN = np.timedelta64(1, "m")

# Stage modifiers (multiplying the channel's pass rate), indexed like VOCAB lists.
_CONTENT_EFFECT = np.array([1.25, 0.85, 1.15, 0.80, 1.0])  # on needs confirmation
_STRATEGY_EFFECT = np.array([1.10, 0.80, 1.05, 1.05])  # on needs confirmation
_INDUSTRY_EFFECT = np.array([1.15, 0.80, 1.0, 1.05, 0.95, 1.05])  # on proposal
_SEASON = np.array([0.92, 1.0, 1.04, 1.06])  # Q1..Q4 lead volume
_LAST_QUARTER_NEEDS = 0.78  # the bottleneck gets worse in the report quarter
_STAGE_GAP = np.array([0.0, 0.9, 1.0, 1.0, 1.3])  # days scale per stage (x channel cycle)
_LOST_BY_STAGE = np.array([  # P(lost reason | failed stage), reasons as VOCAB order
    [0.05, 0.02, 0.03, 0.10, 0.70, 0.10],
    [0.30, 0.10, 0.05, 0.35, 0.10, 0.10],
    [0.30, 0.20, 0.30, 0.10, 0.02, 0.08],
    [0.15, 0.30, 0.35, 0.05, 0.00, 0.15],
    [0.15, 0.35, 0.30, 0.05, 0.00, 0.15],
])


def generate_sample(
    out_dir: str | Path,
    *,
    lang: str = "en",
    seed: int = 2026,
    n_leads: int = 60_000,
    last_period: str = "2026-Q3",
    quarters: int = 8,
) -> dict[str, Path]:
    """Write the sample dataset.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into (created if needed).
    lang : {"en", "zh"}
        Language of the values (channel names, regions, reasons ...); the numbers are the
        same in both.
    seed : int
        Random seed; the same seed gives byte-identical files.
    n_leads : int
        Approximate number of leads.
    last_period : str
        The last quarter covered.
    quarters : int
        How many quarters, ending with ``last_period``.

    Returns
    -------
    dict of str to Path
        Table name (``leads``, ``deals``, ``spend``, ``touchpoints``, ``targets``) to file
        written.
    """
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")
    rng = np.random.default_rng(seed)
    last = parse_period(last_period)
    periods = [last.shift(k - quarters + 1) for k in range(quarters)]
    leads, potential = _leads(rng, lang, periods, n_leads, seed)
    spend = _spend(rng, leads, lang)
    targets = _targets(rng, potential, periods + [last.shift(1)], lang)
    touch = _touchpoints(rng, leads, lang)
    leads_out = _with_defects(rng, leads, lang)
    deals = _deals(np.random.default_rng([seed, 5]), leads, leads_out, lang)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    frames = {"leads": leads_out, "deals": deals, "spend": spend, "touchpoints": touch,
              "targets": targets}
    written = {}
    for name, frame in frames.items():
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        written[name] = path
    return written


def _label(key: str, lang: str) -> np.ndarray:
    return np.array(VOCAB[key][lang], dtype=object)


def _channel_names(lang: str) -> np.ndarray:
    return np.array([getattr(c, lang) for c in CHANNELS], dtype=object)


def _leads(rng, lang, periods, n_leads, seed) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate one row per lead; also return potential (uncensored) outcomes."""
    share = np.array([c.share for c in CHANNELS])
    growth = np.array([c.growth for c in CHANNELS])
    volume = np.array([[share[c] * (1 + growth[c]) ** q * _SEASON[p.start.month // 3]
                        for c in range(len(CHANNELS))] for q, p in enumerate(periods)])
    counts = np.rint(volume / volume.sum() * n_leads).astype(int)
    chan, quarter = [], []
    for q in range(len(periods)):
        for c in range(len(CHANNELS)):
            chan.append(np.full(counts[q, c], c))
            quarter.append(np.full(counts[q, c], q))
    ch = np.concatenate(chan)
    qi = np.concatenate(quarter)
    n = len(ch)
    starts = np.array([np.datetime64(p.start) for p in periods])
    days = np.array([(p.end - p.start).days for p in periods])
    created = (starts[qi].astype("datetime64[m]")
               + (rng.random(n) * days[qi]).astype(int) * _DAY
               + rng.choice(np.arange(24), n, p=_hour_weights()) * 60 * _MIN
               + rng.integers(0, 60, n) * _MIN)
    prof = {f: np.array([getattr(c, f) for c in CHANNELS]) for f in
            ("cycle", "exec_share", "response_h", "deal")}
    stage_p = np.array([c.stage_p for c in CHANNELS])
    # attributes
    content = rng.integers(0, len(VOCAB["content"]["en"]), n)
    strategy = rng.integers(0, len(VOCAB["strategy"]["en"]), n)
    industry = rng.choice(6, n, p=[0.26, 0.12, 0.22, 0.14, 0.12, 0.14])
    region = rng.choice(5, n, p=[0.34, 0.26, 0.22, 0.12, 0.06])
    size = rng.choice(4, n, p=[0.30, 0.32, 0.24, 0.14])
    ctype = np.where(size >= 2, 0, rng.choice(2, n, p=[0.3, 0.7]))
    owner = rng.integers(0, len(VOCAB["owner"]["en"]), n)
    u = rng.random(n)
    es = prof["exec_share"][ch]
    seniority = np.select([u < es * 0.45, u < es, u < es + 0.12], [0, 1, 2], default=3)
    latent = rng.normal(0, 1, n)
    is_exec = seniority <= 1
    # funnel: pass probabilities per stage
    p = stage_p[ch].copy()
    p[:, 1] *= _CONTENT_EFFECT[content] * _STRATEGY_EFFECT[strategy]
    p[:, 1] *= np.where(qi == len(periods) - 1, _LAST_QUARTER_NEEDS, 1.0)
    p[:, 1] *= np.where(is_exec, 1.1, 1.0)
    p[:, 2] *= _INDUSTRY_EFFECT[industry]
    p[:, 4] *= np.where(is_exec, 1.1, 1.0)
    p = np.clip(p * np.exp(0.3 * latent)[:, None], 0.01, 0.97)
    cycle = prof["cycle"][ch] * np.where(is_exec, 1.35, 1.0)
    times = np.full((n, 5), np.datetime64("NaT"), dtype="datetime64[m]")
    alive = np.ones(n, bool)
    potential_reached = np.ones(n, bool)
    t = created.copy()
    lost_at = np.full(n, np.datetime64("NaT"), dtype="datetime64[m]")
    lost_stage = np.full(n, -1)
    for s in range(5):
        if s == 0:
            hours = rng.lognormal(np.log(prof["response_h"][ch]), 0.9)
            gap = (hours * 60).astype(int) * _MIN
        else:
            gap = (rng.gamma(2.0, cycle * _STAGE_GAP[s] / 2.0) * 1440).astype(int) * _MIN + _MIN
        t = t + gap
        passed = rng.random(n) < p[:, s]
        known = t <= _AS_OF
        reach = alive & passed & known
        times[reach, s] = t[reach]
        fail = alive & ~passed & known
        lost_now = fail & (rng.random(n) < 0.85)
        lost_at[lost_now] = t[lost_now] + (rng.gamma(2.0, 3.0, lost_now.sum()) * 1440).astype(
            int) * _MIN
        lost_stage[lost_now] = s
        potential_reached &= passed
        alive &= reach
    lost_at[lost_at > _AS_OF] = np.datetime64("NaT")
    lost_stage[np.isnat(lost_at)] = -1
    won = ~np.isnat(times[:, 4])
    deal = prof["deal"][ch] * np.where(is_exec, 1.8, 1.0) * np.exp(rng.normal(-0.1, 0.45, n))
    amount = np.where(won, np.round(deal, -2), np.nan)
    reason_idx = np.full(n, -1)
    for s in range(5):
        mask = lost_stage == s
        reason_idx[mask] = rng.choice(6, mask.sum(), p=_LOST_BY_STAGE[s])
    assigned = created + (rng.exponential(90, n).astype(int) + 1) * _MIN
    assigned[rng.random(n) < 0.03] = np.datetime64("NaT")
    contact = times[:, 0]
    has_mql = (~np.isnat(contact) & (rng.random(n) < 0.7)) | ~np.isnat(times[:, 1])
    halfway = created + ((contact - created) // 2)  # NaT where never contacted
    mql = np.where(has_mql, halfway, np.datetime64("NaT"))
    sql = np.where(~np.isnat(times[:, 1]), times[:, 1] - 120 * _MIN, np.datetime64("NaT"))
    score = np.clip(np.rint(45 + 14 * latent + 12 * is_exec + 4 * size
                            + rng.normal(0, 8, n)), 0, 100).astype(int)
    rated = is_exec & ~np.isnat(times[:, 1])
    rating_idx = np.where(latent > 0.5, 0, np.where(latent > -0.5, 1, 2))
    nps = np.where(is_exec & ~np.isnat(times[:, 2]) & (rng.random(n) < 0.6),
                   np.clip(np.rint(7 + 2 * latent + rng.normal(0, 1, n)), 0, 10), np.nan)
    # labels
    chan_names = _channel_names(lang)
    letters = np.array(list("AB"))
    camp_k = rng.integers(0, 2, n)
    quarter_tag = np.array([p.label.replace("-", "") for p in periods], dtype=object)
    campaign = chan_names[ch] + "-" + quarter_tag[qi] + "-" + letters[camp_k]
    bands = ("c_suite", "vp", "director", "staff")
    title = np.empty(n, dtype=object)
    for b, band in enumerate(bands):
        pool = np.array(TITLES[band][lang], dtype=object)
        mask = seniority == b
        title[mask] = pool[rng.integers(0, len(pool), mask.sum())]
    prefix, noun, suffix = (_label(k, lang) for k in
                            ("company_prefix", "company_noun", "company_suffix"))
    sep = " " if lang == "en" else ""
    name = (prefix[rng.integers(0, len(prefix), n)] + sep + noun[industry] + sep
            + suffix[rng.integers(0, len(suffix), n)])
    notes = np.where(rng.random(n) < 0.08, _label("note", lang)[rng.integers(0, 5, n)], "")
    notes = _behaviour_notes(np.random.default_rng([seed, 4]), notes, latent, lang)
    order = np.argsort(created, kind="stable")
    day_str = pd.Series(created).dt.strftime("%Y%m%d").to_numpy()
    frame = pd.DataFrame({
        "lead_id": "", "lead_name": name, "created_at": _fmt(created),
        "channel": chan_names[ch], "campaign": campaign,
        "strategy": _label("strategy", lang)[strategy],
        "content": _label("content", lang)[content], "owner": _label("owner", lang)[owner],
        "region": _label("region", lang)[region], "customer_type":
        _label("customer_type", lang)[ctype], "industry": _label("industry", lang)[industry],
        "title": title, "company_size": _label("company_size", lang)[size],
        "assigned_at": _fmt(assigned), "first_contact_at": _fmt(times[:, 0]),
        "mql_at": _fmt(mql), "sql_at": _fmt(sql), "needs_confirmed_at": _fmt(times[:, 1]),
        "proposal_at": _fmt(times[:, 2]), "negotiation_at": _fmt(times[:, 3]),
        "won_at": _fmt(times[:, 4]), "lost_at": _fmt(lost_at),
        "lost_reason": np.where(reason_idx >= 0, _label("lost_reason", lang)[reason_idx], ""),
        "amount": np.where(won, np.char.mod("%.2f", np.nan_to_num(amount)), ""),
        "score": score, "nps": np.where(np.isnan(nps), "", np.char.mod("%d", np.nan_to_num(
            nps).astype(int))),
        "rating": np.where(rated, _label("rating", lang)[rating_idx], ""),
        "notes": notes,
    }).iloc[order].reset_index(drop=True)
    day_sorted = day_str[order]
    seq = pd.Series(day_sorted).groupby(day_sorted).cumcount().to_numpy() + 1
    frame["lead_id"] = day_sorted + np.char.zfill(seq.astype(str), 4).astype(object)
    potential = pd.DataFrame({"quarter": qi, "channel": chan_names[ch],
                              "won": potential_reached,
                              "deal": np.where(potential_reached, deal, 0.0)}).iloc[order]
    frame.attrs["_internal"] = {"channel_idx": ch[order], "created": created[order],
                                "won_at": times[order, 4], "lost_at": lost_at[order],
                                "is_exec": is_exec[order]}
    return frame, potential


def _behaviour_notes(rng, notes: np.ndarray, latent: np.ndarray, lang: str) -> np.ndarray:
    """Note the leads that visited the pricing page (seed 004's behaviour signal); keener
    leads (higher latent interest) visit more often. Its own generator, so adding it left
    every other column as it was."""
    visited = rng.random(len(notes)) < np.clip(0.16 + 0.12 * latent, 0.02, 0.6)
    text = _label("pricing_visit", lang)[0]
    sep = "; " if lang == "en" else ";"
    both = np.char.add(np.char.add(notes.astype(str), sep), text).astype(object)
    return np.where(visited, np.where(notes == "", text, both), notes).astype(object)


def _hour_weights() -> np.ndarray:
    w = np.array([1, 1, 1, 1, 1, 2, 4, 8, 14, 18, 18, 16, 12, 15, 17, 16, 14, 11, 8, 6,
                  5, 4, 3, 2], float)
    return w / w.sum()


def _fmt(values: np.ndarray) -> np.ndarray:
    s = pd.Series(values).dt.strftime("%Y-%m-%d %H:%M")
    return s.fillna("").to_numpy(dtype=object)


def _spend(rng, leads: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Monthly spend by channel x campaign (marketing) and by channel (sales)."""
    month = leads["created_at"].str.slice(0, 7)
    idx = leads.attrs["_internal"]["channel_idx"]
    cpl = np.array([c.cpl for c in CHANNELS])
    sales_cpl = np.array([c.sales_cpl for c in CHANNELS])
    names = _channel_names(lang)
    df = pd.DataFrame({"month": month, "c": idx, "campaign": leads["campaign"]})
    mk = df.groupby(["month", "c", "campaign"], sort=True).size().reset_index(name="n")
    mk["amount"] = mk["n"] * cpl[mk["c"]] * np.exp(rng.normal(0, 0.08, len(mk)))
    mk["cost_type"] = "marketing"
    sa = df.groupby(["month", "c"], sort=True).size().reset_index(name="n")
    sa["amount"] = sa["n"] * sales_cpl[sa["c"]] * np.exp(rng.normal(0, 0.06, len(sa)))
    sa["campaign"] = ""
    sa["cost_type"] = "sales"
    out = pd.concat([mk, sa], ignore_index=True)
    out["date"] = out["month"] + "-01"
    out["channel"] = names[out["c"]]
    out["amount"] = np.char.mod("%.2f", np.round(out["amount"].to_numpy(float), 2))
    out = out.sort_values(["date", "c", "cost_type", "campaign"], kind="stable")
    return out[["date", "channel", "campaign", "cost_type", "amount"]].reset_index(drop=True)


def _targets(rng, potential: pd.DataFrame, periods, lang: str) -> pd.DataFrame:
    """Quarterly targets per channel and overall, set a little above the likely outcome."""
    rows = []
    by = potential.groupby(["quarter", "channel"], sort=False)
    stats = by.agg(leads=("won", "size"), customers=("won", "sum"), revenue=("deal", "sum"))
    names = list(_channel_names(lang))
    n_q = len(periods)
    for q, period in enumerate(periods):
        ref_q = min(q, n_q - 2)  # the quarter after the data: plan from the last one
        uplift = 1.0 + 0.05 * rng.random()
        tot = {"leads": 0.0, "customers": 0.0, "revenue": 0.0}
        for name in names:
            if (ref_q, name) not in stats.index:
                continue
            s = stats.loc[(ref_q, name)]
            for metric in ("leads", "customers", "revenue"):
                value = float(s[metric]) * uplift * (1.04 if q == n_q - 1 else 1.0)
                tot[metric] += value
                rows.append((period.label, name, metric, _round_target(metric, value)))
        for metric, value in tot.items():
            rows.append((period.label, "all", metric, _round_target(metric, value)))
        budget = sum(float(s) * (c.cpl + c.sales_cpl) for c, s in zip(
            CHANNELS, [stats.loc[(ref_q, n)]["leads"] if (ref_q, n) in stats.index else 0
                       for n in names]))
        rows.append((period.label, "all", "spend", _round_target("revenue", budget)))
        for c, name in zip(CHANNELS, names):  # per-channel budgets
            if (ref_q, name) in stats.index:
                planned = float(stats.loc[(ref_q, name)]["leads"]) * (c.cpl + c.sales_cpl)
                rows.append((period.label, name, "spend", _round_target("revenue", planned)))
        rows.append((period.label, "all", "cac", f"{budget / max(tot['customers'], 1):.0f}"))
        rows.append((period.label, "all", "roi", "1.00"))
    return pd.DataFrame(rows, columns=["period", "channel", "metric", "value"])


def _round_target(metric: str, value: float) -> str:
    if metric == "revenue":
        return f"{round(value, -4):.0f}"
    return f"{round(value):.0f}"


def _touchpoints(rng, leads: pd.DataFrame, lang: str) -> pd.DataFrame:
    """About five touches per lead: the lead's own channel at creation, others around it."""
    internal = leads.attrs["_internal"]
    n = len(leads)
    k = np.minimum(1 + rng.poisson(3.6, n), 12)
    lead_pos = np.repeat(np.arange(n), k)
    first = np.zeros(len(lead_pos), bool)
    first[np.concatenate([[0], np.cumsum(k)[:-1]])] = True
    created = internal["created"][lead_pos]
    end = internal["won_at"][lead_pos].copy()
    lost = internal["lost_at"][lead_pos]
    end = np.where(np.isnat(end), lost, end)
    end = np.where(np.isnat(end), np.minimum(created + 90 * _DAY, _AS_OF), end)
    span = (end - created + 40 * _DAY).astype("timedelta64[m]").astype(np.int64)
    offset = (rng.random(len(lead_pos)) * span).astype(np.int64) * _MIN
    when = np.where(first, created, created - 40 * _DAY + offset)
    won = ~np.isnat(internal["won_at"][lead_pos])
    base = np.array([0.22, 0.05, 0.16, 0.04, 0.18, 0.12, 0.10, 0.13])
    late = np.array([0.10, 0.14, 0.10, 0.14, 0.10, 0.24, 0.04, 0.14])
    after = when > created
    pick_late = won & after
    ch = np.where(pick_late, rng.choice(8, len(lead_pos), p=late),
                  rng.choice(8, len(lead_pos), p=base))
    ch = np.where(first, internal["channel_idx"][lead_pos], ch)
    names = _channel_names(lang)
    campaign = np.where(first, leads["campaign"].to_numpy()[lead_pos], "")
    out = pd.DataFrame({"lead_id": leads["lead_id"].to_numpy()[lead_pos],
                        "touched_at": _fmt(when.astype("datetime64[m]")),
                        "channel": names[ch], "campaign": campaign})
    return out.sort_values(["lead_id", "touched_at"], kind="stable").reset_index(drop=True)


_FIRST_PRODUCT = np.array([0.55, 0.2, 0.15, 0.1])  # product line of a first purchase
_SAME_PRODUCT = 0.55  # a repeat purchase stays in the line bought last (else cross-sell)
_MAX_REPEATS = 8


def _deals(rng, leads: pd.DataFrame, leads_out: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every customer's won deals: the first purchase carries the lead's own won date and
    amount as exported (defects included, so the join changes no lead), then repeat
    purchases while the customer stays (each next one with the channel's ``stay``
    chance, executives a little more loyal), 60 days or more apart, up to the export
    date. Its own random generator, so adding it left every other file as it was. A few
    deal rows carry defects: a deal in US dollars, an unreadable amount, a deal of a
    lead not in the export, a deal dated before its lead was created."""
    internal = leads.attrs["_internal"]
    first = leads_out.drop_duplicates("lead_id")
    first = first[first["won_at"] != ""]
    pos = pd.Index(leads["lead_id"]).get_indexer(first["lead_id"])
    n = len(first)
    stay = np.array([c.stay for c in CHANNELS])[internal["channel_idx"][pos]]
    stay = np.minimum(stay * np.where(internal["is_exec"][pos], 1.15, 1.0), 0.9)
    products = _label("product", lang)
    product = rng.choice(len(products), n, p=_FIRST_PRODUCT)
    won = pd.to_datetime(first["won_at"], errors="coerce").to_numpy("datetime64[m]")
    base = pd.to_numeric(leads["amount"].to_numpy()[pos], errors="coerce")
    rows = [pd.DataFrame({"lead_id": first["lead_id"].to_numpy(), "k": 0,
                          "closed_at": first["won_at"].to_numpy(),
                          "amount": first["amount"].to_numpy(), "product": product})]
    alive = np.ones(n, bool)
    t, last = won.copy(), product.copy()
    for k in range(1, _MAX_REPEATS + 1):
        alive &= rng.random(n) < stay
        gap = ((60 + rng.gamma(2.0, 75.0, n)) * 1440).astype(int) * _MIN
        t = t + gap
        switch = rng.random(n) >= _SAME_PRODUCT
        other = (last + rng.integers(1, len(products), n)) % len(products)
        last = np.where(switch, other, last)
        amount = np.round(base * np.exp(rng.normal(-0.7, 0.4, n)), -2)
        take = alive & ~np.isnat(t) & (t <= _AS_OF) & ~np.isnan(base)
        if not take.any():
            break
        rows.append(pd.DataFrame({"lead_id": first["lead_id"].to_numpy()[take], "k": k,
                                  "closed_at": _fmt(t[take]),
                                  "amount": np.char.mod("%.2f", amount[take]),
                                  "product": last[take]}))
    df = pd.concat(rows, ignore_index=True).sort_values(["lead_id", "k"], kind="stable")
    df["deal_id"] = "D" + df["lead_id"] + "-" + (df["k"] + 1).astype(str)
    df["deal_name"] = products[df["product"].to_numpy()]
    df["product"] = df["deal_name"]
    df["stage"] = _label("won_stage", lang)[0]
    df["currency"] = "CNY"
    df = df.reset_index(drop=True)
    repeats = rng.permutation(np.flatnonzero(df["k"].to_numpy() > 0))
    df = df[["deal_id", "lead_id", "deal_name", "product", "stage", "amount", "currency",
             "closed_at"]]
    usd, tbd, orphan, early = repeats[:2], repeats[2:4], repeats[4:6], repeats[6:8]
    df.loc[usd, "currency"] = "USD"
    df.loc[tbd, "amount"] = "TBD" if lang == "en" else "待定"
    df.loc[orphan, "lead_id"] = "X" + df.loc[orphan, "lead_id"]
    created = pd.to_datetime(leads.set_index("lead_id").loc[df.loc[early, "lead_id"],
                                                             "created_at"]).to_numpy()
    df.loc[early, "closed_at"] = _fmt((created - 30 * _DAY).astype("datetime64[m]"))
    return df


def _with_defects(rng, leads: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Add the defects real exports carry; each is fixed or quarantined by the loader."""
    df = leads.copy()
    df.attrs = {}
    n = len(df)
    won_rows = np.flatnonzero(df["won_at"].to_numpy() != "")
    picks = rng.permutation(won_rows)
    wan, wan_yuan, comma, neg, won_before = (picks[:40], picks[40:50], picks[50:60],
                                              picks[60:62], picks[62:68])
    amt = df["amount"].to_numpy(dtype=object)
    for i in wan:
        amt[i] = f"¥{float(amt[i]) / 1e4:g}万"
    for i in wan_yuan:
        amt[i] = f"{float(amt[i]) / 1e4:g}万元"
    for i in comma:
        amt[i] = f"¥{float(amt[i]):,.0f}"
    for i in neg:
        amt[i] = f"-{amt[i]}"
    df["amount"] = amt
    created = pd.to_datetime(df["created_at"])
    for i in won_before:
        df.loc[i, "won_at"] = (created[i] - pd.Timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    others = rng.permutation(np.setdiff1d(np.arange(n), won_rows))
    for i in others[:25]:  # channel spelt differently
        ch = df.loc[i, "channel"]
        df.loc[i, "channel"] = f" {ch}" if i % 2 else ch.lower() + " "
    for i in others[25:55]:  # slash dates as Chinese Excel writes them
        ts = created[i]
        df.loc[i, "created_at"] = f"{ts.year}/{ts.month}/{ts.day} {ts:%H:%M}"
    for i in others[55:58]:  # unusable creation date
        df.loc[i, "created_at"] = "#N/A"
    for i, value in zip(others[58:90], ["-", "未知", "N/A", "#N/A"] * 8):
        df.loc[i, "region"] = value
    dup = np.sort(others[90:105])  # exported twice
    parts, last = [], 0
    for i in dup:
        parts.append(df.iloc[last:i + 1])
        parts.append(df.iloc[[i]])
        last = i + 1
    parts.append(df.iloc[last:])
    return pd.concat(parts, ignore_index=True)


def sample_as_of() -> dt.date:
    """The export date of the sample: outcomes are observed up to this day."""
    return dt.date(2026, 10, 31)
