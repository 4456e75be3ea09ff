// Package drillmaster runs a graph of Docker services in the right order,
// with hooks that run in this program: a ping that says when a service is
// ready, an init that fills it with a schema or fixtures, all in Go.
//
// It is the Go face of libdrillmaster, the C library the Python package and
// the command line use too, linked through cgo with `pkg-config
// drillmaster`: install the library first (README.md, "Build and install
// by hand").
//
//	db := &drillmaster.Service{
//		Name:  "db",
//		Image: "postgres:16",
//		Env:   map[string]string{"POSTGRES_PASSWORD": "dbpwd"},
//		Ports: []string{"5432"}, // a free host port
//		Ping: func(ctx context.Context, s *drillmaster.Service) (bool, error) {
//			addr, err := s.Address(ctx, "5432")
//			if err != nil {
//				return false, err
//			}
//			conn, err := net.Dial("tcp", addr)
//			if err != nil {
//				return false, nil // not yet: asked again in 0.1 s
//			}
//			conn.Close()
//			return true, nil
//		},
//	}
//	g, err := drillmaster.NewGroup("demo")
//	...
//	err = g.Add(db, app)
//	result, err := g.Start(ctx, drillmaster.StartOptions{})
//	if errors.Is(err, drillmaster.ErrFailed) {
//		for _, f := range result.Failures() { ... f.Service, f.Reason ... }
//	}
//
// Hooks run on goroutines of their own, several services' at once, and get
// the operation's context. A hook's error or panic fails its service (and
// skips its dependants) with the error's text or the panic's value; the
// program goes on. Cancelling an operation's context cancels the operation
// (dm_group_cancel): nothing new starts, and what this start made that did
// not come up is removed.
//
// Errors are *Error values with the library's message, which names the
// service, the field and the value; errors.Is matches them against
// ErrInvalid, ErrUnreachable, ErrFailed and the other sentinels, and an
// operation stopped by its context against the context's error.
//
// The package drillmaster/testutil starts a group for a test and removes it
// afterwards.
package drillmaster
