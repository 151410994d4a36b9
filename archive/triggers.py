"""Installing the archive's database triggers (facet_cells.py, generation.py): each module states its statements
per database vendor; these run the ones for the connection's vendor, and nothing on any other."""


def run_for_vendor(connection, statements: dict[str, tuple[str, ...]]) -> None:
    with connection.cursor() as cursor:
        for statement in statements.get(connection.vendor, ()):
            cursor.execute(statement)
