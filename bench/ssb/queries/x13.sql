-- HAVING over a dimension grouping.
SELECT c_city, s_city, sum(lo_revenue) AS revenue
FROM lineorder, customer, supplier, date
WHERE lo_custkey = c_custkey AND lo_suppkey = s_suppkey AND lo_orderdate = d_datekey
  AND c_nation = 'JAPAN' AND s_nation = 'JAPAN' AND d_year = 1995
GROUP BY c_city, s_city
HAVING sum(lo_revenue) > 20000
ORDER BY revenue DESC, c_city, s_city;
