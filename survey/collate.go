package survey

import "github.com/dxindex/dxindex/survey/model"

// CompareVI compares two names in Vietnamese order (model.CompareVI).
func CompareVI(a, b string) int { return model.CompareVI(a, b) }
