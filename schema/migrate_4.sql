-- migrate_4.sql -- schema version 4: a key table for finding the events
-- one new event may report the same happening as.
--
-- Compiled into the program (cmake/embed.cmake) and run after
-- migrate_3.sql, in the same transaction, for new and older databases
-- alike; docs/schema.md explains every table.
--
-- The cross-document layer (timeline/cluster.c) asks, for every core
-- participant of a new event: which events of the same type, with that
-- participant, start in this date window?  Without this table the question
-- scanned every event of the type in the window and joined each to its
-- participants, so the cost of an ingest grew with the database (a 200 MB
-- archive ingested 4.2 times slower in its second half than in its first).
-- Here it is one range of one index.  One row per dated event and core
-- participant (roles other than target, audience and attendee: the
-- function tl_role_is_core, which summit registers on its connection).

CREATE TABLE event_keys (
  type        TEXT NOT NULL,      -- events.type
  name        TEXT NOT NULL,      -- actors.name of a core participant
  kind        TEXT NOT NULL,      -- actors.kind
  sort_begin  TEXT NOT NULL,      -- events.sort_begin
  event_id    INTEGER NOT NULL,   -- events.id
  doc_id      INTEGER NOT NULL,   -- events.doc_id
  sort_end    TEXT,               -- events.sort_end
  PRIMARY KEY (type, name, kind, sort_begin, event_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX event_keys_doc ON event_keys(doc_id);

-- A document's keys go with it (the events cascade from documents).
CREATE TRIGGER event_keys_gone AFTER DELETE ON documents
BEGIN
  DELETE FROM event_keys WHERE doc_id = old.id;
END;

INSERT OR IGNORE INTO event_keys (type, name, kind, sort_begin, event_id, doc_id, sort_end)
  SELECT e.type, a.name, a.kind, e.sort_begin, e.id, e.doc_id, e.sort_end
  FROM events e
  JOIN event_participants p ON p.event_id = e.id
  JOIN actors a ON a.id = p.actor_id
  WHERE e.sort_begin IS NOT NULL AND tl_role_is_core(p.role);

PRAGMA user_version = 4;
