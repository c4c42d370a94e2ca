"""Intake: every input table from its export to the engine, cleaned and accounted for.

Read (:mod:`.sources`: CSV, XLSX, Parquet, databases) → map columns onto canonical names
(:mod:`.mapping`, CRM presets in :mod:`.presets`) → normalise values and quarantine the
rows that cannot be used (:mod:`.clean`, :mod:`.normalise`) → join what points at a lead
(:mod:`.links`, :mod:`.deals`) → check the contracts (:mod:`.schemas`, pandera) →
reconcile rows in = used + quarantined (:mod:`.quality`). :func:`.dataset.load_data` is
the one entry point; ``leadroi inspect`` is :mod:`.inspection`.
"""
