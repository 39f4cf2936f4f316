-- Aggregate the fact first, then join the small result to a dimension.
SELECT p_category, count(*) AS parts, sum(qty) AS qty
FROM (SELECT lo_partkey, sum(lo_quantity) AS qty FROM lineorder WHERE lo_discount = 10 GROUP BY lo_partkey) t
JOIN part ON t.lo_partkey = p_partkey
WHERE p_mfgr = 'MFGR#5'
GROUP BY p_category
ORDER BY p_category;
