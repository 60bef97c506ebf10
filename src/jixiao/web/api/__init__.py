"""The REST API (``/api/v1/``) and the tokens programs use to call it."""
