/* SPDX-License-Identifier: MIT */
/* webassets.h: the browser pages (booth, dashboard, traveller) built into
 * the program, for the server to answer GET requests outside /v1.
 *
 * The page sources live in web/ (HTML, CSS, JavaScript modules) beside the
 * chart library the build fetches from npm; at build time
 * scripts/embed-assets.py turns every file into a byte array in one generated
 * C file (static library frontera_web, web/CMakeLists.txt). Nothing is read
 * from disk at run time and the pages load nothing from any other host.
 *
 * Paths: "/" (home: sign in, links), "/booth", "/dashboard", "/traveller"
 * (the pages; "/booth.html" etc. answer too) and "/assets/NAME" (styles,
 * scripts, the chart library, the icon). A query string ("?id=42") or a
 * fragment is ignored: the pages read it themselves.
 *
 * The data is constant and lives as long as the program; the table is
 * read-only, so any thread may call these functions. docs/web.md says more. */
#ifndef FRONTERA_WEBASSETS_H
#define FRONTERA_WEBASSETS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Look up the asset for a request path. Returns 1 and sets *data, *len and
 * *content_type (a full Content-Type value, "text/html; charset=utf-8") when
 * the path names an asset, 0 (outputs untouched) when it does not: the
 * server then answers 404 as for any unknown path. Any out-pointer may be
 * NULL. path must be NUL-terminated; NULL gives 0. */
int fr_web_asset(const char *path, const unsigned char **data, size_t *len,
                 const char **content_type);

/* A strong validator for the asset (the quoted hex of a 64-bit FNV-1a hash
 * of its bytes, "\"9f2c...\""), for an ETag header; NULL when path names no
 * asset. Optional: the pages work without it. */
const char *fr_web_asset_etag(const char *path);

/* Headers the server should send with every page and asset: the pages need
 * nothing beyond their own origin (no inline script, no other host). */
#define FR_WEB_CSP                                                                                 \
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "              \
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
#define FR_WEB_CACHE_CONTROL "no-cache" /* revalidate with the ETag each time */

#ifdef __cplusplus
}
#endif
#endif
