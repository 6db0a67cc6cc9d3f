// Prints Go's own formatting of the values test/units.test.ts checks: run `go run test/go-fmt/main.go`.

package main

import (
	"fmt"
	"math"
)

func main() {
	fs := []float64{0, 1.125, 1.135, 0.125, 0.375, 2.5, 98.125, 0.005, 0.015, 0.145, 1.005, 99.995, 1234.565, 0.625, -1.125, -0.375, 0.0049, 12.345, 1e-7, 123456789.125}
	for _, f := range fs {
		fmt.Printf("[%v, %q],\n", f, fmt.Sprintf("%.2f", f))
	}
	gs := []float64{0.0091, 0.009, 0.89, 0.9009009, 0.95, 0.995, 0.00001, 0.000123, 0.05, 0.125, 0.0625, 0.00625, 0.015, 0.25, 0.35, 1e-10, 0.99}
	for _, f := range gs {
		fmt.Printf("[%v, %q],\n", f, fmt.Sprintf("%5.2g", f))
	}
	_ = math.Abs
}
