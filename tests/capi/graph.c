/*
 * dm_group_graph() from C: the text it returns (freed with dm_free), NULL
 * handling, validation before rendering, an unknown format, and colours from
 * a status report of the real engine (a group never started: every service
 * is "missing"; tests/python/test_graph.py colours running services).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <drillmaster/drillmaster.h>

/* db <- app, with an image a label must quote. */
static dm_group* pair(const char* name) {
  dm_group* group = NULL;
  dm_service *db = NULL, *app = NULL;
  assert_int_equal(dm_group_new(&group, name), DM_OK);
  assert_int_equal(dm_group_add_service(&db, group, "db", "registry.local:5000/pg@sha256:ab"),
                   DM_OK);
  assert_int_equal(dm_group_add_service(&app, group, "app", "busybox"), DM_OK);
  assert_int_equal(dm_service_add_dependency(app, "db"), DM_OK);
  return group;
}

static void null_options_give_mermaid_freed_with_dm_free(void** state) {
  (void)state;
  dm_group* group = pair("graph");
  char* text = NULL;
  assert_int_equal(dm_group_graph(&text, group, NULL), DM_OK);
  assert_string_equal(text,
                      "flowchart TD\n"
                      "    svc_db[\"db<br/>registry.local:5000/pg@sha256:ab\"]\n"
                      "    svc_app[\"app<br/>busybox\"]\n"
                      "    svc_app --> svc_db\n");
  dm_free(text);
  dm_group_free(group);
}

static void dot_when_asked(void** state) {
  (void)state;
  dm_group* group = pair("graph");
  dm_graph_options opts;
  assert_int_equal(dm_graph_options_init(&opts, DM_GRAPH_OPTIONS_VERSION), DM_OK);
  opts.format = DM_GRAPH_DOT;
  char* text = NULL;
  assert_int_equal(dm_group_graph(&text, group, &opts), DM_OK);
  assert_string_equal(text,
                      "digraph \"graph\" {\n"
                      "    node [shape=box];\n"
                      "    \"db\" [label=\"db\\nregistry.local:5000/pg@sha256:ab\"];\n"
                      "    \"app\" [label=\"app\\nbusybox\"];\n"
                      "    \"app\" -> \"db\";\n"
                      "}\n");
  dm_free(text);
  dm_group_free(group);
}

static void null_arguments_and_an_unknown_format_are_refused(void** state) {
  (void)state;
  dm_group* group = pair("graph");
  char* text = (char*)1;
  assert_int_equal(dm_group_graph(NULL, group, NULL), DM_EINVALID);
  assert_string_equal(dm_error_last(), "dm_group_graph: out is NULL");
  assert_int_equal(dm_group_graph(&text, NULL, NULL), DM_EINVALID);
  assert_string_equal(dm_error_last(), "dm_group_graph: group is NULL");
  assert_null(text);
  dm_graph_options opts = DM_GRAPH_OPTIONS_INIT;
  opts.format = 7;
  text = (char*)1;
  assert_int_equal(dm_group_graph(&text, group, &opts), DM_EINVALID);
  assert_string_equal(dm_error_last(),
                      "dm_group_graph: format 7 is not a dm_graph_format: use "
                      "DM_GRAPH_MERMAID (0) or DM_GRAPH_DOT (1)");
  assert_null(text);
  dm_group_free(group);
}

/* The graph of a group that would not start is not drawn: the same message
 * as dm_group_validate(). */
static void an_invalid_group_is_refused_as_validate_refuses_it(void** state) {
  (void)state;
  dm_group* group = pair("graph");
  dm_service* web = NULL;
  assert_int_equal(dm_group_add_service(&web, group, "web", "busybox"), DM_OK);
  assert_int_equal(dm_service_add_dependency(web, "dbb"), DM_OK);
  assert_int_equal(dm_group_validate(group, NULL, 0), DM_EINVALID);
  char* expected = strdup(dm_error_last());
  char* text = (char*)1;
  assert_int_equal(dm_group_graph(&text, group, NULL), DM_EINVALID);
  assert_null(text);
  assert_string_equal(dm_error_last(), expected);
  assert_non_null(strstr(expected, "'dbb'"));
  free(expected);
  dm_group_free(group);
}

/* A report from the engine colours the nodes; a group never started has no
 * container, so each service is "missing". */
static void a_status_report_colours_the_nodes(void** state) {
  (void)state;
  char name[64];
  srand((unsigned)time(NULL) ^ (unsigned)getpid());
  snprintf(name, sizeof name, "dmt-graph-%d-%04x", (int)getpid(), rand() & 0xffff);
  dm_group* group = pair(name);
  dm_client* client = NULL;
  assert_int_equal(dm_client_open(&client, NULL), DM_OK);
  dm_report* report = NULL;
  assert_int_equal(dm_group_status(&report, group, client), DM_OK);
  dm_graph_options opts = DM_GRAPH_OPTIONS_INIT;
  opts.status = report;
  char* text = NULL;
  assert_int_equal(dm_group_graph(&text, group, &opts), DM_OK);
  assert_non_null(strstr(text, "    class svc_db missing\n    class svc_app missing\n"));
  assert_non_null(strstr(text, "    classDef missing fill:"));
  dm_free(text);
  opts.format = DM_GRAPH_DOT;
  assert_int_equal(dm_group_graph(&text, group, &opts), DM_OK);
  assert_non_null(strstr(text, "class=\"missing\", style=filled, fillcolor="));
  dm_free(text);
  dm_report_free(report);
  dm_client_free(client);
  dm_group_free(group);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(null_options_give_mermaid_freed_with_dm_free),
      cmocka_unit_test(dot_when_asked),
      cmocka_unit_test(null_arguments_and_an_unknown_format_are_refused),
      cmocka_unit_test(an_invalid_group_is_refused_as_validate_refuses_it),
      cmocka_unit_test(a_status_report_colours_the_nodes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
