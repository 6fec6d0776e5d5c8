package vectors

import "strings"

// Skeleton is a vector file with every field of the format and placeholder values (the
// instructions as assembly text; pre.insn takes words instead); it loads as is (a NOP at the
// default pc), so an author starts from something that runs.
func Skeleton(name string) string {
	return strings.ReplaceAll(skeleton, "NAME", name)
}

const skeleton = `{
  "name": "NAME",
  "rule": "§<docs/spec.md section>: <the rule this vector checks>",
  "covers": [],
  "randomize": ["registers", "hilo"],
  "pre": {
    "step": "0x10",
    "stepsSinceLastContextSwitch": "0x3",
    "heap": "0x100000000000",
    "llReservationStatus": "0x0",
    "llAddress": "0x0",
    "llOwnerThread": "0x0",
    "thread": {
      "id": "0x0",
      "pc": "0x4000",
      "nextPC": "0x4004",
      "hi": "0x0",
      "lo": "0x0",
      "regs": {"a0": "0x0"}
    },
    "asm": ["nop"],
    "memory": {"0x8000": "0x0"},
    "preimages": []
  },
  "expect": {
    "thread": {"regs": {}},
    "memory": {}
  }
}
`
