package release

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
)

// snapshot keeps the bytes files had before the phase, to restore them.
type snapshot struct {
	root string
	old  map[string][]byte // nil: the file did not exist
	done map[string][]byte // content at the last commit, for what changed since
}

func (s *snapshot) keep(path string) {
	if _, ok := s.old[path]; ok {
		return
	}
	data, err := os.ReadFile(filepath.Join(s.root, filepath.FromSlash(path)))
	if err != nil {
		data = nil
	}
	s.old[path] = data
}

// changed lists the kept files whose bytes differ from the last commit
// (or from before the phase).
func (s *snapshot) changed() []string {
	var out []string
	for p, old := range s.old {
		if d, ok := s.done[p]; ok {
			old = d
		}
		cur, err := os.ReadFile(filepath.Join(s.root, filepath.FromSlash(p)))
		if err != nil {
			cur = nil
		}
		if !bytes.Equal(cur, old) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

func (s *snapshot) committed(paths []string) {
	if s.done == nil {
		s.done = map[string][]byte{}
	}
	for _, p := range paths {
		data, _ := os.ReadFile(filepath.Join(s.root, filepath.FromSlash(p)))
		s.done[p] = data
	}
}

// restore puts every kept file back and returns how many it rewrote.
func (s *snapshot) restore() int {
	n := 0
	for p, old := range s.old {
		name := filepath.Join(s.root, filepath.FromSlash(p))
		cur, err := os.ReadFile(name)
		if err == nil && old != nil && bytes.Equal(cur, old) {
			continue
		}
		if old == nil {
			if err == nil {
				os.Remove(name)
				n++
			}
			continue
		}
		if os.WriteFile(name, old, 0o644) == nil {
			n++
		}
	}
	return n
}
