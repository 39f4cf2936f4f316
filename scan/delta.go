package scan

import (
	"fmt"

	"github.com/peregrinedb/peregrine/exec/coldata"
)

type deltaState struct{}

func (c *colState) startDelta(h *pageHeader, rest []byte) error {
	return fmt.Errorf("encoding %s not supported", encodingName(h.encoding))
}

func (c *colState) decodeDelta(v *coldata.Vec, off, cnt int) error {
	return fmt.Errorf("encoding %s not supported", encodingName(c.enc))
}
