// Package survey owns the workflow of a campaign: units (province →
// district → school), people and their roles, campaigns, each school's
// self-assessment and evidence, review and external evaluation, and
// publication. It builds on package indicators for scoring and keeps its
// SQL in its stores; it knows nothing of HTTP.
package survey
