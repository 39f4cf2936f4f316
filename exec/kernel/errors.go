package kernel

import "fmt"

// errorf reports a compile-time problem (a type combination the expr
// contract does not allow, a malformed pattern).
func errorf(format string, args ...any) error {
	return fmt.Errorf("kernel: "+format, args...)
}
