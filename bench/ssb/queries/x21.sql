-- Two date roles compared by a non-equality (a theta condition between dimensions).
SELECT d1.d_year, count(*) AS late_lines
FROM lineorder, date d1, date d2, supplier
WHERE lo_orderdate = d1.d_datekey AND lo_commitdate = d2.d_datekey AND lo_suppkey = s_suppkey
  AND d2.d_fulldate > d1.d_fulldate + 75
  AND s_nation = 'CANADA'
GROUP BY d1.d_year
ORDER BY d1.d_year;
