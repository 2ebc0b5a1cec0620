"""Excel (.xlsx) writers and readers (openpyxl; Qt-free)."""
