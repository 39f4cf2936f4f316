SELECT count(*), count(l_shipdate), min(l_shipdate), max(l_shipdate)
FROM orders ASOF LEFT JOIN lineitem ON o_orderkey = l_orderkey AND o_orderdate <= l_shipdate;
