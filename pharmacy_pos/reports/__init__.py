"""Reports: monthly stock report, reconciliation, statements; xlsx/csv/pdf export."""
