// Package charts reads and edits the Helm charts of a repository and writes
// their Chart.lock files as helm does.
//
// It owns:
//   - finding every Chart.yaml below a directory ([Discover]) and reading it
//     ([Parse]), with file:// dependencies resolved to the chart they name;
//   - byte-minimal edits of a chart's version, appVersion and a dependency's
//     version ([SetVersionBytes], [SetAppVersionBytes],
//     [SetDependencyVersionBytes]): only the value's bytes change, its quoting
//     stays, and the output is parsed again before it is returned;
//   - the Chart.lock that `helm dependency update` writes, byte for byte, from
//     a Chart.yaml and the versions of the local charts it depends on
//     ([LockBytes]), and reading one back ([ParseLock], [Lock.Matches]).
//
// Asking an OCI registry which versions a chart has, or whether one is
// published, is package charts/registry's: this package links no registry
// client, as helm's chart model and lock writer link none.
//
// It does not run the helm binary, never re-encodes a Chart.yaml (edits
// splice bytes through internal/yamledit), does not download or package
// charts, and does not touch git: committing the edits is the caller's job.
// It prints nothing.
package charts
