// C status codes to drillmaster.Error, and Python exceptions caught where they
// cannot be raised (a library worker thread) kept for the caller's thread.

#include "core.h"

namespace dm_python {

[[noreturn]] void raise_status(int status, const std::string& message) {
  py::object errors = py::module_::import("drillmaster._errors");
  py::object exc = errors.attr("_from_status")(status, message);
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exc.ptr())), exc.ptr());
  throw py::error_already_set();
}

std::string take_error(int status) {
  std::string message = dm_error_last();
  dm_error_clear();
  if (message.empty()) message = dm_status_name(status);
  return message;
}

void check(int status) {
  if (status != DM_OK) raise_status(status, take_error(status));
}

void PendingError::keep(py::error_already_set& e) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (value_) return;  // the first one wins
  e.restore();
  PyObject *type, *value, *trace;
  PyErr_Fetch(&type, &value, &trace);
  PyErr_NormalizeException(&type, &value, &trace);
  if (trace) PyException_SetTraceback(value, trace);
  value_ = py::reinterpret_steal<py::object>(value);
  Py_XDECREF(type);
  Py_XDECREF(trace);
}

void PendingError::raise_if_any() {
  if (!value_) return;
  py::object value = std::move(value_);
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(value.ptr())), value.ptr());
  throw py::error_already_set();
}

std::string describe_exception(py::error_already_set& e) {
  e.restore();
  PyObject *type, *value, *trace;
  PyErr_Fetch(&type, &value, &trace);
  PyErr_NormalizeException(&type, &value, &trace);
  py::object t = py::reinterpret_steal<py::object>(type);
  py::object v = py::reinterpret_steal<py::object>(value);
  py::object tb = py::reinterpret_steal<py::object>(trace ? trace : (Py_INCREF(Py_None), Py_None));
  try {
    py::object hook_failed = py::module_::import("drillmaster._errors").attr("HookFailed");
    if (PyObject_IsInstance(v.ptr(), hook_failed.ptr()) == 1) return py::str(v);
    py::list lines = py::module_::import("traceback").attr("format_exception")(t, v, tb);
    std::string text;
    for (auto line : lines) text += line.cast<std::string>();
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return text;
  } catch (py::error_already_set&) {
    return "a Python exception that could not be formatted";
  }
}

}  // namespace dm_python
