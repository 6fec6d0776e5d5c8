// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StepTestBase, Machine} from "./helpers/StepTestBase.sol";
import {Thread} from "./helpers/MTCodec.sol";
import {SparseMemory, Mem} from "./helpers/SparseMemory.sol";
import {Insn} from "./helpers/Insn.sol";
import {console} from "./helpers/TestBase.sol";

/// @notice Measures one inner call. Going through a contract keeps the figure the same under
///         `forge test --gas-report`, which runs each top-level test call as its own transaction
///         (then intrinsic and calldata gas would be added to a gasleft() delta in the test).
contract GasMeter {
    /// @notice Calls `target` with `cd` and returns whether it succeeded and the gas it used.
    function measure(address target, bytes calldata cd) external returns (bool ok, uint256 used) {
        bytes memory data = cd;
        uint256 g0 = gasleft();
        (ok,) = target.call(data);
        used = g0 - gasleft();
    }

    /// @notice Forwards a call, so that oracle loads come from the same sender as the step.
    function forward(address target, bytes calldata cd) external {
        (bool ok, bytes memory ret) = target.call(cd);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }
}

/// @notice Gas of one `step` call per instruction class. Each test builds its witness, marks the
///         step contract and the oracle cold (`vm.cool`, as in a fresh transaction), measures the
///         call with gasleft() around it (in GasMeter) and logs `<class>` = execution gas of the call
///         (incl. the CALL and its cold account access) and `<class> calldata` = the
///         transaction's calldata cost of the step calldata (4 per zero byte, 16 per other).
///         Run: `node_modules/.bin/forge test --match-contract GasTest -vv`. Each test fails if
///         a class exceeds its ceiling (about 1.5x the figure recorded in contracts/test/GAS.md).
contract GasTest is StepTestBase {
    uint64 internal constant M0 = 0x8192_A3B4_C5D6_E7F8;
    GasMeter internal meter;

    function setUp() public override {
        super.setUp();
        meter = new GasMeter();
    }

    function _measure(string memory name, bytes memory cd, uint256 ceiling) internal returns (uint256 used) {
        vm.cool(address(mips));
        vm.cool(address(oracle));
        bool ok;
        (ok, used) = meter.measure(address(mips), cd);
        vm.assertTrue(ok, string.concat(name, ": step must succeed"));
        console.log(name, used);
        console.log(string.concat(name, " calldata"), _calldataGas(cd));
        vm.assertTrue(used <= ceiling, string.concat(name, ": gas above ceiling ", vm.toString(ceiling)));
    }

    function _calldataGas(bytes memory cd) internal pure returns (uint256 g) {
        for (uint256 i = 0; i < cd.length; i++) {
            g += cd[i] == 0 ? 4 : 16;
        }
    }

    function _mem(uint32 insn, uint64 a0, uint64 a1) internal pure returns (Machine memory m) {
        m = _aluMachine(insn, a0, a1);
        _setWord(m, 0x2000, M0);
        _setWord(m, 0x2008, M0);
    }

    function _sys(uint64 num, uint64 a0, uint64 a1, uint64 a2) internal pure returns (Machine memory m) {
        m = _mem(Insn.SYSCALL, a0, a1);
        _t(m).r[V0] = num;
        _t(m).r[A2] = a2;
    }

    // ------------------------------------------------------------ instructions

    function test_gas_aluAddu() external {
        _measure("alu addu", _calldata(_mem(Insn.r(A0, A1, V0, 0, 0x21), 1, 2), "", ""), 27_000);
    }

    function test_gas_shiftDsra32() external {
        _measure("shift dsra32", _calldata(_mem(Insn.r(0, A1, V0, 31, 0x3F), 1, 2), "", ""), 27_000);
    }

    function test_gas_special2Dclz() external {
        _measure("special2 dclz", _calldata(_mem(Insn.sp2(A0, A1, V0, 0x24), 1, 2), "", ""), 26_000);
    }

    function test_gas_mulDmultu() external {
        _measure("mul dmultu", _calldata(_mem(Insn.r(A0, A1, 0, 0, 0x1D), MINUS_ONE, MINUS_ONE), "", ""), 27_000);
    }

    function test_gas_divDdiv() external {
        _measure("div ddiv", _calldata(_mem(Insn.r(A0, A1, 0, 0, 0x1E), MINUS_ONE, 3), "", ""), 27_000);
    }

    function test_gas_branchBeqTaken() external {
        _measure("branch beq", _calldata(_mem(Insn.i(0x04, A0, A1, 0x10), 5, 5), "", ""), 26_000);
    }

    function test_gas_regimmBgezal() external {
        _measure("branch bgezal", _calldata(_mem(Insn.i(0x01, A0, 0x11, 0x10), 5, 5), "", ""), 26_000);
    }

    function test_gas_jumpJal() external {
        _measure("jump jal", _calldata(_mem(Insn.j(0x03, 0x400), 0, 0), "", ""), 26_000);
    }

    function test_gas_jumpJalr() external {
        _measure("jump jalr", _calldata(_mem(Insn.r(A0, 0, RA, 0, 0x09), 0x4000, 0), "", ""), 26_000);
    }

    function test_gas_loadLd() external {
        Machine memory m = _mem(Insn.i(0x37, A0, A1, 0), 0x2000, 0);
        _measure("load ld", _calldata(m, _proof(m, 0x2000), ""), 37_000);
    }

    function test_gas_loadLwl() external {
        Machine memory m = _mem(Insn.i(0x22, A0, A1, 0), 0x2003, 0);
        _measure("load lwl", _calldata(m, _proof(m, 0x2000), ""), 38_000);
    }

    function test_gas_storeSd() external {
        Machine memory m = _mem(Insn.i(0x3F, A0, A1, 0), 0x2000, 7);
        _measure("store sd", _calldata(m, _proof(m, 0x2000), ""), 43_000);
    }

    function test_gas_storeSwr() external {
        Machine memory m = _mem(Insn.i(0x2E, A0, A1, 0), 0x2002, 7);
        _measure("store swr", _calldata(m, _proof(m, 0x2000), ""), 44_000);
    }

    function test_gas_ll() external {
        Machine memory m = _mem(Insn.i(0x30, A0, A1, 0), 0x2004, 0);
        _measure("ll", _calldata(m, _proof(m, 0x2000), ""), 37_000);
    }

    function test_gas_scSuccess() external {
        Machine memory m = _mem(Insn.i(0x38, A0, A1, 0), 0x2004, 9);
        m.s.llStatus = 1;
        m.s.llAddress = 0x2004;
        m.s.llOwner = 0;
        _measure("sc success", _calldata(m, _proof(m, 0x2000), ""), 43_000);
    }

    function test_gas_scFailure() external {
        Machine memory m = _mem(Insn.i(0x38, A0, A1, 0), 0x2004, 9);
        _measure("sc failure", _calldata(m, "", ""), 26_000);
    }

    // ------------------------------------------------------------ syscalls

    function test_gas_syscallNoop() external {
        _measure("syscall noop (munmap)", _calldata(_sys(5011, 0, 0, 0), "", ""), 26_000);
    }

    function test_gas_syscallMmap() external {
        _measure("syscall mmap", _calldata(_sys(5009, 0, 0x1001, 0), "", ""), 26_000);
    }

    function test_gas_syscallWriteStdout() external {
        _measure("syscall write stdout", _calldata(_sys(5001, 1, 0x2000, 8), "", ""), 26_000);
    }

    function test_gas_syscallError() external {
        _measure("syscall open (EBADF)", _calldata(_sys(5002, 0, 0, 0), "", ""), 26_000);
    }

    function test_gas_preimageKeyWrite() external {
        Machine memory m = _sys(5001, 6, 0x2000, 8);
        _measure("preimage key write", _calldata(m, _proof(m, 0x2000), ""), 38_000);
    }

    function test_gas_preimageReadKeccak() external {
        bytes memory data = hex"1234567898765432";
        oracle.loadKeccak256PreimagePart(8, data);
        Machine memory m = _sys(5000, 5, 0x2000, 8);
        m.s.preimageKey = bytes32((uint256(keccak256(data)) & (type(uint256).max >> 8)) | (2 << 248));
        m.s.preimageOffset = 8;
        _measure("preimage read keccak", _calldata(m, _proof(m, 0x2000), ""), 56_000);
    }

    function test_gas_preimageReadLocal() external {
        // Local keys are localized with the caller of step: the meter.
        meter.forward(
            address(oracle),
            abi.encodeCall(oracle.loadLocalData, (1, LOCAL_CONTEXT, bytes32(uint256(0xDEADBEEF) << 224), 4, 8))
        );
        Machine memory m = _sys(5000, 5, 0x2000, 8);
        m.s.preimageKey = bytes32(uint256(1) << 248 | 1);
        m.s.preimageOffset = 8;
        _measure("preimage read local", _calldata(m, _proof(m, 0x2000), ""), 56_000);
    }

    function test_gas_clockGettime() external {
        Machine memory m = _sys(5222, 1, 0x2000, 0);
        m.s.step = 0;
        Mem memory mid = _copy(m).mem;
        SparseMemory.setWord(mid, 0x2000, 0); // step' = 1 → 0 s, 100 ns
        _measure("clock_gettime", _calldata(m, _proof(m, 0x2000), SparseMemory.proof(mid, 0x2008)), 60_000);
    }

    function test_gas_getrandom() external {
        Machine memory m = _sys(5313, 0x2000, 8, 0);
        _measure("getrandom", _calldata(m, _proof(m, 0x2000), ""), 44_000);
    }

    function test_gas_futexWait() external {
        Machine memory m = _sys(5194, 0x2000, 128, 0x8192_A3B4);
        _measure("futex wait (yield)", _calldata(m, _proof(m, 0x2000), ""), 38_000);
    }

    function test_gas_schedYield() external {
        _measure("sched_yield", _calldata(_sys(5023, 0, 0, 0), "", ""), 26_000);
    }

    function test_gas_clone() external {
        _measure("clone", _calldata(_sys(5055, 0x0005_0F00, 0x7000, 0), "", ""), 28_000);
    }

    function test_gas_exit() external {
        _measure("exit (last thread)", _calldata(_sys(5058, 0, 0, 0), "", ""), 26_000);
    }

    // ------------------------------------------------------------ scheduler without an instruction

    function test_gas_forcedPreemption() external {
        Machine memory m = _mem(Insn.NOP, 0, 0);
        m.s.stepsSince = 100_000;
        _measure("forced preemption", _calldata(m, "", ""), 13_000);
    }

    function test_gas_popExitedThread() external {
        Machine memory m = _mem(Insn.NOP, 0, 0);
        Thread memory t1 = _copyThread(_t(m));
        t1.id = 1;
        t1.exited = 1;
        m.left = _stack(_t(m), t1);
        m.s.nextThreadID = 2;
        _measure("pop exited thread", _calldata(m, "", ""), 13_000);
    }

    function test_gas_exitedVm() external {
        Machine memory m = _mem(Insn.NOP, 0, 0);
        m.s.exited = 1;
        _measure("exited VM", _calldata(m, "", ""), 12_000);
    }
}
