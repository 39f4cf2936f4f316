package peregrine

import "testing"

func TestProcessThreadsCap(t *testing.T) {
	a, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	a.SetThreads(8)
	b.SetThreads(2)
	if err := SetProcessThreads(3); err != nil {
		t.Fatal(err)
	}
	defer SetProcessThreads(0)
	if got := a.buildOptions().Threads; got != 3 {
		t.Errorf("a runs %d threads under a ceiling of 3", got)
	}
	if got := b.buildOptions().Threads; got != 2 {
		t.Errorf("b runs %d threads, wants its own 2", got)
	}
	if a.Threads() != 8 {
		t.Errorf("the ceiling changed a's own setting: %d", a.Threads())
	}
	SetProcessThreads(0)
	if got := a.buildOptions().Threads; got != 8 {
		t.Errorf("without a ceiling a runs %d threads", got)
	}
}
