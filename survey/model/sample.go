package model

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/dxindex/dxindex/internal/errkind"
)

// SampleInput is an office's choice of a sample (issue 17): Size schools
// or ShareBP ten-thousandths of each stratum, optionally K indicators per
// school, stratified by school level and/or by district or commune. Seed
// empty: one is generated (and printed). EnlargeBy is the campaign's rule
// in this scope: when a sampled school's level changes on verification,
// that many more schools of its stratum are drawn.
type SampleInput struct {
	Seed       string `json:"seed"`
	Size       int    `json:"size"`
	ShareBP    int    `json:"share_bp"`
	Indicators int    `json:"indicators"`
	ByLevel    bool   `json:"by_level"`
	ByArea     bool   `json:"by_area"`
	EnlargeBy  int    `json:"enlarge_by"`
}

// Sample is a campaign's draw in an office's scope: its parameters, the
// list it was drawn from (every eligible assessment, drawn or not) and its
// enlargements.
type Sample struct {
	ID         int64     `json:"id"`
	CampaignID int64     `json:"campaign_id"`
	ScopeCode  string    `json:"scope_code"`
	Seed       string    `json:"seed"`
	Size       int       `json:"size"`
	ShareBP    int       `json:"share_bp"`
	Indicators int       `json:"indicators"`
	ByLevel    bool      `json:"by_level"`
	ByArea     bool      `json:"by_area"`
	EnlargeBy  int       `json:"enlarge_by"`
	DrawnBy    string    `json:"drawn_by"`
	DrawnAt    time.Time `json:"drawn_at"`
	// Units is the list, in the draw's order (stratum by stratum, each by
	// key); Drawn says which were drawn, first or in an enlargement.
	Units        []SampleUnit        `json:"units"`
	Enlargements []SampleEnlargement `json:"enlargements"`
}

// SampleUnit is one eligible assessment of a draw.
type SampleUnit struct {
	AssessmentID int64    `json:"assessment_id"`
	UnitCode     string   `json:"unit_code"`
	UnitName     string   `json:"unit_name"`
	Stratum      string   `json:"stratum"`
	Key          string   `json:"key"`
	Rank         int      `json:"rank"`
	Drawn        bool     `json:"drawn"`
	Enlarged     bool     `json:"enlarged"` // drawn by an enlargement
	Indicators   []string `json:"indicators"`
	Status       Status   `json:"status"`
	NotSampled   bool     `json:"approved_not_sampled"`
}

// SampleEnlargement is a draw of more schools after a sampled school's
// level changed on verification.
type SampleEnlargement struct {
	ID          int64     `json:"id"`
	TriggerCode string    `json:"trigger_unit_code"`
	Added       []string  `json:"added"`
	DrawnAt     time.Time `json:"drawn_at"`
}

// Drawn lists the drawn units' codes.
func (s *Sample) Drawn() []string {
	var out []string
	for _, u := range s.Units {
		if u.Drawn {
			out = append(out, u.UnitCode)
		}
	}
	return out
}

// Sampled reports, per assessment id, whether it was drawn.
func (s *Sample) Sampled() map[int64]bool {
	out := map[int64]bool{}
	for _, u := range s.Units {
		if u.Drawn {
			out[u.AssessmentID] = true
		}
	}
	return out
}

// SharePercent is the share in percent (0 when the draw is by number).
func (s *Sample) SharePercent() float64 { return float64(s.ShareBP) / 100 }

const maxSeedLength = 100

// ErrNoSample: the campaign has no draw in the actor's scope yet.
var ErrNoSample = errkind.New(errkind.NotFound, "Chưa rút mẫu kiểm tra cho đợt này trong phạm vi của bạn.", "no sample has been drawn for this campaign in your scope")

func newSeed() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (in *SampleInput) Check(eligible int) error {
	in.Seed = CleanText(in.Seed)
	fe := errkind.FieldErrors{}
	if in.Seed == "" {
		in.Seed = newSeed()
	}
	if utf8.RuneCountInString(in.Seed) > maxSeedLength || strings.IndexFunc(in.Seed, unicode.IsControl) >= 0 {
		fe.Add("seed", "Hạt giống (seed) dài tối đa 100 ký tự, không có ký tự điều khiển.", "the seed has at most 100 characters and no control characters")
	}
	switch {
	case in.Size > 0 && in.ShareBP > 0:
		fe.Add("size", "Chọn số trường hoặc tỷ lệ, không chọn cả hai.", "give a number of schools or a share, not both")
	case in.Size < 0 || in.ShareBP < 0 || in.ShareBP > 10000:
		fe.Add("size", "Cỡ mẫu phải là số trường dương hoặc tỷ lệ từ 0,01 % đến 100 %.", "the sample is a positive number of schools or a share from 0.01 % to 100 %")
	case in.Size == 0 && in.ShareBP == 0:
		fe.Add("size", "Hãy nhập số trường hoặc tỷ lệ cần kiểm tra.", "give the number of schools or the share to verify")
	case in.Size > eligible:
		fe.Add("size", fmt.Sprintf("Cỡ mẫu (%d) lớn hơn số trường đã nộp (%d).", in.Size, eligible),
			fmt.Sprintf("the sample (%d) is larger than the %d submitted schools", in.Size, eligible))
	}
	if in.Indicators < 0 || in.Indicators > 500 {
		fe.Add("indicators", "Số chỉ số mỗi trường từ 0 (tất cả) đến 500.", "indicators per school: 0 (all) to 500")
	}
	if in.EnlargeBy < 0 || in.EnlargeBy > 1000 {
		fe.Add("enlarge_by", "Số trường rút thêm từ 0 đến 1.000.", "schools drawn more: 0 to 1,000")
	}
	if len(fe) > 0 {
		return fe
	}
	return nil
}
