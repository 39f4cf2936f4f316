package dbgen

// The random numbers are those of the TPC-H reference generator: many
// independent Park–Miller ("minimal standard" Lehmer) generators, one per
// column, x' = 16807·x mod (2^31 − 1). Because a stream's state after n
// draws is seed·16807^n mod (2^31 − 1), a stream can be put at any row in
// O(log n) multiplications, which is what makes row ranges independent.

const (
	lehmerMul  = 16807
	lehmerMod  = 1<<31 - 1
	lehmerModF = float64(lehmerMod)
	// vstrSpan is the width of the draws behind v-string characters,
	// RANDOM(0, 2^31 − 1): 2^31 when computed without overflow.
	vstrSpan = float64(1 << 31)
)

// foldMod reduces p < 2^62 modulo 2^31 − 1 without a division: 2^31 is
// congruent to 1, so the high and low 31 bits may be added.
func foldMod(p int64) int64 {
	p = (p & lehmerMod) + (p >> 31)
	p = (p & lehmerMod) + (p >> 31)
	if p >= lehmerMod {
		p -= lehmerMod
	}
	return p
}

// mulMod multiplies two residues modulo 2^31 − 1.
func mulMod(a, b int64) int64 { return foldMod(a * b) }

// lehmerPow returns 16807^n mod (2^31 − 1): the multiplier that moves a
// stream n draws ahead.
func lehmerPow(n int64) int64 {
	result, base := int64(1), int64(lehmerMul)
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			result = mulMod(result, base)
		}
		base = mulMod(base, base)
	}
	return result
}

// lane is one random number stream as a row generator sees it: its state
// at the start of the current row and its latest draw. However many
// numbers a row took, the next row starts a fixed number of draws after
// this one (the stream's draws per row), so rows never depend on each
// other's content.
type lane struct {
	x    int64 // the latest draw (the stream's state)
	row  int64 // the state when the current row began
	jump int64 // 16807^(draws per row)
}

// place puts the lane at the start of row (0-based) of a stream.
func (l *lane) place(s streamSpec, row int64) {
	l.jump = lehmerPow(s.perRow)
	l.row = mulMod(s.seed, lehmerPow(row*s.perRow))
	l.x = l.row
}

// nextRow moves the lane to the start of the following row.
func (l *lane) nextRow() {
	l.row = mulMod(l.row, l.jump)
	l.x = l.row
}

// draw returns the stream's next number, in [1, 2^31 − 2].
func (l *lane) draw() int64 {
	x := l.x * lehmerMul
	x = (x & lehmerMod) + (x >> 31)
	if x >= lehmerMod {
		x -= lehmerMod
	}
	l.x = x
	return x
}

// between returns a uniform integer in [lo, hi], scaled from one draw the
// way dbgen scales it (in double precision, truncated), which the data
// depends on to the last digit.
func (l *lane) between(lo, hi int64) int64 {
	return lo + int64(float64(l.draw())/lehmerModF*float64(hi-lo+1))
}

// scaled returns one draw scaled to span, truncated toward zero.
func (l *lane) scaled(span float64) int64 {
	return int64(float64(l.draw()) / lehmerModF * span)
}
