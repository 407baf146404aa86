#include "wok_web.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <errno.h>

struct MHD_Daemon *wok_web_start(const struct wok_web_settings *settings, MHD_AccessHandlerCallback handler, void *handler_context,
                                 MHD_RequestCompletedCallback completed, void *completed_context) {
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
    const struct sockaddr *address;
    unsigned int flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
    memset(&v4, 0, sizeof v4);
    memset(&v6, 0, sizeof v6);
    if (inet_pton(AF_INET, settings->address, &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        v4.sin_port = htons(settings->port);
        address = (const struct sockaddr *)&v4;
    } else if (inet_pton(AF_INET6, settings->address, &v6.sin6_addr) == 1) {
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons(settings->port);
        address = (const struct sockaddr *)&v6;
        flags |= MHD_USE_IPv6;
    } else {
        return NULL;
    }
    if (settings->tls_key_pem != NULL && settings->tls_cert_pem != NULL) {
        flags |= MHD_USE_TLS;
        return MHD_start_daemon(flags, settings->port, NULL, NULL, handler, handler_context, MHD_OPTION_SOCK_ADDR, address,
                                MHD_OPTION_CONNECTION_LIMIT, settings->connection_limit, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                                settings->per_address_limit, MHD_OPTION_CONNECTION_TIMEOUT, settings->idle_timeout_seconds,
                                MHD_OPTION_CONNECTION_MEMORY_LIMIT, settings->connection_memory_bytes, MHD_OPTION_NOTIFY_COMPLETED,
                                completed, completed_context, MHD_OPTION_HTTPS_MEM_KEY, settings->tls_key_pem,
                                MHD_OPTION_HTTPS_MEM_CERT, settings->tls_cert_pem, MHD_OPTION_END);
    }
    return MHD_start_daemon(flags, settings->port, NULL, NULL, handler, handler_context, MHD_OPTION_SOCK_ADDR, address,
                            MHD_OPTION_CONNECTION_LIMIT, settings->connection_limit, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
                            settings->per_address_limit, MHD_OPTION_CONNECTION_TIMEOUT, settings->idle_timeout_seconds,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, settings->connection_memory_bytes, MHD_OPTION_NOTIFY_COMPLETED, completed,
                            completed_context, MHD_OPTION_END);
}

int wok_web_peer_address(struct MHD_Connection *connection, char *out, size_t out_size) {
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (info == NULL || info->client_addr == NULL || out_size == 0) return -1;
    const struct sockaddr *peer = info->client_addr;
    const void *bytes = NULL;
    if (peer->sa_family == AF_INET) bytes = &((const struct sockaddr_in *)peer)->sin_addr;
    else if (peer->sa_family == AF_INET6) bytes = &((const struct sockaddr_in6 *)peer)->sin6_addr;
    else return -1;
    return inet_ntop(peer->sa_family, bytes, out, (socklen_t)out_size) == NULL ? -1 : 0;
}

uint16_t wok_web_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

uint64_t wok_web_size_unknown(void) { return MHD_SIZE_UNKNOWN; }
ssize_t wok_web_end_of_stream(void) { return MHD_CONTENT_READER_END_OF_STREAM; }
ssize_t wok_web_end_with_error(void) { return MHD_CONTENT_READER_END_WITH_ERROR; }

struct MHD_Response *wok_web_copied_response(const void *bytes, size_t count) {
    return MHD_create_response_from_buffer(count, (void *)bytes, MHD_RESPMEM_MUST_COPY);
}
