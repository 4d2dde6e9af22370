-- migrate_5.sql -- schema version 5: one index fewer written per event.
--
-- Compiled into the program (cmake/embed.cmake) and run after
-- migrate_4.sql, in the same transaction, for new and older databases
-- alike; docs/schema.md explains every table.
--
-- events_type_date (migrate_2.sql) served the timeline layer's search for
-- the events one new event may cluster with; since version 4 that search
-- reads event_keys, and no query of summit's reads this index.  Every
-- event still wrote it: a page of a B-tree keyed by date, so a random page,
-- in each document's transaction (3.7 of the 52 WAL frames a benchmark
-- document wrote).  A query by type and date at the sqlite3 prompt scans
-- `events`, which is fast enough there.  Rows, columns and views are
-- unchanged.

DROP INDEX IF EXISTS events_type_date;

PRAGMA user_version = 5;
