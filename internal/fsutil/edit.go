package fsutil

// MaxSize is the largest file an editor reads, 4 MiB: hundreds of times
// the files a release edits (versions.yaml is under 3 KiB), and small
// enough that parsing stays under a second (a 50 MiB YAML file took
// yaml.v3 11 s and 1.4 GB).
const MaxSize = 4 << 20

// EditFile replaces the file name with edit's result on its bytes: it reads
// at most [MaxSize] bytes (a larger file is a [*SizeError], see
// [ReadFile]), and writes the result atomically ([WriteFileAtomic]) only
// when it differs, so that a file already as wanted keeps its modification
// time. On any error the file is unchanged; edit's error is returned as it
// is, a read or write error is an [*fs.PathError] naming the file.
func EditFile(name string, edit func(src []byte) ([]byte, error)) error {
	src, err := ReadFile(name, MaxSize)
	if err != nil {
		return err
	}
	out, err := edit(src)
	if err != nil {
		return err
	}
	if string(out) == string(src) {
		return nil
	}
	return WriteFileAtomic(name, out)
}
