// Package released reads what a repository's release files hold and says
// whether a tree is the release of a version: the image tag of every place
// ([ImageTags], [PinnedTo]), the charts' versions ([ChartVersions]), each
// Chart.lock against its Chart.yaml and kata-deploy ([Lock]), the check
// that a commit's tree is the release before it is tagged ([Check], a
// [*NotReleaseError] with the fixes), and where the chart a release
// publishes stands in its registry ([Chart]), and what a release is made
// of, for its notes ([ReadComponents], [ComponentsAt],
// [Components.Markdown]). Package status reads the same facts, so the two
// apply one rule. It writes nothing.
package released
