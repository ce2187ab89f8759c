package imports

import (
	"fmt"

	"github.com/dxindex/dxindex/indicators"
)

// Template returns the downloadable template of an import file: the
// header row and one example row (units, users, as csv or xlsx), or the
// moet-4725 set in the workbook layout (indicators, xlsx only).
func Template(kind, format string) (string, []byte, error) {
	var rows [][]string
	switch kind {
	case "units":
		rows = [][]string{UnitColumns, {"338001", "Trường Tiểu học An Bài", "school", "338", "primary", "520", "24", "29"}}
	case "users":
		rows = [][]string{UserColumns, {"ht.338001", "Nguyễn Thị Hoa", "school", "338001", "hoa.nt@thcs-quynhphu.edu.vn", "0912345678"}}
	case "indicators":
		if format != "xlsx" {
			return "", nil, fmt.Errorf("imports: the indicator-set template is an .xlsx workbook")
		}
		set, err := indicators.ShippedSet("moet-4725")
		if err != nil {
			return "", nil, err
		}
		b, err := SetToXLSX(set)
		return "dxindex-indicators-moet-4725.xlsx", b, err
	default:
		return "", nil, fmt.Errorf("imports: no template %q (units, users, indicators)", kind)
	}
	b, err := Write(format, kind, rows)
	return "dxindex-" + kind + "-template." + format, b, err
}
