SELECT nat, port, substr(d, 1, 7) AS month,
       sum(kind = 1), sum(kind = 2), sum(kind = 3), sum(kind = 4)
FROM events
WHERE d BETWEEN '2022-01-01' AND '2024-12-31' AND kind BETWEEN 1 AND 4
GROUP BY nat, port, month;
