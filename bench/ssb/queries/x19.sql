-- Calendar flags and the selling season.
SELECT d_sellingseason, d_weekdayfl, count(*) AS lines, sum(lo_revenue) AS revenue
FROM lineorder, date, part
WHERE lo_orderdate = d_datekey AND lo_partkey = p_partkey
  AND d_holidayfl = false AND d_year = 1994 AND p_container LIKE 'SM%'
GROUP BY d_sellingseason, d_weekdayfl
ORDER BY d_sellingseason, d_weekdayfl;
