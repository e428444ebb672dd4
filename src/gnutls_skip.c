/* gnutls_skip.c - tells GnuTLS not to initialize itself when it is loaded.
 *
 * ccterm does not use GnuTLS; Debian's libpq pulls it in through libldap
 * (LDAP lookups of connection parameters). GnuTLS's library constructor
 * calls gnutls_global_init() in every process that maps it, which builds
 * its ASN.1 trees, probes the CPU and opens the random device: about 0.8 MB
 * of resident memory per console (bench/console_bench prints the mappings).
 * <gnutls/gnutls.h> documents this way out (GNUTLS_SKIP_GLOBAL_INIT: "use
 * the following definition globally in your program to disable implicit
 * initialization"); the definition below is that macro's expansion, written
 * out so that the build needs no GnuTLS headers. Whoever uses GnuTLS later
 * initializes it explicitly: libldap's TLS set-up calls gnutls_global_init()
 * itself. The linker exports the symbol from the executable because
 * libgnutls refers to it, so the dynamic linker binds libgnutls's weak
 * default to this one (`nm -D ccterm` lists it). */
#include "config.h"

int _gnutls_global_init_skip(void);

int _gnutls_global_init_skip(void)
{
	return 1;
}
