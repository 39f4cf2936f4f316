-- A role-playing date dimension: orders committed in a later year than placed.
SELECT d1.d_year AS order_year, d2.d_year AS commit_year, count(*) AS lines, sum(lo_revenue) AS revenue
FROM lineorder
JOIN date d1 ON lo_orderdate = d1.d_datekey
JOIN date d2 ON lo_commitdate = d2.d_datekey
WHERE d2.d_year > d1.d_year AND d1.d_monthnuminyear = 12
GROUP BY d1.d_year, d2.d_year
ORDER BY order_year, commit_year;
