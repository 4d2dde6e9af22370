-- schema.sql -- the summit timeline database, version 1 (PRAGMA user_version = 1).
--
-- Run with every later version's schema/migrate_N.sql at build time
-- (cmake/schema_flatten.c), which writes the current schema as one script
-- that a new database gets (timeline/store.c), so a new database and an
-- upgraded one end up the same.  Keep this file
-- as version 1 was: a copy of it is tests/data/schema_v1.sql.
-- Every table is STRICT and every link a foreign key with ON DELETE CASCADE,
-- so deleting a document removes everything extracted from it.
-- Offsets (start_cp, end_cp) are 0-based Unicode code point offsets into the
-- document's original text, end exclusive.  Dates are TIMEX3 values
-- ("2017-07-07", "2017-07", "2017-W27", "XXXX-WXX-5"); sort_begin/sort_end
-- are the ISO interval [begin, end) a value covers, used to order rows.
-- docs/schema.md explains every table, view and column with example queries.

-- One row per ingested article.
CREATE TABLE documents (
  id           INTEGER PRIMARY KEY,
  path         TEXT NOT NULL,          -- as given on the command line ("-" for stdin)
  sha256       TEXT NOT NULL UNIQUE,   -- hex digest of the input bytes
  dct          TEXT,                   -- document date the text was resolved against, or NULL
  dct_source   TEXT NOT NULL,          -- flag | header | dateline | gazetteer | body | none
  dct_confidence REAL NOT NULL DEFAULT 0, -- 1 for a given --dct, lower for an inferred one, 0 for none
  dct_note     TEXT,                   -- how the date was found, e.g. "inferred: G20 Hamburg summit 2017-07-07..08, 'Friday'"
  n_chars      INTEGER NOT NULL,       -- length in code points
  ingested_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  body         TEXT NOT NULL           -- the original text
) STRICT;
CREATE INDEX documents_path ON documents(path);

-- Sentences as ICU segmented them.
CREATE TABLE sentences (
  doc_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx       INTEGER NOT NULL,          -- 0-based sentence number in the document
  start_cp  INTEGER NOT NULL,
  end_cp    INTEGER NOT NULL,
  text      TEXT NOT NULL,
  PRIMARY KEY (doc_id, idx)
) STRICT;

-- Time expressions (TimeML TIMEX3).
CREATE TABLE timexes (
  id          INTEGER PRIMARY KEY,
  doc_id      INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx         INTEGER NOT NULL,        -- 0-based number within the document (t1 = idx 0)
  sentence    INTEGER NOT NULL,
  start_cp    INTEGER NOT NULL,
  end_cp      INTEGER NOT NULL,
  text        TEXT NOT NULL,
  type        TEXT NOT NULL CHECK (type IN ('DATE','TIME','DURATION','SET')),
  value       TEXT NOT NULL,
  mod         TEXT,                    -- MORE_THAN, LESS_THAN, APPROX, START, MID, END, ... or NULL
  quant       TEXT,
  freq        TEXT,
  anchor_idx  INTEGER,                 -- idx of the timex it was resolved against, or NULL
  sort_begin  TEXT,
  sort_end    TEXT,
  tz          TEXT,                    -- a stated zone as a UTC offset ('-04:00', 'Z'); value stays local
  UNIQUE (doc_id, idx)
) STRICT;

-- Distinct actors per document.
CREATE TABLE actors (
  id        INTEGER PRIMARY KEY,
  doc_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx       INTEGER NOT NULL,          -- 0-based number within the document
  kind      TEXT NOT NULL CHECK (kind IN ('person','country','org')),
  name      TEXT NOT NULL,             -- canonical name: "Donald Trump", "Russia", "NATO"
  country   TEXT,                      -- ISO 3166 alpha-3 ("USA") or NULL
  title     TEXT,                      -- "President", "Secretary of State" or NULL
  mentions  INTEGER NOT NULL,
  UNIQUE (doc_id, idx)
) STRICT;
CREATE INDEX actors_name ON actors(name);

-- Events: one row per happening in a document (all its mentions merged).
CREATE TABLE events (
  id                INTEGER PRIMARY KEY,
  doc_id            INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  idx               INTEGER NOT NULL,
  type              TEXT NOT NULL,     -- meeting, statement, agreement, denial, discussion, ...
  cameo             TEXT NOT NULL,     -- CAMEO code, e.g. '040'
  status            TEXT NOT NULL,     -- occurred | planned | cancelled | negated
  date              TEXT,              -- TIMEX3 value at the precision the text gives, NULL if undated
  time              TEXT,              -- time of day (TIMEX3 value) or NULL
  date_timex_idx    INTEGER,           -- idx of the timex the date came from
  sort_begin        TEXT,              -- ISO interval of date, for ordering
  sort_end          TEXT,
  location          TEXT,
  duration          TEXT,              -- actual duration (TIMEX3 value, e.g. 'PT2H16M')
  duration_mod      TEXT,
  planned_duration  TEXT,
  summary           TEXT NOT NULL,
  date_source       TEXT,              -- text | narrative | dct: where the date came from; NULL if undated
  UNIQUE (doc_id, idx)
) STRICT;
CREATE INDEX events_date ON events(sort_begin);

CREATE TABLE event_participants (
  event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  actor_id  INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
  role      TEXT NOT NULL,             -- participant, host, visitor, speaker, audience, signatory, target, source, attendee
  PRIMARY KEY (event_id, actor_id, role)
) STRICT;
-- Deleting a document deletes its actors; this keeps that cascade from
-- scanning every participant row once per actor.
CREATE INDEX event_participants_actor ON event_participants(actor_id);

-- Every place in the text that mentions an event.
CREATE TABLE event_mentions (
  event_id  INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  sentence  INTEGER NOT NULL,
  start_cp  INTEGER NOT NULL,
  end_cp    INTEGER NOT NULL,
  text      TEXT NOT NULL,
  PRIMARY KEY (event_id, start_cp)
) STRICT;

-- Warnings the extractor gave for a document.
CREATE TABLE warnings (
  doc_id   INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
  message  TEXT NOT NULL
) STRICT;
CREATE INDEX warnings_doc ON warnings(doc_id);

-- Participants with their actors' names: one row per (event, actor, role).
CREATE VIEW event_actors AS
SELECT
  p.event_id  AS event_id,
  e.doc_id    AS doc_id,
  a.id        AS actor_id,
  a.name      AS name,
  a.kind      AS kind,
  a.country   AS country,
  a.title     AS title,
  p.role      AS role
FROM event_participants p
JOIN actors a ON a.id = p.actor_id
JOIN events e ON e.id = p.event_id;

-- One row per event in time order: dated events by the start of their
-- interval (coarser dates first when they start together), dates that could
-- not be placed on the calendar ("XXXX-WXX-5") next, undated last; within a
-- date, untimed events before timed ones.  summit's chronology and exports
-- use the same order (TL__EVENT_ORDER in timeline/timeline_int.h).
CREATE VIEW chronology AS
SELECT
  e.id                                   AS event_id,
  coalesce(e.date, 'undated')            AS date,
  e.time                                 AS time,
  e.type                                 AS type,
  e.status                               AS status,
  (SELECT group_concat(name, '; ') FROM (
     SELECT a.name AS name FROM event_participants p JOIN actors a ON a.id = p.actor_id
     WHERE p.event_id = e.id AND p.role NOT IN ('target','audience','attendee')
     ORDER BY a.idx))                    AS participants,
  e.location                             AS location,
  e.duration                             AS duration,
  e.planned_duration                     AS planned_duration,
  e.summary                              AS summary,
  d.path                                 AS source
FROM events e JOIN documents d ON d.id = e.doc_id
ORDER BY e.sort_begin IS NULL, e.sort_begin, e.sort_end DESC,
         e.date IS NULL, e.date, e.time IS NOT NULL, e.time, d.id, e.idx;

PRAGMA user_version = 1;
