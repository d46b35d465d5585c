package heed

import (
	"fmt"
	"strconv"
	"strings"
)

// Decimal is an exact fixed-point number with four decimal places, stored
// as an integer count of ten-thousandths. It holds customer values
// (annual revenue and the like) without float rounding, and sorts and
// compares as an integer in both stores.
type Decimal int64

const decimalScale = 10000

// ParseDecimal reads "48000", "48000.5", "-12.3456" or "" (zero). It
// rejects more than four decimal places, exponents and thousands
// separators, so what is stored is exactly what was written.
func ParseDecimal(s string) (Decimal, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && frac == "" || (hasDot && frac == "") {
		return 0, fmt.Errorf("%q is not a decimal number", s)
	}
	if len(frac) > 4 {
		return 0, fmt.Errorf("%q has more than 4 decimal places", s)
	}
	for _, c := range intPart + frac {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%q is not a decimal number", s)
		}
	}
	if intPart == "" {
		intPart = "0"
	}
	i, err := strconv.ParseInt(intPart, 10, 64)
	if err != nil || i > (1<<63-1)/decimalScale-1 {
		return 0, fmt.Errorf("%q is too large", s)
	}
	f, _ := strconv.ParseInt((frac + "0000")[:4], 10, 64)
	v := i*decimalScale + f
	if neg {
		v = -v
	}
	return Decimal(v), nil
}

// String formats d with as few decimals as it needs: 48000, 48000.5.
func (d Decimal) String() string {
	v := int64(d)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	s := sign + strconv.FormatInt(v/decimalScale, 10)
	if f := v % decimalScale; f != 0 {
		s += "." + strings.TrimRight(fmt.Sprintf("%04d", f), "0")
	}
	return s
}

// Float returns d as a float64, for statistics and display only.
func (d Decimal) Float() float64 { return float64(d) / decimalScale }

// MarshalJSON writes d as a JSON number.
func (d Decimal) MarshalJSON() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalJSON accepts a JSON number, a string holding one, or null.
func (d *Decimal) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	if s == "null" {
		*d = 0
		return nil
	}
	v, err := ParseDecimal(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
