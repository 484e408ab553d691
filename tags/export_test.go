package tags

// FailDelete makes p's deletion of the local tags in names fail with err.
func FailDelete(p *Plan, err error, names ...string) {
	p.deleteTag = func(name string) error {
		for _, n := range names {
			if n == name {
				return err
			}
		}
		return p.repo.DeleteTag(name)
	}
}
