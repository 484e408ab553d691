package tags

import "github.com/confidential-containers/release-tools/internal/gitrepo"

// FailDelete makes p's deletion of the local tags in names fail with err.
func FailDelete(p *Plan, err error, names ...string) {
	p.deleteTag = func(name, was string) error {
		for _, n := range names {
			if n == name {
				return err
			}
		}
		return gitrepo.DeleteTag(p.dir, name, was)
	}
}
