-- No filters: the whole fact table grouped by dimension attributes.
SELECT p_mfgr, d_year, sum(lo_revenue - lo_supplycost) AS profit
FROM lineorder, part, date
WHERE lo_partkey = p_partkey AND lo_orderdate = d_datekey
GROUP BY p_mfgr, d_year
ORDER BY p_mfgr, d_year;
