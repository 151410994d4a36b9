"""Writes for pilots, one module per concern: setting a pilot up (``setup``), its reports and their review
(``reports``), and the reminders and digest (``reminders``)."""
