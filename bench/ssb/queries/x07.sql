-- One day, one brand range, one region: every dimension selective.
SELECT d_date, p_brand1, s_nation, sum(lo_quantity) AS qty, sum(lo_revenue) AS revenue
FROM lineorder, date, part, supplier
WHERE lo_orderdate = d_datekey AND lo_partkey = p_partkey AND lo_suppkey = s_suppkey
  AND d_datekey BETWEEN 19970601 AND 19970607
  AND p_category = 'MFGR#33'
  AND s_region = 'MIDDLE EAST'
GROUP BY d_date, p_brand1, s_nation
ORDER BY d_date, p_brand1, s_nation;
