// Package memory holds the VM's sparse 64-bit address space and its binary Merkle tree
// (MTCANNON-FACTS section 3): 4 KiB pages allocated on first write, 32-byte leaves that are
// not hashed, 59 levels of keccak256 above them, and 1920-byte proofs.
//
// API CONTRACT (fixed; other packages are written against it):
//
//	New() *Memory
//	(*Memory).GetWord(addr uint64) uint64          // addr 8-aligned (caller masks); absent page reads 0, allocates nothing
//	(*Memory).SetWord(addr uint64, v uint64)       // addr 8-aligned; allocates the page; invalidates cached hashes on the path
//	(*Memory).SetBytes(addr uint64, data []byte)   // any alignment, any length; used by the ELF loader
//	(*Memory).ReadBytes(addr uint64, n int) []byte // any alignment; for copying guest output
//	(*Memory).Root() [32]byte                      // lazily re-hashes only dirty paths
//	(*Memory).Proof(addr uint64) [ProofSize]byte   // leaf (32 B at addr&^31) then 59 siblings, bottom-up
//	(*Memory).PageCount() int
//	(*Memory).Copy() *Memory                       // deep copy
//	VerifyProof(root [32]byte, addr uint64, proof []byte) (word uint64, err error)
//	RootAfterWrite(proof []byte, addr uint64, word uint64) ([32]byte, error) // same siblings, new word
//	ZeroHash(level int) [32]byte                   // Z[0]=0, Z[i]=H(Z[i-1]‖Z[i-1]); Z[59]=empty root
//	Partial memory for stateless replay from a witness: NewPartial(root), (*Memory).AddProof(addr, proof) error,
//	(*Memory).Missing() (addr uint64, ok bool) — first read/write outside the proven words.
package memory

// ProofSize is the byte length of one memory proof: the leaf plus 59 sibling hashes.
const ProofSize = 60 * 32

// Memory is a sparse, merkleized 64-bit address space. STUB: to be implemented.
type Memory struct{}

// New returns an empty memory.
func New() *Memory { return &Memory{} }

// GetWord reads the 8-byte big-endian word at the 8-aligned addr.
func (m *Memory) GetWord(addr uint64) uint64 { panic("todo") }

// SetWord writes the 8-byte big-endian word at the 8-aligned addr.
func (m *Memory) SetWord(addr uint64, v uint64) { panic("todo") }

// SetBytes writes data starting at addr.
func (m *Memory) SetBytes(addr uint64, data []byte) { panic("todo") }

// ReadBytes reads n bytes starting at addr.
func (m *Memory) ReadBytes(addr uint64, n int) []byte { panic("todo") }

// Root is the Merkle root of the whole address space.
func (m *Memory) Root() [32]byte { panic("todo") }

// Proof is the 1920-byte proof of the leaf holding addr.
func (m *Memory) Proof(addr uint64) [ProofSize]byte { panic("todo") }

// PageCount is the number of allocated pages.
func (m *Memory) PageCount() int { panic("todo") }

// Copy returns a deep copy.
func (m *Memory) Copy() *Memory { panic("todo") }
