SELECT nat, ex, it, oc, ic, ce, cx FROM (
  SELECT nat,
    count(*) FILTER (WHERE kind = 1 AND until BETWEEN DATE '2023-01-01' AND DATE '2024-06-30'
                     AND d <= DATE '2024-12-31') AS ex,
    count(*) FILTER (WHERE kind = 1 AND until BETWEEN DATE '2023-01-01' AND DATE '2024-06-30'
                     AND d <= DATE '2024-12-31' AND xd <= until) AS it,
    count(*) FILTER (WHERE kind = 1 AND until BETWEEN DATE '2023-01-01' AND DATE '2024-06-30'
                     AND d <= DATE '2024-12-31' AND xd > until AND xd <= DATE '2024-12-31') AS oc,
    count(*) FILTER (WHERE kind = 1 AND until BETWEEN DATE '2023-01-01' AND DATE '2024-06-30'
                     AND d <= DATE '2024-12-31' AND (xd IS NULL OR xd > DATE '2024-12-31')) AS ic,
    count(*) FILTER (WHERE kind = 1 AND d BETWEEN DATE '2023-01-01' AND DATE '2024-06-30') AS ce,
    count(*) FILTER (WHERE kind = 2 AND d BETWEEN DATE '2023-01-01' AND DATE '2024-06-30') AS cx
  FROM paired GROUP BY nat) g
WHERE ex > 0 OR ce > 0 OR cx > 0;
