"""Decisions: what the numbers say to do, by explicit rules whose thresholds live in params.

Quarterly recommendation rules are registered in :mod:`.rules` (``@rule``), campaign
rules in :mod:`.campaign_rules` (``@campaign_rule``); the budget what-if is
:mod:`.whatif`; the action plan's lifecycle (recommendations → action items → next
period's review, trackers registered with ``@tracker``) is :mod:`.actions`. Nothing here
formats text: wording belongs to :mod:`leadroi.report`.
"""
