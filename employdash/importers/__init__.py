"""Indicator imports: file → rows → validated plan (the preview) → one atomic commit.

`reading` turns CSV or Excel bytes into rows of strings with their line numbers, whatever the
encoding; `localities` matches the names people write to CBS codes; `layouts` understands the
canonical long format and the Israel Employment Service's wide layout; `plan` validates and
compares with what is stored; `commit` writes a plan in one transaction.
"""
