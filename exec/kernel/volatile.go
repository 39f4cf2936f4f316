package kernel

import (
	crand "crypto/rand"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/peregrinedb/peregrine/exec/coldata"
	"github.com/peregrinedb/peregrine/planner/expr"
)

// seedSource is where random() and uuid() draw each batch's seed.
// setseed(x) reseeds it, which makes the randoms that follow reproducible.
// It is process-wide rather than per session: concurrent sessions calling
// setseed interleave their draws.
var seedSource struct {
	mu  sync.Mutex
	rng *rand.PCG
}

func init() {
	var b [16]byte
	_, _ = crand.Read(b[:])
	seedSource.rng = rand.NewPCG(binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:]))
}

// batchSeed draws the seed of one batch's generator: one lock per batch,
// none per value.
func batchSeed() (uint64, uint64) {
	seedSource.mu.Lock()
	defer seedSource.mu.Unlock()
	return seedSource.rng.Uint64(), seedSource.rng.Uint64()
}

func setSeed(x float64) {
	seedSource.mu.Lock()
	defer seedSource.mu.Unlock()
	s := math.Float64bits(x)
	seedSource.rng.Seed(s, s^0x9e3779b97f4a7c15)
}

// volatileNode is random(), uuid() and setseed(x). It is never folded: each
// batch (and each row) gets new values.
type volatileNode struct {
	op   expr.Op
	args []node
	vs   []*coldata.Vec
	t    coldata.Type
	res  result
	rng  rand.PCG
	a    strArena
}

func compileVolatile(e *expr.Func, args []node) (node, error) {
	want := 0
	if e.Op == expr.OpSetSeed {
		want = 1
		if len(args) == 1 && args[0].typ().ID != coldata.Float64 && args[0].typ().ID != coldata.Unknown {
			return nil, errorf("setseed needs a DOUBLE, got %s", args[0].typ())
		}
	}
	if len(args) != want {
		return nil, errorf("%s takes %d arguments, got %d", e.Op, want, len(args))
	}
	return &volatileNode{op: e.Op, args: args, t: e.Typ}, nil
}

func (n *volatileNode) typ() coldata.Type { return n.t }

func (n *volatileNode) eval(b *coldata.Batch, sel []int32) (*coldata.Vec, error) {
	rows := b.N
	out := n.res.reset(n.t, rows)
	switch n.op {
	case expr.OpSetSeed:
		vs, err := evalArgs(n.args, b, sel, &n.vs)
		if err != nil {
			return nil, err
		}
		nulls := n.res.ownNulls(rows)
		for k := 0; k < liveLen(sel, rows); k++ {
			i := rowAt(sel, k)
			nulls[i] = true
			if vs[0].Nulls != nil && vs[0].Nulls[i] || vs[0].Type.ID != coldata.Float64 {
				continue
			}
			x := vs[0].F64[i]
			if !(x >= -1 && x <= 1) {
				return nil, invalidInputf("SETSEED accepts seed values between -1.0 and 1.0, inclusive")
			}
			setSeed(x)
		}
		return out, nil
	case expr.OpRandom:
		n.rng.Seed(batchSeed())
		r := rand.New(&n.rng)
		for k := 0; k < liveLen(sel, rows); k++ {
			out.F64[rowAt(sel, k)] = r.Float64()
		}
		return out, nil
	}
	n.rng.Seed(batchSeed())
	n.a.reset(rows)
	for k := 0; k < liveLen(sel, rows); k++ {
		i := rowAt(sel, k)
		start := len(n.a.buf)
		n.a.buf = appendUUIDv4(n.a.buf, n.rng.Uint64(), n.rng.Uint64())
		n.a.mark(int32(i), start)
	}
	n.a.finish(out.Str, sel, rows)
	return out, nil
}

// appendUUIDv4 formats a random (version 4, RFC 4122 variant) UUID from
// 128 random bits.
func appendUUIDv4(dst []byte, hi, lo uint64) []byte {
	hi = hi&^(0xf<<12) | 4<<12
	lo = lo&^(3<<62) | 2<<62
	const hexd = "0123456789abcdef"
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], hi)
	binary.BigEndian.PutUint64(b[8:], lo)
	for j, c := range b {
		if j == 4 || j == 6 || j == 8 || j == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexd[c>>4], hexd[c&15])
	}
	return dst
}
