-- Two roles of nation: where the supplier is and where the customer is.
SELECT n1.n_name AS supp_nation, n2.n_name AS cust_nation, sum(lo_revenue) AS revenue
FROM lineorder
JOIN supplier ON lo_suppkey = s_suppkey
JOIN nation n1 ON s_nationkey = n1.n_nationkey
JOIN region r1 ON n1.n_regionkey = r1.r_regionkey
JOIN customer ON lo_custkey = c_custkey
JOIN nation n2 ON c_nationkey = n2.n_nationkey
WHERE r1.r_name = 'AFRICA' AND n2.n_name IN ('BRAZIL', 'CANADA', 'PERU')
GROUP BY n1.n_name, n2.n_name
ORDER BY revenue DESC, supp_nation, cust_nation;
