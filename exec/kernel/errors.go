package kernel

import "fmt"

// The kernels' errors read like DuckDB's: a category ("Out of Range
// Error", "Conversion Error", ...) and the message DuckDB gives for the
// same failure. Nothing of Go's own error text reaches the user.

// errorf reports a compile-time problem: a type combination or operator
// that no kernel implements (the binder normally never asks for one).
func errorf(format string, args ...any) error {
	return fmt.Errorf("Not implemented Error: "+format, args...)
}

// internalf reports a broken contract between the planner and the kernels.
func internalf(format string, args ...any) error {
	return fmt.Errorf("Internal Error: "+format, args...)
}

// rangeErrorf is a value that does not fit its type (DuckDB's
// OutOfRangeException).
func rangeErrorf(format string, args ...any) error {
	return fmt.Errorf("Out of Range Error: "+format, args...)
}

// conversionErrorf is a cast that fails for a value (DuckDB's
// ConversionException).
func conversionErrorf(format string, args ...any) error {
	return fmt.Errorf("Conversion Error: "+format, args...)
}

// invalidInputf is an argument a function cannot take (DuckDB's
// InvalidInputException).
func invalidInputf(format string, args ...any) error {
	return fmt.Errorf("Invalid Input Error: "+format, args...)
}
