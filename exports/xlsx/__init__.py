"""Excel workbooks: readers and writers (openpyxl, no Qt)."""
