-- Customers of a region who ordered nothing in 1998 (an anti join on the fact).
SELECT c_nation, count(*) AS customers
FROM customer
WHERE c_region = 'EUROPE'
  AND c_custkey NOT IN (SELECT lo_custkey FROM lineorder, date WHERE lo_orderdate = d_datekey AND d_year = 1998)
GROUP BY c_nation
ORDER BY c_nation;
