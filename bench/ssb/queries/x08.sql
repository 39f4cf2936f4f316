-- Correlated predicates on one dimension: the month implies the year.
SELECT c_city, sum(lo_revenue) AS revenue
FROM lineorder, date, customer
WHERE lo_orderdate = d_datekey AND lo_custkey = c_custkey
  AND d_year = 1997 AND d_yearmonthnum = 199712 AND d_month = 'December' AND d_monthnuminyear = 12
  AND c_nation = 'UNITED KINGDOM'
GROUP BY c_city
ORDER BY revenue DESC, c_city;
