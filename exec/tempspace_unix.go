//go:build unix

package exec

import "syscall"

// diskFree is the space available to us on dir's file system, or -1.
func diskFree(dir string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize)
}
