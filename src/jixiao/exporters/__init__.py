"""Exporters: one format-neutral :class:`~jixiao.exporters.model.Report` built from a document, then one
renderer per format (XLSX, PDF, DOCX, CSV with a data package).

The model is :mod:`jixiao.exporters.model`; :mod:`jixiao.exporters.report` builds it from the
layouts, the narrative and the open-data tables (which import only the model, never each other);
:mod:`jixiao.exporters.formats` is the one table of renderers the CLI and the web look formats up in.
Format libraries are imported inside functions, so importing this package costs nothing.
"""
