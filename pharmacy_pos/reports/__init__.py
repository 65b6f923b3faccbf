"""Reports: monthly stock report, reconciliation, statements; xlsx/csv/pdf export."""

# Each report module registers itself in catalog.REPORTS when imported (one line each).
from pharmacy_pos.reports import insured_categories as insured_categories  # REP-4
from pharmacy_pos.reports import monthly_stock as monthly_stock  # REP-1
from pharmacy_pos.reports import reconcile as reconcile  # REP-2
from pharmacy_pos.reports import rx_statement as rx_statement  # REP-3
from pharmacy_pos.reports import self_inspection as self_inspection  # REP-5
