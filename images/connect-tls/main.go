// connect-tls terminates TLS in front of a Spark Connect server in the same pod.
//
// Spark 4.1's Connect server has no TLS listener, and the pyspark client sends its
// token (gRPC metadata "Authorization: Bearer <token>") only over TLS. This program
// listens on the Connect port on every interface with TLS 1.2 or later, offers ALPN
// "h2" (the python gRPC client refuses a TLS server that does not negotiate it), and
// copies the decrypted bytes to the server, which listens on loopback only: nothing in
// plain text is reachable from outside the pod. It never reads or logs the payload; it
// logs one line per connection that fails (handshake or backend dial).
//
// The certificate and key are read from files (a Secret volume) at start; a rotated
// Secret rolls the pod, so they are not reloaded.
package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

var version = "dev"

// Config is what the terminator needs: where to listen, where the server is, and the
// certificate and key files.
type Config struct {
	Listen  string
	Backend string
	Cert    string
	Key     string
}

// envOr returns the environment variable name, or def when it is unset or empty.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// parseConfig reads flags, each defaulting to its environment variable.
func parseConfig(args []string) (Config, error) {
	fs := flag.NewFlagSet("connect-tls", flag.ContinueOnError)
	c := Config{}
	fs.StringVar(&c.Listen, "listen", envOr("CONNECT_TLS_LISTEN", ":15002"), "TLS address to listen on (env CONNECT_TLS_LISTEN)")
	fs.StringVar(&c.Backend, "backend", envOr("CONNECT_TLS_BACKEND", "127.0.0.1:15012"), "plain-text Connect server address (env CONNECT_TLS_BACKEND)")
	fs.StringVar(&c.Cert, "cert", envOr("CONNECT_TLS_CERT", "/etc/connect-tls/tls.crt"), "PEM certificate chain file (env CONNECT_TLS_CERT)")
	fs.StringVar(&c.Key, "key", envOr("CONNECT_TLS_KEY", "/etc/connect-tls/tls.key"), "PEM private key file (env CONNECT_TLS_KEY)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	return c, nil
}

// TLSConfig loads the key pair and returns the server's TLS settings: TLS 1.2 or later,
// ALPN h2 only.
func TLSConfig(certFile, keyFile string) (*tls.Config, error) {
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("loading certificate %s and key %s: %w", certFile, keyFile, err)
	}
	return &tls.Config{
		Certificates: []tls.Certificate{pair},
		MinVersion:   tls.VersionTLS12,
		NextProtos:   []string{"h2"},
	}, nil
}

// Proxy accepts TLS connections and copies each to a fresh connection to Backend.
type Proxy struct {
	Backend     string
	DialTimeout time.Duration
	Logf        func(format string, args ...any)
	wg          sync.WaitGroup
}

// Serve accepts until the listener closes, then waits for open connections to end.
func (p *Proxy) Serve(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				p.wg.Wait()
				return nil
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				time.Sleep(50 * time.Millisecond)
				continue
			}
			return err
		}
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.handle(conn)
		}()
	}
}

func (p *Proxy) handle(conn net.Conn) {
	defer conn.Close()
	remote := conn.RemoteAddr().String()
	if tc, ok := conn.(*tls.Conn); ok {
		// A TCP probe connects and closes without a handshake: not worth a log line.
		_ = tc.SetDeadline(time.Now().Add(10 * time.Second))
		if err := tc.Handshake(); err != nil {
			if !errors.Is(err, io.EOF) {
				p.Logf("connection from %s: TLS handshake failed: %v", remote, err)
			}
			return
		}
		_ = tc.SetDeadline(time.Time{})
	}
	backend, err := net.DialTimeout("tcp", p.Backend, p.DialTimeout)
	if err != nil {
		p.Logf("connection from %s: backend %s unreachable: %v", remote, p.Backend, err)
		return
	}
	defer backend.Close()
	// Client to server: on the client's end of stream, half-close toward the server and
	// keep reading its answer. Server to client: once the server is done the connection
	// is (nothing more can reach a closed server), so both sides close.
	toServer := make(chan struct{})
	go func() {
		defer close(toServer)
		_, _ = io.Copy(backend, conn)
		if c, ok := backend.(*net.TCPConn); ok {
			_ = c.CloseWrite()
		}
	}()
	_, _ = io.Copy(conn, backend)
	if c, ok := conn.(*tls.Conn); ok {
		_ = c.CloseWrite()
	}
	_ = conn.Close()
	_ = backend.Close()
	<-toServer
}

func run(args []string) error {
	c, err := parseConfig(args)
	if err != nil {
		return err
	}
	tlsConfig, err := TLSConfig(c.Cert, c.Key)
	if err != nil {
		return err
	}
	ln, err := tls.Listen("tcp", c.Listen, tlsConfig)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", c.Listen, err)
	}
	logger := log.New(os.Stderr, "", log.LstdFlags|log.LUTC)
	logger.Printf("connect-tls %s: TLS on %s, to %s", version, c.Listen, c.Backend)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		<-ctx.Done()
		_ = ln.Close()
	}()
	p := &Proxy{Backend: c.Backend, DialTimeout: 5 * time.Second, Logf: logger.Printf}
	return p.Serve(ln)
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "connect-tls: %v\n", err)
		os.Exit(1)
	}
}
