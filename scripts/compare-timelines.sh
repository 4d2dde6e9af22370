#!/usr/bin/env bash
# compare-timelines.sh -- checks that two builds of summit build the same
# timeline layer, for changes to timeline/cluster.c that should not change
# what it writes.
#
#   scripts/compare-timelines.sh OLD_SUMMIT NEW_SUMMIT [DIR [N]]
#
# Ingests the fixtures and the first N (default 1500) *.txt files of DIR
# (default: a 10 MB benchmark corpus, written once with summit-bench
# --write-corpus into ${TMPDIR:-/tmp}/summit-compare-corpus) with each build,
# four ways: in order; in reverse order; in order with every third file
# removed afterwards; and those files then ingested again.  Each database's
# timeline_events, timeline_sources, timeline_participants and
# timeline_conflicts are dumped with events named by document path and
# number instead of row ids, and the dumps of the two builds are compared,
# as are the new build's in-order, reversed and re-ingested dumps (the
# clusters must not depend on ingest order).  Exits 0 when all are equal,
# 1 when any differs (the first differences are printed).
set -euo pipefail
export TZ=UTC LC_ALL=C
[ $# -ge 2 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2; }
old=$1 new=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
n=${4:-1500}
dir=${3:-}
if [ -z "$dir" ]; then
  dir=${TMPDIR:-/tmp}/summit-compare-corpus
  if [ ! -d "$dir" ]; then
    bench=$(dirname "$new")/summit-bench
    [ -x "$bench" ] || { echo "compare-timelines: no DIR given and no $bench to write a corpus with" >&2; exit 2; }
    (cd "$repo" && "$bench" --mb 10 --write-corpus "$dir" >/dev/null)
  fi
fi
for b in "$old" "$new"; do [ -x "$b" ] || { echo "compare-timelines: $b is not a program" >&2; exit 2; }; done
work=$(mktemp -d "${TMPDIR:-/tmp}/summit-compare-XXXXXX")
trap 'rm -rf "$work"' EXIT
{ ls "$repo"/fixtures/*.txt; find "$dir" -maxdepth 1 -name '*.txt' | sort | awk -v n="$n" 'NR <= n'; } > "$work/list"
tac "$work/list" > "$work/reverse"
awk 'NR % 3 == 0' "$work/list" > "$work/third"

dump() {
  sqlite3 "$1" <<'SQL'
.mode list
.separator |
CREATE TEMP VIEW en AS SELECT e.id AS id, d.path || '#' || e.idx AS name FROM events e JOIN documents d ON d.id = e.doc_id;
SELECT 'event', te.key, te.type, te.cameo, te.status, te.date, te.time, te.sort_begin, te.sort_end, te.location,
       te.duration, te.duration_mod, te.planned_duration, te.summary, te.n_sources, te.n_conflicts,
       (SELECT name FROM en WHERE en.id = te.lead_event_id)
  FROM timeline_events te ORDER BY te.key;
SELECT 'source', te.key, en.name, row_number() OVER (PARTITION BY s.timeline_event_id ORDER BY s.ord), s.date_relation
  FROM timeline_sources s
  JOIN timeline_events te ON te.id = s.timeline_event_id JOIN en ON en.id = s.event_id ORDER BY te.key, s.ord;
SELECT 'participant', te.key, p.ord, p.name, p.kind, p.country, p.role, p.core, p.n_sources FROM timeline_participants p
  JOIN timeline_events te ON te.id = p.timeline_event_id ORDER BY te.key, p.name, p.kind, p.role;
SELECT 'conflict', te.key, c.field, en.name, c.value FROM timeline_conflicts c
  JOIN timeline_events te ON te.id = c.timeline_event_id JOIN en ON en.id = c.event_id ORDER BY te.key, c.field, en.name;
SQL
}
each() { # BIN COMMAND DB LIST
  xargs -a "$4" -d '\n' "$1" "$2" --db "$3" >/dev/null 2>&1 || [ "$2" = remove ] ||
    { echo "compare-timelines: $1 $2 failed" >&2; exit 2; }
}
for b in old new; do
  bin=${!b}
  each "$bin" ingest "$work/$b.order.db" "$work/list"
  each "$bin" ingest "$work/$b.reverse.db" "$work/reverse"
  cp "$work/$b.order.db" "$work/$b.removed.db"
  each "$bin" remove "$work/$b.removed.db" "$work/third"
  cp "$work/$b.removed.db" "$work/$b.again.db"
  each "$bin" ingest "$work/$b.again.db" "$work/third"
  for k in order reverse removed again; do dump "$work/$b.$k.db" > "$work/$b.$k.txt"; done
done
status=0
for k in order reverse removed again; do
  if cmp -s "$work/old.$k.txt" "$work/new.$k.txt"; then
    echo "same   $k ($(wc -l < "$work/new.$k.txt") rows)"
  else
    echo "DIFFER $k"; diff "$work/old.$k.txt" "$work/new.$k.txt" | head -n 6; status=1
  fi
done
for k in reverse again; do
  if cmp -s "$work/new.order.txt" "$work/new.$k.txt"; then echo "same   new: order and $k"
  else echo "DIFFER new: order and $k"; status=1; fi
done
exit $status
