package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/streaming"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
)

// azureConfig says how to reach a storage account: a connection string
// (AZURE_STORAGE_CONNECTION_STRING, a secret's CONNECTION_STRING), or an
// account name with a shared key or SAS token (AZURE_STORAGE_ACCOUNT,
// AZURE_STORAGE_KEY, AZURE_STORAGE_SAS_TOKEN), or an account alone for
// public containers.
type azureConfig struct {
	connString string
	account    string
	key        string
	sas        string
	endpoint   string // blob service URL, default https://ACCOUNT.blob.core.windows.net
}

func (c azureConfig) id() string {
	return strings.Join([]string{fingerprint(c.connString), c.account, fingerprint(c.key), fingerprint(c.sas), c.endpoint}, "|")
}

func azureFromEnv() azureConfig {
	return azureConfig{
		connString: os.Getenv("AZURE_STORAGE_CONNECTION_STRING"),
		account:    os.Getenv("AZURE_STORAGE_ACCOUNT"),
		key:        os.Getenv("AZURE_STORAGE_KEY"),
		sas:        strings.TrimPrefix(os.Getenv("AZURE_STORAGE_SAS_TOKEN"), "?"),
	}
}

func newAzureAPI(c azureConfig, containerName string) (*azureAPI, error) {
	opts := &container.ClientOptions{ClientOptions: azcore.ClientOptions{
		Retry:     policy.RetryOptions{MaxRetries: -1}, // objectFS retries
		Transport: sharedHTTPClient,
	}}
	var cc *container.Client
	var err error
	switch {
	case c.connString != "" && c.account == "":
		cc, err = container.NewClientFromConnectionString(c.connString, containerName, opts)
	case c.connString != "":
		// abfss://container@account…: the URL's account wins over the
		// connection string's, whose key is used only if it matches.
		cc, err = container.NewClientFromConnectionString(c.connString, containerName, opts)
		if err == nil && !strings.Contains(cc.URL(), c.account) {
			cc, err = azureByAccount(c, containerName, opts)
		}
	case c.account != "":
		cc, err = azureByAccount(c, containerName, opts)
	default:
		return nil, fmt.Errorf("IO Error: no Azure storage account: set AZURE_STORAGE_CONNECTION_STRING or AZURE_STORAGE_ACCOUNT, or CREATE SECRET (TYPE azure, CONNECTION_STRING '…'), or use abfss://container@account.dfs.core.windows.net/…")
	}
	if err != nil {
		return nil, fmt.Errorf("IO Error: Azure client: %v", scrub(err))
	}
	return &azureAPI{c: cc, name: containerName}, nil
}

func azureByAccount(c azureConfig, containerName string, opts *container.ClientOptions) (*container.Client, error) {
	ep := c.endpoint
	if ep == "" {
		ep = "https://" + c.account + ".blob.core.windows.net"
	}
	u := strings.TrimRight(ep, "/") + "/" + containerName
	switch {
	case c.key != "":
		cred, err := container.NewSharedKeyCredential(c.account, c.key)
		if err != nil {
			return nil, err
		}
		return container.NewClientWithSharedKeyCredential(u, cred, opts)
	case c.sas != "":
		return container.NewClientWithNoCredential(u+"?"+c.sas, opts)
	}
	return container.NewClientWithNoCredential(u, opts)
}

// azureInfo builds an objInfo from the SDK's optional properties.
func azureInfo(key string, size *int64, mtime *time.Time, etag *azcore.ETag) objInfo {
	oi := objInfo{key: key}
	if size != nil {
		oi.size = *size
	}
	if mtime != nil {
		oi.mtime = *mtime
	}
	if etag != nil {
		oi.etag = string(*etag)
	}
	return oi
}

type azureAPI struct {
	c    *container.Client
	name string
}

func (a *azureAPI) head(ctx context.Context, key string) (objInfo, error) {
	p, err := a.c.NewBlobClient(key).GetProperties(ctx, nil)
	if err != nil {
		return objInfo{}, err
	}
	return azureInfo(key, p.ContentLength, p.LastModified, p.ETag), nil
}

func (a *azureAPI) get(ctx context.Context, key string, off, n int64, etag string) (io.ReadCloser, error) {
	o := &blob.DownloadStreamOptions{Range: blob.HTTPRange{Offset: off, Count: n}}
	if etag != "" {
		e := azcore.ETag(etag)
		o.AccessConditions = &blob.AccessConditions{ModifiedAccessConditions: &blob.ModifiedAccessConditions{IfMatch: &e}}
	}
	resp, err := a.c.NewBlobClient(key).DownloadStream(ctx, o)
	if err != nil {
		if httpStatus(err) == 412 {
			return nil, fmt.Errorf("az://%s/%s %w", a.name, key, errChanged)
		}
		return nil, err
	}
	return resp.Body, nil
}

func (a *azureAPI) list(ctx context.Context, prefix string, delim bool, token string) ([]objInfo, []string, string, error) {
	var marker *string
	if token != "" {
		marker = &token
	}
	var objs []objInfo
	add := func(items []*container.BlobItem) {
		for _, b := range items {
			if b.Name == nil {
				continue
			}
			if p := b.Properties; p != nil {
				objs = append(objs, azureInfo(*b.Name, p.ContentLength, p.LastModified, p.ETag))
			} else {
				objs = append(objs, objInfo{key: *b.Name})
			}
		}
	}
	next := func(m *string) string {
		if m == nil {
			return ""
		}
		return *m
	}
	if !delim {
		pg := a.c.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{Prefix: &prefix, Marker: marker})
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, nil, "", err
		}
		if page.Segment != nil {
			add(page.Segment.BlobItems)
		}
		return objs, nil, next(page.NextMarker), nil
	}
	pg := a.c.NewListBlobsHierarchyPager("/", &container.ListBlobsHierarchyOptions{Prefix: &prefix, Marker: marker})
	page, err := pg.NextPage(ctx)
	if err != nil {
		return nil, nil, "", err
	}
	var subs []string
	if page.Segment != nil {
		add(page.Segment.BlobItems)
		for _, p := range page.Segment.BlobPrefixes {
			if p.Name != nil {
				subs = append(subs, *p.Name)
			}
		}
	}
	return objs, subs, next(page.NextMarker), nil
}

func (a *azureAPI) put(ctx context.Context, key string, data []byte) error {
	_, err := a.c.NewBlockBlobClient(key).Upload(ctx, streaming.NopCloser(bytes.NewReader(data)), nil)
	return err
}

func (a *azureAPI) del(ctx context.Context, key string) error {
	_, err := a.c.NewBlobClient(key).Delete(ctx, nil)
	return err
}

// azureBlocks stages blocks that become the blob only when the block list
// is committed; uncommitted blocks are never visible and the service
// discards them.
type azureBlocks struct {
	bb     *blockblob.Client
	prefix string
	ids    []string
}

func (a *azureAPI) startMultipart(_ context.Context, key string) (multipart, error) {
	var r [8]byte
	rand.Read(r[:])
	return &azureBlocks{bb: a.c.NewBlockBlobClient(key), prefix: hex.EncodeToString(r[:])}, nil
}

func (m *azureBlocks) blockID(n int) string {
	// Every block ID of a blob must have the same length.
	return base64.StdEncoding.EncodeToString(fmt.Appendf(nil, "%s-%08d", m.prefix, n))
}

func (m *azureBlocks) part(ctx context.Context, n int, data []byte) error {
	id := m.blockID(n)
	if _, err := m.bb.StageBlock(ctx, id, streaming.NopCloser(bytes.NewReader(data)), nil); err != nil {
		return err
	}
	for len(m.ids) < n {
		m.ids = append(m.ids, "")
	}
	m.ids[n-1] = id
	return nil
}

func (m *azureBlocks) complete(ctx context.Context) error {
	_, err := m.bb.CommitBlockList(ctx, m.ids, nil)
	return err
}

func (m *azureBlocks) abort(context.Context) error { return nil }
