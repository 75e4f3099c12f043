"""Locality employment indicators: the catalogue, values and their history, the explorer, and
imports of the published files (file -> rows -> validated plan, the preview -> one commit)."""
