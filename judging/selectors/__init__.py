"""Reads for judging, one module per concern: the judges' own pages (``judge_pages``), the managers' admin pages
(``admin_pages``, ``coverage``, ``results``, ``decisions``), the ranking (``ranking``), conflicts (``conflicts``)
and the public record of awards (``public``). Each reads in a fixed number of queries however many rows there are."""
