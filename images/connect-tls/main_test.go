package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// writePair writes a self-signed certificate for 127.0.0.1 and its key; returns the paths
// and a pool trusting the certificate.
func writePair(t *testing.T) (string, string, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDer, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "tls.crt"), filepath.Join(dir, "tls.key")
	_ = os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	_ = os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDer}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}

// echoBackend answers each connection by echoing it back in upper case.
func echoBackend(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				b, _ := io.ReadAll(c)
				_, _ = c.Write([]byte(strings.ToUpper(string(b))))
			}()
		}
	}()
	return ln.Addr().String()
}

type lines struct {
	mu  sync.Mutex
	all []string
}

func (l *lines) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all = append(l.all, format)
}

func (l *lines) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.all)
}

func startProxy(t *testing.T, backend string) (string, *x509.CertPool, *lines) {
	t.Helper()
	certFile, keyFile, pool := writePair(t)
	config, err := TLSConfig(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := tls.Listen("tcp", "127.0.0.1:0", config)
	if err != nil {
		t.Fatal(err)
	}
	logged := &lines{}
	p := &Proxy{Backend: backend, DialTimeout: time.Second, Logf: logged.logf}
	go func() { _ = p.Serve(ln) }()
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String(), pool, logged
}

func TestProxiesOverTLSWithALPNh2(t *testing.T) {
	addr, pool, logged := startProxy(t, echoBackend(t))
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, NextProtos: []string{"h2"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if got := conn.ConnectionState().NegotiatedProtocol; got != "h2" {
		t.Fatalf("ALPN: got %q, want h2", got)
	}
	if _, err := conn.Write([]byte("payload")); err != nil {
		t.Fatal(err)
	}
	_ = conn.CloseWrite()
	got, err := io.ReadAll(conn)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "PAYLOAD" {
		t.Fatalf("got %q", got)
	}
	if logged.count() != 0 {
		t.Fatalf("logged %v for a good connection", logged.all)
	}
}

func TestRefusesTLS11(t *testing.T) {
	addr, pool, logged := startProxy(t, echoBackend(t))
	_, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS11})
	if err == nil {
		t.Fatal("TLS 1.1 handshake succeeded")
	}
	deadline := time.Now().Add(2 * time.Second)
	for logged.count() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if logged.count() != 1 {
		t.Fatalf("want one log line, got %v", logged.all)
	}
}

func TestLogsUnreachableBackend(t *testing.T) {
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := ln.Addr().String()
	ln.Close()
	addr, pool, logged := startProxy(t, closed)
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, NextProtos: []string{"h2"}})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.ReadAll(conn)
	conn.Close()
	deadline := time.Now().Add(2 * time.Second)
	for logged.count() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if logged.count() != 1 || !strings.Contains(logged.all[0], "unreachable") {
		t.Fatalf("want one backend line, got %v", logged.all)
	}
}

func TestPlainTCPProbeIsNotLogged(t *testing.T) {
	addr, _, logged := startProxy(t, echoBackend(t))
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	time.Sleep(100 * time.Millisecond)
	if logged.count() != 0 {
		t.Fatalf("a TCP probe was logged: %v", logged.all)
	}
}

func TestConfigFromFlagsAndEnv(t *testing.T) {
	t.Setenv("CONNECT_TLS_BACKEND", "127.0.0.1:9")
	c, err := parseConfig([]string{"-listen", ":1"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Listen != ":1" || c.Backend != "127.0.0.1:9" || c.Cert != "/etc/connect-tls/tls.crt" {
		t.Fatalf("config %+v", c)
	}
	if _, err := parseConfig([]string{"extra"}); err == nil {
		t.Fatal("extra argument accepted")
	}
}

func TestServerCloseEndsTheConnection(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		_, _ = c.Write([]byte("bye"))
		c.Close()
	}()
	addr, pool, _ := startProxy(t, ln.Addr().String())
	conn, err := tls.Dial("tcp", addr, &tls.Config{RootCAs: pool, NextProtos: []string{"h2"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The client neither writes nor closes: the server's close alone must end it.
	_ = conn.SetReadDeadline(time.Now().Add(3 * time.Second))
	got, err := io.ReadAll(conn)
	if err != nil {
		t.Fatalf("read: %v (got %q)", err, got)
	}
	if string(got) != "bye" {
		t.Fatalf("got %q", got)
	}
}
