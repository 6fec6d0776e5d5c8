package qemuoracle

import (
	"fmt"
	"os"
	"time"
)

// Config selects what Run compares.
type Config struct {
	N       int     // cases to compare (skipped cases do not count)
	Seed    uint64  // generator seed
	Classes []Class // nil: all classes
	// KeepMismatches bounds how many mismatches the report keeps in full (0: 20); all are counted.
	KeepMismatches int
	// DriverSource overrides the driver's assembly file (default: DriverSource in the repo).
	DriverSource string
}

// ClassStats counts one class's cases.
type ClassStats struct {
	Compared   int
	Skipped    int
	Mismatches int
}

// Report is the result of a run.
type Report struct {
	Seed    uint64
	Classes []Class
	Stats   map[Class]*ClassStats
	// Applied counts, per deviation ID, the compared cases it constrained or annotated
	// (Constrain, IgnoreHILO) or the generated cases it dropped (Skip).
	Applied    map[string]int
	Mismatches []*Mismatch
	Mismatched int // all mismatches, also those beyond KeepMismatches
	Elapsed    time.Duration
}

// Compared is the number of cases compared in all classes.
func (r *Report) Compared() int {
	n := 0
	for _, s := range r.Stats {
		n += s.Compared
	}
	return n
}

// Run builds the driver, starts QEMU once, and compares cfg.N random cases.
func Run(cfg Config) (*Report, error) {
	tc, err := FindToolchain()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "fpvmdiff-qemu-oracle-")
	if err != nil {
		return nil, fmt.Errorf("temporary directory for the driver: %w", err)
	}
	defer os.RemoveAll(dir)
	elf, err := tc.BuildDriver(cfg.DriverSource, dir)
	if err != nil {
		return nil, err
	}
	q, err := tc.StartQemu(elf)
	if err != nil {
		return nil, err
	}
	rep, runErr := RunWith(q, cfg)
	if err := q.Close(); err != nil && runErr == nil {
		runErr = err
	}
	return rep, runErr
}

// RunWith compares cfg.N random cases on an already started QEMU driver.
func RunWith(q *Qemu, cfg Config) (*Report, error) {
	classes := cfg.Classes
	if len(classes) == 0 {
		classes = Classes
	}
	keep := cfg.KeepMismatches
	if keep == 0 {
		keep = 20
	}
	rep := &Report{Seed: cfg.Seed, Classes: classes, Stats: map[Class]*ClassStats{}, Applied: map[string]int{}}
	for _, c := range classes {
		if len(opsOfClass(c)) == 0 {
			return nil, fmt.Errorf("unknown instruction class %q", c)
		}
		rep.Stats[c] = &ClassStats{}
	}
	start := time.Now()
	gen := NewGenerator(cfg.Seed, q.Layout)
	next := 0 // round robin over classes
	for done := 0; done < cfg.N; {
		batch := make([]*Case, 0, min(q.Layout.MaxBatch, cfg.N-done))
		for len(batch) < cap(batch) {
			class := classes[next%len(classes)]
			next++
			c, skipped := gen.Next(class, len(batch))
			if skipped != nil {
				rep.Stats[class].Skipped++
				rep.Applied[skipped.ID]++
				continue
			}
			batch = append(batch, c)
		}
		results, err := q.Run(batch)
		if err != nil {
			return rep, err
		}
		for i, c := range batch {
			goOut, goErr := RunGo(c, q.Layout)
			st := rep.Stats[c.Op.Class]
			st.Compared++
			for _, id := range c.Applied {
				rep.Applied[id]++
			}
			if m := Compare(c, results[i], goOut, goErr); m != nil {
				st.Mismatches++
				rep.Mismatched++
				if len(rep.Mismatches) < keep {
					rep.Mismatches = append(rep.Mismatches, m)
				}
			}
		}
		done += len(batch)
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}
