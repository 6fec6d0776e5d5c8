//go:debug decoratemappings=0

// preimage talks to the VM's pre-image oracle the way a fault-proof program does: it writes a
// 32-byte key to fd 6, then reads fd 5 (an 8-byte big-endian length, then the data), for
// one key of each type 1 (local), 2 (keccak256) and 4 (sha256), and sends one hint on fd 4,
// reading its acknowledgement from fd 3. It prints what it read; preimages.json holds the
// data and expected.txt the output, derived by hand (see README.md in this directory).
//
// It only runs inside the VM: a normal Linux process has none of these descriptors.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"os"
)

// Oracle file descriptors (docs/spec.md §9.1 "Constants").
var (
	hintRead     = os.NewFile(3, "hint-read")
	hintWrite    = os.NewFile(4, "hint-write")
	preimageRead = os.NewFile(5, "preimage-read")
	preimageKey  = os.NewFile(6, "preimage-write")
)

// hint is sent on fd 4; the VM passes it to its oracle.
const hint = "fpvmdiff-hint l1-block 0x2a"

type request struct {
	name string
	key  string // 32 bytes, hex
}

var requests = []request{
	// Local input 1: type byte 0x01, then the identifier as a 31-byte big-endian number.
	{"local", "0100000000000000000000000000000000000000000000000000000000000001"},
	// keccak256("The quick brown fox jumps over the lazy dog") with its first byte set to 0x02.
	{"keccak256", "02741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"},
	// sha256 of the same sentence with its first byte set to 0x04.
	{"sha256", "04a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"},
	// keccak256 of the empty string: a zero-length pre-image, so only its length is read.
	{"keccak256-empty", "02d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"},
}

func main() {
	for _, r := range requests {
		key, err := hex.DecodeString(r.key)
		if err != nil || len(key) != 32 {
			fail("bad key %q", r.key)
		}
		data := fetch(key)
		fmt.Printf("%s key 0x%x\n", r.name, key)
		fmt.Printf("  length %d\n", len(data))
		fmt.Printf("  data %q\n", data)
		if key[0] == 4 {
			sum := sha256.Sum256(data)
			fmt.Printf("  sha256 matches key: %t\n", bytes.Equal(sum[1:], key[1:]))
		}
	}
	sendHint(hint)
	fmt.Println("done")
}

// fetch asks the oracle for the pre-image of key. Writing a key resets the read offset, and
// each read returns at most 8 bytes, so io.ReadFull loops.
func fetch(key []byte) []byte {
	if _, err := preimageKey.Write(key); err != nil {
		fail("writing key: %v", err)
	}
	var length [8]byte
	if _, err := io.ReadFull(preimageRead, length[:]); err != nil {
		fail("reading length: %v", err)
	}
	data := make([]byte, binary.BigEndian.Uint64(length[:]))
	if _, err := io.ReadFull(preimageRead, data); err != nil {
		fail("reading data: %v", err)
	}
	return data
}

// sendHint writes a length-prefixed hint and reads the one-byte acknowledgement.
func sendHint(h string) {
	msg := binary.BigEndian.AppendUint32(nil, uint32(len(h)))
	msg = append(msg, h...)
	if _, err := hintWrite.Write(msg); err != nil {
		fail("writing hint: %v", err)
	}
	var ack [1]byte
	n, err := hintRead.Read(ack[:])
	if err != nil {
		fail("reading hint acknowledgement: %v", err)
	}
	fmt.Printf("hint %q sent, acknowledgement %d byte\n", h, n)
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "preimage: "+format+"\n", args...)
	os.Exit(1)
}
