// Package model holds the survey domain's pure part: the types the service
// reads and writes (Actor, Campaign, Assessment, User, Unit, …), the roles,
// statuses, actions and the workflow's table of transitions, the sentinel
// errors, and the checks that need no database (Actor.Covers,
// Assessment.Can, UnitInput.Validate, …).
//
// It imports no database package. Every caller names these as model.X,
// the service (package survey, over PostgreSQL) included, so the web
// layer and the import readers do not depend on pgx or river (issue 19). The name says what it
// is: the survey's data model, apart from its storage.
package model
