package coldata

import "testing"

func TestBlobTextRoundTrip(t *testing.T) {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	text := FormatBlob(string(all))
	back, err := AppendBlobParse(nil, text)
	if err != nil || string(back) != string(all) {
		t.Fatalf("round trip of all bytes: %v, %q", err, back)
	}
	if got := FormatBlob("a\\'\"\x7f\x00~"); got != `a\x5C\x27\x22\x7F\x00~` {
		t.Errorf("FormatBlob = %s", got)
	}
	for _, bad := range []string{`\x`, `\x4`, `\xZZ`, `\y41`, "é", `\`} {
		if _, err := AppendBlobParse(nil, bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestUUIDParse(t *testing.T) {
	const want = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
	for _, in := range []string{want, "{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}", "a0eebc999c0b4ef8bb6d6bb9bd380a11", "-a0eebc99-9c0b4ef8-bb6d-6bb9bd380a11"} {
		got, ok := AppendUUIDParse(nil, in)
		if !ok || string(got) != want {
			t.Errorf("%s: %q %v", in, got, ok)
		}
	}
	for _, bad := range []string{"xyz", "{a0eebc999c0b4ef8bb6d6bb9bd380a11", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a1", want + "0", ""} {
		if _, ok := AppendUUIDParse(nil, bad); ok {
			t.Errorf("%q parsed", bad)
		}
	}
	b, ok := AppendUUIDBytes(nil, want)
	if !ok || len(b) != 16 || string(AppendUUIDText(nil, string(b))) != want {
		t.Errorf("bytes round trip: %x %v", b, ok)
	}
}
