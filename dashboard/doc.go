// Package dashboard reads what package survey stored and scored: rankings,
// aggregates by district and province, trends and charts. It only reads,
// through SQL views, and never recomputes scores per request.
package dashboard
