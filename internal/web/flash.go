package web

import (
	"encoding/base64"
	"net/http"

	"github.com/labstack/echo/v4"
)

// flashCookie carries a one-time message across a Post/Redirect/Get.
const flashCookie = "dx_flash"

func setFlash(c echo.Context, msg string) {
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString([]byte(msg)), Path: "/", HttpOnly: true, MaxAge: 60, SameSite: http.SameSiteLaxMode})
}

func takeFlash(c echo.Context) string {
	ck, err := c.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return ""
	}
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	b, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil {
		return ""
	}
	return string(b)
}
