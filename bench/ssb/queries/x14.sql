-- Every supplier of a nation with its 1996 revenue, zero when none (LEFT JOIN to an aggregate).
SELECT s_suppkey, s_name, coalesce(rev, 0) AS revenue
FROM supplier
LEFT JOIN (SELECT lo_suppkey, sum(lo_revenue) AS rev
           FROM lineorder JOIN date ON lo_orderdate = d_datekey
           WHERE d_year = 1996
           GROUP BY lo_suppkey) r ON s_suppkey = r.lo_suppkey
WHERE s_nation = 'PERU'
ORDER BY revenue DESC, s_suppkey
LIMIT 15;
