"""The portal has no tables of its own: it reads cycle.Publication."""
