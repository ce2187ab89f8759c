// Package seed creates the demo data that `make run` opens on: real
// administrative units, synthetic schools and campaigns, created through
// the domain services rather than raw inserts.
package seed
