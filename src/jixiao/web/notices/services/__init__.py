"""Every write of the notices app, each with its audit event.

- :mod:`.deadlines`: setting and removing a stage's due date;
- :mod:`.notices`: writing notices (and their e-mail), marking them read, the workflow's hook, reminders;
- :mod:`.batch`: approving several records at once, each through the workflow's own ``act``.
"""
