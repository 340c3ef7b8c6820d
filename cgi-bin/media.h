/* The media worker: fetches the images of inbound messages from the
 * carrier (message_media rows, created 'pending' with the message) and
 * keeps their bytes, type, size and SHA-256 in MariaDB. It runs in its own
 * thread (media_worker.h), apart from the texts; like the dispatcher it claims due rows with
 * SELECT ... FOR UPDATE SKIP LOCKED under a claim token and a lease, and
 * downloads outside any transaction, so several processes share the work. */
#ifndef SMSDESK_MEDIA_H
#define SMSDESK_MEDIA_H
#include <stddef.h>

struct arena;
struct config;
struct db;

struct media_fetcher;

/* How long a download that failed for now waits before the attempt after
 * `attempts`, in milliseconds: its owner decides (the dispatcher passes
 * dispatcher_backoff_ms, so that texts and images wait alike). */
typedef long long (*media_backoff_fn)(const struct config *cfg, long long attempts,
				      long retry_after_s);

/* should_stop lets a long download be cut short at shutdown. NULL (and
 * logged) when libcurl or carrier.base_url cannot be set up; a round of
 * a NULL fetcher does nothing. */
struct media_fetcher *media_fetcher_open(const struct config *cfg, int (*should_stop)(void),
					 media_backoff_fn backoff);
void media_fetcher_close(struct media_fetcher *f);
/* Fetches due message_media rows; how many it handled, 0 when none was due, -1 on MariaDB trouble. */
int media_fetch_round(struct media_fetcher *f, struct db *db, struct arena *a);

/* The rules, exposed for the tests. */

/* The media type of a Content-Type header value: parameters stripped,
 * blanks trimmed, lower-cased, into out (out_len bytes). 0 when it is an
 * image smsdesk keeps: a raster type a browser shows without running
 * anything (PNG, JPEG, GIF, WebP; HEIC and HEIF, served as downloads);
 * -1 otherwise, SVG, XML and HTML under any name included (out still
 * holds what was read, for the error). */
int media_image_type(const char *content_type, char *out, size_t out_len);
/* True when an image of that type (media_image_type's) is shown in the
 * page; false for HEIC and HEIF, which browsers download. */
int media_shown_inline(const char *type);
/* 1 when both URLs have the same scheme, host and port (the carrier's
 * credentials may go there), 0 when not or when either is not a URL. */
int media_same_origin(const char *url, const char *base_url);
/* 1 when a connection to that address may be opened: a public unicast
 * address, IPv4 or IPv6 (IPv4 rules for v4-mapped, NAT64 and 6to4 IPv6);
 * loopback only when allow_loopback (media.allow_loopback, the tests);
 * never private, link-local (cloud metadata), CGNAT, multicast,
 * documentation or reserved ones. 0 otherwise, other families included. */
struct sockaddr;
int media_address_allowed(const struct sockaddr *sa, int allow_loopback);
/* A file name extension for a stored image type ("png", "jpg", ...; "img"
 * for types it does not know). */
const char *media_extension(const char *type);

/* The stored images, for GET /media/ID. */

/* A fetched inbound image of the organization: its message's lead (0:
 * unmatched) and agent (0: none), and whether that agent has MMS. */
struct media_image {
	long long id, size, lead_id, user_id;
	int agent_mms_enabled;
	const char *type;
};
/* 1 (into *out), 0 when the organization has no such fetched image (or
 * it has no type), -1 when the database failed. */
int media_image_find(struct db *db, struct arena *a, long long id, long long org_id,
		     struct media_image *out);
/* The image's bytes (in the arena): 1, 0 when it is not there, -1. */
int media_image_bytes(struct db *db, struct arena *a, long long id, const char **bytes,
		      size_t *len);
#endif
