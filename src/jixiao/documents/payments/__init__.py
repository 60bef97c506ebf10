"""Budget execution exported from the payment system (国库集中支付 / 预算执行): CSV or XLSX in, rows out.

An export is a table: titles and notes above, a header row (or two, under merged group cells), one row
per project, totals and notes below. The header is found among the first :data:`HEADER_SCAN` rows by the
column names of :mod:`~jixiao.documents.payments.columns`; it needs an amount column (已支付金额, 累计支付,
执行数, 截至7月31日执行数 …) and a project code or name column.

Amounts become :class:`~decimal.Decimal` in 元, exact to the fen: ``1,234.56`` and a number cell are read
as they are; ``(1234.56)`` is read as the negative it means (and refused, as every negative is); a column
whose header says 万元, or every money column under a ``单位：万元`` line, is multiplied by 10,000 (a 万元
figure may carry six decimals, the fen). Every row that cannot be used is a :class:`Problem` naming file,
sheet, row and column; the reader goes on and reports them all. A batch (:func:`read_batch`,
:func:`read_folder`) is all or nothing: :meth:`PaymentBatch.require` gives the rows only when no file has a
problem.

The files pass the same checks before parsing as every upload (:mod:`jixiao.documents.safety`): size,
content against extension, zip bombs, rows, columns and time.
"""

from __future__ import annotations

from jixiao.documents.payments.cells import header_key, parse_amount
from jixiao.documents.payments.files import READABLE, SUFFIXES, read_batch, read_bytes, read_folder
from jixiao.documents.payments.results import PaymentBatch, PaymentFile, Problem
from jixiao.documents.payments.table import HEADER_SCAN

__all__ = [
    "HEADER_SCAN",
    "READABLE",
    "SUFFIXES",
    "PaymentBatch",
    "PaymentFile",
    "Problem",
    "header_key",
    "parse_amount",
    "read_batch",
    "read_bytes",
    "read_folder",
]
