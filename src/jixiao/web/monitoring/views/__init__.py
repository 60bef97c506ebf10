"""Pages of monitoring: read through the access helpers, written through ``monitoring.services``.

- :mod:`.rounds`: the rounds list, opening a round, a round's progress, closing it;
- :mod:`.records`: a monitoring form's page, its edit form with live checks, its review steps;
- :mod:`.home`: what the cycle's home page shows of monitoring.
"""
