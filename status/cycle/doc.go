// Package cycle judges where a repository stands in the release cycle
// ([Phase]) and the commands that come next ([Cycle]), from [Facts]
// package status reads; [InProgress] finds the version a release in
// progress has given the charts or the requires. It reads nothing and
// changes nothing.
package cycle
