package evmharness

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/tracing"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/params"
	"github.com/holiman/uint256"
)

// The fixed identity of every call the harness makes. The oracle localizes type-1 keys with
// the caller and the local context (docs/spec.md §8.1 "Key types and localization"), so
// loadLocalData and step must be called by the same sender with the same context.
var (
	Sender       = common.HexToAddress("0x1337000000000000000000000000000000000000")
	LocalContext = common.HexToHash("0x00000000000000000000000000000000000000000000000000000000f9f9d1ff")
)

// CallGas is the gas given to every call (the EVM runs a call directly, so the transaction
// gas cap of newer forks does not apply).
const CallGas = 30_000_000

// StateVersion is passed to a step contract whose constructor takes one.
const StateVersion = 8

// Session is one in-memory EVM with the oracle and a step contract deployed. It is not safe
// for concurrent use; run one per worker.
type Session struct {
	db       *logCapture
	evm      *vm.EVM
	rules    params.Rules
	warm     []common.Address
	MIPS     common.Address
	Oracle   common.Address
	Contract *Artifact // the step contract
	OracleA  *Artifact
	Builtin  bool // the contracts are the embedded ones

	srcMap   *SourceMap // built on the first revert
	calldata []byte     // reused by every step call
}

// chainConfig is every fork up to and including Osaka, the current mainnet rules: Cancun
// brings the KZG point-evaluation precompile (0x0A) needed by type-5 pre-image loads.
func chainConfig() *params.ChainConfig {
	c := *params.MergedTestChainConfig
	return &c
}

// NewSession deploys oracle, then the step contract with the oracle's address as constructor
// argument. Artifacts with an ABI get exactly the constructor arguments it declares (an
// address, and a state version if there is a second argument); raw bytecode gets both
// words appended, which a constructor taking only the oracle ignores.
func NewSession(mips, oracle *Artifact) (*Session, error) {
	if mips == nil || oracle == nil {
		return nil, errors.New("evm session: step contract and oracle artifacts are both required")
	}
	sdb, err := state.New(types.EmptyRootHash, state.NewDatabaseForTesting())
	if err != nil {
		return nil, fmt.Errorf("evm session: state: %w", err)
	}
	db := newLogCapture(sdb)
	cfg := chainConfig()
	random := common.Hash{}
	bctx := vm.BlockContext{
		CanTransfer: func(db vm.StateDB, a common.Address, v *uint256.Int) bool { return db.GetBalance(a).Cmp(v) >= 0 },
		Transfer:    transfer,
		GetHash:     func(uint64) common.Hash { return common.Hash{} },
		Coinbase:    common.Address{},
		GasLimit:    2 * CallGas,
		BlockNumber: big.NewInt(1),
		Time:        1,
		Difficulty:  big.NewInt(0),
		BaseFee:     big.NewInt(0),
		BlobBaseFee: big.NewInt(1),
		Random:      &random,
	}
	evm := vm.NewEVM(bctx, db, cfg, vm.Config{NoBaseFee: true})
	evm.SetTxContext(vm.TxContext{Origin: Sender, GasPrice: uint256.NewInt(0)})
	s := &Session{db: db, evm: evm, rules: cfg.Rules(bctx.BlockNumber, true, bctx.Time), Contract: mips, OracleA: oracle}
	if !s.rules.IsCancun {
		return nil, errors.New("evm session: chain rules lack Cancun (KZG precompile)")
	}
	s.warm = vm.ActivePrecompiles(s.rules)
	// A nonce makes the sender a non-empty account, so state clearing never deletes it.
	sdb.SetNonce(Sender, 1, tracing.NonceChangeUnspecified)

	oracleArgs, err := constructorArgs(oracle, nil)
	if err != nil {
		return nil, fmt.Errorf("evm session: oracle %s: %w", oracle.Name, err)
	}
	if s.Oracle, err = s.deploy(oracle.Creation, oracleArgs); err != nil {
		return nil, fmt.Errorf("evm session: deploying oracle %s: %w", oracle.Name, err)
	}
	mipsArgs, err := constructorArgs(mips, &s.Oracle)
	if err != nil {
		return nil, fmt.Errorf("evm session: step contract %s: %w", mips.Name, err)
	}
	if s.MIPS, err = s.deploy(mips.Creation, mipsArgs); err != nil {
		return nil, fmt.Errorf("evm session: deploying step contract %s: %w", mips.Name, err)
	}
	return s, nil
}

func transfer(db vm.StateDB, from, to common.Address, amount *uint256.Int, _ *params.Rules) {
	db.SubBalance(from, amount, tracing.BalanceChangeTransfer)
	db.AddBalance(to, amount, tracing.BalanceChangeTransfer)
}

// constructorArgs encodes the constructor arguments: the oracle address for address
// parameters (oracle==nil: the zero address), the state version for the first integer
// parameter, zero for any further ones.
func constructorArgs(a *Artifact, oracle *common.Address) ([]byte, error) {
	var addr common.Address
	if oracle != nil {
		addr = *oracle
	}
	if a.ABI == nil {
		if oracle == nil {
			return nil, nil
		}
		return append(common.LeftPadBytes(addr[:], 32), common.LeftPadBytes([]byte{StateVersion}, 32)...), nil
	}
	var args []any
	versionGiven := false
	for _, in := range a.ABI.Constructor.Inputs {
		switch in.Type.T {
		case abi.AddressTy:
			args = append(args, addr)
		case abi.UintTy, abi.IntTy:
			v := int64(0)
			if oracle != nil && !versionGiven {
				v, versionGiven = StateVersion, true
			}
			args = append(args, zeroOrValue(in.Type, v))
		default:
			return nil, fmt.Errorf("constructor argument %q has type %s; only addresses and integers are supported", in.Name, in.Type)
		}
	}
	return a.ABI.Constructor.Inputs.Pack(args...)
}

// zeroOrValue builds a Go value of the exact type the ABI packer expects for an integer.
func zeroOrValue(t abi.Type, v int64) any {
	switch {
	case t.Size > 64:
		return big.NewInt(v)
	case t.T == abi.UintTy && t.Size == 8:
		return uint8(v)
	case t.T == abi.UintTy && t.Size == 16:
		return uint16(v)
	case t.T == abi.UintTy && t.Size == 32:
		return uint32(v)
	case t.T == abi.UintTy:
		return uint64(v)
	case t.Size == 8:
		return int8(v)
	case t.Size == 16:
		return int16(v)
	case t.Size == 32:
		return int32(v)
	default:
		return v
	}
}

func (s *Session) deploy(code, args []byte) (common.Address, error) {
	s.prepare(nil)
	input := append(append([]byte(nil), code...), args...)
	ret, addr, _, err := s.evm.Create(Sender, input, vm.NewGasBudget(10*CallGas, 0), uint256.NewInt(0))
	s.finish()
	if err != nil {
		return common.Address{}, fmt.Errorf("%w%s", err, describeRevertSuffix(ret))
	}
	if len(s.db.StateDB.GetCode(addr)) == 0 {
		return common.Address{}, errors.New("constructor returned no code")
	}
	return addr, nil
}

// CallResult is the outcome of one call.
type CallResult struct {
	Return   []byte
	Err      error // nil on success; vm.ErrExecutionReverted or another halt reason
	Reverted bool  // Err != nil
	Logs     []*types.Log
	Gas      uint64 // execution gas: no intrinsic or calldata cost
}

// prepare starts a call as a fresh transaction would: empty access list (sender, target and
// precompiles warm), empty transient storage, no logs. Every step is then a pure function of
// its calldata and the oracle's storage, and its gas does not depend on earlier calls.
func (s *Session) prepare(dst *common.Address) {
	s.db.StateDB.Prepare(s.rules, Sender, common.Address{}, dst, s.warm, nil)
	s.db.reset()
}

// finish drops the journal so it does not grow with the number of calls.
func (s *Session) finish() {
	s.db.StateDB.Finalise(s.rules)
}

// Call runs input against to, with hooks attached when tracer is not nil.
func (s *Session) Call(to common.Address, input []byte, tracer *tracing.Hooks) *CallResult {
	s.prepare(&to)
	s.evm.Config.Tracer = tracer
	budget := vm.NewGasBudget(CallGas, 0)
	ret, left, err := s.evm.Call(Sender, to, input, budget, uint256.NewInt(0))
	s.evm.Config.Tracer = nil
	res := &CallResult{Return: ret, Err: err, Reverted: err != nil, Gas: CallGas - left.ExecutionGas}
	if err == nil {
		res.Logs = s.db.take()
	} else {
		s.db.reset()
	}
	s.finish()
	return res
}

// DeployedCode is the runtime code at addr (the step contract at s.MIPS, the oracle at
// s.Oracle), as the EVM runs it: immutables filled in.
func (s *Session) DeployedCode(addr common.Address) []byte { return s.db.StateDB.GetCode(addr) }

// CodeHashes are the keccak256 hashes of the runtime code deployed for the step contract and
// the oracle: what a report records to say which contracts it checked (the creation code
// varies with constructor arguments and metadata; the deployed code is what ran).
func (s *Session) CodeHashes() (step, oracle common.Hash) {
	return s.db.StateDB.GetCodeHash(s.MIPS), s.db.StateDB.GetCodeHash(s.Oracle)
}
