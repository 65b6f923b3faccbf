"""Reports: monthly stock report, reconciliation, statements; xlsx/csv/pdf export."""

# Each report module registers itself in catalog.REPORTS when imported (one line each).
from pharmacy_pos.reports import monthly_stock as monthly_stock  # REP-1
