"""The web application (Django): the yearly cycle, review, disclosure. The only package that imports Django."""
