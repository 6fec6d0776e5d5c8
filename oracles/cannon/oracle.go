package cannon

import (
	fpvm "github.com/fpvmdiff/fpvmdiff/vm"
)

// preimages serves a PreimageMap through the production VM's in-process oracle interface,
// whose GetPreimage cannot return an error. A missing key panics with missingPreimage, which
// the adapter's Step and Run recover and return as a pre-image fault naming the key.
type preimages struct{ m *fpvm.PreimageMap }

// missingPreimage carries the map's error (it names the key) through the production VM.
type missingPreimage struct{ err error }

func (p preimages) Hint(v []byte) { p.m.Hint(v) }

func (p preimages) GetPreimage(k [32]byte) []byte {
	data, err := p.m.GetPreimage(k)
	if err != nil {
		panic(missingPreimage{err: err})
	}
	return data
}
