-- Snowflake: customers reach their region through nation and region.
SELECT r_name, d_year, sum(lo_revenue) AS revenue
FROM lineorder
JOIN customer ON lo_custkey = c_custkey
JOIN nation ON c_nationkey = n_nationkey
JOIN region ON n_regionkey = r_regionkey
JOIN date ON lo_orderdate = d_datekey
WHERE r_name IN ('ASIA', 'AMERICA') AND d_year BETWEEN 1994 AND 1996
GROUP BY r_name, d_year
ORDER BY r_name, d_year;
