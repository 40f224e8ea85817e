# ruff: noqa: RUF002 (the docstring quotes the Cyrillic dates it corrects)
"""Dates and numbers as each of the portal's languages writes them (``FORMAT_MODULE_PATH``).

Django's own locale formats are the base; these modules override what a service of the Czech
state cannot print as it is:

- **No break inside a date.** The parts of a date are joined by a no-break space (U+00A0), so a
  date never wraps over two lines on a page, in an e-mail or in a PDF ("28.\\n12. 2026").
- **No full stop at the end of a date.** Django writes "28 грудня 2026 р." and "28 декабря
  2026 г."; a sentence ending in a date then ends in "р.." / "г..". The year abbreviation is left
  out, as Ukrainian and Russian official texts also do when the context is a date.
- **No word that a sentence already says.** Django's Vietnamese date begins with a capitalised
  "Ngày", which doubles the "ngày" of sentences such as "vào ngày %(day)s" and capitalises a
  word mid-sentence; the date is "28 tháng 12 năm 2026".
- **English unambiguous to a European reader**: "28 December 2026", "28 Dec 2026" and a 24-hour
  clock, never "12/03/2026" (3 December or 12 March?).
- Czech short dates with a space after each dot ("4. 12. 2026"), as ČSN 01 6910 writes them
  (outside the seeds).

The tests in ``tests/test_typography.py`` render every date format in every language.
"""

# A no-break space: the joint between the parts of a date.
NBSP = "\u00a0"
