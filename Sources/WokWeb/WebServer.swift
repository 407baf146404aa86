internal import CWokWeb
internal import Glibc

/// Why the server could not start.
public struct WebServerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// The bounds libmicrohttpd enforces for us.
public struct ServerLimits: Sendable {
    public var connections: UInt32 = 64
    public var connectionsPerAddress: UInt32 = 24
    /// A connection with no traffic this long is closed (event streams send a comment every 15 s).
    public var idleTimeoutSeconds: UInt32 = 40
    /// Memory for one connection's headers and buffers.
    public var connectionMemoryBytes: Int = 32 * 1024

    public init() {}
}

/// HTTP through GNU libmicrohttpd: a thread per connection, so a slow request (a command waiting
/// on wokd, a `wokctl` lookup) holds only its own connection, never the others. This file is only
/// plumbing; `WebApp` decides everything.
public final class WebServer: @unchecked Sendable {
    public let app: WebApp
    private var daemon: OpaquePointer?
    public private(set) var port: UInt16 = 0

    public init(app: WebApp) {
        self.app = app
    }

    /// Binds `address:port` (port 0: any free one; read `port` after) and starts serving.
    public func start(address: String, port: UInt16, limits: ServerLimits, tlsKeyPEM: String? = nil, tlsCertificatePEM: String? = nil)
        throws(WebServerError)
    {
        let context = Unmanaged.passUnretained(self).toOpaque()
        let started: OpaquePointer? = address.withCString { addressText in
            withOptionalCString(tlsKeyPEM) { key in
                withOptionalCString(tlsCertificatePEM) { certificate in
                    var settings = wok_web_settings(
                        address: addressText, port: port, connection_limit: limits.connections,
                        per_address_limit: limits.connectionsPerAddress, idle_timeout_seconds: limits.idleTimeoutSeconds,
                        connection_memory_bytes: limits.connectionMemoryBytes, tls_key_pem: key, tls_cert_pem: certificate)
                    return wok_web_start(&settings, accessHandler, context, requestCompleted, context)
                }
            }
        }
        guard let started else {
            throw WebServerError(message: "cannot listen on \(address):\(port) (is the address this machine's, and the port free?)")
        }
        daemon = started
        self.port = wok_web_bound_port(started)
    }

    /// Stops accepting, ends every stream and waits for the connection threads.
    public func stop() {
        app.hub.stop()
        if let daemon { MHD_stop_daemon(daemon) }
        daemon = nil
    }
}

private func withOptionalCString<T>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}

/// A request's body as it arrives, kept between libmicrohttpd's calls for one request.
private final class RequestBody {
    var bytes: [UInt8] = []
    var tooLarge = false
}

/// One browser's event stream, for the content reader.
private final class StreamReader {
    let hub: StationHub
    let id: Int
    init(hub: StationHub, id: Int) {
        self.hub = hub
        self.id = id
    }
}

private func header(_ connection: OpaquePointer?, _ name: String) -> String? {
    guard let value = MHD_lookup_connection_value(connection, .HEADER_KIND, name) else { return nil }
    return String(validatingCString: value).map { String($0.prefix(1024)) }
}

private let accessHandler: MHD_AccessHandlerCallback = { context, connection, url, method, _, uploadData, uploadSize, requestContext in
    guard let context, let connection, let requestContext, let uploadSize else { return .NO }
    let server = Unmanaged<WebServer>.fromOpaque(context).takeUnretainedValue()
    // First call: only the headers are here. Refuse an announced oversized body before reading it.
    guard let stored = requestContext.pointee else {
        let body = RequestBody()
        requestContext.pointee = Unmanaged.passRetained(body).toOpaque()
        if let length = header(connection, "Content-Length").flatMap({ Int($0) }), length > RequestRules.maxBodyBytes {
            // Answered now, so the body is never read.
            body.tooLarge = true
            return queue(
                .problem(WebRejection(413, "the body may be at most \(RequestRules.maxBodyBytes) bytes")), on: connection, hub: server.app.hub)
        }
        return .YES
    }
    let body = Unmanaged<RequestBody>.fromOpaque(stored).takeUnretainedValue()
    if uploadSize.pointee > 0 {
        if let uploadData, !body.tooLarge {
            if body.bytes.count + uploadSize.pointee > RequestRules.maxBodyBytes {
                body.tooLarge = true
                body.bytes = []
            } else {
                uploadData.withMemoryRebound(to: UInt8.self, capacity: uploadSize.pointee) {
                    body.bytes += UnsafeBufferPointer(start: $0, count: uploadSize.pointee)
                }
            }
        }
        uploadSize.pointee = 0
        return .YES
    }
    var peer = [CChar](repeating: 0, count: 64)
    let peerAddress =
        wok_web_peer_address(connection, &peer, peer.count) == 0
        ? String(decoding: peer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "unknown"
    let request = IncomingRequest(
        method: method.flatMap { String(validatingCString: $0) } ?? "",
        path: url.flatMap { String(validatingCString: $0) } ?? "",
        host: header(connection, "Host"), origin: header(connection, "Origin"), fetchSite: header(connection, "Sec-Fetch-Site"),
        cookie: header(connection, "Cookie"), contentType: header(connection, "Content-Type"), userAgent: header(connection, "User-Agent"),
        peerAddress: peerAddress, body: body.bytes, bodyTooLarge: body.tooLarge)
    return queue(server.app.handle(request, now: monotonicNow()), on: connection, hub: server.app.hub)
}

private let requestCompleted: MHD_RequestCompletedCallback = { _, _, requestContext, _ in
    guard let requestContext, let stored = requestContext.pointee else { return }
    Unmanaged<RequestBody>.fromOpaque(stored).release()
    requestContext.pointee = nil
}

/// Headers every answer carries: the page loads nothing from elsewhere and may not be framed.
private let securityHeaders: [(String, String)] = [
    ("X-Content-Type-Options", "nosniff"),
    (
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; media-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
]

private func queue(_ answer: OutgoingResponse, on connection: OpaquePointer, hub: StationHub) -> MHD_Result {
    let response: OpaquePointer?
    var headers = securityHeaders
    switch answer {
    case .full(_, let contentType, let body, let extra):
        response = body.withUnsafeBytes { wok_web_copied_response($0.baseAddress, $0.count) }
        headers.append(("Content-Type", contentType))
        if !extra.contains(where: { $0.0 == "Cache-Control" }) { headers.append(("Cache-Control", "no-store")) }
        headers += extra
    case .stream(let id):
        let reader = Unmanaged.passRetained(StreamReader(hub: hub, id: id)).toOpaque()
        response = MHD_create_response_from_callback(wok_web_size_unknown(), 16 * 1024, streamRead, reader, streamFreed)
        if response == nil { Unmanaged<StreamReader>.fromOpaque(reader).release() }
        headers += [("Content-Type", "text/event-stream"), ("Cache-Control", "no-store"), ("X-Accel-Buffering", "no")]
    }
    guard let response else { return .NO }
    defer { MHD_destroy_response(response) }
    for (name, value) in headers { _ = MHD_add_response_header(response, name, value) }
    return MHD_queue_response(connection, UInt32(answer.status), response)
}

private let streamRead: MHD_ContentReaderCallback = { context, _, buffer, maxBytes in
    guard let context, let buffer else { return wok_web_end_with_error() }
    let reader = Unmanaged<StreamReader>.fromOpaque(context).takeUnretainedValue()
    // This connection has a thread of its own, so waiting here (bounded) holds no one else.
    while true {
        switch reader.hub.read(reader.id, maxBytes: maxBytes, waitSeconds: 1, now: monotonicNow) {
        case .end: return wok_web_end_of_stream()
        case .nothing: continue
        case .bytes(let bytes):
            bytes.withUnsafeBytes { raw in
                if let base = raw.baseAddress { UnsafeMutableRawPointer(buffer).copyMemory(from: base, byteCount: raw.count) }
            }
            return bytes.count
        }
    }
}

private let streamFreed: MHD_ContentReaderFreeCallback = { context in
    guard let context else { return }
    let reader = Unmanaged<StreamReader>.fromOpaque(context).takeRetainedValue()
    reader.hub.closeStream(reader.id)
}

private func monotonicNow() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}
