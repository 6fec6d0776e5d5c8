package fuzz

import "testing"

// FuzzPreimage: pre-image reads (fd 5) and key writes (fd 6) at every alignment of the
// buffer, count and pre-image offset, several in a row so the offset and the key move on
// between steps. The EVM side gets the part loaded into its oracle before each read.
func FuzzPreimage(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
	for k := range byte(8) {
		f.Add([]byte{0, k, 2, 40, 1, k, 8, 3, k, 15, 0, 20})
	}
	f.Fuzz(checkPreimage)
}

func checkPreimage(t *testing.T, data []byte) {
	s := newSource(data)
	st, act := genState(s)
	act.Exited = false
	st.Exited = false
	st.StepsSinceLastContextSwitch = uint64(s.byte())
	oracle := withPreimage(s, st)
	// Every word of the code region is a syscall, so consecutive steps keep calling.
	for a := uint64(codeBase); a < codeBase+0x200; a += 8 {
		st.Memory.SetWord(a, 0x0000000C_0000000C)
	}
	p := newStepper(t, st, oracle)
	steps := 1 + int(s.byte()%4)
	for range steps {
		th := st.ActiveThread()
		if th == nil || th.Exited || st.Exited {
			return
		}
		buf := dataBase + uint64(s.byte())
		counts := []uint64{0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 32, s.value()}
		count := counts[s.intn(len(counts))]
		num, fd := uint64(5000), uint64(5)
		if s.oneIn(3) {
			num, fd = 5001, 6
		}
		th.Registers[2], th.Registers[4], th.Registers[5], th.Registers[6] = num, fd, buf, count
		fillWords(s, st.Memory, buf)
		if s.oneIn(3) {
			st.LLReservationStatus, st.LLAddress = 1+s.byte()%2, buf^uint64(s.byte()%8)
		}
		if th.PC < codeBase || th.PC >= codeBase+0x200 {
			return
		}
		if p.step() != nil {
			return
		}
	}
}
