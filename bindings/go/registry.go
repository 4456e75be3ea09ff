package drillmaster

import "sync"

// The registry maps the ids handed to libdrillmaster as user_data to the Go
// values they stand for (a service's hooks, an operation's event and log
// receivers). C holds only the number, never a Go pointer, so the garbage
// collector may move or free anything, and a callback whose id was released
// (an abandoned hook that returns after its group was closed) finds nothing
// and fails quietly instead of touching freed memory, as a deleted
// runtime/cgo.Handle would make it do.
var registry struct {
	sync.Mutex
	next    uintptr
	entries map[uintptr]any
}

func register(value any) uintptr {
	registry.Lock()
	defer registry.Unlock()
	if registry.entries == nil {
		registry.entries = make(map[uintptr]any)
	}
	registry.next++
	registry.entries[registry.next] = value
	return registry.next
}

func lookup(id uintptr) any {
	registry.Lock()
	defer registry.Unlock()
	return registry.entries[id]
}

func release(id uintptr) {
	registry.Lock()
	defer registry.Unlock()
	delete(registry.entries, id)
}
