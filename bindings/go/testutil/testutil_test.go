package testutil_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"drillmaster"
	"drillmaster/testutil"
)

const image = "drillmaster-test/busybox:latest"

// loop runs until SIGTERM, which ends it at once.
var loop = []string{"sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1; done"}

// leftovers are the containers and networks of the group, running or not.
func leftovers(t *testing.T, group string) []string {
	t.Helper()
	var ids []string
	for _, args := range [][]string{
		{"ps", "-aq", "--filter", "label=io.drillmaster.group=" + group},
		{"network", "ls", "-q", "--filter", "label=io.drillmaster.group=" + group},
	} {
		out, err := exec.Command("docker", args...).Output()
		if err != nil {
			t.Fatalf("docker %s: %v", strings.Join(args, " "), err)
		}
		ids = append(ids, strings.Fields(string(out))...)
	}
	return ids
}

// web serves a page on port 8080; its PostStartInit stores a token.
func web() *drillmaster.Service {
	return &drillmaster.Service{
		Name:  "web",
		Image: image,
		Cmd: []string{"sh", "-c", "mkdir -p /www && echo hello from testutil > /www/index.html" +
			" && exec httpd -f -p 8080 -h /www"},
		Ports: []string{"8080"},
		Ping: func(ctx context.Context, s *drillmaster.Service) (bool, error) {
			addr, err := s.Address(ctx, "8080")
			if err != nil {
				return false, err
			}
			_, err = get(ctx, addr)
			return err == nil, nil
		},
		PostStartInit: func(ctx context.Context, s *drillmaster.Service) error {
			s.Values().Set("token", "token-of-"+s.ContainerID())
			return nil
		},
	}
}

func get(ctx context.Context, addr string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/", nil)
	if err != nil {
		return "", err
	}
	client := http.Client{Timeout: 2 * time.Second}
	answer, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer answer.Body.Close()
	body, err := io.ReadAll(answer.Body)
	return string(body), err
}

// Start gives a started group, its addresses and values, and removes it
// when the test that started it ends.
func TestStart(t *testing.T) {
	t.Parallel()
	var group string
	t.Run("started", func(t *testing.T) {
		env := testutil.Start(t, "gotest-testutil", web())
		group = env.Group.Name()
		if !strings.HasPrefix(group, "gotest-testutil-") {
			t.Errorf("the group's name %q is not made from its base", group)
		}
		if r := env.Result.Service("web"); r == nil || r.Outcome != "started" {
			t.Fatalf("web: %+v", r)
		}
		addr := env.Address(t, "web", "8080")
		body, err := get(context.Background(), addr)
		if err != nil || !strings.Contains(body, "hello from testutil") {
			t.Errorf("GET http://%s/: %q %v", addr, body, err)
		}
		host, port := env.HostPort(t, "web", "8080")
		if fmt.Sprintf("%s:%d", host, port) != addr && fmt.Sprintf("[%s]:%d", host, port) != addr {
			t.Errorf("HostPort %s %d and Address %s differ", host, port, addr)
		}
		if token := env.Value(t, "token"); token != "token-of-"+env.Result.Service("web").ContainerID {
			t.Errorf("Value(token) = %q", token)
		}
		if left := leftovers(t, group); len(left) == 0 {
			t.Errorf("the started group has no container")
		}
	})
	if group == "" {
		t.Fatal("the subtest did not start its group")
	}
	if left := leftovers(t, group); len(left) != 0 {
		t.Errorf("the group %s is still there after its test ended: %v", group, left)
	}
}

// Setup of services that fail returns the error, naming the service, and
// the function that removes what was made.
func TestSetupFailure(t *testing.T) {
	t.Parallel()
	bad := &drillmaster.Service{Name: "bad", Image: image, Cmd: loop,
		Ping: func(ctx context.Context, s *drillmaster.Service) (bool, error) {
			return false, errors.New("never ready: code 99")
		}}
	good := &drillmaster.Service{Name: "good", Image: image, Cmd: loop}
	env, stop, err := testutil.Setup(context.Background(), "gotest-setup", drillmaster.StartOptions{}, bad, good)
	if stop == nil || env == nil {
		t.Fatalf("Setup: env %v, stop %v, err %v: want both to remove what was made", env, stop != nil, err)
	}
	group := env.Group.Name()
	if !errors.Is(err, drillmaster.ErrFailed) || !strings.Contains(err.Error(), "bad") ||
		!strings.Contains(err.Error(), "code 99") {
		t.Errorf("Setup: %v, want ErrFailed naming bad and why", err)
	}
	if err := stop(); err != nil {
		t.Errorf("stop: %v", err)
	}
	if left := leftovers(t, group); len(left) != 0 {
		t.Errorf("the group %s is still there after stop: %v", group, left)
	}

	// Services that do not validate: nothing to remove.
	env, stop, err = testutil.Setup(context.Background(), "gotest-setup",
		drillmaster.StartOptions{}, &drillmaster.Service{Name: "x", Image: image, Restart: "sometimes"})
	if !errors.Is(err, drillmaster.ErrInvalid) || stop != nil || env != nil {
		t.Errorf("Setup of an invalid service: %v %v %v, want ErrInvalid and nothing to remove", env, stop != nil, err)
	}
}

var validName = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9_.-]*$`)

func TestName(t *testing.T) {
	seen := map[string]bool{}
	for _, base := range []string{"app", "a b/c", "--lead", "", strings.Repeat("long", 30), "ÜmlautÄ"} {
		for i := 0; i < 3; i++ {
			name := testutil.Name(base)
			if len(name) > 63 || !validName.MatchString(name) {
				t.Errorf("Name(%q) = %q: not a valid group name", base, name)
			}
			if seen[name] {
				t.Errorf("Name(%q) gave %q twice", base, name)
			}
			seen[name] = true
			g, err := drillmaster.NewGroup(name)
			if err != nil {
				t.Errorf("NewGroup(Name(%q)) = %v", base, err)
			}
			g.Close()
		}
	}
	if name := testutil.Name("app"); !strings.HasPrefix(name, "app-") {
		t.Errorf("Name(app) = %q, want it to start with app-", name)
	}
}
