"""Placeholders in env values follow str.format's rules, as the predecessor's
did: format specs, conversions, lookups and {{ }} escapes; a positional or
ambiguous placeholder is a definition error; JSON without placeholders is
kept as written. Each error names the placeholder."""

from __future__ import annotations

import pytest

import drillmaster
from drillmaster import ContextDict, ServiceDefinitionError
from drillmaster._placeholders import PlaceholderError

pytestmark = pytest.mark.usefixtures("registry")


def test_format_specs_as_the_predecessor_tested_them():
    ctx = ContextDict(host="zombo.com", port=8080)
    assert ctx.interpolate("http://{host}:{port:d}") == "http://zombo.com:8080"
    assert ctx.interpolate("{port:>6}|{port:06d}|{port:x}") == "  8080|008080|1f90"


def test_double_braces_are_literal_braces():
    ctx = ContextDict(a=1)
    assert ctx.interpolate('{{"a": 1}}') == '{"a": 1}'
    assert ctx.interpolate('{{"a": {a}}}') == '{"a": 1}'
    assert ctx.interpolate("{{a}}") == "{a}"


def test_conversions_lookups_and_nested_specs():
    ctx = ContextDict(name="db", db={"host": "h", "ports": [5432]}, width=5, ratio=0.25)
    assert ctx.interpolate("{name!r}") == "'db'"
    assert ctx.interpolate("{db[host]}:{db[ports][0]}") == "h:5432"
    assert ctx.interpolate("[{name:>{width}}]") == "[   db]"
    assert ctx.interpolate("{ratio:.1%}") == "25.0%"


def test_text_that_is_not_a_format_string_and_has_no_placeholder_is_kept():
    ctx = ContextDict()
    for value in ('{"a": 1}', '{"a": {"b": [1, 2]}}', "a } b", "{ not a name }", "plain"):
        assert ctx.interpolate(value) == value
        assert not ctx.has_placeholders(value)


def test_a_missing_key_is_named_and_is_a_key_error():
    ctx = ContextDict(a=1)
    assert ctx.missing("{a}{b:d}{c.x}{b}{{d}}") == ["b", "c"]
    with pytest.raises(KeyError, match=r"no value for \{b:d\} in drillmaster.Context"):
        ctx.interpolate("{a}{b:d}")


def test_a_value_that_does_not_suit_its_format_spec_is_named():
    ctx = ContextDict(port="eighty")
    with pytest.raises(PlaceholderError) as info:
        ctx.interpolate_env({"URL": "http://h:{port:d}"})
    assert str(info.value) == (
        "env URL: cannot fill {port:d} from drillmaster.Context['port'] = 'eighty': "
        "Unknown format code 'd' for object of type 'str'"
    )


def test_an_attribute_lookup_that_fails_is_named():
    with pytest.raises(PlaceholderError, match=r"cannot fill \{db.host\}"):
        ContextDict(db={"host": "h"}).interpolate("{db.host}")


@pytest.mark.parametrize("value", ["Say {} to {blah}", "{0}", "{}:{port}", "{0.real}"])
def test_a_positional_placeholder_is_a_definition_error(value):
    with pytest.raises(ServiceDefinitionError) as info:
        type("Application", (drillmaster.Service,), {"image": "x", "env": {"GREETING": value}})
    message = str(info.value)
    assert message.startswith(f"Application.env['GREETING'] = {value!r}: ")
    assert "is a positional placeholder" in message and "name a drillmaster.Context key" in message


def test_a_placeholder_in_text_that_is_not_a_format_string_is_a_definition_error():
    with pytest.raises(ServiceDefinitionError) as info:
        type(
            "Application", (drillmaster.Service,), {"image": "x", "env": {"J": '{"url": "{host}"}'}}
        )
    assert "{host} is in a value that is not a format string" in str(info.value)
    assert "{{ and }}" in str(info.value)
