package check

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/fpvmdiff/fpvmdiff/evmharness"

	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// Repro replays a bundle on both sides from the bundle alone: the Go VM steps statelessly
// from the witness (fpvm.ReplayWitness) and a fresh EVM deploys the bundle's contracts. It
// returns a bundle of the replayed step, with notes where the replay differs from the
// recording. override, when not nil, replaces the bundle's step contract.
func Repro(b *Bundle, override *evmharness.Artifact) (*Bundle, error) {
	in := b.Input()

	var oracle fpvm.PreimageOracle
	if p := b.Witness.Preimage; p != nil {
		m := fpvm.NewPreimageMap()
		m.Add(p.Key, p.Data)
		oracle = m
	}
	rep, err := fpvm.ReplayWitness(in.State, in.Proof, oracle)
	if err != nil {
		in.GoErr = err
	} else {
		in.GoPost = rep.Post
		if rep.Thread != nil {
			enc := fpvm.EncodeThread(rep.Thread)
			in.GoThread = enc[:]
		}
	}

	mips, oracleArt, builtin := bundleContracts(b)
	if override != nil {
		mips, builtin = override, false
	}
	s, err := evmharness.NewSession(mips, oracleArt)
	if err != nil {
		return nil, fmt.Errorf("replaying the EVM side: %w", err)
	}
	s.Builtin = builtin
	class := ""
	if b.Instruction != nil {
		class = b.Instruction.Class
	}
	sr := CheckStep(s, in)
	out := NewBundle(in, sr, s, class)
	out.Program = b.Program
	// The replay has no ELF: it is the recorded one's step.
	out.ELFSHA256 = b.ELFSHA256
	if out.Instruction != nil && b.Instruction != nil && out.Instruction.PC == b.Instruction.PC {
		out.Instruction.Symbol = b.Instruction.Symbol
	}
	out.Notes = reproNotes(b, out)
	// Without a source map for the bundle's contract (another build), the replay cannot
	// name Solidity lines; the recording's lines, text included, still say what ran.
	if rec, rep := b.EVM, out.EVM; rec != nil && rep != nil {
		recorded := false
		if len(rep.Executed) == 0 && len(rec.Executed) > 0 {
			rep.Executed, recorded = rec.Executed, true
		}
		if rep.Reverted && rep.RevertAt == nil && rec.RevertAt != nil {
			rep.RevertAt, rep.RevertCalls, recorded = rec.RevertAt, rec.RevertCalls, true
		}
		if recorded {
			out.Notes = append(out.Notes, "Solidity lines as recorded: this build has no source map for the bundle's contract")
		}
	}
	return out, nil
}

// bundleContracts picks the artifacts for the bundle's bytecode: the embedded ones when the
// bytes match (they carry ABI and source map for better diagnostics), else raw bytecode.
func bundleContracts(b *Bundle) (mips, oracle *evmharness.Artifact, builtin bool) {
	mips = &evmharness.Artifact{Name: b.Contract.Name, Creation: b.Contract.Creation, Sources: map[int]evmharness.Source{}}
	oracle = &evmharness.Artifact{Name: b.Contract.OracleName, Creation: b.Contract.OracleCreation, Sources: map[int]evmharness.Source{}}
	bm, err1 := evmharness.BuiltinArtifact("MIPS64")
	bo, err2 := evmharness.BuiltinArtifact("PreimageOracle")
	if err1 == nil && bytes.Equal(bm.Creation, mips.Creation) {
		mips = bm
	}
	if err2 == nil && bytes.Equal(bo.Creation, oracle.Creation) {
		oracle = bo
	}
	return mips, oracle, err1 == nil && err2 == nil && mips == bm && oracle == bo
}

// reproNotes says where the replay differs from what the bundle recorded.
func reproNotes(rec, rep *Bundle) []string {
	var notes []string
	if (rec.Go.Error != "") != (rep.Go.Error != "") || !bytes.Equal(rec.Go.Post, rep.Go.Post) {
		notes = append(notes, fmt.Sprintf("the stateless Go replay differs from the recorded Go outcome (recorded error %q, replay error %q)", rec.Go.Error, rep.Go.Error))
	}
	if rec.EVM != nil && rep.EVM != nil {
		same := rec.EVM.Reverted == rep.EVM.Reverted && bytes.Equal(rec.EVM.Return, rep.EVM.Return) &&
			bytes.Equal(rec.EVM.RevertData, rep.EVM.RevertData) && len(rec.EVM.Logs) == len(rep.EVM.Logs)
		for i := 0; same && i < len(rec.EVM.Logs); i++ {
			same = bytes.Equal(rec.EVM.Logs[i].Data, rep.EVM.Logs[i].Data)
		}
		if !same {
			notes = append(notes, "the EVM replay differs from the recorded EVM outcome")
		}
	}
	if rec.Version >= 2 {
		for _, f := range []struct{ name, was, now string }{
			{"step_contract_code_hash", rec.StepCodeHash, rep.StepCodeHash},
			{"oracle_code_hash", rec.OracleCodeHash, rep.OracleCodeHash},
			{"tool_version", rec.ToolVersion, rep.ToolVersion},
		} {
			if f.was != f.now {
				notes = append(notes, fmt.Sprintf("%s changed since the recording: %s then, %s now", f.name, f.was, f.now))
			}
		}
	}
	if changed := changedFields(rec.StateDiff, rep.StateDiff); changed != "" {
		notes = append(notes, changed)
	}
	if len(rep.Mismatches) == 0 {
		notes = append(notes, "the replayed step agrees on both sides: the divergence did not reproduce")
	}
	return notes
}

// changedFields says which post-state fields differ now that did not when recorded, and
// which differed then and agree now (after a fix to one side).
func changedFields(rec, rep []FieldDiff) string {
	names := func(ds []FieldDiff) map[string]bool {
		m := map[string]bool{}
		for _, d := range ds {
			m[d.Field] = true
		}
		return m
	}
	was, now := names(rec), names(rep)
	var fixed, broken []string
	for _, d := range rec {
		if !now[d.Field] {
			fixed = append(fixed, d.Field)
		}
	}
	for _, d := range rep {
		if !was[d.Field] {
			broken = append(broken, d.Field)
		}
	}
	var parts []string
	if len(fixed) > 0 {
		parts = append(parts, "agree now but differed when recorded: "+strings.Join(fixed, ", "))
	}
	if len(broken) > 0 {
		parts = append(parts, "differ now but agreed when recorded: "+strings.Join(broken, ", "))
	}
	if len(parts) == 0 {
		return ""
	}
	return "post-state fields " + strings.Join(parts, "; ")
}
