-- Top customers of a market segment in one year.
SELECT c_custkey, c_name, c_nation, sum(lo_revenue) AS revenue
FROM lineorder, customer, date
WHERE lo_custkey = c_custkey AND lo_orderdate = d_datekey
  AND c_mktsegment = 'AUTOMOBILE' AND d_year = 1997
GROUP BY c_custkey, c_name, c_nation
ORDER BY revenue DESC, c_custkey
LIMIT 20;
