package cli

import (
	"fmt"
	"testing"
)

// FuzzRange: --range and --shard text from a user (or a CI matrix) gives a range or an
// error, never a panic; an accepted shard lies inside its range, and the n shards of a
// range tile it exactly, each non-empty, lengths differing by at most one step.
func FuzzRange(f *testing.F) {
	for _, seed := range []struct{ r, s string }{
		{"0:1M", "0/4"}, {"1M:2M", "3/4"}, {"5:6", "0/1"}, {"10:10", "0/1"}, {"7:3", "1/2"},
		{"0:18446744073709551615", "2/3"}, {"1k:2k", "1/1"}, {"x:y", "a/b"}, {"0:100", "01/2"},
		{"0:5", "0/9"}, {"1G:2G", "1023/1024"},
	} {
		f.Add(seed.r, seed.s)
	}
	f.Fuzz(func(t *testing.T, rangeText, shardText string) {
		var sr stepRange
		if err := sr.Set(rangeText); err != nil {
			return
		}
		r := sr.r
		if !r.Set || r.End <= r.Start {
			t.Fatalf("accepted %q as an empty range %+v", rangeText, r)
		}
		got, err := shardOf(r, shardText)
		if err != nil {
			return
		}
		if got.Start < r.Start || got.End > r.End || got.End <= got.Start {
			t.Fatalf("shard %q of %+v is %+v: outside the range or empty", shardText, r, got)
		}
		var i, n uint64
		if _, err := fmt.Sscanf(shardText, "%d/%d", &i, &n); err != nil || n > 256 {
			return // checking the tiling of huge shard counts would be slow
		}
		next, minLen, maxLen := r.Start, ^uint64(0), uint64(0)
		for k := uint64(0); k < n; k++ {
			s, err := shardOf(r, fmt.Sprintf("%d/%d", k, n))
			if err != nil {
				t.Fatalf("shard %d/%d of %+v rejected while %q was accepted: %v", k, n, r, shardText, err)
			}
			if s.Start != next {
				t.Fatalf("shard %d/%d of %+v starts at %d, want %d", k, n, r, s.Start, next)
			}
			next = s.End
			minLen, maxLen = min(minLen, s.End-s.Start), max(maxLen, s.End-s.Start)
		}
		if next != r.End || maxLen-minLen > 1 || minLen == 0 {
			t.Fatalf("shards of %+v into %d: end %d, lengths %d..%d", r, n, next, minLen, maxLen)
		}
	})
}
