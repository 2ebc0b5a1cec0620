"""Continuity: an office never loses its year to a dead laptop, a reinstall or a damaged file.

- ``backups``: consistent snapshots of the SQLite file (at close, at most daily while the
  program runs, ``lev backup``), rotated 7 daily / 4 weekly / 12 monthly, in the data folder
  and optionally in a second folder (a USB stick, a shared drive);
- ``restore``: what a backup holds (date, office, record counts, SQLite's integrity check) and
  the atomic swap that keeps the current database as a backup first.

The office's private key is not in the database; ``lev_desktop.exchange.keys`` exports it to
a password-protected file and keeps the same encrypted copy in the settings, so that every
backup carries it only encrypted. Recovery from the district's copy is
``lev_desktop.exchange.recovery``.
"""
