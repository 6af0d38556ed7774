"""SQLite engine that chains audit events like PostgreSQL and whose flush behaves like PostgreSQL's TRUNCATE.

SQLite has no SHA-256 and no JSON canonical form of its own: every connection gets the Python side of
`audit_event_canonical` and `audit_chain_hash` (audit.triggers), which the chain trigger calls.

On PostgreSQL, `flush` (used by the test runner between transactional tests) is a TRUNCATE, which
row triggers never see, and production forbids TRUNCATE through database grants. SQLite has no
TRUNCATE: its flush is row DELETEs, which the append-only triggers refuse. So flush alone drops those
triggers, empties the tables and puts the triggers back, in one transaction. Every other write path
meets the triggers exactly as on PostgreSQL.
"""

from django.db.backends.sqlite3 import base
from django.db.backends.sqlite3.operations import DatabaseOperations as SQLiteOperations

from audit import triggers


class DatabaseOperations(SQLiteOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        statements = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        guarded = [table for table in triggers.APPEND_ONLY_TABLES if table in tables]
        if not statements or not guarded:
            return statements
        return triggers.drop_sql("sqlite", guarded) + statements + triggers.create_sql("sqlite", guarded)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        for name, arity, function in triggers.SQLITE_FUNCTIONS:
            connection.create_function(name, arity, function, deterministic=True)
        return connection
