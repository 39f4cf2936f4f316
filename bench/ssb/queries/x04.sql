-- A range on the fact's date key itself, no date join; top suppliers.
SELECT s_name, s_city, sum(lo_revenue) AS revenue
FROM lineorder JOIN supplier ON lo_suppkey = s_suppkey
WHERE lo_orderdate BETWEEN 19960101 AND 19960331 AND s_region = 'EUROPE'
GROUP BY s_name, s_city
ORDER BY revenue DESC, s_name
LIMIT 10;
