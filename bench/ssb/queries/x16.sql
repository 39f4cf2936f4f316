-- A CTE read twice: each year's revenue per region against the previous year's.
WITH yearly AS (
  SELECT c_region, d_year, sum(lo_revenue) AS revenue
  FROM lineorder, customer, date
  WHERE lo_custkey = c_custkey AND lo_orderdate = d_datekey
  GROUP BY c_region, d_year)
SELECT cur.c_region, cur.d_year, cur.revenue, prev.revenue AS prev_revenue
FROM yearly cur JOIN yearly prev ON cur.c_region = prev.c_region AND cur.d_year = prev.d_year + 1
ORDER BY cur.c_region, cur.d_year;
