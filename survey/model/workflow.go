package model

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/dxindex/dxindex/indicators"
	"github.com/dxindex/dxindex/internal/errkind"
	"golang.org/x/text/unicode/norm"
)

// AnswerConflict is returned when an answer was changed by someone else
// since the writer read it: the write names the version it replaces, and
// this error carries the current value and version so the writer can
// decide. It matches errkind.Conflict.
type AnswerConflict struct {
	Indicator string          `json:"indicator"`
	Value     json.RawMessage `json:"value"`
	Version   int             `json:"version"`
}

func (e *AnswerConflict) Error() string {
	return fmt.Sprintf("the answer to %s was changed meanwhile (now version %d)", e.Indicator, e.Version)
}

// Unwrap makes the conflict match errkind.Conflict and carry its message.
func (e *AnswerConflict) Unwrap() error {
	return errkind.New(errkind.Conflict,
		fmt.Sprintf("Câu trả lời cho chỉ số %s vừa được người khác sửa (phiên bản %d). Hãy xem giá trị hiện tại rồi lưu lại.", e.Indicator, e.Version),
		fmt.Sprintf("the answer to %s was changed by someone else (now version %d); check the current value and save again", e.Indicator, e.Version))
}

// SavedAnswer is the outcome of SaveAnswer: the new version and the
// assessment's score as it now stands.
type SavedAnswer struct {
	Indicator  string             `json:"indicator"`
	Value      json.RawMessage    `json:"value"`
	Version    int                `json:"version"`
	Self       *indicators.Result `json:"self"`
	Answered   int                `json:"answered"`
	Applicable int                `json:"applicable"`
	// Revision orders the outcomes of concurrent saves: the highest is the
	// score as it now stands.
	Revision int64 `json:"revision"`
	// Gap is the gap to the next level as the answers now stand.
	Gap *indicators.Gap `json:"gap"`
}

// IndicatorOf finds an applicable indicator of the assessment's set.
func (x *Assessment) IndicatorOf(code string) (*indicators.Indicator, error) {
	for _, ind := range ApplicableIndicators(x.Set, "") {
		if ind.Code != code {
			continue
		}
		if x.SchoolLevel != "" && !ind.AppliesToLevel(x.SchoolLevel) {
			return nil, errkind.New(errkind.Invalid,
				fmt.Sprintf("Chỉ số %s không áp dụng cho cấp học của trường.", code), fmt.Sprintf("indicator %s does not apply to this school's level", code))
		}
		return ind, nil
	}
	return nil, errkind.New(errkind.NotFound, fmt.Sprintf("Bộ chỉ số không có chỉ số %s.", code), fmt.Sprintf("the indicator set has no indicator %s", code))
}

// ParseValue checks a value against its indicator. JSON null clears it.
func (x *Assessment) ParseValue(code string, raw json.RawMessage) (indicators.Answer, json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return indicators.Answer{}, nil, nil
	}
	var ans indicators.Answer
	if err := json.Unmarshal(raw, &ans); err != nil {
		// The engine's coded error travels with the message, so the web
		// layer can say it in the reader's language.
		return ans, nil, errors.Join(errkind.New(errkind.Invalid, fmt.Sprintf("Giá trị cho chỉ số %s không đúng dạng câu trả lời.", code), fmt.Sprintf("invalid value for indicator %s: %v", code, err)),
			indicators.AnswerErrors{{Indicator: code, Message: err.Error(), Code: indicators.AnswerErrShape}})
	}
	// The engine is the one judge of what fits an indicator.
	if err := x.Set.CheckAnswer(x.SchoolLevel, code, ans); err != nil {
		return ans, nil, errors.Join(errkind.New(errkind.Invalid, fmt.Sprintf("Giá trị cho chỉ số %s không hợp lệ.", code), err.Error()), err)
	}
	canon, err := json.Marshal(ans)
	return ans, canon, err
}

func CleanText(s string) string { return norm.NFC.String(strings.TrimSpace(s)) }

// BulkResult is the outcome of approving one assessment of a batch.
type BulkResult struct {
	ID    int64  `json:"id"`
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
}

// ReviewChange is one entry of the external-evaluation trail.
type ReviewChange struct {
	Indicator string          `json:"indicator"`
	Old       json.RawMessage `json:"old_value"`
	New       json.RawMessage `json:"new_value"`
	Reason    string          `json:"reason"`
	By        string          `json:"by"`
	At        time.Time       `json:"at"`
}
