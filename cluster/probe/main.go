// probe: checks from inside a pod that cluster DNS and Services work.
//
//	probe [wait <duration>] [dns <name>...] [tcp <host:port>...]
//
// "wait" sleeps first (e.g. until a NetworkPolicy is in force), "dns" resolves each following name (Go resolver, the pod's /etc/resolv.conf), "tcp"
// opens a TCP connection to each following address; the two may be mixed. Each check is
// retried for up to 5 s. Exits 0 when every check passed, 1 otherwise, 2 on bad usage;
// one line per check on stdout.
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"time"
)

var version = "dev"

func check(mode, target string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if mode == "dns" {
		addrs, err := net.DefaultResolver.LookupHost(ctx, target)
		return fmt.Sprint(addrs), err
	}
	c, err := (&net.Dialer{}).DialContext(ctx, "tcp", target)
	if err != nil {
		return "", err
	}
	defer c.Close()
	return c.RemoteAddr().String(), nil
}

func main() {
	if len(os.Args) < 2 || os.Args[1] == "--help" || os.Args[1] == "-h" {
		fmt.Fprintf(os.Stderr, "probe %s\nusage: probe [wait <duration>] [dns <name>...] [tcp <host:port>...]\n", version)
		os.Exit(2)
	}
	args, mode, failed := os.Args[1:], "", false
	if len(args) >= 2 && args[0] == "wait" {
		d, err := time.ParseDuration(args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "probe: bad duration", args[1])
			os.Exit(2)
		}
		time.Sleep(d)
		args = args[2:]
	}
	for _, arg := range args {
		if arg == "dns" || arg == "tcp" {
			mode = arg
			continue
		}
		if mode == "" {
			fmt.Fprintln(os.Stderr, "probe: say dns or tcp before", arg)
			os.Exit(2)
		}
		var detail string
		var err error
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(250 * time.Millisecond) {
			if detail, err = check(mode, arg); err == nil || time.Now().After(deadline) {
				break
			}
		}
		if err != nil {
			failed = true
			fmt.Printf("%s %s: FAILED %v\n", mode, arg, err)
		} else {
			fmt.Printf("%s %s: ok %s\n", mode, arg, detail)
		}
	}
	if failed {
		os.Exit(1)
	}
}
