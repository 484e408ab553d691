//go:build mage

// The release targets, run from the root of the repository being
// released: go tool mage -l lists them.
package main

// mage:import
import _ "github.com/confidential-containers/release-tools/targets"
