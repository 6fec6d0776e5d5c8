package evmharness

import (
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/types"
)

// logCapture keeps the logs of the current call itself instead of in the StateDB, whose log
// store only grows: millions of steps would otherwise keep millions of logs alive. Logs of
// reverted frames are dropped through the same snapshots the EVM uses.
type logCapture struct {
	*state.StateDB
	logs  []*types.Log
	marks map[int]int // snapshot id -> len(logs) when it was taken
}

func newLogCapture(db *state.StateDB) *logCapture {
	return &logCapture{StateDB: db, marks: map[int]int{}}
}

func (c *logCapture) AddLog(l *types.Log) { c.logs = append(c.logs, l) }

func (c *logCapture) Snapshot() int {
	id := c.StateDB.Snapshot()
	c.marks[id] = len(c.logs)
	return id
}

func (c *logCapture) RevertToSnapshot(id int) {
	if n, ok := c.marks[id]; ok && n <= len(c.logs) {
		c.logs = c.logs[:n]
	}
	c.StateDB.RevertToSnapshot(id)
}

// take returns the logs of the finished call and starts afresh.
func (c *logCapture) take() []*types.Log {
	l := c.logs
	c.reset()
	return l
}

func (c *logCapture) reset() {
	c.logs = nil
	clear(c.marks)
}
