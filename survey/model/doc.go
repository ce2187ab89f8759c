// Package model holds the survey domain's pure part: the types the service
// reads and writes (Actor, Campaign, Assessment, User, Unit, …), the roles,
// statuses, actions and the workflow's table of transitions, the sentinel
// errors, and the checks that need no database (Actor.Covers,
// Assessment.Can, UnitInput.Validate, …).
//
// It imports no database package. Package survey (the service over
// PostgreSQL) re-exports every exported name, so most code keeps writing
// survey.X; the web layer and the import readers name model.X instead,
// and so do not depend on pgx or river (issue 19). The name says what it
// is: the survey's data model, apart from its storage.
package model
