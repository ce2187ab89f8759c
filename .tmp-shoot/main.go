// Throwaway: screenshots of a running dxindex as a visitor, a principal,
// an evaluator and the Ministry, at 390 and 1366 px.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/chromedp/chromedp"
)

func main() {
	base := os.Args[1]
	out := os.Args[2]
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox, chromedp.Flag("lang", "vi-VN"), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	type visit struct{ who, name, path string }
	visits := []visit{}
	for i := 3; i+2 < len(os.Args); i += 3 {
		visits = append(visits, visit{os.Args[i], os.Args[i+1], os.Args[i+2]})
	}
	for _, w := range []int{390, 1366} {
		for _, v := range visits {
			ctx, c2 := chromedp.NewContext(actx)
			ctx, c3 := context.WithTimeout(ctx, 60*time.Second)
			err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(w), 900))
			if err == nil && v.who != "" {
				err = chromedp.Do(ctx, chromedp.Navigate(base+"/login"),
					chromedp.SendKeys(chromedp.CSS(`main input[name=username]`), v.who),
					chromedp.SendKeys(chromedp.CSS(`main input[name=password]`), "demo-"+v.who),
					chromedp.Click(chromedp.CSS(`main button[type=submit]`)))
				time.Sleep(1500 * time.Millisecond)
			}
			if err == nil {
				err = chromedp.Do(ctx, chromedp.Navigate(base+v.path))
				time.Sleep(1500 * time.Millisecond)
			}
			var buf []byte
			if err == nil {
				buf, err = chromedp.Run(ctx, chromedp.FullScreenshot(100))
			}
			if err != nil {
				fmt.Println(v.name, err)
			} else {
				os.WriteFile(fmt.Sprintf("%s/%d-%s.png", out, w, v.name), buf, 0o644)
			}
			c3()
			c2()
		}
	}
}
