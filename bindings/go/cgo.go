package drillmaster

// The package links the installed libdrillmaster through pkg-config and
// nothing of the source tree: what a Go program meets is the C ABI of
// include/drillmaster/drillmaster.h, exactly as any other language does.

/*
#cgo pkg-config: drillmaster
#include <stdlib.h>
#include <drillmaster/drillmaster.h>
#include "callbacks.h"
*/
import "C"

import "unsafe"

// cString copies s into C memory; the caller frees it with C.free.
func cString(s string) *C.char { return C.CString(s) }

// cStrings is a C array of C copies of list, and the function that frees
// them all. An empty list gives a NULL array.
func cStrings(list []string) (**C.char, C.size_t, func()) {
	if len(list) == 0 {
		return nil, 0, func() {}
	}
	size := C.size_t(len(list)) * C.size_t(unsafe.Sizeof((*C.char)(nil)))
	array := (**C.char)(C.malloc(size))
	items := unsafe.Slice(array, len(list))
	for i, s := range list {
		items[i] = C.CString(s)
	}
	return array, C.size_t(len(list)), func() {
		for _, p := range items {
			C.free(unsafe.Pointer(p))
		}
		C.free(unsafe.Pointer(array))
	}
}

// goString is "" for NULL.
func goString(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}

// Version is the version of the libdrillmaster actually loaded, e.g. "0.2.0".
func Version() string { return C.GoString(C.dm_version()) }
