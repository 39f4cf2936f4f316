module github.com/peregrinedb/peregrine

go 1.25.0

require (
	github.com/apache/arrow-go/v18 v18.8.0 // indirect
	github.com/golang/snappy v1.0.0 // indirect
	github.com/klauspost/compress v1.20.3 // indirect
	github.com/pingcap/go-tpc v1.0.12 // indirect
	github.com/xwb1989/sqlparser v0.0.0-20180606152119-120387863bf2 // indirect
)
