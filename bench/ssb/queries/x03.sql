-- A date range on the dimension's DATE column, grouped by calendar attributes.
SELECT d_month, d_dayofweek, sum(lo_extendedprice * lo_discount) AS discounted, count(*) AS lines
FROM lineorder JOIN date ON lo_orderdate = d_datekey
WHERE d_fulldate BETWEEN DATE '1995-03-01' AND DATE '1995-05-31'
  AND lo_quantity BETWEEN 10 AND 20
GROUP BY d_month, d_dayofweek
ORDER BY d_month, d_dayofweek;
