package sql

import "testing"

func TestRewriteSubscripts(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT l[1] FROM t", "SELECT __index(l, 1) FROM t"},
		{"SELECT t.s['a'], f(x)[2] FROM t", "SELECT __index(t.s, 'a'), __index(f(x), 2) FROM t"},
		{"SELECT ll[1][len(ll)], (a)[-1] FROM t", "SELECT __index(__index(ll, 1), len(ll)), __index((a), -1) FROM t"},
		{"SELECT pts[1].x + 1 FROM t", "SELECT __index(__index(pts, 1), 'x') + 1 FROM t"},
		{"SELECT m[k[1]] FROM t", "SELECT __index(m, __index(k, 1)) FROM t"},
	}
	for _, c := range cases {
		rw, err := rewrite(c.in)
		if err != nil {
			t.Errorf("rewrite(%q): %v", c.in, err)
			continue
		}
		if rw.text != c.want {
			t.Errorf("rewrite(%q)\n got %q\nwant %q", c.in, rw.text, c.want)
		}
	}
}
