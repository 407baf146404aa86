import Foundation
import Testing

/// A real Prometheus (Debian's, installed by .ci/setup) scraping a real wokweb that follows a real
/// `wokd --simulate`, all on loopback: the scrape config's labels reach the stored series.
@Suite(.serialized) struct PrometheusScrapeTests {
    @Test func prometheusScrapesWokwebAndKeepsTheStationLabel() throws {
        let station = try Station(speed: 20)
        defer { _ = station.finish() }
        #expect(try station.post("start", #"{"recipe": "reheat"}"#).status == 200)

        let prometheus = try PrometheusServer(
            directory: station.directory + "/prometheus", target: "127.0.0.1:\(station.port)", labels: ["station": "wok-test-1"])
        defer { _ = prometheus.stop() }

        // The target is up, as Prometheus itself reports it.
        let up = try prometheus.poll("up{job=\"wok-stations\"}") { $0.first?.value == "1" }
        #expect(up.first?.labels["station"] == "wok-test-1", "\(prometheus.log)")
        #expect(up.first?.labels["instance"] == "127.0.0.1:\(station.port)")

        // The wok's temperature is stored as a series carrying the scrape config's label.
        let temperature = try prometheus.poll("wok_temperature_celsius") { !$0.isEmpty }
        let series = try #require(temperature.first, "\(prometheus.log)")
        #expect(series.labels["station"] == "wok-test-1")
        #expect(series.labels["job"] == "wok-stations")
        #expect(Double(series.value).map { $0 > -50 && $0 < 600 } == true, "a plausible wok temperature: \(series.value)")
        // A labelled family comes through with both its own and the scrape's labels.
        let idle = try prometheus.poll("wok_state{state=\"idle\"}") { !$0.isEmpty }
        #expect(idle.first?.labels["station"] == "wok-test-1")
        #expect(idle.first?.labels["state"] == "idle")

        #expect(try station.post("abort").status == 200)
        #expect(prometheus.stop() == 0, "Prometheus stops cleanly: \(prometheus.log)")
    }
}

/// Debian's `prometheus` in a temporary directory: a config with one scrape job, its own storage,
/// its HTTP API on a free loopback port.
final class PrometheusServer {
    struct Sample {
        var labels: [String: String]
        var value: String
    }

    let child: Child
    let port: UInt16

    init(directory: String, target: String, labels: [String: String]) throws {
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        let labelLines = labels.sorted { $0.key < $1.key }.map { "          \($0.key): \"\($0.value)\"\n" }.joined()
        let config = """
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: wok-stations
                static_configs:
                  - targets: ["\(target)"]
                    labels:
            \(labelLines)
            """
        try config.write(toFile: directory + "/prometheus.yml", atomically: true, encoding: .utf8)
        port = try freeLoopbackPort()
        child = try Child(
            URL(fileURLWithPath: "/usr/bin/prometheus"),
            [
                "--config.file=\(directory)/prometheus.yml", "--storage.tsdb.path=\(directory)/data",
                "--web.listen-address=127.0.0.1:\(port)", "--log.level=warn",
            ], logPath: directory + "/prometheus.log")
    }

    var log: String { child.log }

    func stop() -> Int32? { child.stop() }

    /// Asks the query API until `accept` takes the answer; a bound in attempts (each a scrape
    /// interval or less apart), for a loaded host, not a measure of speed.
    func poll(_ query: String, attempts: Int = 600, accept: ([Sample]) -> Bool) throws -> [Sample] {
        var last: [Sample] = []
        for _ in 0..<attempts {
            if let samples = try? self.query(query) {
                last = samples
                if accept(samples) { return samples }
            }
            guard child.process.isRunning else { break }
            usleep(200_000)
        }
        return last
    }

    func query(_ query: String) throws -> [Sample] {
        let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
        let reply = try HTTP.request(port: port, "GET", "/api/v1/query?query=" + encoded)
        guard reply.status == 200 else { throw WebTestError.http("Prometheus answered \(reply.status): \(reply.body)") }
        let object = try JSONSerialization.jsonObject(with: Data(Self.body(reply).utf8)) as? [String: Any]
        let results = ((object?["data"] as? [String: Any])?["result"] as? [[String: Any]]) ?? []
        return results.map { result in
            let labels = result["metric"] as? [String: String] ?? [:]
            let value = (result["value"] as? [Any])?.last as? String ?? ""
            return Sample(labels: labels, value: value)
        }
    }

    /// Go's server may answer in chunks; the JSON is what lies between the chunk sizes.
    static func body(_ reply: HTTPReply) -> String {
        guard reply.headers["transfer-encoding"]?.lowercased() == "chunked" else { return reply.body }
        var out = ""
        var rest = Substring(reply.body)
        while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 {
            let start = lineEnd.upperBound
            let bytes = Array(rest[start...].utf8)
            out += String(decoding: bytes.prefix(size), as: UTF8.self)
            rest = Substring(String(decoding: bytes.dropFirst(size), as: UTF8.self)).dropFirst(2)
        }
        return out
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on now: the kernel's pick for port 0.
func freeLoopbackPort() throws -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw WebTestError.http("socket") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw WebTestError.http("bind: \(String(cString: strerror(errno)))") }
    return UInt16(bigEndian: address.sin_port)
}
