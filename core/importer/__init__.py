"""Real data in (SPEC §12): a template workbook generated from the schema, an all-or-nothing load of a county's
Excel/CSV files keyed by external ids, and an export in the same template (`python -m core.importer`)."""
