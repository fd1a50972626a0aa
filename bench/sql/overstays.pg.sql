WITH ee AS (
  SELECT kind, d, until, nat,
         lead(kind) OVER w AS nkind, lead(d) OVER w AS nd
  FROM events WHERE kind IN (1, 2)
  WINDOW w AS (PARTITION BY trav ORDER BY t, seq)
), adm AS (
  SELECT nat, until, CASE WHEN nkind = 2 THEN nd END AS xd
  FROM ee
  WHERE kind = 1 AND until BETWEEN DATE '2023-01-01' AND DATE '2024-06-30' AND d <= DATE '2024-12-31'
)
SELECT nat, sum(ex), sum(it), sum(oc), sum(ic), sum(ce), sum(cx) FROM (
  SELECT nat, 1 AS ex,
         CASE WHEN xd IS NOT NULL AND xd <= until THEN 1 ELSE 0 END AS it,
         CASE WHEN xd > until AND xd <= DATE '2024-12-31' THEN 1 ELSE 0 END AS oc,
         CASE WHEN xd IS NULL OR xd > DATE '2024-12-31' THEN 1 ELSE 0 END AS ic,
         0 AS ce, 0 AS cx
  FROM adm
  UNION ALL
  SELECT nat, 0, 0, 0, 0, CASE WHEN kind = 1 THEN 1 ELSE 0 END, CASE WHEN kind = 2 THEN 1 ELSE 0 END
  FROM events
  WHERE kind IN (1, 2) AND d BETWEEN DATE '2023-01-01' AND DATE '2024-06-30'
) u GROUP BY nat;
