// Package tempdir gives the process its own folders for temporary files
// (spill files, COPY's staging records) and removes the folders that
// processes which are gone left behind.
//
// A folder is <root>/peregrine-<pid>-<random>/ holding a file "lock" that
// the owning process keeps locked (flock) for as long as the folder exists.
// Sweep removes a sibling only when it can take that lock itself, so two
// live processes never touch each other's folders, whatever their pids
// (pids are reused and differ across PID namespaces); the pid in the name
// is for people, and for folders without a lock file (another process in
// the middle of creating one, or a layout from before locks), which are
// removed only when that pid is no longer running.
//
// Folders are reference counted: Use takes a reference, Release drops it,
// and the last Release removes the folder, so a process that ends normally
// leaves nothing behind without any exit hook. Before a dead process's
// folder is removed, recovery functions registered by other packages
// (RegisterRecovery) see the records it holds: storage rolls an interrupted
// COPY's commit forward or deletes its staged files this way.
//
// Files:
//   - tempdir.go: Use/Release, the per-root folder, Sweep, recovery hooks.
//   - lock_unix.go, lock_other.go: the advisory lock and the pid check.
//   - tempdir_test.go: two processes (re-executing the test binary) and sweeps.
package tempdir
