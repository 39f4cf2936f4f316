-- A dimension filter written as IN (subquery).
SELECT d_year, sum(lo_revenue) AS revenue
FROM lineorder, date
WHERE lo_orderdate = d_datekey
  AND lo_suppkey IN (SELECT s_suppkey FROM supplier WHERE s_region = 'ASIA' AND s_nation <> 'CHINA')
  AND lo_partkey IN (SELECT p_partkey FROM part WHERE p_size BETWEEN 40 AND 45)
GROUP BY d_year
ORDER BY d_year;
