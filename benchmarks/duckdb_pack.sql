-- The default rule pack hand-encoded for DuckDB over the same JSON Lines, as a data engineer would.
-- Inputs (read by duckdb_pack.py with read_json): claims, entity_file(id, kind, is_a, part_of).
CREATE OR REPLACE TABLE entities AS SELECT id, kind FROM entity_file;

-- is-a: each entity with every class it reaches (itself included), as the is-a built-in.
CREATE OR REPLACE TABLE is_a AS
WITH RECURSIVE edge AS (SELECT id AS entity, unnest(is_a) AS class FROM entity_file WHERE len(is_a) > 0),
  closure(entity, class) AS (
    SELECT id, id FROM entity_file
    UNION
    SELECT c.entity, e.class FROM closure c JOIN edge e ON e.entity = c.class)
SELECT * FROM closure;

-- within: tri-state containment, as Corpus.within: yes by undisputed part_of edges only (or the same
-- place), disputed when only paths crossing a disputed edge reach the region, no otherwise (no row).
CREATE OR REPLACE TABLE within AS
WITH RECURSIVE edge AS (
    SELECT id AS place,
           CASE WHEN json_type(p) = 'VARCHAR' THEN p ->> '$' ELSE p ->> '$.of' END AS region,
           coalesce(CAST(p -> '$.disputed' AS BOOLEAN), false) AS disputed
    FROM (SELECT id, unnest(part_of) AS p FROM entity_file WHERE len(part_of) > 0)),
  reach(place, region, disputed) AS (
    SELECT id, id, false FROM entity_file
    UNION
    SELECT r.place, e.region, r.disputed OR e.disputed FROM reach r JOIN edge e ON e.place = r.region)
SELECT place, region, CASE WHEN bool_or(NOT disputed) THEN 'yes' ELSE 'disputed' END AS answer
FROM reach GROUP BY place, region;

-- One row per claim with what the rules read: defaults filled, the count's value, the date as a range, and
-- the attribution strength (the speaker's kind joined in).
CREATE OR REPLACE TABLE cd AS
WITH c AS (
  SELECT id, speaker, subject, predicate, object, CAST(value AS VARCHAR) AS value,
         coalesce(polarity, 'affirmed') AS polarity, coalesce(status, 'done') AS status, quote_kind,
         TRY_CAST(COALESCE(json_extract(qualifiers.count, '$.value'), qualifiers.count) AS BIGINT) AS qcount,
         qualifiers.place AS qplace, qualifiers.scope AS qscope,
         coalesce(qualifiers.means, []) AS qmeans, coalesce(topics, []) AS topics,
         starts_with(said_on, '~') AS approx, ltrim(said_on, '~') AS d
  FROM claims)
SELECT c.* EXCLUDE (approx, d),
  (CASE length(d) WHEN 10 THEN CAST(d AS DATE) WHEN 7 THEN CAST(d || '-01' AS DATE) ELSE CAST(d || '-01-01' AS DATE) END
   - CASE WHEN approx THEN INTERVAL 7 DAY ELSE INTERVAL 0 DAY END)::DATE AS earliest,
  (CASE length(d) WHEN 10 THEN CAST(d AS DATE) WHEN 7 THEN last_day(CAST(d || '-01' AS DATE)) ELSE CAST(d || '-12-31' AS DATE) END
   + CASE WHEN approx THEN INTERVAL 7 DAY ELSE INTERVAL 0 DAY END)::DATE AS latest,
  CASE WHEN quote_kind = 'reported-by-outlet' THEN 'outlet'
       WHEN sk.kind = 'person' THEN (CASE WHEN quote_kind = 'direct' THEN 'strong' ELSE 'moderate' END)
       WHEN quote_kind = 'direct' THEN 'moderate' ELSE 'weak' END AS strength
FROM c LEFT JOIN entities sk ON sk.id = c.speaker;

CREATE OR REPLACE TABLE ct AS SELECT id, unnest(topics) AS topic FROM cd;

-- Each binding is filtered on its own columns first, then joined on the shared key: the same plan
-- factcheck uses, and what keeps skewed topics from multiplying rows.
CREATE OR REPLACE TABLE results AS
WITH
  denial AS (SELECT cd.*, topic FROM cd JOIN ct USING (id) WHERE predicate = 'enter' AND polarity = 'negated'
             AND EXISTS (SELECT 1 FROM is_a i WHERE i.entity = subject AND i.class = 'turkish-military-personnel')),
  staff AS (SELECT cd.*, topic FROM cd JOIN ct USING (id) WHERE polarity = 'affirmed' AND qplace IS NOT NULL
            AND EXISTS (SELECT 1 FROM is_a i WHERE i.entity = subject AND i.class = 'turkish-military-personnel')),
  site AS (SELECT cd.*, topic FROM cd JOIN ct USING (id) WHERE predicate = 'located-in'),
  remote AS (SELECT cd.*, topic FROM cd JOIN ct USING (id) WHERE predicate = 'operate' AND list_contains(qmeans, 'remote')),
  counted_staff AS (SELECT cd.*, topic FROM cd JOIN ct USING (id) WHERE polarity = 'affirmed' AND qcount > 0),
  limited AS (SELECT cd.*, topic FROM cd JOIN ct USING (id) WHERE qscope = 'only' AND polarity = 'affirmed'),
  wider AS (SELECT cd.*, topic FROM cd JOIN ct USING (id) WHERE polarity = 'affirmed'),
  report AS (SELECT cd.*, topic FROM cd JOIN ct USING (id) WHERE status IN ('done', 'ongoing') AND strength IN ('outlet', 'weak')),
  statement AS (SELECT cd.*, topic FROM cd JOIN ct USING (id)
                WHERE status IN ('conditional', 'planned') AND strength IN ('strong', 'moderate')),
  counted AS (SELECT * FROM cd WHERE qcount IS NOT NULL)
-- 1 presence-where-entry-denied
SELECT DISTINCT 'presence-where-entry-denied' AS rule, [d.id, st.id, si.id] AS ids
FROM denial d JOIN staff st ON st.topic = d.topic JOIN site si ON si.topic = d.topic AND si.subject = st.qplace
JOIN within w ON w.place = si.object AND w.region = d.object
WHERE d.id <> st.id AND d.id <> si.id AND st.id <> si.id AND d.speaker <> st.speaker AND w.answer IN ('yes', 'disputed')
UNION ALL
-- 2 remote-operation-vs-personnel-on-site
SELECT DISTINCT 'remote-operation-vs-personnel-on-site', [r.id, s.id]
FROM remote r JOIN counted_staff s ON s.topic = r.topic AND s.qplace = r.subject
WHERE r.id <> s.id AND r.speaker <> s.speaker
UNION ALL
-- 3 role-scope-conflict
SELECT DISTINCT 'role-scope-conflict', [w.id, l.id]
FROM limited l JOIN wider w ON w.topic = l.topic AND w.predicate = l.predicate AND w.subject = l.subject
WHERE w.id <> l.id AND w.object <> l.object AND w.speaker <> l.speaker
UNION ALL
-- 4 weak-attribution
SELECT 'weak-attribution', [id] FROM cd WHERE quote_kind IN ('indirect', 'paraphrase') AND strength = 'weak'
UNION ALL
-- 5 status-overstated
SELECT DISTINCT 'status-overstated', [r.id, s.id]
FROM report r JOIN statement s ON s.topic = r.topic AND s.subject = r.subject AND s.predicate = r.predicate
WHERE r.id <> s.id AND r.speaker <> s.speaker
UNION ALL
-- 6 count-mismatch
SELECT 'count-mismatch', [a.id, b.id] FROM counted a JOIN counted b ON a.subject = b.subject
WHERE a.id < b.id AND a.qcount <> b.qcount
UNION ALL
-- 7 position-change
SELECT 'position-change', [e.id, l.id] FROM cd e JOIN cd l
  ON e.speaker = l.speaker AND e.subject = l.subject AND e.predicate = l.predicate
WHERE e.id <> l.id AND e.latest < l.earliest
  AND (e.object IS DISTINCT FROM l.object OR e.value IS DISTINCT FROM l.value OR e.polarity <> l.polarity
       OR e.qcount IS DISTINCT FROM l.qcount);
