package check

import (
	"encoding/json"
	"fmt"
	"slices"
)

// GasHistogram is the exact gas of counted checked steps as (gas, count) pairs sorted by gas;
// in JSON, [[gas, count], …]. Step gas takes a few thousand distinct values, so it stays
// small however long the run, and summaries of shards merge into exact percentiles.
type GasHistogram []GasBucket

// GasBucket is one distinct gas value and how many checked steps used it.
type GasBucket struct{ Gas, Count uint64 }

// MarshalJSON writes a bucket as a two-element array.
func (b GasBucket) MarshalJSON() ([]byte, error) { return json.Marshal([2]uint64{b.Gas, b.Count}) }

// UnmarshalJSON reads a bucket written by MarshalJSON.
func (b *GasBucket) UnmarshalJSON(data []byte) error {
	var pair [2]uint64
	if err := json.Unmarshal(data, &pair); err != nil {
		return fmt.Errorf("gas histogram bucket: want [gas, count]: %w", err)
	}
	b.Gas, b.Count = pair[0], pair[1]
	return nil
}

func (h gasHistogram) export() GasHistogram {
	out := make(GasHistogram, 0, len(h))
	for g, c := range h {
		out = append(out, GasBucket{g, c})
	}
	slices.SortFunc(out, func(a, b GasBucket) int {
		switch {
		case a.Gas < b.Gas:
			return -1
		case a.Gas > b.Gas:
			return 1
		}
		return 0
	})
	return out
}

func (h gasHistogram) add(g GasHistogram) {
	for _, b := range g {
		h[b.Gas] += b.Count
	}
}

// RangeJSON is a step range [Start, End) in a run summary.
type RangeJSON struct {
	Start uint64 `json:"start"`
	End   uint64 `json:"end"`
	// ToExit: the range was A:end; End is where the run stopped.
	ToExit bool `json:"to_exit,omitempty"`
}

func (r StepRange) json() *RangeJSON {
	if !r.Set {
		return nil
	}
	return &RangeJSON{Start: r.Start, End: r.End, ToExit: r.ToExit}
}
