"""One name per channel across every table: aliases from the params, then spelling.

``google``, ``Google`` and `` Google `` are one channel: within a case-insensitive key the
most frequent spelling wins. Names the params list as aliases
(``data.channel_aliases: {Google Ads: [adwords, 谷歌]}``) are folded onto their channel
first, so different words for one channel are counted together too.

A report names at most ``limit`` channels (``max_channels`` in the params): the channels
with the most rows keep their names, the rest become one ``other`` channel, so a CRM
export with a million distinct channel spellings still gives bounded tables, charts and
attribution (totals are unchanged: only the breakdown of the tail is merged).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

import ibis
import pyarrow as pa
from ibis.expr.types import Table

__all__ = ["alias_key", "channel_names", "fold_channel"]


def alias_key(name: str) -> str:
    """How a channel name is compared: full-width folded, whitespace collapsed, lower."""
    return " ".join(unicodedata.normalize("NFKC", str(name)).split()).lower()


def _aliases(aliases: Mapping[str, Sequence[str]]) -> Table:
    keys, names = [], []
    for name, others in aliases.items():
        for alias in [name, *others]:
            keys.append(alias_key(alias))
            names.append(" ".join(str(name).split()))
    return ibis.memtable(pa.table({"_akey": pa.array(keys, pa.string()),
                                   "_aname": pa.array(names, pa.string())}))


def channel_names(tables: Sequence[Table],
                  aliases: Mapping[str, Sequence[str]] | None = None, *,
                  limit: int | None = None, other: str = "Other") -> Table:
    """Map each case-insensitive channel key to its display name.

    Parameters
    ----------
    tables : sequence of ibis Table
        Tidied tables (:func:`leadroi.intake.clean.tidy_text`) with a ``channel`` column.
    aliases : mapping, optional
        ``{channel: [other spellings]}`` from the params.
    limit : int, optional
        Keep at most this many display names (most rows first, then by name); map the
        others to ``other``.
    other : str
        The display name of the merged tail.

    Returns
    -------
    ibis Table
        ``key`` (lower-case spelling as found), ``display``.
    """
    parts = [t.select(name=t.channel) for t in tables if "channel" in t.columns]
    if not parts:
        return ibis.memtable(pa.table({"key": pa.array([], pa.string()),
                                       "display": pa.array([], pa.string())}))
    spelled = ibis.union(*parts, distinct=False)
    spelled = spelled.filter(spelled.name.notnull()).mutate(key=spelled.name.lower())
    if aliases:
        table = _aliases(aliases)
        j = spelled.left_join(table, spelled.key == table._akey)
        spelled = j.select(key=j.key, name=ibis.coalesce(j._aname, j.name),
                           fixed=j._aname.notnull())
    else:
        spelled = spelled.mutate(fixed=ibis.literal(False))
    counts = spelled.group_by(["key", "name"]).aggregate(n=spelled.count(),
                                                       fixed=spelled.fixed.max())
    w = ibis.window(group_by=counts.key,
                    order_by=[ibis.desc(counts.fixed), ibis.desc(counts.n), counts.name])
    ranked = counts.mutate(rank=ibis.row_number().over(w))
    names = ranked.filter(ranked["rank"] == 0).select("key", display=ranked["name"])
    return names if limit is None else _cap(names, counts, limit, other)


def _cap(names: Table, counts: Table, limit: int, other: str) -> Table:
    """``names`` with every display name beyond the ``limit`` largest mapped to
    ``other`` (``all``, the targets' whole-business row, is never merged)."""
    sized = names.join(counts.group_by("key").aggregate(n=counts.n.sum()), "key")
    per = sized.group_by("display").aggregate(n=sized.n.sum())
    per = per.filter(per.display.lower() != "all")
    order = ibis.window(order_by=[ibis.desc(per.n), per.display])
    keep = per.mutate(rank=ibis.row_number().over(order))
    keep = keep.filter(keep["rank"] < limit).select(kept=keep.display)
    j = names.left_join(keep, names.display == keep.kept)
    merged = ibis.ifelse(j.kept.notnull() | (j.display.lower() == "all"), j.display, other)
    return j.select(key=j.key, display=merged)


def fold_channel(t: Table, names: Table) -> Table:
    """Replace ``channel`` by its display name (``all`` stays ``all``)."""
    if "channel" not in t.columns:
        return t
    joined = t.left_join(names, t.channel.lower() == names.key)
    folded = ibis.ifelse(joined.channel == "all", "all",
                         ibis.coalesce(joined.display, joined.channel))
    return joined.mutate(channel=folded).drop("key", "display")
