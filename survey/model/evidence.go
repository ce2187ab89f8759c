package model

import (
	"github.com/dxindex/dxindex/internal/errkind"
)

const (
	MaxEvidenceFile = 10 << 20 // one file
)

// ErrEvidenceTooLarge is returned for a file over MaxEvidenceFile.
var ErrEvidenceTooLarge = errkind.New(errkind.Invalid, "Tệp minh chứng lớn hơn 10 MB.", "the evidence file is larger than 10 MB")
