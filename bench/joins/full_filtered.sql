SELECT count(*), count(o_orderkey), count(l_orderkey), sum(o_totalprice), sum(l_extendedprice)
FROM (SELECT * FROM orders WHERE o_orderdate < DATE '1995-01-01') o
FULL OUTER JOIN (SELECT * FROM lineitem WHERE l_shipdate >= DATE '1994-01-01') l ON o_orderkey = l_orderkey;
