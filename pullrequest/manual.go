package pullrequest

// PushCommand is the git command that pushes the current branch to the
// head branch by hand.
func (r Request) PushCommand() string {
	return "git push " + r.pushRemote() + " HEAD:refs/heads/" + r.Branch
}

// CompareURL is the page that opens the pull request by hand, on host
// ("github.com") for repo ("owner/repo").
func (r Request) CompareURL(host, repo string) string {
	return "https://" + host + "/" + repo + "/compare/" + r.Base + "..." + r.head() + "?expand=1"
}
