-- Dimensions joined to each other: customer and supplier nations of one region.
SELECT r_name, sum(lo_revenue) AS revenue, count(*) AS lines
FROM lineorder, customer, supplier, nation n1, nation n2, region
WHERE lo_custkey = c_custkey AND lo_suppkey = s_suppkey
  AND c_nationkey = n1.n_nationkey AND s_nationkey = n2.n_nationkey
  AND n1.n_regionkey = n2.n_regionkey AND n1.n_regionkey = r_regionkey
  AND lo_quantity > 45
GROUP BY r_name
ORDER BY r_name;
