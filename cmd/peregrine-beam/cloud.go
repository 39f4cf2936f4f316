//go:build !nocloud

package main

// The cloud half of the binary: Beam's Dataflow runner and its GCS and S3
// file systems (result folders and --out on gs:// and s3://). They are
// most of what the binary compiles; CI builds and tests with -tags
// nocloud, which leaves them out (and runs no job on a cloud anyway).

import (
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/gcs"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/s3"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/dataflow"
)

func init() { runDataflow = dataflow.Execute }
