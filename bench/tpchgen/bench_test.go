package tpchgen

import (
	"context"
	"testing"
)

func benchmarkGenerate(b *testing.B, sf float64) {
	b.ReportAllocs()
	for b.Loop() {
		if err := Generate(context.Background(), Options{SF: sf, OutDir: b.TempDir()}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGenerateSF01(b *testing.B) { benchmarkGenerate(b, 0.1) }

func BenchmarkGenerateSF1(b *testing.B) { benchmarkGenerate(b, 1) }
