"""Readers: published performance documents in, :class:`jixiao.core.model.Document` out."""
