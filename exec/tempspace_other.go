//go:build !unix

package exec

func diskFree(string) int64 { return -1 }
