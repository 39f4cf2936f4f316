//go:build !linux

package storage

func exchange(a, b string) error { return errNoExchange }
