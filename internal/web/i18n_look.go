package web

// UI text added when looking at the pages on a phone: the short column
// labels of the printed report's tables (the full names stay on paper
// and on wide screens).
func init() {
	for k, v := range map[string][2]string{
		"paper.level_short":    {"M%d", "L%d"},
		"paper.no_level_short": {"CĐ", "None"},
		"paper.mean_short":     {"TB", "Mean"},
		"paper.abbreviations":  {"Viết tắt", "Abbreviations"},
	} {
		catalog[k] = v
	}
}
