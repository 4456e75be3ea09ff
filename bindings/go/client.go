package drillmaster

/*
#include <stdlib.h>
#include <drillmaster/drillmaster.h>
*/
import "C"

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"time"
	"unsafe"
)

// ClientOptions says how to reach the engine. Every field left at its zero
// value falls back to the environment, as the docker command does
// (DOCKER_HOST, DOCKER_CONTEXT, the current docker context, then the usual
// sockets): client.h, "Finding the engine", is the rule.
type ClientOptions struct {
	Host       string        // "unix:///path" or "tcp://host:port"
	Context    string        // a docker context's name; not with Host
	APIVersion string        // e.g. "1.41"; "": negotiated
	Timeout    time.Duration // an ordinary request's limit; 0: the library's (60 s)
	TLS        TLSMode       // for tcp:// addresses
	CertPath   string        // ca.pem, cert.pem, key.pem; "": DOCKER_CERT_PATH, else ~/.docker
}

// TLSMode says whether a tcp:// engine is reached over TLS.
type TLSMode int

const (
	// TLSFromEnvironment: TLS when DOCKER_TLS_VERIFY is set (the default).
	TLSFromEnvironment TLSMode = iota
	// TLSOff: plain TCP, as `docker` without --tlsverify.
	TLSOff
	// TLSVerify: TLS, the engine's certificate checked against ca.pem.
	TLSVerify
)

// Client is a connection to one Docker Engine. It is safe for concurrent
// use by many goroutines and groups. Close it when done.
type Client struct {
	c *C.dm_client
}

// Connect opens a client and asks the engine for its API version, so an
// engine that does not answer is reported here (ErrUnreachable, with every
// place looked at and how to start one).
func Connect(opts ClientOptions) (*Client, error) {
	copts := (*C.dm_client_options)(C.calloc(1, C.sizeof_dm_client_options))
	defer C.free(unsafe.Pointer(copts))
	if err := call(func() C.int { return C.dm_client_options_init(copts, C.DM_CLIENT_OPTIONS_VERSION) }); err != nil {
		return nil, err
	}
	var frees []func()
	defer func() {
		for _, f := range frees {
			f()
		}
	}()
	str := func(s string) *C.char {
		if s == "" {
			return nil
		}
		p := cString(s)
		frees = append(frees, func() { C.free(unsafe.Pointer(p)) })
		return p
	}
	copts.host = str(opts.Host)
	copts.context = str(opts.Context)
	copts.api_version = str(opts.APIVersion)
	copts.cert_path = str(opts.CertPath)
	switch opts.TLS {
	case TLSOff:
		copts.tls_verify = 0
	case TLSVerify:
		copts.tls_verify = 1
	}
	if opts.Timeout > 0 {
		copts.timeout = C.double(opts.Timeout.Seconds())
	}
	client := &Client{}
	if err := call(func() C.int { return C.dm_client_open(&client.c, copts) }); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(client, (*Client).Close)
	return client, nil
}

// Close frees the client. No call on it may be in progress. Closing twice
// is a no-op.
func (c *Client) Close() error {
	if c == nil || c.c == nil {
		return nil
	}
	runtime.SetFinalizer(c, nil)
	C.dm_client_free(c.c)
	c.c = nil
	return nil
}

var errClosed = &Error{Status: StatusInvalid, Message: "drillmaster: the client or group was closed"}

func (c *Client) handle() (*C.dm_client, error) {
	if c == nil || c.c == nil {
		return nil, errClosed
	}
	return c.c, nil
}

// Host is the engine's address, e.g. "unix:///var/run/docker.sock".
func (c *Client) Host() string {
	if c == nil || c.c == nil {
		return ""
	}
	return goString(C.dm_client_host(c.c))
}

// Transport says how the client reaches the engine: "unix socket",
// "tcp, plain (no TLS)", "tcp, TLS with verification"...
func (c *Client) Transport() string {
	if c == nil || c.c == nil {
		return ""
	}
	return goString(C.dm_client_transport(c.c))
}

// FoundBy says how the engine was found ("DOCKER_HOST", "default socket"...).
func (c *Client) FoundBy() string {
	if c == nil || c.c == nil {
		return ""
	}
	return goString(C.dm_client_found_by(c.c))
}

// HostPort is where a program on this machine connects to containerPort
// ("5432", "5432/tcp", "53/udp") of a running container (an id or a name),
// as the engine published it now: ErrNotFound, listing the ports it does
// publish, when it publishes no such port.
func (c *Client) HostPort(ctx context.Context, container, containerPort string) (string, int, error) {
	if err := ctx.Err(); err != nil {
		return "", 0, err
	}
	h, err := c.handle()
	if err != nil {
		return "", 0, err
	}
	ccontainer, cport := cString(container), cString(containerPort)
	defer C.free(unsafe.Pointer(ccontainer))
	defer C.free(unsafe.Pointer(cport))
	var host *C.char
	var port C.int
	if err := call(func() C.int { return C.dm_client_host_port(h, ccontainer, cport, &host, &port) }); err != nil {
		return "", 0, err
	}
	defer C.dm_free(unsafe.Pointer(host))
	return goString(host), int(port), nil
}

// defaultClient is the client of groups made without WithClient: opened
// from the environment on first use, kept for the life of the process.
var defaultClient struct {
	sync.Mutex
	client *Client
	err    error
	done   bool
}

func environmentClient() (*Client, error) {
	defaultClient.Lock()
	defer defaultClient.Unlock()
	if !defaultClient.done || errors.Is(defaultClient.err, ErrUnreachable) {
		defaultClient.client, defaultClient.err = Connect(ClientOptions{})
		defaultClient.done = true
	}
	return defaultClient.client, defaultClient.err
}
