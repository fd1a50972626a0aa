SELECT nat, port, strftime(m, '%Y-%m'), e, x, r, c FROM (
  SELECT nat, port, date_trunc('month', d) AS m,
         count(*) FILTER (WHERE kind = 1) AS e, count(*) FILTER (WHERE kind = 2) AS x,
         count(*) FILTER (WHERE kind = 3) AS r, count(*) FILTER (WHERE kind = 4) AS c
  FROM events
  WHERE d BETWEEN DATE '2022-01-01' AND DATE '2024-12-31' AND kind BETWEEN 1 AND 4
  GROUP BY ALL) g;
