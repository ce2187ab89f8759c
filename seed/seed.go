// Package seed loads data into a dxindex database: the demo that `make
// run` opens on (Demo) and a national-scale data set for performance work
// (National).
//
// Both stand on Vietnam's real administrative units before the July 2025
// reorganisation (GSO codes, embedded from data/, MIT-licensed open data):
// the Ministry (code BGDDT) above the provinces, then districts, then
// synthetic schools placed on real communes and named as Vietnamese
// schools are. Units, accounts and campaigns are created through the
// survey service; the answers, scores, evidence, reviews and history of
// thousands of assessments are bulk-loaded with COPY in the shapes package
// survey writes them, with scores computed by indicators.Score, so that
// loading takes seconds rather than minutes. Publication goes through the
// service again.
//
// Everything is deterministic for a seed, and idempotent: a marker row in
// app_settings (seed.demo, seed.national) records what was loaded, and a
// second run changes nothing. See docs/seed.md.
package seed
