// Package dashview is what the dashboard shows, without the database: the
// shapes its reads return (campaigns and units as placed in a campaign,
// rankings and their rows, a school's result, trends, progress,
// calibration, review counts, legacy areas, a campaign's export) and the
// pure chart builders over them.
//
// It is apart from package dashboard (which reads these from PostgreSQL)
// so that the web layer can name
// them, and hold the dashboard as an interface of its own, without
// importing pgx: the name says it is the dashboard's view, not its store.
package dashview
