"""The registry of attribution models: each model is one registered function.

Two kinds of model exist, differing only in what the function receives:

* ``touch`` models weigh each touch of a converting journey. The function gets the
  touches table (an Ibis table, one row per touch, see :class:`~leadroi.attribution.paths.
  Journeys`) and the :class:`Settings`, and returns an Ibis numeric expression: the share of
  the journey's conversion credited to that touch. The shares of one journey must add up
  to 1; they are evaluated in the engine, all touch models in one query.
* ``chain`` models work on the journey Markov chain fitted from transition counts
  (:class:`~leadroi.attribution.chain.Chain`). The function gets the chain and the settings
  and returns an array ``(n_channels, 2)``: credit in conversions and in value.

Adding a model is writing one function and decorating it::

    @register("linear", kind="touch")
    def linear(t, settings):
        return 1.0 / t.n
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from leadroi.errors import ParamsError

__all__ = ["Model", "Settings", "MODELS", "register", "resolve_models", "model_names",
           "check_model_names"]


@dataclass(frozen=True)
class Settings:
    """What the models may depend on besides the journeys.

    Attributes
    ----------
    half_life : float
        Time decay: a touch this long before the end of the journey counts half as much
        as one at the end. In days for touchpoint journeys, in touches for path files.
    shapley_exact_max : int
        Shapley values are exact (every coalition solved) up to this many channels and
        estimated from ``shapley_samples`` random channel orders beyond.
    shapley_samples : int
        Random orders used when Shapley values are estimated.
    seed : int
        Seed of every random draw (Shapley sampling, bootstrap).
    """

    half_life: float = 7.0
    shapley_exact_max: int = 15
    shapley_samples: int = 1000
    seed: int = 2026


@dataclass(frozen=True)
class Model:
    """One registered attribution model."""

    name: str
    kind: str  # "touch" or "chain"
    func: Callable[..., Any]
    doc: str


#: name -> Model, in registration order (the order tables and charts show them).
MODELS: dict[str, Model] = {}


def register(name: str, *, kind: str) -> Callable[[Callable], Callable]:
    """Decorator registering ``func`` as the attribution model ``name``.

    Parameters
    ----------
    name : str
        Model name used in params, the CLI and the catalogue (``attribution.model.<name>``).
    kind : {"touch", "chain"}
        What the function receives (see the module docstring).
    """
    if kind not in ("touch", "chain"):
        raise ValueError(f"kind must be 'touch' or 'chain', not {kind!r}")

    def add(func: Callable) -> Callable:
        if name in MODELS:
            raise ValueError(f"attribution model {name!r} is registered twice")
        doc = (func.__doc__ or "").strip().splitlines()[0] if func.__doc__ else ""
        MODELS[name] = Model(name, kind, func, doc)
        return func

    return add


#: Modules whose functions register models, in the order models are listed.
MODEL_MODULES = ("leadroi.attribution.heuristics", "leadroi.attribution.chain_models")


def _load() -> None:
    """Import the model modules (they register on import), rule-based ones first."""
    for name in MODEL_MODULES:
        importlib.import_module(name)


def model_names() -> list[str]:
    """Every registered model name, in registration order."""
    _load()
    return list(MODELS)


def resolve_models(names: Iterable[str] | None, *, key: str = "models") -> list[Model]:
    """The models called ``names`` (all of them when None), in registry order.

    Raises
    ------
    ParamsError
        For an unknown name, with the closest registered name as a hint.
    """
    _load()
    if names is None:
        return list(MODELS.values())
    wanted = [n.strip() for n in names if n and n.strip()]
    for name in wanted:
        if name not in MODELS:
            close = difflib.get_close_matches(name, MODELS, n=1, cutoff=0.5)
            hint = f"Did you mean '{close[0]}'?" if close else \
                f"Known models: {', '.join(MODELS)}."
            raise ParamsError(f"unknown attribution model '{name}'.", key=key, hint=hint)
    if not wanted:
        raise ParamsError("no attribution model given.", key=key,
                          hint=f"Known models: {', '.join(MODELS)}.")
    return [m for n, m in MODELS.items() if n in wanted]


def check_model_names(names: Iterable[str] | None, *, path: str | None = None) -> None:
    """Refuse the params' ``attribution.models`` when one is not registered.

    Raises
    ------
    ParamsError
        Keyed ``attribution.models`` (in the params file ``path``), with the closest
        registered name as a hint.
    """
    try:
        resolve_models(names, key="attribution.models")
    except ParamsError as exc:
        exc.path = path
        raise
