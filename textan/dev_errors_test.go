package textan

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestDevErrors prints the development set's mistakes (HEED_DEV_ERRORS=1).
func TestDevErrors(t *testing.T) {
	if os.Getenv("HEED_DEV_ERRORS") == "" {
		t.Skip("set HEED_DEV_ERRORS=1 to list the development set's mistakes")
	}
	for _, s := range readLabelled(t, filepath.Join("testdata", "uci", "amazon_cells_labelled.tsv")) {
		v := Score(s.text).Score
		if (v > 0) != s.positive {
			fmt.Printf("%v\t%+.2f\t%s\n", s.positive, v, s.text)
		}
	}
}
