package model

import "testing"

// TestNoticeBodyWording: a body that introduces a list of items keeps its
// colon right above the list (the campaign goes first, no ":." left);
// the reply request to an office's staff speaks of the unit, not a
// school; the notice of a draw into an enlarged sample says why.
func TestNoticeBodyWording(t *testing.T) {
	for _, tc := range []struct {
		n      Notification
		vi, en string
	}{
		{Notification{Kind: NoticeChanged, Params: map[string]string{"unit": "Trường A", "campaign": "Năm học 2025-2026", "changes": "2"}},
			"Đợt đánh giá: Năm học 2025-2026. Các thay đổi và lý do:", "Campaign: Năm học 2025-2026. The changes and their reasons:"},
		{Notification{Kind: NoticeChanged, Params: map[string]string{"unit": "Trường A", "campaign": "Năm học 2025-2026", "changes": "1", "reason": "Thiếu minh chứng"}},
			"Lý do: Thiếu minh chứng. Đợt đánh giá: Năm học 2025-2026.", "Reason: Thiếu minh chứng. Campaign: Năm học 2025-2026."},
		{Notification{Kind: NoticeReplyDue, Params: map[string]string{"unit": "Trường A", "campaign": "C", "changes": "2", "due": "17:00 10/12/2026"}},
			"2 thay đổi chờ nhà trường phản hồi, hạn 17:00 10/12/2026. Đợt đánh giá: C.", "2 change(s) await the school's reply, due 17:00 10/12/2026. Campaign: C."},
		{Notification{Kind: NoticeReplyDue, Params: map[string]string{"unit": "Tỉnh Hưng Yên", "campaign": "C", "changes": "1", "due": "17:00 10/12/2026", "office": "1"}},
			"1 thay đổi chờ đơn vị phản hồi, hạn 17:00 10/12/2026. Đợt đánh giá: C.", "1 change(s) await the unit's reply, due 17:00 10/12/2026. Campaign: C."},
	} {
		if b := tc.n.Body(); b.VI != tc.vi || b.EN != tc.en {
			t.Errorf("%s %v:\n got %q / %q\nwant %q / %q", tc.n.Kind, tc.n.Params, b.VI, b.EN, tc.vi, tc.en)
		}
	}
	v := Notification{Kind: NoticeVerifying, Params: map[string]string{"unit": "Trường A", "campaign": "C"}}
	if s := v.Subject(); s.VI != "Bản tự đánh giá của Trường A được rút vào mẫu kiểm tra" || s.EN != "The self-assessment of Trường A was drawn for verification" {
		t.Errorf("verifying subject %q / %q", s.VI, s.EN)
	}
}
