// What Swift cannot call in GNU libmicrohttpd (Debian's libmicrohttpd-dev): its start and
// connection-info functions take C variadic arguments, so these fixed-signature wrappers do.
#ifndef WOK_WEB_H
#define WOK_WEB_H

#include <microhttpd.h>
#include <stddef.h>
#include <stdint.h>

/// The server's bounds and optional TLS, handed to wok_web_start in one piece.
struct wok_web_settings {
    const char *address;          // numeric IPv4 or IPv6 address to bind
    uint16_t port;
    unsigned int connection_limit;
    unsigned int per_address_limit;
    unsigned int idle_timeout_seconds;
    size_t connection_memory_bytes;
    const char *tls_key_pem;      // NULL: plain HTTP
    const char *tls_cert_pem;
};

/// Starts a daemon with a thread per connection; NULL when the address does not parse or
/// libmicrohttpd refuses (port taken, TLS unavailable). `completed` runs when a request ends.
struct MHD_Daemon *wok_web_start(const struct wok_web_settings *settings, MHD_AccessHandlerCallback handler, void *handler_context,
                                 MHD_RequestCompletedCallback completed, void *completed_context);

/// The peer's numeric address into `out`; 0 on success, -1 when it is not known.
int wok_web_peer_address(struct MHD_Connection *connection, char *out, size_t out_size);

/// The port the daemon listens on (useful after binding port 0); 0 when unknown.
uint16_t wok_web_bound_port(struct MHD_Daemon *daemon);

/// libmicrohttpd's constants that are macros Swift does not import.
uint64_t wok_web_size_unknown(void);
ssize_t wok_web_end_of_stream(void);
ssize_t wok_web_end_with_error(void);

/// A response holding its own copy of `bytes`.
struct MHD_Response *wok_web_copied_response(const void *bytes, size_t count);

#endif
