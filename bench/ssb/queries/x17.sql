-- Distinct customers per supplier region and year.
SELECT s_region, d_year, count(DISTINCT lo_custkey) AS customers
FROM lineorder, supplier, date
WHERE lo_suppkey = s_suppkey AND lo_orderdate = d_datekey AND d_year IN (1993, 1997)
GROUP BY s_region, d_year
ORDER BY s_region, d_year;
