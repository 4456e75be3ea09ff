package drillmaster_test

// The Go example of README.md, run as a program: the test fails when the
// README drifts from the package.

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"drillmaster"
	"drillmaster/testutil"
)

func TestREADMEGoExample(t *testing.T) {
	text, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(text), -1)
	if len(blocks) == 0 {
		t.Fatal("README.md has no go example")
	}
	group := testutil.Name("gotest-readme")
	snippet := strings.Replace(blocks[0][1], `NewGroup("demo")`, `NewGroup("`+group+`")`, 1)
	if snippet == blocks[0][1] {
		t.Fatal(`the README's example no longer makes its group with NewGroup("demo")`)
	}
	t.Cleanup(func() {
		g, err := drillmaster.NewGroup(group)
		if err == nil {
			defer g.Close()
			_, _ = g.Stop(context.Background(), drillmaster.StopOptions{Remove: true, GracePeriod: drillmaster.Immediately})
		}
	})
	program := `package main

import (
	"context"
	"errors"
	"log"
	"net"

	"drillmaster"
)

func main() {
	ctx := context.Background()
` + snippet + `
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range result.Services {
		log.Printf("%s %s", s.Service, s.Outcome)
	}
}
`
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(program), 0o644); err != nil {
		t.Fatal(err)
	}
	wd, _ := os.Getwd()
	gomod := "module readme\n\ngo 1.19\n\nrequire drillmaster v0.0.0\n\nreplace drillmaster => " + wd + "\n"
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "run", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's example failed: %v\n%s\nthe program:\n%s", err, out, program)
	}
	if !strings.Contains(string(out), "web started") {
		t.Fatalf("the README's example did not start web:\n%s", out)
	}
}
