package dashview

import (
	"math"

	"github.com/dxindex/dxindex/internal/numfmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// Chart is a chart's ECharts options, built with go-echarts. The page
// puts them, JSON-encoded by html/template, in a <script
// type="application/json"> block that static/charts.js hands to echarts:
// no inline script, and unit names (user data) never reach the page
// unescaped (go-echarts' own snippets do not escape them).
type Chart struct {
	ID      string
	Title   string
	Options map[string]any
	// Height of the chart in CSS pixels.
	Height int
}

// FontFamily is the charts' font: canvas text ignores the page's CSS.
const FontFamily = "Noto Sans, DejaVu Sans, sans-serif"

type validator interface {
	Validate()
	JSON() map[string]interface{}
}

func finish(id, title string, height int, c validator) Chart {
	c.Validate()
	o := c.JSON()
	o["textStyle"] = map[string]any{"fontFamily": FontFamily}
	o["animation"] = false
	return Chart{ID: id, Title: title, Options: o, Height: height}
}

func global(title string) []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithTitleOpts(opts.Title{Title: title, Top: "15", Left: "center",
			TitleStyle: &opts.TextStyle{FontFamily: FontFamily, FontSize: 15}}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "bottom"}),
	}
}

// num is a value for a chart, rounded as every page and file rounds it
// (numfmt), NaN as echarts' "no data". static/charts.js writes it in the
// page's language (decimal comma) in tooltips and axis labels.
func num(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "-"
	}
	return numfmt.Round(x, numfmt.Decimals)
}

// Counts marks a chart whose values are counts (schools, assessments):
// an integer value axis (no "0,2 trường") and integer tooltips.
// static/charts.js reads "dxDecimals" and removes it before drawing.
func Counts(c Chart) Chart {
	c.Options["dxDecimals"] = 0
	if y, ok := c.Options["yAxis"].([]any); ok {
		for _, a := range y {
			if m, ok := a.(map[string]any); ok {
				m["minInterval"] = 1
			}
		}
	} else if y, ok := c.Options["yAxis"].([]opts.YAxis); ok {
		// go-echarts keeps its own axis structs: replace them by maps.
		out := make([]any, len(y))
		for i := range y {
			out[i] = map[string]any{"type": "value", "min": 0, "minInterval": 1}
		}
		c.Options["yAxis"] = out
	}
	return c
}

// Bar is a bar chart of one value per category.
func Bar(id, title, series string, cats []string, vals []float64, max float64) Chart {
	b := charts.NewBar()
	b.SetGlobalOptions(append(global(title),
		charts.WithGridOpts(opts.Grid{Top: "60", Bottom: "60", Left: "50", Right: "20", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Rotate: 30, Interval: "0"}}),
		charts.WithYAxisOpts(opts.YAxis{Max: axisMax(max), Min: 0}))...)
	data := make([]opts.BarData, len(vals))
	for i, v := range vals {
		data[i] = opts.BarData{Value: num(v)}
	}
	b.SetXAxis(cats).AddSeries(series, data)
	return finish(id, title, 360, b)
}

// Stacked is a stacked bar chart: one series per name, values[s][cat].
func Stacked(id, title string, cats, names []string, values [][]float64, max float64) Chart {
	b := charts.NewBar()
	b.SetGlobalOptions(append(global(title),
		charts.WithGridOpts(opts.Grid{Top: "60", Bottom: "70", Left: "50", Right: "20", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Rotate: 30, Interval: "0"}}),
		charts.WithYAxisOpts(opts.YAxis{Max: axisMax(max), Min: 0}))...)
	b.SetXAxis(cats)
	for s, name := range names {
		data := make([]opts.BarData, len(cats))
		for i := range cats {
			data[i] = opts.BarData{Value: num(values[s][i])}
		}
		b.AddSeries(name, data, charts.WithBarChartOpts(opts.BarChart{Stack: "total"}))
	}
	return finish(id, title, 380, b)
}

// Heatmap is a heat map of values[y][x] in 0–100.
func Heatmap(id, title string, xs, ys []string, values [][]float64) Chart {
	h := charts.NewHeatMap()
	h.SetGlobalOptions(
		charts.WithTitleOpts(opts.Title{Title: title, Top: "15", Left: "center", TitleStyle: &opts.TextStyle{FontFamily: FontFamily, FontSize: 15}}),
		charts.WithAnimation(false),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Top: "60", Bottom: "90", Left: "40", Right: "20", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", Data: xs, AxisLabel: &opts.AxisLabel{Rotate: 30, Interval: "0"}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Data: ys}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: 0, Max: 100, Orient: "horizontal", Left: "center", Bottom: "0",
			InRange: &opts.VisualMapInRange{Color: []string{"#d73027", "#fee08b", "#1a9850"}}}),
	)
	var data []opts.HeatMapData
	for y := range ys {
		for x := range xs {
			v := values[y][x]
			if math.IsNaN(v) {
				continue
			}
			data = append(data, opts.HeatMapData{Value: [3]any{x, y, num(v)}})
		}
	}
	h.SetXAxis(xs).AddSeries(title, data)
	height := 140 + 26*len(ys)
	return finish(id, title, max(height, 320), h)
}

// Radar is a radar chart: one series per name over the axes.
func Radar(id, title string, axes []string, maxes []float64, names []string, values [][]float64) Chart {
	r := charts.NewRadar()
	ind := make([]*opts.Indicator, len(axes))
	for i, a := range axes {
		ind[i] = &opts.Indicator{Name: a, Max: float32(maxes[i])}
	}
	r.SetGlobalOptions(append(global(title), charts.WithRadarComponentOpts(opts.RadarComponent{Indicator: ind, Center: []string{"50%", "55%"}}))...)
	for s, name := range names {
		vals := make([]any, len(axes))
		for i := range axes {
			vals[i] = num(values[s][i])
		}
		r.AddSeries(name, []opts.RadarData{{Name: name, Value: vals}})
	}
	return finish(id, title, 400, r)
}

// Lines is a line chart: one series per name, values[s][cat].
func Lines(id, title string, cats, names []string, values [][]float64, max float64) Chart {
	l := charts.NewLine()
	l.SetGlobalOptions(append(global(title),
		charts.WithGridOpts(opts.Grid{Top: "60", Bottom: "60", Left: "50", Right: "20", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Max: axisMax(max), Min: 0}))...)
	l.SetXAxis(cats)
	for s, name := range names {
		data := make([]opts.LineData, len(cats))
		for i := range cats {
			data[i] = opts.LineData{Value: num(values[s][i])}
		}
		l.AddSeries(name, data)
	}
	return finish(id, title, 340, l)
}

// Trend is a line chart over campaigns, one series per name, where a
// point whose coverage is partial (below CoverageThreshold) is left out of
// the line, which joins the covered points, and drawn apart as a hollow
// marker of a series named partialName: one school of 90 is not the
// unit's mean, and a line through it would show a jump that is not there.
func Trend(id, title string, cats, names []string, values [][]float64, partial []bool, partialName string) Chart {
	l := charts.NewLine()
	l.SetGlobalOptions(append(global(title),
		charts.WithGridOpts(opts.Grid{Top: "60", Bottom: "60", Left: "50", Right: "20", ContainLabel: opts.Bool(true)}),
		charts.WithYAxisOpts(opts.YAxis{Max: 100, Min: 0}))...)
	l.SetXAxis(cats)
	any := false
	for s, name := range names {
		data := make([]opts.LineData, len(cats))
		for i := range cats {
			v := values[s][i]
			if i < len(partial) && partial[i] {
				v, any = math.NaN(), true
			}
			data[i] = opts.LineData{Value: num(v)}
		}
		l.AddSeries(name, data, charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(true)}))
	}
	if any && len(names) > 0 {
		data := make([]opts.LineData, len(cats))
		for i := range cats {
			v := math.NaN()
			if i < len(partial) && partial[i] {
				v = values[0][i]
			}
			data[i] = opts.LineData{Value: num(v), Symbol: "emptyDiamond", SymbolSize: 14}
		}
		l.AddSeries(partialName, data, charts.WithLineStyleOpts(opts.LineStyle{Opacity: opts.Float(0)}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: "#999999"}))
	}
	return finish(id, title, 340, l)
}

// axisMax is a fixed axis maximum, or none (nil) for 0.
func axisMax(m float64) any {
	if m <= 0 {
		return nil
	}
	return m
}
