/*
 * Connects to the Docker engine (DOCKER_HOST, or the local socket) and prints
 * drillmaster's version, the engine's version and the API version in use.
 *
 *   cc version.c $(pkg-config --cflags --libs drillmaster) -o version
 */
#include <stdio.h>

#include <drillmaster/drillmaster.h>

int main(void) {
  dm_client* client = NULL;
  char *engine = NULL, *api = NULL;

  printf("drillmaster %s\n", dm_version());
  if (dm_client_open(&client, NULL) != DM_OK) {
    fprintf(stderr, "error: %s\n", dm_error_last());
    return 1;
  }
  if (dm_client_engine_version(client, &engine, &api) != DM_OK) {
    fprintf(stderr, "error: %s\n", dm_error_last());
    dm_client_free(client);
    return 1;
  }
  printf("engine %s at %s\n", engine, dm_client_host(client));
  printf("API %s (engine speaks up to %s)\n", dm_client_api_version(client), api);
  dm_free(engine);
  dm_free(api);
  dm_client_free(client);
  return 0;
}
