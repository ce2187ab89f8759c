// Package initgc keeps the garbage collector from running while the packages
// of the dxindex binary are initialised. Package main imports it; having
// almost no dependencies and a path that sorts early, it is initialised
// before the heavy packages (excelize, validator, the web layer's catalogs;
// `GODEBUG=inittrace=1 dxindex version` lists the order). Their
// initialisation allocates about 3 MB that stays live (regular expressions,
// tables, templates): a collection started then, as the heap passes the
// 4 MB of the first goal, finds nearly nothing to free, and a command that
// turns the collector off for its own work (composite) first waits for that
// collection's mark phase to end. main calls Restore before anything else.
package initgc

import "runtime/debug"

// percent is the GOGC setting the process started with (GOGC, or 100).
var percent = debug.SetGCPercent(-1)

// Restore puts back the GOGC setting the process started with.
func Restore() { debug.SetGCPercent(percent) }
