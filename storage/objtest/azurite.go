package objtest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/bloberror"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
)

// Azurite's well-known development account (public, documented by
// Microsoft for the emulator).
const (
	AzuriteAccount = "devstoreaccount1"
	AzuriteKey     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)

// Azurite is a running Azurite blob service.
type Azurite struct {
	URL string // http://127.0.0.1:PORT/devstoreaccount1
}

// ConnString is the connection string of an Azurite blob endpoint.
func ConnString(endpoint string) string {
	return fmt.Sprintf("DefaultEndpointsProtocol=http;AccountName=%s;AccountKey=%s;BlobEndpoint=%s;", AzuriteAccount, AzuriteKey, endpoint)
}

// azuriteBinary finds azurite-blob: on PATH, or in a node_modules folder
// of the repository or the test's working directory (.ci/run installs it).
func azuriteBinary() string {
	if p, err := exec.LookPath("azurite-blob"); err == nil {
		return p
	}
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		for _, c := range []string{filepath.Join(d, "node_modules", ".bin", "azurite-blob"), filepath.Join(d, ".ci", "node_modules", ".bin", "azurite-blob")} {
			if _, err := os.Stat(c); err == nil {
				return c
			}
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// StartAzurite starts Azurite's blob service on a free port of 127.0.0.1
// with its data in a temporary folder, or skips the test when Azurite is
// not installed (npm install azurite).
func StartAzurite(t testing.TB) *Azurite {
	bin := azuriteBinary()
	if bin == "" {
		t.Skip("Azurite is not installed (npm install azurite); skipping the Azure tests")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, "--blobHost", "127.0.0.1", "--blobPort", fmt.Sprint(port),
		"--silent", "--skipApiVersionCheck", "--loose", "--inMemoryPersistence")
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		cancel()
		t.Skipf("cannot start Azurite: %v", err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		select {
		case <-done:
			t.Skip("Azurite exited at start")
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("Azurite did not listen on %s within 30s", addr)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return &Azurite{URL: "http://" + addr + "/" + AzuriteAccount}
}

// AzureEnv points the Azure chain at endpoint (Azurite or a proxy in
// front of it) through AZURE_STORAGE_CONNECTION_STRING.
func AzureEnv(t testing.TB, endpoint string) {
	t.Setenv("AZURE_STORAGE_CONNECTION_STRING", ConnString(endpoint))
	t.Setenv("AZURE_STORAGE_ACCOUNT", "")
	t.Setenv("AZURE_STORAGE_KEY", "")
	t.Setenv("AZURE_STORAGE_SAS_TOKEN", "")
}

// AzureUploadDir creates container on the Azurite at endpoint and copies
// a local folder's files under prefix.
func AzureUploadDir(t testing.TB, endpoint, containerName, dir, prefix string) {
	cc, err := container.NewClientFromConnectionString(ConnString(endpoint), containerName, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := cc.Create(ctx, nil); err != nil && !bloberror.HasCode(err, bloberror.ContainerAlreadyExists) {
		t.Fatal(err)
	}
	UploadDir(t, dir, prefix, func(key string, data []byte) {
		if _, err := cc.NewBlockBlobClient(key).UploadBuffer(ctx, data, nil); err != nil {
			t.Fatal(err)
		}
	})
}
