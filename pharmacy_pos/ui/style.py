"""The few style sheet snippets the views share, so colours stay consistent.

A full application style sheet (resources/*.qss) can replace these later.
"""

#: Inline refusal and error lines (red).
ERROR_STYLE = "color: #c0392b;"
#: Secondary information: terminal, database, hints (grey).
FOOTNOTE_STYLE = "color: #7f8c8d;"
#: The amount a customer pays, readable from the far side of the counter.
TOTAL_STYLE = "font-size: 22pt; font-weight: bold;"
#: The change handed back (its colour turns red when the cash falls short).
CHANGE_SIZE = "font-size: 20pt;"
#: A screen's heading.
TITLE_STYLE = "font-size: 16pt; font-weight: bold;"
