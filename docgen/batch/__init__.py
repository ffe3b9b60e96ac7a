"""Batch: one decision (มติ, notice) to many recipients, numbered from one register.

recipients (CSV | XLSX | group:NAME) → placeholders filled per row → the normal flow
(model → compose → render) in worker processes → register records → manifest.
"""
