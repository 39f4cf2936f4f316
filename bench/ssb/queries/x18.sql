-- An OR across two dimensions.
SELECT c_region, s_region, count(*) AS lines, sum(lo_revenue) AS revenue
FROM lineorder, customer, supplier
WHERE lo_custkey = c_custkey AND lo_suppkey = s_suppkey
  AND ((c_region = 'ASIA' AND s_region = 'EUROPE') OR (c_region = 'EUROPE' AND s_region = 'ASIA'))
  AND lo_shipmode IN ('AIR', 'REG AIR')
GROUP BY c_region, s_region
ORDER BY c_region, s_region;
