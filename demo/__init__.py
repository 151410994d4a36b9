"""The demo site: ``python manage.py seed_demo`` builds a West Midlands-style programme of challenges, suppliers,
proposals, judging and winners through the same services users' requests call, so what it leaves is what real use
would have left. Its ``--scale`` options add generated data for the benchmarks."""
