package memory

import "testing"

func benchMemory() *Memory {
	m := New()
	for a := uint64(0); a < 64*4096; a += 8 {
		m.SetWord(0x10000+a, a)
	}
	m.SetWord(0x7FFF_FFFF_F000, 1)
	m.Root()
	return m
}

func BenchmarkGetWord(b *testing.B) {
	m := benchMemory()
	var sink uint64
	for i := 0; b.Loop(); i++ {
		sink += m.GetWord(0x10000 + uint64(i&511)*8)
	}
	_ = sink
}

// BenchmarkGetWordAlternating mimics a step: an instruction fetch and a stack access.
func BenchmarkGetWordAlternating(b *testing.B) {
	m := benchMemory()
	var sink uint64
	for i := 0; b.Loop(); i++ {
		sink += m.GetWord(0x10000 + uint64(i&511)*8)
		sink += m.GetWord(0x7FFF_FFFF_F000 + uint64(i&7)*8)
	}
	_ = sink
}

func BenchmarkSetWord(b *testing.B) {
	m := benchMemory()
	for i := 0; b.Loop(); i++ {
		m.SetWord(0x7FFF_FFFF_F000+uint64(i&511)*8, uint64(i))
	}
}

func BenchmarkRootAfterWrite(b *testing.B) {
	m := benchMemory()
	for i := 0; b.Loop(); i++ {
		m.SetWord(0x10000+uint64(i&0x7FFF)*8, uint64(i))
		m.Root()
	}
}

func BenchmarkProof(b *testing.B) {
	m := benchMemory()
	for i := 0; b.Loop(); i++ {
		m.Proof(0x10000 + uint64(i&0x7FFF)*8)
	}
}

func BenchmarkVerifyProof(b *testing.B) {
	m := benchMemory()
	root := m.Root()
	p := m.Proof(0x10008)
	for b.Loop() {
		if _, err := VerifyProof(root, 0x10008, p[:]); err != nil {
			b.Fatal(err)
		}
	}
}
