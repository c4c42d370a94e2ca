"""The predictive lead score (seed 001: "recommend the customers with the most potential
from historical data"; seed 004: a dynamic scoring model), validated out of time.

The moment of scoring is ``window_days`` after a lead's creation. Features read only
what is known then: the lead's attributes at creation, its first contact and its touches
inside the window. Every feature declares the columns it reads, and :func:`check_features`
refuses a feature set that reads a column recorded later (a stage timestamp, the outcome,
the lost reason, the amount): that is the leakage guard, not a convention.

Time split, for a report on period P (previous quarter P-1):

* selection: models trained on the ``train_quarters`` quarters before P-1 except the
  last, compared by AUC on that last one;
* validation: the chosen model, refitted and calibrated (scikit-learn's
  ``CalibratedClassifierCV``, sigmoid) on all ``train_quarters`` quarters, is measured on
  P-1 — beside the rule-based score on the same leads;
* use: P's leads still open at the cut-off are ranked by probability × expected deal.

Outcomes are as known at the report's cut-off (won by then, otherwise not). Features are
built on the engine; only the training rows (sampled there, stratified by outcome, when
the history is large), the validation quarter and the period's leads come back, as Arrow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import ibis
import numpy as np
import pandas as pd
from ibis.expr.types import Table, Value

from leadroi.canonical import STAGE_COLUMNS
from leadroi.engine import collect
from leadroi.errors import LeadRoiError
from leadroi.metrics.cohort import hours_between, in_period, reached
from leadroi.metrics.quality import _first_number, score_expr, seniority
from leadroi.params import ModelSettings, ScoringSettings
from leadroi.periods import Period
from leadroi.stats import wilson_interval

__all__ = ["Feature", "FEATURES", "KNOWN_AT_SCORING", "LeakageError", "check_features",
           "ScoreModel", "score_model", "time_split", "calibration_table", "top_decile_lift"]

#: Lead columns known when the lead is created. ``first_contact_at`` and touchpoints are
#: read only inside the scoring window (see :data:`WINDOWED`).
KNOWN_AT_SCORING = frozenset({"lead_id", "created_at", "channel", "campaign", "strategy",
                              "content", "industry", "region", "customer_type",
                              "company_size", "title"})
#: Read only up to ``created_at + window_days``.
WINDOWED = frozenset({"first_contact_at", "touchpoints"})
#: Recorded after the moment of scoring: never a feature.
POST_CREATION = frozenset(set(STAGE_COLUMNS) - {"first_contact_at"}) | {
    "lost_reason", "amount", "rating", "notes", "score", "nps", "acquisition_cost", "owner",
    "deals"}


class LeakageError(LeadRoiError):
    """A feature reads a column recorded after the moment of scoring."""


@dataclass(frozen=True)
class Feature:
    """One model input: its ``kind`` (``category`` or ``number``), the columns it reads
    and how to build it from the leads joined to their window touches."""

    name: str
    kind: str
    reads: tuple[str, ...]
    build: Callable[[Table, dt.timedelta], Value]


def _text(name: str) -> Feature:
    def build(t: Table, _w) -> Value:
        col = t[name].cast("string").strip() if name in t.columns else ibis.null("string")
        return ibis.coalesce(col.nullif(""), ibis.literal("(missing)"))
    return Feature(name, "category", (name,), build)


def _response(t: Table, window: dt.timedelta) -> Value:
    if "first_contact_at" not in t.columns:
        return ibis.literal(window.total_seconds() / 3600.0)
    inside = t.first_contact_at.notnull() & (t.first_contact_at < t.created_at + window)
    hours = hours_between(t.created_at, t.first_contact_at).clip(lower=0)
    return ibis.ifelse(inside, hours, window.total_seconds() / 3600.0)


def _size(t: Table, _w) -> Value:
    if "company_size" not in t.columns:
        return ibis.literal(0.0)
    return (_first_number(t.company_size).fill_null(0.0) + 1.0).ln()


#: The features, in a fixed order (determinism).
FEATURES: tuple[Feature, ...] = (
    *(_text(c) for c in ("channel", "campaign", "strategy", "content", "industry",
                         "region", "customer_type")),
    Feature("seniority", "category", ("title",),
            lambda t, _w: seniority(t.title) if "title" in t.columns
            else ibis.literal("unknown")),
    Feature("log_company_size", "number", ("company_size",), _size),
    Feature("response_hours", "number", ("created_at", "first_contact_at"), _response),
    Feature("window_touches", "number", ("touchpoints",),
            lambda t, _w: t._touches.fill_null(0).cast("float64")),
    Feature("window_channels", "number", ("touchpoints",),
            lambda t, _w: t._touch_channels.fill_null(0).cast("float64")),
    Feature("days_since_touch", "number", ("touchpoints",),
            lambda t, w: t._since_touch.fill_null(w.days + 1.0)),
)


def check_features(features: tuple[Feature, ...] | None = None) -> None:
    """Raise :class:`LeakageError` when a feature (of :data:`FEATURES` by default) reads
    a column that is recorded after the moment of scoring (or one this module does not
    know to be safe)."""
    allowed = KNOWN_AT_SCORING | WINDOWED
    for f in FEATURES if features is None else features:
        bad = [c for c in f.reads if c not in allowed]
        if bad:
            why = "is recorded after the lead is scored" if set(bad) & POST_CREATION \
                else "is not known to be available when the lead is scored"
            raise LeakageError(f"feature '{f.name}' reads '{bad[0]}', which {why}; "
                               "the model may only read what is known at creation or "
                               "inside the scoring window")


@dataclass(frozen=True)
class TimeSplit:
    """The windows of one model: ``fit`` (selection training), ``select``, ``train``
    (``fit`` + ``select``), ``test`` (the previous quarter) and ``use`` (the period)."""

    fit: Period
    select: Period
    train: Period
    test: Period
    use: Period


def _quarters_back(period: Period, k: int) -> Period:
    out = period
    for _ in range(k):
        out = out.previous()
    return out


def time_split(period: Period, settings: ModelSettings) -> TimeSplit:
    """The out-of-time windows for a report on ``period``: training ends where the test
    quarter (the previous one) starts, and the test quarter ends where ``period`` starts."""
    test = period.previous()
    first = _quarters_back(test, settings.train_quarters)
    select = test.previous()
    train = Period("train", "range", first.start, test.start)
    fit = Period("fit", "range", first.start, select.start)
    return TimeSplit(fit, select, train, test, period)


def _touch_features(touch: Table | None, leads: Table, window: dt.timedelta) -> Table | None:
    if touch is None:
        return None
    j = touch.join(leads.select("lead_id", _c=leads.created_at), "lead_id")
    j = j.filter((j.touched_at >= j._c) & (j.touched_at < j._c + window))
    end = j._c + window
    return j.group_by("lead_id").aggregate(
        _touches=j.count(), _touch_channels=j.channel.nunique(),
        _since_touch=((end.epoch_seconds() - j.touched_at.epoch_seconds()) / 86400.0).min())


def feature_table(leads: Table, touch: Table | None, scoring: ScoringSettings,
                  as_of: dt.date, window: Period) -> Table:
    """One row per lead created in ``window``: ``lead_id``, ``created_at``, the features,
    ``_won`` (by the cut-off), ``_open`` and the rule-based ``_rule_score``."""
    check_features()
    w = dt.timedelta(days=scoring.model.window_days)
    base = leads.filter(in_period(leads.created_at, window))
    tf = _touch_features(touch, base, w)
    t = base.left_join(tf, "lead_id").select(base, *tf.columns[1:]) if tf is not None \
        else base.mutate(_touches=ibis.literal(0), _touch_channels=ibis.literal(0),
                         _since_touch=ibis.null("float64"))
    won = reached(t, "won_at", as_of)
    lost = reached(t, "lost_at", as_of) & ~won
    extra = {c: t[c].cast("string") for c in ("lead_name", "owner") if c in t.columns}
    return t.select(
        lead_id=t.lead_id, created_at=t.created_at,
        **{f.name: f.build(t, w) for f in FEATURES},
        _won=won, _open=~won & ~lost, _rule_score=score_expr(t, scoring),
        _amount=t.amount if "amount" in t.columns else ibis.null("float64"), **extra)


def _in(t: Table, p: Period) -> Value:
    return in_period(t.created_at, p)


def _sample(t: Table, n_max: int, seed: int) -> Table:
    """At most about ``n_max`` rows of ``t``, stratified by ``_won``, chosen by a hash of
    the lead id (deterministic, on the engine)."""
    counts = collect(t.group_by("_won").aggregate(n=t.count()))
    total = int(counts["n"].sum())
    if total <= n_max:
        return t
    keep = n_max / total  # same share of each outcome: the class balance is kept
    bucket = (t.lead_id.cast("string") + str(seed)).hash().abs() % 1_000_000
    return t.filter(bucket < int(keep * 1_000_000))


def top_decile_lift(y: np.ndarray, p: np.ndarray) -> float:
    """Conversion of the top tenth by ``p`` (ties broken by order) over the overall one."""
    y, p = np.asarray(y, float), np.asarray(p, float)
    if len(y) < 10 or y.mean() == 0:
        return float("nan")
    order = np.argsort(-p, kind="stable")
    top = y[order[: max(1, len(y) // 10)]]
    return float(top.mean() / y.mean())


def calibration_table(y, p, *, bins: int = 10) -> pd.DataFrame:
    """Predicted against actual conversion by decile of ``p`` (1 = highest).

    Returns ``decile, leads, predicted, actual, actual_low, actual_high`` (Wilson 95%).
    Deciles are equal-count slices of the leads sorted by ``p`` (stable order).
    """
    y, p = np.asarray(y, float), np.asarray(p, float)
    order = np.argsort(-p, kind="stable")
    rows = []
    for k, idx in enumerate(np.array_split(order, bins), start=1):
        if not len(idx):
            continue
        won = y[idx].sum()
        rows.append({"decile": k, "leads": len(idx), "predicted": float(p[idx].mean()),
                     "actual": float(won / len(idx)), "_won": won})
    out = pd.DataFrame(rows)
    low, high = wilson_interval(out["_won"].to_numpy(), out["leads"].to_numpy())
    return out.assign(actual_low=low, actual_high=high).drop(columns="_won")


@dataclass
class ScoreModel:
    """What the predictive score learnt and whether it is used.

    ``status``: ``used``, ``off`` (params), ``too_few`` (conversions in the training
    window below ``min_conversions``) or ``weak`` (validation AUC below ``min_auc``);
    ``why`` holds the numbers behind it.
    """

    status: str
    why: dict = field(default_factory=dict)
    chosen: str | None = None
    split: TimeSplit | None = None
    validation: pd.DataFrame = field(default_factory=pd.DataFrame)
    selection: pd.DataFrame = field(default_factory=pd.DataFrame)
    calibration: pd.DataFrame = field(default_factory=pd.DataFrame)
    effects: pd.DataFrame = field(default_factory=pd.DataFrame)
    suggested_rules: pd.DataFrame = field(default_factory=pd.DataFrame)
    priority: pd.DataFrame = field(default_factory=pd.DataFrame)
    channels: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def used(self) -> bool:
        return self.status == "used"


def _cats() -> list[str]:
    return [f.name for f in FEATURES if f.kind == "category"]


def _nums() -> list[str]:
    return [f.name for f in FEATURES if f.kind == "number"]


def _prep():
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    return ColumnTransformer(
        [("cat", OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=20,
                               sparse_output=False), _cats()),
         ("num", StandardScaler(), _nums())], verbose_feature_names_out=False)


def _models(seed: int) -> dict:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    return {
        "logistic": LogisticRegression(C=0.5, max_iter=2000),
        "gradient_boosting": HistGradientBoostingClassifier(
            max_iter=100, learning_rate=0.1, early_stopping=False, random_state=seed),
    }


def _measures(name: str, y, p) -> dict:
    from sklearn.metrics import brier_score_loss, roc_auc_score
    both = len(set(np.asarray(y).tolist())) == 2
    return {"model": name, "leads": len(y), "conversions": int(np.sum(y)),
            "auc": float(roc_auc_score(y, p)) if both else float("nan"),
            "brier": float(brier_score_loss(y, p)) if both else float("nan"),
            "top_decile_lift": top_decile_lift(y, p)}


def _rule_probability(train: pd.DataFrame, scores: pd.Series) -> np.ndarray:
    """The rule score read as a probability: the training conversion of leads with the
    same score (the overall rate for a score unseen in training)."""
    rate = train.groupby("_rule_score")["_won"].mean()
    return scores.map(rate).fillna(train["_won"].mean()).to_numpy(float)


def _term_feature(term: str) -> tuple[str, str]:
    """``channel_Referrals`` -> ``("channel", "Referrals")``; a number -> ``(name, "")``."""
    for f in FEATURES:
        if term == f.name:
            return f.name, ""
        if term.startswith(f.name + "_"):
            return f.name, term[len(f.name) + 1:]
    return term, ""


def _effects(names, coef, top: int = 15) -> pd.DataFrame:
    """The logistic model's strongest terms: ``feature, value, coefficient, odds_ratio``
    (per standard deviation for numbers, against the other values for a category)."""
    pairs = [_term_feature(n) for n in names]
    out = pd.DataFrame({"feature": [p[0] for p in pairs], "value": [p[1] for p in pairs],
                        "coefficient": coef})
    out["odds_ratio"] = np.exp(out["coefficient"])
    out = out.reindex(out["coefficient"].abs().sort_values(ascending=False,
                                                           kind="stable").index)
    return out.head(top).reset_index(drop=True)


def _suggested(effects: pd.DataFrame) -> pd.DataFrame:
    """Points for a rule-based score: the positive category effects (campaigns left out:
    past campaigns do not come back) scaled so the strongest is worth 20 points (seed
    004's CEO/VP weight)."""
    pos = effects[(effects["coefficient"] > 0) & (effects["value"] != "")
                  & (effects["feature"] != "campaign")]
    if not len(pos):
        return pd.DataFrame(columns=["feature", "value", "points"])
    scale = 20.0 / pos["coefficient"].max()
    return pos.assign(points=(pos["coefficient"] * scale).round().astype(int))[
        ["feature", "value", "points"]].reset_index(drop=True)


def _reasons(names, coef, x: np.ndarray, k: int = 2) -> list[str]:
    """Per lead, the ``k`` terms that raise its log-odds most (coefficient × input):
    ``channel=Referrals`` for a category, ``response_hours=low`` / ``=high`` for a
    number."""
    contrib = x * coef
    out = []
    for row, xs in zip(contrib, x):
        best = []
        for i in np.argsort(-row, kind="stable")[:k]:
            if row[i] <= 0:
                break
            feature, value = _term_feature(names[i])
            best.append(f"{feature}={value}" if value else
                        f"{feature}={'high' if xs[i] > 0 else 'low'}")
        out.append("; ".join(best))
    return out


def score_model(data, period: Period, as_of: dt.date, scoring: ScoringSettings, *,
                margin: float | None = None) -> ScoreModel:
    """Train, validate and use the predictive lead score for a report on ``period``.

    Parameters
    ----------
    data : Dataset
    period : Period
    as_of : datetime.date
    scoring : ScoringSettings
        ``scoring.model`` holds the windows and guardrails.
    margin : float, optional
        Gross margin: the expected value of an open lead is probability × the average won
        amount of its channel in the training window (the overall one for a channel
        without wins), × ``margin`` when set.

    Returns
    -------
    ScoreModel
    """
    settings = scoring.model
    if not settings.enabled:
        return ScoreModel("off")
    split = time_split(period, settings)
    whole = Period("model", "range", split.train.start, period.end)
    ft = feature_table(data.leads, data.touchpoints, scoring, as_of, whole)
    train_t = ft.filter(_in(ft, split.train))
    n_conv = int(collect(train_t.aggregate(n=train_t._won.sum().cast("int64")))["n"]
                 .fillna(0).iloc[0])
    if n_conv < settings.min_conversions:
        return ScoreModel("too_few", {"conversions": n_conv,
                                      "min_conversions": settings.min_conversions}, split=split)
    cols = ["lead_id", "created_at", *[f.name for f in FEATURES], "_won", "_rule_score"]
    train = collect(_sample(train_t, settings.max_train_rows, settings.seed).select(*cols)
                    .order_by("lead_id"))
    test_t = ft.filter(_in(ft, split.test))
    test = collect(test_t.select(*cols).order_by("lead_id"))
    use = collect(ft.filter(_in(ft, split.use)).order_by("lead_id"))
    x_cols = [f.name for f in FEATURES]
    fit = train[train["created_at"] < pd.Timestamp(split.select.start)]
    sel = train[train["created_at"] >= pd.Timestamp(split.select.start)]
    prep = _prep().fit(fit[x_cols])
    x_fit, x_sel, x_test = (prep.transform(f[x_cols]) for f in (fit, sel, test))
    y_fit, y_sel = fit["_won"].astype(int), sel["_won"].astype(int)
    models = _models(settings.seed)
    rows = []
    for name, model in models.items():
        model.fit(x_fit, y_fit)
        rows.append(_measures(name, y_sel, model.predict_proba(x_sel)[:, 1]))
    selection = pd.DataFrame(rows)
    best = selection.sort_values("auc", ascending=False, kind="stable")["model"]
    chosen = str(best.iloc[0]) if selection["auc"].notna().any() else "logistic"

    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.frozen import FrozenEstimator
    final = CalibratedClassifierCV(FrozenEstimator(models[chosen]), method="sigmoid")
    final.fit(x_sel, y_sel)
    y_test = test["_won"].astype(int).to_numpy()
    p_test = final.predict_proba(x_test)[:, 1] if len(test) else np.array([])
    p_rules = _rule_probability(train, test["_rule_score"])
    validation = pd.DataFrame([_measures("model", y_test, p_test),
                               _measures("rules", y_test, p_rules)])
    validation.insert(1, "method", [chosen, "rules"])
    names = prep.get_feature_names_out()
    coef = models["logistic"].coef_[0]
    effects = _effects(names, coef)
    auc = validation["auc"].iloc[0]
    result = ScoreModel("used", {"conversions": n_conv, "auc": auc}, chosen, split,
                        validation, selection, calibration_table(y_test, p_test),
                        effects, _suggested(effects))
    if not auc >= settings.min_auc:
        result.status = "weak"
        result.why["min_auc"] = settings.min_auc
        return result
    x_use = prep.transform(use[x_cols]) if len(use) else np.zeros((0, len(names)))
    p_use = final.predict_proba(x_use)[:, 1] if len(use) else np.array([])
    use = use.assign(probability=p_use)
    won = train_t.filter(train_t._won & train_t._amount.notnull())
    deals = collect(won.group_by("channel").aggregate(deal=won._amount.mean()))
    overall = collect(won.aggregate(deal=won._amount.mean()))["deal"].iloc[0]
    value = use["channel"].map(dict(zip(deals["channel"], deals["deal"]))) \
        .astype(float).fillna(overall) * (margin or 1.0)
    use = use.assign(expected_value=use["probability"] * value.to_numpy(float))
    result.channels = _channel_top(use)
    open_ = use[use["_open"]].sort_values(["expected_value", "lead_id"],
                                          ascending=[False, True], kind="stable")
    top = open_.head(settings.priority_leads)
    priority = pd.DataFrame({
        "lead_id": top["lead_id"].to_numpy(),
        "lead_name": top["lead_name"].to_numpy() if "lead_name" in top else None,
        "owner": top["owner"].to_numpy() if "owner" in top else None,
        "channel": top["channel"].to_numpy(),
        "probability": top["probability"].to_numpy(),
        "expected_value": top["expected_value"].to_numpy(),
        "reasons": _reasons(names, coef, x_use[top.index.to_numpy()])
        if len(top) else []})
    result.priority = priority
    result.why.update(open_leads=int(len(open_)), priority_value=float(
        top["expected_value"].sum()))
    return result


def _channel_top(use: pd.DataFrame) -> pd.DataFrame:
    """Per channel, the share of its period leads in the period's top decile by
    probability."""
    if not len(use):
        return pd.DataFrame(columns=["channel", "leads", "top_decile_share"])
    order = np.argsort(-use["probability"].to_numpy(), kind="stable")
    top = np.zeros(len(use), bool)
    top[order[: max(1, len(use) // 10)]] = True
    g = use.assign(_top=top).groupby("channel", sort=True)
    return pd.DataFrame({"leads": g.size(), "top_decile_share": g["_top"].mean()}) \
        .reset_index()
