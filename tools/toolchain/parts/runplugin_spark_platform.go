// Code added by spark-platform's tools/toolchain (see parts/nodejsHost.ts for why).
package main

import (
	"errors"
	"fmt"
	"os/exec"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/encoding/protowire"
)

// runPluginTarget reads info.program_directory (5.2) and kind (6) from unknown fields.
func runPluginTarget(unknown []byte) (programDir string, kind string) {
	fields := func(b []byte, visit func(num protowire.Number, value []byte)) {
		for len(b) > 0 {
			num, typ, n := protowire.ConsumeTag(b)
			if n < 0 {
				return
			}
			b = b[n:]
			if typ == protowire.BytesType {
				value, m := protowire.ConsumeBytes(b)
				if m < 0 {
					return
				}
				visit(num, value)
				b = b[m:]
				continue
			}
			m := protowire.ConsumeFieldValue(num, typ, b)
			if m < 0 {
				return
			}
			b = b[m:]
		}
	}
	fields(unknown, func(num protowire.Number, value []byte) {
		switch num {
		case 5:
			fields(value, func(inner protowire.Number, v []byte) {
				if inner == 2 {
					programDir = string(v)
				}
			})
		case 6:
			kind = string(value)
		}
	})
	return programDir, kind
}

type runPluginStream struct {
	mu     *sync.Mutex
	server pulumirpc.LanguageRuntime_RunPluginServer
	stdout bool
}

func (w runPluginStream) Write(p []byte) (int, error) {
	data := append([]byte(nil), p...)
	resp := &pulumirpc.RunPluginResponse{}
	if w.stdout {
		resp.Output = &pulumirpc.RunPluginResponse_Stdout{Stdout: data}
	} else {
		resp.Output = &pulumirpc.RunPluginResponse_Stderr{Stderr: data}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.server.Send(resp); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (host *nodeLanguageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server pulumirpc.LanguageRuntime_RunPluginServer,
) error {
	programDir, kind := runPluginTarget(req.ProtoReflect().GetUnknown())
	if kind != "" && kind != "analyzer" {
		return fmt.Errorf("RunPlugin: only policy packs (analyzer) are supported here, not %q", kind)
	}
	if programDir == "" {
		programDir = req.GetPwd()
	}
	const entry = "@pulumi/pulumi/cmd/run-policy-pack"
	resolve := exec.Command("node", "-e", "process.stdout.write(require.resolve(process.argv[1]))", entry)
	resolve.Dir = programDir
	resolve.Env = req.GetEnv()
	script, err := resolve.Output()
	if err != nil {
		return fmt.Errorf("RunPlugin: cannot resolve %s from %s (npm ci?): %w", entry, programDir, err)
	}
	args := append([]string{string(script)}, req.GetArgs()...)
	args = append(args, programDir)
	cmd := exec.Command("node", args...)
	cmd.Dir = programDir
	cmd.Env = req.GetEnv()
	mu := &sync.Mutex{}
	cmd.Stdout = runPluginStream{mu: mu, server: server, stdout: true}
	cmd.Stderr = runPluginStream{mu: mu, server: server}
	code := 0
	if err := cmd.Run(); err != nil {
		var exitErr *exec.ExitError
		if !errors.As(err, &exitErr) {
			return err
		}
		code = exitErr.ExitCode()
	}
	return server.Send(&pulumirpc.RunPluginResponse{
		Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)},
	})
}
