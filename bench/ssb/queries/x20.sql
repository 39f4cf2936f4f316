-- Fact-side filters with a part pattern, top orders by value.
SELECT lo_orderkey, c_name, sum(lo_extendedprice) AS value
FROM lineorder, customer, part
WHERE lo_custkey = c_custkey AND lo_partkey = p_partkey
  AND lo_orderpriority = '1-URGENT' AND lo_shipmode = 'TRUCK'
  AND p_type LIKE '%BRUSHED COPPER'
GROUP BY lo_orderkey, c_name
ORDER BY value DESC, lo_orderkey
LIMIT 10;
