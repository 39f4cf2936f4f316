SELECT count(*), count(o_orderkey), count(l_orderkey), sum(o_totalprice), sum(l_extendedprice)
FROM orders FULL OUTER JOIN lineitem ON o_orderkey = l_orderkey;
