-- The default rule pack hand-encoded for DuckDB over the same JSON Lines, as a data engineer would.
-- Inputs: claims (read from JSON Lines), entities(id, kind), is_a(entity, class) (transitive closure),
-- within(place, region, answer) (the gazetteer's tri-state answers), all prepared by benchmarks/run.py.
CREATE OR REPLACE TABLE c AS
SELECT id, speaker, subject, predicate, object, CAST(value AS VARCHAR) AS value,
       coalesce(polarity, 'affirmed') AS polarity, coalesce(status, 'done') AS status, quote_kind,
       TRY_CAST(qualifiers.count AS BIGINT) AS qcount, qualifiers.place AS qplace, qualifiers.scope AS qscope,
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

CREATE OR REPLACE TABLE results AS
-- 1 presence-where-entry-denied
SELECT DISTINCT 'presence-where-entry-denied' AS rule, [dn.id, st.id, si.id] AS ids
FROM cd dn JOIN ct t1 ON t1.id = dn.id
JOIN ct t2 ON t2.topic = t1.topic JOIN cd st ON st.id = t2.id
JOIN ct t3 ON t3.topic = t1.topic JOIN cd si ON si.id = t3.id
JOIN within w ON w.place = si.object AND w.region = dn.object
WHERE dn.predicate = 'enter' AND dn.polarity = 'negated' AND st.polarity = 'affirmed' AND st.qplace IS NOT NULL
  AND si.predicate = 'located-in' AND dn.id <> st.id AND dn.id <> si.id AND st.id <> si.id
  AND dn.speaker <> st.speaker AND st.qplace = si.subject AND w.answer IN ('yes', 'disputed')
  AND EXISTS (SELECT 1 FROM is_a i WHERE i.entity = dn.subject AND i.class = 'turkish-military-personnel')
  AND EXISTS (SELECT 1 FROM is_a i WHERE i.entity = st.subject AND i.class = 'turkish-military-personnel')
UNION ALL
-- 2 remote-operation-vs-personnel-on-site
SELECT DISTINCT 'remote-operation-vs-personnel-on-site', [r.id, s.id]
FROM cd r JOIN ct t1 ON t1.id = r.id JOIN ct t2 ON t2.topic = t1.topic JOIN cd s ON s.id = t2.id
WHERE r.predicate = 'operate' AND list_contains(r.qmeans, 'remote') AND s.polarity = 'affirmed' AND s.qcount > 0
  AND r.id <> s.id AND r.speaker <> s.speaker AND s.qplace = r.subject
UNION ALL
-- 3 role-scope-conflict
SELECT DISTINCT 'role-scope-conflict', [w.id, l.id]
FROM cd w JOIN ct t1 ON t1.id = w.id JOIN ct t2 ON t2.topic = t1.topic JOIN cd l ON l.id = t2.id
WHERE w.polarity = 'affirmed' AND l.qscope = 'only' AND l.polarity = 'affirmed' AND w.id <> l.id
  AND w.predicate = l.predicate AND w.subject = l.subject AND w.object <> l.object AND w.speaker <> l.speaker
UNION ALL
-- 4 weak-attribution
SELECT 'weak-attribution', [id] FROM cd WHERE quote_kind IN ('indirect', 'paraphrase') AND strength = 'weak'
UNION ALL
-- 5 status-overstated
SELECT DISTINCT 'status-overstated', [r.id, s.id]
FROM cd r JOIN ct t1 ON t1.id = r.id JOIN ct t2 ON t2.topic = t1.topic JOIN cd s ON s.id = t2.id
WHERE r.status IN ('done', 'ongoing') AND s.status IN ('conditional', 'planned') AND r.id <> s.id
  AND r.subject = s.subject AND r.predicate = s.predicate AND r.speaker <> s.speaker
  AND r.strength IN ('outlet', 'weak') AND s.strength IN ('strong', 'moderate')
UNION ALL
-- 6 count-mismatch
SELECT 'count-mismatch', [a.id, b.id] FROM cd a JOIN cd b ON a.subject = b.subject
WHERE a.qcount IS NOT NULL AND b.qcount IS NOT NULL AND a.id < b.id AND abs(a.qcount - b.qcount) > 0
UNION ALL
-- 7 position-change
SELECT 'position-change', [e.id, l.id] FROM cd e JOIN cd l
  ON e.speaker = l.speaker AND e.subject = l.subject AND e.predicate = l.predicate
WHERE e.id <> l.id AND e.latest < l.earliest
  AND (e.object IS DISTINCT FROM l.object OR e.value IS DISTINCT FROM l.value OR e.polarity <> l.polarity
       OR e.qcount IS DISTINCT FROM l.qcount);
