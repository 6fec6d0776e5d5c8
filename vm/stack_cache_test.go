package vm

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// The cached roots must always equal the uncached fold, whatever changed in between.
func TestStackCacheMatchesFold(t *testing.T) {
	mk := func(id uint64) *Thread { return &Thread{ThreadID: id, PC: 4 * id, NextPC: 4*id + 4} }
	st := []*Thread{mk(0), mk(1), mk(2), mk(3)}
	var c stackCache
	check := func(stack []*Thread) {
		t.Helper()
		require.Equal(t, ThreadStackRoot(stack), c.root(stack))
	}
	check(st)
	check(st[:3])          // prefix query keeps the longer entries
	check(st)              // and reuses them
	st[3].Registers[5] = 7 // top changed
	check(st)
	st[1].HI = 9 // a buried thread changed behind the cache's back
	check(st)
	check(st[:2])
	st = append(st[:2], mk(8)) // pop two, push a new one
	check(st)
	check(nil)
	check(st)
}

// A State copied by value must not share its original's cache.
func TestStackCacheCopiedState(t *testing.T) {
	s := &State{LeftThreadStack: []*Thread{{ThreadID: 1}, {ThreadID: 2}}}
	c := s.rootCache()
	c.left.root(s.LeftThreadStack)
	cp := *s
	cp.LeftThreadStack = []*Thread{{ThreadID: 5}}
	require.NotSame(t, s.rootCache(), cp.rootCache())
	require.Equal(t, ThreadStackRoot(cp.LeftThreadStack), cp.rootCache().left.root(cp.LeftThreadStack))
	require.Equal(t, ThreadStackRoot(s.LeftThreadStack), s.rootCache().left.root(s.LeftThreadStack))
}
