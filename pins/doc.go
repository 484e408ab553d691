// Package pins reads and sets the tag of the cloud-api-adaptor image in
// every place a repository keeps it: the places a release pins to a commit
// and the post-release puts back to "latest".
//
// It owns two things: the list of places, each a [Place] that a
// repository's release.yaml can hold (a kustomize images entry, a key of a
// YAML file such as a Helm chart's values, or one line of any file, such
// as the Makefile that generates the dev providers' values), and the tag
// each place takes, given by its template: "<sha>", "<sha>-dev" or
// "dev-<sha>" (see [Tag] and [ClassifyTag]).
//
// It does not find kustomize overlays (package overlays does) nor splice
// YAML (package versions does, and this package edits YAML through it and
// kustomizations through overlays), and it runs no git. Every edit changes
// the bytes of the tag and nothing else; the library prints nothing.
//
// Like the other editors it has a pure core over bytes ([ReadBytes],
// [SetBytes]) and a thin file wrapper ([Files], [Read], [Set]).
package pins
