-- Several dimensions filtered by IN lists.
SELECT c_nation, p_category, sum(lo_revenue) AS revenue, count(*) AS lines
FROM lineorder, customer, supplier, part
WHERE lo_custkey = c_custkey AND lo_suppkey = s_suppkey AND lo_partkey = p_partkey
  AND c_region IN ('ASIA', 'EUROPE')
  AND s_nation IN ('CHINA', 'FRANCE', 'GERMANY')
  AND p_mfgr IN ('MFGR#1', 'MFGR#3')
GROUP BY c_nation, p_category
ORDER BY revenue DESC, c_nation, p_category
LIMIT 25;
