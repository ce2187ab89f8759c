package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/riverqueue/river"
)

// SignatureHeader carries the HMAC-SHA256 of the body with the shared
// secret, as "sha256=<hex>".
const SignatureHeader = "X-DXIndex-Signature"

// WebhookPayload is what the webhook receives for each notice.
type WebhookPayload struct {
	ID           int64             `json:"id"`
	Kind         string            `json:"kind"`
	Username     string            `json:"username"`
	AssessmentID int64             `json:"assessment_id,omitempty"`
	Subject      errkind.Msg       `json:"subject"`
	Body         errkind.Msg       `json:"body"`
	Link         string            `json:"link"`
	Params       map[string]string `json:"params"`
	CreatedAt    time.Time         `json:"created_at"`
}

// Sign returns the signature header's value for body.
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

type webhookWorker struct {
	river.WorkerDefaults[survey.WebhookJob]
	svc *survey.Service
	cfg Config
}

func (w *webhookWorker) Work(ctx context.Context, job *river.Job[survey.WebhookJob]) error {
	n, err := w.svc.NotificationForDelivery(ctx, job.Args.NotificationID)
	if errors.Is(err, model.ErrNotFound) {
		return river.JobCancel(err)
	}
	if err != nil {
		return err
	}
	if n.HookStatus == "sent" || w.cfg.WebhookURL == "" {
		return nil
	}
	body, err := json.Marshal(WebhookPayload{ID: n.ID, Kind: string(n.Kind), Username: n.Username, AssessmentID: n.AssessmentID,
		Subject: n.Subject(), Body: n.Body(), Link: w.cfg.link(n.Link), Params: n.Params, CreatedAt: n.CreatedAt})
	if err != nil {
		return err
	}
	err = postWebhook(ctx, w.cfg, body)
	final := job.Attempt >= job.MaxAttempts
	if rerr := w.svc.RecordDelivery(ctx, n.ID, survey.ChannelWebhook, err, final); rerr != nil && err == nil {
		return nil
	}
	return err
}

func postWebhook(ctx context.Context, cfg Config, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.WebhookURL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(SignatureHeader, Sign(cfg.WebhookSecret, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("webhook: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook: %s", resp.Status)
	}
	return nil
}
