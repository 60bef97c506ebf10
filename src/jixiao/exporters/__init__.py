"""Exporters: one format-neutral :class:`~jixiao.exporters.report.Report` built from a document, then one
renderer per format (XLSX, PDF, DOCX, CSV with a data package).

The content of every form and report is decided once, in :mod:`jixiao.exporters.report` and the
modules it uses; the renderers only draw it. Format libraries are imported inside functions, so
importing this package costs nothing.
"""
