-- The default rule pack hand-encoded for DuckDB over the same JSON Lines, as a data engineer would.
-- Inputs: claims (read from JSON Lines), entities(id, kind), is_a(entity, class) (transitive closure),
-- within(place, region, answer) (the gazetteer's tri-state answers), all prepared by benchmarks/run.py.
CREATE OR REPLACE TABLE c AS
SELECT id, speaker, subject, predicate, object, CAST(value AS VARCHAR) AS value,
       coalesce(polarity, 'affirmed') AS polarity, coalesce(status, 'done') AS status, quote_kind,
       TRY_CAST(COALESCE(json_extract(qualifiers.count, '$.value'), qualifiers.count) AS BIGINT) AS qcount, qualifiers.place AS qplace, qualifiers.scope AS qscope,
       coalesce(qualifiers.means, []) AS qmeans, coalesce(topics, []) AS topics,
       starts_with(said_on, '~') AS approx, ltrim(said_on, '~') AS d
FROM claims;

CREATE OR REPLACE TABLE cd AS
SELECT *,
  (CASE length(d) WHEN 10 THEN CAST(d AS DATE) WHEN 7 THEN CAST(d || '-01' AS DATE) ELSE CAST(d || '-01-01' AS DATE) END
   - CASE WHEN approx THEN INTERVAL 7 DAY ELSE INTERVAL 0 DAY END)::DATE AS earliest,
  (CASE length(d) WHEN 10 THEN CAST(d AS DATE) WHEN 7 THEN last_day(CAST(d || '-01' AS DATE)) ELSE CAST(d || '-12-31' AS DATE) END
   + CASE WHEN approx THEN INTERVAL 7 DAY ELSE INTERVAL 0 DAY END)::DATE AS latest,
  CASE WHEN quote_kind = 'reported-by-outlet' THEN 'outlet'
       WHEN (SELECT kind FROM entities e WHERE e.id = speaker) = 'person' THEN (CASE WHEN quote_kind = 'direct' THEN 'strong' ELSE 'moderate' END)
       WHEN quote_kind = 'direct' THEN 'moderate' ELSE 'weak' END AS strength
FROM c;

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
