-- Forms Peregrine accepts beyond DuckDB 1.5's parser: the front end's issue
-- lists them (# as bitwise XOR, 0x/0b integer literals), or they are the
-- obvious generalization of a DuckDB form.
SELECT 3 # 5;
SELECT 0x1F + 0b11;
SELECT 'abc' NOT GLOB 'b*';
SELECT first(a) IGNORE NULLS OVER (ORDER BY b) FROM t;
SELECT a FROM t LEFT SEMI JOIN u ON t.a = u.a;
(SELECT a FROM t ORDER BY a LIMIT 1) ORDER BY a;
SELECT 'abc'.upper();
DEALLOCATE ALL;
CREATE TABLE t (a LIST(INTEGER));
