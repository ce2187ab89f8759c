package survey

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/dxindex/dxindex/internal/errkind"
	"github.com/dxindex/dxindex/survey/model"
	"github.com/gabriel-vasile/mimetype"
	"github.com/jackc/pgx/v5"
	"golang.org/x/text/unicode/norm"
)

// Limits on evidence files.
const (
	MaxEvidencePerAssess  = 100 << 20 // all files of one assessment
	maxEvidenceURLLength  = 2000
	maxEvidenceNameLength = 200
)

// allowedEvidence are the content types accepted, as detected from the
// bytes (never from the name): PDF, images, office documents.
var allowedEvidence = map[string]bool{
	"application/pdf": true,
	"image/png":       true, "image/jpeg": true, "image/gif": true, "image/webp": true,
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   true,
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         true,
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": true,
	"application/msword": true, "application/vnd.ms-excel": true, "application/vnd.ms-powerpoint": true,
	"application/x-ole-storage":               true, // older office files detected generically
	"application/vnd.oasis.opendocument.text": true, "application/vnd.oasis.opendocument.spreadsheet": true,
	"application/vnd.oasis.opendocument.presentation": true,
}

// evidenceTarget checks that evidence may be attached to indicator now.
func (s *Service) evidenceTarget(ctx context.Context, tx pgx.Tx, a *model.Actor, id int64, indicator string) (*model.Assessment, error) {
	x, err := s.header(ctx, tx, a, id, true)
	if err != nil {
		return nil, err
	}
	if err := s.checkEditable(x, a); err != nil {
		return nil, err
	}
	ind, err := x.IndicatorOf(indicator)
	if err != nil {
		return nil, err
	}
	if ind.Evidence == "none" {
		return nil, errkind.New(errkind.Invalid, fmt.Sprintf("Chỉ số %s không cần minh chứng.", indicator), fmt.Sprintf("indicator %s takes no evidence", indicator))
	}
	return x, nil
}

// AddEvidenceLink attaches a link (http or https) to an answer.
func (s *Service) AddEvidenceLink(ctx context.Context, a *model.Actor, id int64, indicator, link string) (*model.Evidence, error) {
	return s.addEvidenceLink(ctx, a, id, indicator, link, nil)
}

// addEvidenceLink adds a link, dated the day it was checked (nil: not given).
func (s *Service) addEvidenceLink(ctx context.Context, a *model.Actor, id int64, indicator, link string, checkedOn *time.Time) (*model.Evidence, error) {
	link = strings.TrimSpace(link)
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(link) > maxEvidenceURLLength {
		return nil, wrap("evidence", errkind.Field("url", "Đường dẫn phải bắt đầu bằng http:// hoặc https:// và không quá 2.000 ký tự.", "a link starts with http:// or https:// and has at most 2,000 characters"))
	}
	var e model.Evidence
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := s.evidenceTarget(ctx, tx, a, id, indicator); err != nil {
			return err
		}
		e = model.Evidence{Kind: "link", URL: link, DatedOn: checkedOn}
		return tx.QueryRow(ctx, `INSERT INTO evidence (assessment_id, indicator, kind, url, uploaded_by, checked_on) VALUES ($1, $2, 'link', $3, $4, $5) RETURNING id, uploaded_at`,
			id, indicator, link, a.UserID, checkedOn).Scan(&e.ID, &e.UploadedAt)
	})
	if err != nil {
		return nil, wrap("evidence", err)
	}
	return &e, nil
}

// AddEvidenceFile stores a file as evidence. Its type is read from its
// bytes: a PDF, an image or an office document, whatever its name says.
func (s *Service) AddEvidenceFile(ctx context.Context, a *model.Actor, id int64, indicator, filename string, data []byte) (*model.Evidence, error) {
	return s.addEvidenceFile(ctx, a, id, indicator, filename, data, nil)
}

// addEvidenceFile stores a file, dated the day its document was issued
// (nil: not given).
func (s *Service) addEvidenceFile(ctx context.Context, a *model.Actor, id int64, indicator, filename string, data []byte, issuedOn *time.Time) (*model.Evidence, error) {
	if len(data) == 0 {
		return nil, wrap("evidence", errkind.New(errkind.Invalid, "Tệp rỗng.", "the file is empty"))
	}
	if len(data) > model.MaxEvidenceFile {
		return nil, wrap("evidence", model.ErrEvidenceTooLarge)
	}
	mt := mimetype.Detect(data)
	ctype := mt.String()
	if i := strings.IndexByte(ctype, ';'); i >= 0 {
		ctype = ctype[:i]
	}
	if !allowedEvidence[ctype] {
		return nil, wrap("evidence", errkind.New(errkind.Invalid,
			"Chỉ nhận tệp PDF, ảnh (PNG, JPEG, GIF, WebP) hoặc văn bản Office/OpenDocument; tệp này là "+ctype+".",
			"only PDF, images (PNG, JPEG, GIF, WebP) and Office/OpenDocument files are accepted; this file is "+ctype))
	}
	name := cleanFilename(filename, mt.Extension())
	sum := sha256.Sum256(data)
	var e model.Evidence
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := s.evidenceTarget(ctx, tx, a, id, indicator); err != nil {
			return err
		}
		var total int64
		if err := tx.QueryRow(ctx, `SELECT coalesce(sum(size), 0) FROM evidence WHERE assessment_id = $1`, id).Scan(&total); err != nil {
			return err
		}
		if total+int64(len(data)) > MaxEvidencePerAssess {
			return errkind.New(errkind.Invalid, "Tổng dung lượng minh chứng của bản đánh giá vượt quá 100 MB.", "the evidence of this assessment would exceed 100 MB in all")
		}
		e = model.Evidence{Kind: "file", Filename: name, ContentType: ctype, Size: int64(len(data)), DatedOn: issuedOn}
		return tx.QueryRow(ctx, `INSERT INTO evidence (assessment_id, indicator, kind, filename, content_type, size, sha256, data, uploaded_by, issued_on)
			VALUES ($1, $2, 'file', $3, $4, $5, $6, $7, $8, $9) RETURNING id, uploaded_at`,
			id, indicator, name, ctype, len(data), hex.EncodeToString(sum[:]), data, a.UserID, issuedOn).Scan(&e.ID, &e.UploadedAt)
	})
	if err != nil {
		return nil, wrap("evidence", err)
	}
	return &e, nil
}

// cleanFilename keeps a name safe to show and to send back: no path, no
// control or invisible formatting characters (unsafeInName), NFC,
// bounded, with the extension of the real type.
func cleanFilename(name, ext string) string {
	name = norm.NFC.String(filepath.Base(strings.ReplaceAll(name, "\\", "/")))
	name = strings.Map(func(r rune) rune {
		if unsafeInName(r) || r == '"' || r == '/' {
			return -1
		}
		return r
	}, name)
	if name == "" || name == "." || name == ".." {
		name = "minh-chung"
	}
	if r := []rune(name); len(r) > maxEvidenceNameLength {
		name = string(r[:maxEvidenceNameLength])
	}
	if ext != "" && !strings.EqualFold(filepath.Ext(name), ext) {
		name += ext
	}
	return name
}

// unsafeInName reports the characters no evidence name keeps: controls
// (C0, C1), line and paragraph separators, and the invisible format
// characters (Unicode Cf) — among them the bidirectional controls U+061C,
// U+200E/F, U+202A–202E and U+2066–2069, which make a name show as
// another: "fdp\u202egnp.exe" reads as "fdpexe.png".
func unsafeInName(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}

// shownFilename is a stored name as it may be shown or sent: without the
// characters of unsafeInName even if it was stored before they were
// refused (an older version, a restored backup).
func shownFilename(name string) string {
	return strings.Map(func(r rune) rune {
		if unsafeInName(r) {
			return -1
		}
		return r
	}, name)
}

// DeleteEvidence removes a piece of evidence while the answer is editable.
func (s *Service) DeleteEvidence(ctx context.Context, a *model.Actor, id, evidenceID int64) error {
	return wrap("delete evidence", s.inTx(ctx, func(tx pgx.Tx) error {
		var indicator string
		err := tx.QueryRow(ctx, `SELECT indicator FROM evidence WHERE id = $1 AND assessment_id = $2`, evidenceID, id).Scan(&indicator)
		if errors.Is(err, pgx.ErrNoRows) {
			return model.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := s.evidenceTarget(ctx, tx, a, id, indicator); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM evidence WHERE id = $1`, evidenceID)
		return err
	}))
}

// EvidenceFile returns a stored file, to a person allowed to read the
// assessment.
func (s *Service) EvidenceFile(ctx context.Context, a *model.Actor, id, evidenceID int64) (*model.Evidence, []byte, error) {
	if _, err := s.header(ctx, nil, a, id, false); err != nil {
		return nil, nil, err
	}
	var e model.Evidence
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT id, kind, coalesce(filename, ''), coalesce(content_type, ''), size, uploaded_at, data
		FROM evidence WHERE id = $1 AND assessment_id = $2 AND kind = 'file'`, evidenceID, id).Scan(&e.ID, &e.Kind, &e.Filename, &e.ContentType, &e.Size, &e.UploadedAt, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil, model.ErrNotFound
	}
	if err != nil {
		return nil, nil, wrap("evidence file", err)
	}
	e.Filename = shownFilename(e.Filename)
	return &e, data, nil
}
