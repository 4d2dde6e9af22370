-- migrate_2.sql -- schema version 2: the cross-document timeline layer, quotes,
-- full-text search and the views a person at the sqlite3 prompt starts from.
--
-- Compiled into the program (cmake/embed.cmake).  A new database gets
-- schema.sql (version 1) and then this file, in one transaction; a version-1
-- database gets this file alone, in one transaction, followed by filling the
-- new tables from what it already holds (timeline/store.c, tl__migrate).
-- So a new database and an upgraded one have the same schema.
-- docs/schema.md explains every table, view and column.

-- A fingerprint of what the extractor produced for the document (FNV-1a 64
-- over every extracted field, hex).  Re-ingesting the same bytes under the
-- same path with the same fingerprint writes nothing.  NULL for documents
-- stored by version 1.
ALTER TABLE documents ADD COLUMN fingerprint TEXT;

-- Finds the events of one type near a date (clustering sweeps by type).
CREATE INDEX events_type_date ON events(type, sort_begin, sort_end);

-- Quotations in the text: what stands between quotation marks (“…”, "…").
CREATE TABLE quotes (
  doc_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx       INTEGER NOT NULL,          -- 0-based number within the document
  sentence  INTEGER NOT NULL,          -- sentences.idx of the sentence the quote starts in
  start_cp  INTEGER NOT NULL,          -- the quoted text, without the marks
  end_cp    INTEGER NOT NULL,
  text      TEXT NOT NULL,
  PRIMARY KEY (doc_id, idx)
) STRICT;

-- The timeline layer: one row per happening across all documents.  Events
-- of different documents are clustered when they have the same type,
-- compatible dates and a core participant in common (rules in
-- docs/schema.md, code in timeline/cluster.c).  Rebuilt for the affected
-- dates whenever a document is ingested or removed; ids are not stable
-- across such changes, `key` is.
CREATE TABLE timeline_events (
  id                INTEGER PRIMARY KEY,
  key               TEXT NOT NULL UNIQUE, -- stable name: first 16 hex digits of the lead document's sha256, '-e', event number
  type              TEXT NOT NULL,
  cameo             TEXT NOT NULL,
  status            TEXT NOT NULL,        -- occurred if any source says so, else cancelled, planned, negated
  date              TEXT,                 -- the lead source's date (TIMEX3 value), NULL if undated
  time              TEXT,
  sort_begin        TEXT,
  sort_end          TEXT,
  location          TEXT,                 -- the most specific place the sources agree on
  duration          TEXT,
  duration_mod      TEXT,
  planned_duration  TEXT,
  summary           TEXT NOT NULL,        -- the lead source's summary
  n_sources         INTEGER NOT NULL,     -- documents reporting it (one event each)
  n_conflicts       INTEGER NOT NULL,     -- fields on which the sources disagree
  lead_event_id     INTEGER NOT NULL      -- events.id of the source the date, time and summary come from
) STRICT;
CREATE INDEX timeline_events_date ON timeline_events(sort_begin, sort_end);
CREATE INDEX timeline_events_type ON timeline_events(type, sort_begin);

-- The per-document events a timeline event was built from.
CREATE TABLE timeline_sources (
  timeline_event_id INTEGER NOT NULL REFERENCES timeline_events(id) ON DELETE CASCADE,
  event_id          INTEGER NOT NULL UNIQUE REFERENCES events(id) ON DELETE CASCADE,
  doc_id            INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  ord               INTEGER NOT NULL,     -- 0 for the lead source, then by rank
  date_relation     TEXT NOT NULL,        -- lead | same | coarser | day_apart | undated
  PRIMARY KEY (timeline_event_id, event_id)
) STRICT;
CREATE INDEX timeline_sources_doc ON timeline_sources(doc_id);

-- Everyone taking part in a timeline event, merged over its sources.
CREATE TABLE timeline_participants (
  timeline_event_id INTEGER NOT NULL REFERENCES timeline_events(id) ON DELETE CASCADE,
  ord               INTEGER NOT NULL,     -- order of first appearance, lead source first
  name              TEXT NOT NULL,
  kind              TEXT NOT NULL,
  country           TEXT,
  role              TEXT NOT NULL,
  core              INTEGER NOT NULL,     -- 1 for roles that take part (not target, audience, attendee)
  n_sources         INTEGER NOT NULL,     -- sources naming this actor in this role
  PRIMARY KEY (timeline_event_id, name, kind, role)
) STRICT;
CREATE INDEX timeline_participants_name ON timeline_participants(name);

-- Fields on which the sources of a timeline event disagree: one row per
-- source and field, holding that source's value.
CREATE TABLE timeline_conflicts (
  timeline_event_id INTEGER NOT NULL REFERENCES timeline_events(id) ON DELETE CASCADE,
  field             TEXT NOT NULL CHECK (field IN ('date','time','location','duration','planned_duration','status')),
  event_id          INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  value             TEXT,
  PRIMARY KEY (timeline_event_id, field, event_id)
) STRICT;

-- Full-text index over every sentence and quote.  rowid = doc_id * 2^24 +
-- (1 for quotes) * 2^23 + idx, so a document's rows are one rowid range.
CREATE VIRTUAL TABLE text_search USING fts5(
  text, kind UNINDEXED, doc_id UNINDEXED, sentence UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2');

CREATE TRIGGER documents_unindex AFTER DELETE ON documents BEGIN
  DELETE FROM text_search WHERE rowid >= old.id * 16777216 AND rowid < (old.id + 1) * 16777216;
END;

-- ---- views -----------------------------------------------------------------

-- One row per timeline event in time order (the order of `summit
-- chronology` and the exports: TL__TIMELINE_ORDER in timeline_int.h).
DROP VIEW chronology;
CREATE VIEW chronology AS
SELECT
  te.id                                  AS timeline_id,
  te.key                                 AS key,
  coalesce(te.date, 'undated')           AS date,
  te.time                                AS time,
  te.type                                AS type,
  te.status                              AS status,
  (SELECT group_concat(name, '; ') FROM (
     SELECT name FROM timeline_participants p
     WHERE p.timeline_event_id = te.id AND p.core
     GROUP BY name ORDER BY min(p.ord)))  AS participants,
  te.location                            AS location,
  te.duration                            AS duration,
  te.planned_duration                    AS planned_duration,
  te.summary                             AS summary,
  te.n_sources                           AS n_sources,
  (SELECT group_concat(path, '; ') FROM (
     SELECT d.path AS path FROM timeline_sources s JOIN documents d ON d.id = s.doc_id
     WHERE s.timeline_event_id = te.id ORDER BY s.ord)) AS sources,
  (SELECT group_concat(field, ', ') FROM (
     SELECT DISTINCT field FROM timeline_conflicts c
     WHERE c.timeline_event_id = te.id ORDER BY field)) AS conflicts
FROM timeline_events te
ORDER BY te.sort_begin IS NULL, te.sort_begin, te.sort_end DESC,
         te.date IS NULL, te.date, te.time IS NOT NULL, te.time, te.lead_event_id;

CREATE VIEW meetings AS
SELECT timeline_id, date, time, status, participants, location, duration, planned_duration,
       summary, n_sources, sources
FROM chronology WHERE type = 'meeting';

-- Statements, denials and accusations, with the quotes of the sentences
-- that report them.
CREATE VIEW statements AS
SELECT c.timeline_id, c.date, c.time, c.type, c.status, c.participants AS speakers, c.summary,
       (SELECT group_concat(text, ' | ') FROM (
          SELECT DISTINCT q.text AS text
          FROM timeline_sources s
          JOIN events e ON e.id = s.event_id
          JOIN event_mentions m ON m.event_id = e.id
          JOIN quotes q ON q.doc_id = e.doc_id AND q.sentence = m.sentence
          WHERE s.timeline_event_id = c.timeline_id
          ORDER BY s.ord, q.idx)) AS quotes,
       c.n_sources, c.sources
FROM chronology c WHERE c.type IN ('statement', 'denial', 'accusation');

CREATE VIEW agreements AS
SELECT timeline_id, date, type, status, participants AS parties, location, summary, n_sources, sources
FROM chronology WHERE type IN ('agreement', 'ceasefire');

-- One row per actor and timeline event they take part in (any role).
CREATE VIEW actor_events AS
SELECT p.name AS name, p.kind AS kind, p.country AS country, p.role AS role,
       c.timeline_id, c.date, c.time, c.type, c.status, c.participants, c.location, c.summary, c.n_sources
FROM chronology c JOIN timeline_participants p ON p.timeline_event_id = c.timeline_id;

-- Timeline events whose sources disagree, one row per field: the value
-- chosen and what each source says.
CREATE VIEW conflicts AS
SELECT c.timeline_id, c.date, c.type, c.participants, f.field,
       CASE f.field WHEN 'date' THEN te.date WHEN 'time' THEN te.time WHEN 'location' THEN te.location
                    WHEN 'duration' THEN te.duration WHEN 'planned_duration' THEN te.planned_duration
                    ELSE te.status END AS chosen,
       (SELECT group_concat(item, '; ') FROM (
          SELECT coalesce(tc.value, '(none)') || ' [' || d.path || ']' AS item
          FROM timeline_conflicts tc
          JOIN timeline_sources s ON s.event_id = tc.event_id
          JOIN documents d ON d.id = s.doc_id
          WHERE tc.timeline_event_id = c.timeline_id AND tc.field = f.field
          ORDER BY s.ord)) AS reports
FROM chronology c
JOIN timeline_events te ON te.id = c.timeline_id
JOIN (SELECT DISTINCT timeline_event_id, field FROM timeline_conflicts) f ON f.timeline_event_id = c.timeline_id;

-- Every mention of every timeline event: where in which document it is.
CREATE VIEW timeline_mentions AS
SELECT s.timeline_event_id AS timeline_id, d.path AS document, d.sha256 AS sha256,
       e.id AS event_id, m.sentence AS sentence, m.start_cp AS start_cp, m.end_cp AS end_cp,
       m.text AS text, st.text AS sentence_text
FROM timeline_sources s
JOIN events e ON e.id = s.event_id
JOIN documents d ON d.id = e.doc_id
JOIN event_mentions m ON m.event_id = e.id
JOIN sentences st ON st.doc_id = e.doc_id AND st.idx = m.sentence;

PRAGMA user_version = 2;
