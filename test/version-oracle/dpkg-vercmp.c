// Oracle: dpkg's own version code (libdpkg, the library dpkg --compare-versions runs), compiled
// at test time so thousands of pairs cost one process. Reads "a<TAB>b" lines, prints -1, 0, 1,
// or invalid when libdpkg reports a parse error or warning (bosun rejects both).
#define LIBDPKG_VOLATILE_API 1
#include <stdio.h>
#include <string.h>
#include <dpkg/dpkg.h>
#include <dpkg/dpkg-db.h>
#include <dpkg/version.h>

static int parse(struct dpkg_version *v, const char *s) {
  struct dpkg_error err = DPKG_ERROR_INIT;
  int rc = parseversion(v, s, &err);
  dpkg_error_destroy(&err);
  return rc;
}

int main(void) {
  static char line[65536];
  while (fgets(line, sizeof(line), stdin)) {
    line[strcspn(line, "\n")] = '\0';
    char *tab = strchr(line, '\t');
    if (!tab) return 2;
    *tab = '\0';
    struct dpkg_version a, b;
    if (parse(&a, line) < 0 || parse(&b, tab + 1) < 0) {
      puts("invalid");
      continue;
    }
    int r = dpkg_version_compare(&a, &b);
    printf("%d\n", r < 0 ? -1 : r > 0 ? 1 : 0);
  }
  return 0;
}
