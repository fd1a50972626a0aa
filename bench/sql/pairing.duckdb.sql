CREATE OR REPLACE TABLE paired AS
SELECT kind, d, until, nat,
       CASE WHEN kind = 1 AND lead(kind) OVER w = 2 THEN lead(d) OVER w END AS xd
FROM events WHERE kind IN (1, 2)
WINDOW w AS (PARTITION BY trav ORDER BY t, seq);
