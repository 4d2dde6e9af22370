-- migrate_3.sql -- schema version 3: fewer B-trees written per document.
--
-- Compiled into the program (cmake/embed.cmake).  A new database gets
-- schema.sql, migrate_2.sql and then this file, in one transaction; an
-- older database gets the migrations it lacks, in one transaction, and
-- summit then fills the search index again from the stored sentences and
-- quotes (timeline/store.c, tl__fill_3).  So a new database and an upgraded
-- one have the same schema.  docs/schema.md explains every table.
--
-- Each document is its own transaction, and a transaction writes every
-- B-tree page it touches: one or more per table and per index.  So:
--   * the tables keyed by their PRIMARY KEY are WITHOUT ROWID (one B-tree
--     instead of a rowid table plus its primary-key index);
--   * indexes no query of summit's uses are dropped: events_date,
--     actors_name, timeline_events_date, timeline_events_type and
--     timeline_participants_name (summit's filters match names with
--     tl_name_match and order by expressions, neither of which an index
--     serves; an ad-hoc query by name or date scans, which is fast enough
--     at the sqlite3 prompt);
--   * the search index keeps no per-row size table (columnsize=0: bm25()
--     counts a matched row's tokens from its text instead; ranks are the
--     same).
-- Rows, columns, values and the views are unchanged.

-- Rebuilding a table: its rows to a temporary table, the table dropped and
-- made again, the rows back.  (Not "create new, drop old, rename": every
-- ALTER TABLE ... RENAME re-reads the whole schema, and the seven of them
-- cost a new database -- every `summit extract` makes one in memory -- 9 ms
-- of start-up.)  The views name these tables and find them again.

CREATE TEMP TABLE sentences_v2 AS SELECT * FROM sentences;
DROP TABLE sentences;
CREATE TABLE sentences (
  doc_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx       INTEGER NOT NULL,
  start_cp  INTEGER NOT NULL,
  end_cp    INTEGER NOT NULL,
  text      TEXT NOT NULL,
  PRIMARY KEY (doc_id, idx)
) STRICT, WITHOUT ROWID;
INSERT INTO sentences (doc_id, idx, start_cp, end_cp, text)
  SELECT doc_id, idx, start_cp, end_cp, text FROM temp.sentences_v2;
DROP TABLE temp.sentences_v2;

CREATE TEMP TABLE event_participants_v2 AS SELECT * FROM event_participants;
DROP TABLE event_participants;
CREATE TABLE event_participants (
  event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  actor_id  INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
  role      TEXT NOT NULL,
  PRIMARY KEY (event_id, actor_id, role)
) STRICT, WITHOUT ROWID;
INSERT INTO event_participants (event_id, actor_id, role)
  SELECT event_id, actor_id, role FROM temp.event_participants_v2;
DROP TABLE temp.event_participants_v2;
-- Deleting a document deletes its actors; this keeps that cascade from
-- scanning every participant row once per actor.
CREATE INDEX event_participants_actor ON event_participants(actor_id);

CREATE TEMP TABLE event_mentions_v2 AS SELECT * FROM event_mentions;
DROP TABLE event_mentions;
CREATE TABLE event_mentions (
  event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  sentence  INTEGER NOT NULL,
  start_cp  INTEGER NOT NULL,
  end_cp    INTEGER NOT NULL,
  text      TEXT NOT NULL,
  PRIMARY KEY (event_id, start_cp)
) STRICT, WITHOUT ROWID;
INSERT INTO event_mentions (event_id, sentence, start_cp, end_cp, text)
  SELECT event_id, sentence, start_cp, end_cp, text FROM temp.event_mentions_v2;
DROP TABLE temp.event_mentions_v2;

CREATE TEMP TABLE quotes_v2 AS SELECT * FROM quotes;
DROP TABLE quotes;
CREATE TABLE quotes (
  doc_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx       INTEGER NOT NULL,
  sentence  INTEGER NOT NULL,
  start_cp  INTEGER NOT NULL,
  end_cp    INTEGER NOT NULL,
  text      TEXT NOT NULL,
  PRIMARY KEY (doc_id, idx)
) STRICT, WITHOUT ROWID;
INSERT INTO quotes (doc_id, idx, sentence, start_cp, end_cp, text)
  SELECT doc_id, idx, sentence, start_cp, end_cp, text FROM temp.quotes_v2;
DROP TABLE temp.quotes_v2;

CREATE TEMP TABLE timeline_sources_v2 AS SELECT * FROM timeline_sources;
DROP TABLE timeline_sources;
CREATE TABLE timeline_sources (
  timeline_event_id INTEGER NOT NULL REFERENCES timeline_events(id) ON DELETE CASCADE,
  event_id          INTEGER NOT NULL UNIQUE REFERENCES events(id) ON DELETE CASCADE,
  doc_id            INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ord               INTEGER NOT NULL,
  date_relation     TEXT NOT NULL,
  PRIMARY KEY (timeline_event_id, event_id)
) STRICT, WITHOUT ROWID;
INSERT INTO timeline_sources (timeline_event_id, event_id, doc_id, ord, date_relation)
  SELECT timeline_event_id, event_id, doc_id, ord, date_relation FROM temp.timeline_sources_v2;
DROP TABLE temp.timeline_sources_v2;
CREATE INDEX timeline_sources_doc ON timeline_sources(doc_id);

CREATE TEMP TABLE timeline_participants_v2 AS SELECT * FROM timeline_participants;
DROP TABLE timeline_participants;
CREATE TABLE timeline_participants (
  timeline_event_id INTEGER NOT NULL REFERENCES timeline_events(id) ON DELETE CASCADE,
  ord               INTEGER NOT NULL,
  name              TEXT NOT NULL,
  kind              TEXT NOT NULL,
  country           TEXT,
  role              TEXT NOT NULL,
  core              INTEGER NOT NULL,
  n_sources         INTEGER NOT NULL,
  PRIMARY KEY (timeline_event_id, name, kind, role)
) STRICT, WITHOUT ROWID;
INSERT INTO timeline_participants (timeline_event_id, ord, name, kind, country, role, core, n_sources)
  SELECT timeline_event_id, ord, name, kind, country, role, core, n_sources FROM temp.timeline_participants_v2;
DROP TABLE temp.timeline_participants_v2;

CREATE TEMP TABLE timeline_conflicts_v2 AS SELECT * FROM timeline_conflicts;
DROP TABLE timeline_conflicts;
CREATE TABLE timeline_conflicts (
  timeline_event_id INTEGER NOT NULL REFERENCES timeline_events(id) ON DELETE CASCADE,
  field             TEXT NOT NULL CHECK (field IN ('date','time','location','duration','planned_duration','status')),
  event_id          INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  value             TEXT,
  PRIMARY KEY (timeline_event_id, field, event_id)
) STRICT, WITHOUT ROWID;
INSERT INTO timeline_conflicts (timeline_event_id, field, event_id, value)
  SELECT timeline_event_id, field, event_id, value FROM temp.timeline_conflicts_v2;
DROP TABLE temp.timeline_conflicts_v2;


DROP INDEX events_date;
DROP INDEX actors_name;
DROP INDEX timeline_events_date;
DROP INDEX timeline_events_type;
-- (timeline_participants_name went with the old timeline_participants.)

-- The search index without its size table; summit fills it again
-- (tl__fill_3).  Same rowids, columns and tokenizer as version 2.
DROP TABLE text_search;
CREATE VIRTUAL TABLE text_search USING fts5(
  text, kind UNINDEXED, doc_id UNINDEXED, sentence UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2', columnsize = 0);

PRAGMA user_version = 3;
