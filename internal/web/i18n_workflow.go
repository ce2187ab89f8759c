package web

import "github.com/dxindex/dxindex/survey/model"

// The statuses of an assessment are named in one place, survey's
// workflow (model.Status.Name); the catalog's status.<status> keys,
// which templates use as {{t (print "status." .Status)}}, are made from it.
func init() {
	for _, st := range model.Statuses {
		n := st.Name()
		catalog["status."+string(st)] = [2]string{n.VI, n.EN}
	}
}
