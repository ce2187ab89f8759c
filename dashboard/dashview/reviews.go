package dashview

// ReviewCounts sums how results were reviewed. Results counts the results
// whose publication recorded it (publications before issue 17 did not).
type ReviewCounts struct {
	Results   int `json:"results"`
	Changes   int `json:"changes"`
	Contested int `json:"contested"`
	Upheld    int `json:"upheld"`
	// NotSampled counts the results approved on the school's
	// self-assessment, outside the office's verification sample.
	NotSampled int `json:"not_sampled"`
}
