import ArgumentParser
import Foundation
import Hummingbird
import Ingest
import Logging
import ServiceLifecycle
import VOCBlob
import VOCFastJSON
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCProcess
import VOCStore

/// `voc bench`: measured figures, printed, never asserted.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print figures.", subcommands: [IngestBench.self, CodecBench.self, AnalyzeBench.self, TranscribeBench.self, LatencyBench.self, ScaleBench.self, RouteBench.self, NotifyBench.self, ReadBench.self, E2EBench.self], defaultSubcommand: IngestBench.self)
}

/// Single-request ingest against the embedded broker, next to kcat producing the same
/// events to the same broker with the same delivery guarantees (acks=all, idempotence).
struct IngestBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ingest", abstract: "HTTP single requests and NDJSON batches vs kcat on the same broker; recording uploads in MB/s.")

    @Option(help: "Seconds of HTTP load.")
    var seconds: Int = 15

    @Option(help: "Concurrent HTTP connections.")
    var connections: Int = 128

    @Option(help: "wrk threads (the server and wrk share this machine's cores).")
    var threads: Int = 1

    @Option(help: "Events kcat produces.")
    var kcatEvents: Int = 500_000

    func run() async throws {
        Observability.bootstrap(logLevel: "error")
        let logger = Logger(label: "voc-bench")
        for tool in ["/usr/bin/wrk", "/usr/bin/kcat"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw ValidationError("\(tool) is missing: apt-get install wrk kcat")
        }

        let port = 18_000 + Int.random(in: 0..<2000)
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("voc-bench-\(getpid())")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let stack = try DevStack.start(in: work, postgresPort: port + 1, brokers: 3, logger: logger)
        defer { stack.stop() }
        let (broker, store) = (stack.broker, stack.store)
        try broker.createTopic("bench.kcat", partitions: Topic.interactionReceived.defaultPartitions)
        // Environment settings (VOC_KAFKA_PROPERTIES, …) apply, so tuning can be measured.
        var common = CommonSettings(config: try await Settings.reader())
        common.kafkaBrokers = broker.bootstrap
        var configuration = IngestConfiguration(common: common, store: store,
                                                blob: BlobSettings(localDirectory: work.appendingPathComponent("blobs").path),
                                                http: HTTPSettings(port: port))
        configuration.consumeRawTopic = false
        configuration.batchMaxLines = batchLines
        let app = try IngestApp.build(configuration: configuration, logger: logger)
        let group = ServiceGroup(services: [app], logger: logger)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await waitForPort(port)
            // The first requests wait for topic metadata and the producer id (about a
            // second); a short unmeasured run keeps that start-up out of the figures.
            _ = try await offPool { try runWrk(port: port, folder: work, seconds: 2) }
            let rssBefore = residentMegabytes()
            let http = quick ? WrkResult() : try await offPool { try runWrk(port: port, folder: work, seconds: seconds) }
            let rssAfter = residentMegabytes()
            let batchCPU = CPUTime.now()
            let batch = try await offPool { try runBatch(port: port, folder: work) }
            let batchSpent = CPUTime.now() - batchCPU
            let audio = quick ? WrkResult() : try await offPool { try runAudio(port: port, folder: work) }
            let bootstrap = broker.bootstrap
            let (kcat, kcatSpent) = try await offPool { try runKcat(bootstrap: bootstrap, folder: work) }
            let batchEvents = Double(batch.requests - batch.non2xx) * Double(batchLines)
            let batchMicros = batchSpent.process / batchEvents * 1e6
            let kcatMicros = (kcatSpent.process + kcatSpent.children) / Double(kcatEvents) * 1e6
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()

            print("""

                Ingest benchmark (embedded broker, 3 brokers, acks=all, idempotent producer; \(ProcessInfo.processInfo.activeProcessorCount) cores shared by all)
                  HTTP POST /v1/interactions, one event per request, 202 after broker ack
                    wrk -t\(threads) -c\(connections) -d\(seconds)s (after a 2 s warm-up)
                    requests              \(http.requests)   (non-2xx: \(http.non2xx), socket errors: \(http.socketErrors))
                    accepted/s            \(Int(http.acceptedPerSecond))
                    latency p50 / p90 / p99  \(http.p50) / \(http.p90) / \(http.p99)
                    voc process RSS       \(rssBefore) MB before, \(rssAfter) MB after (ingest and the embedded broker share the process)
                  kcat -P, same broker, same records (key, value, CloudEvents headers), acks=all, enable.idempotence=true
                    events                \(kcatEvents)
                    produced/s            \(Int(kcat))
                  HTTP single requests / kcat = \(String(format: "%.2f", http.acceptedPerSecond / kcat))
                  HTTP POST /v1/interactions:batch, \(batchLines) interactions per NDJSON request, 200 after every ack
                    wrk -t1 -c\(batchConnections) -d\(seconds)s
                    requests              \(batch.requests)   (non-2xx: \(batch.non2xx), socket errors: \(batch.socketErrors))
                    interactions/s        \(Int(batch.acceptedPerSecond * Double(batchLines)))
                    request p50 / p99     \(batch.p50) / \(batch.p99)
                  batch / kcat = \(String(format: "%.2f", batch.acceptedPerSecond * Double(batchLines) / kcat))
                  CPU per event (user + system of the processes involved: where the cost is, with load generator, broker and server on shared cores)
                    batch: voc process (HTTP, validation, encoding, producer, embedded broker)  \(String(format: "%.2f", batchMicros)) µs   (wrk: \(String(format: "%.2f", batchSpent.children / batchEvents * 1e6)) µs)
                    kcat:  kcat process + embedded broker                                       \(String(format: "%.2f", kcatMicros)) µs
                    kcat CPU / batch CPU = \(String(format: "%.2f", kcatMicros / batchMicros))   (events per CPU-second, batch relative to kcat)
                  Recording upload, multipart POST of a \(audioMegabytes) MB WAV, 202 after blob stored + SHA-256 + broker ack
                    wrk -t1 -c\(audioConnections) -d\(seconds)s, local blob store
                    uploads               \(audio.requests)   (non-2xx: \(audio.non2xx))
                    MB/s                  \(String(format: "%.1f", audio.acceptedPerSecond * Double(audioMegabytes)))
                    upload p50 / p99      \(audio.p50) / \(audio.p99)

                """)
        }
    }

    @Flag(help: "Only the batch and kcat phases, for quick comparisons while tuning.")
    var quick = false

    @Option(help: "Interactions per batch request.")
    var batchLines: Int = 1_000

    @Option(help: "Concurrent batch requests.")
    var batchConnections: Int = 8

    @Option(help: "Size of the uploaded recording, MB.")
    var audioMegabytes: Int = 8

    @Option(help: "Concurrent uploads.")
    var audioConnections: Int = 4

    /// The same NDJSON batch over and over: ids are fresh per request (no externalId).
    func runBatch(port: Int, folder: URL) throws -> WrkResult {
        var body = ""
        for index in 0..<batchLines {
            body += String(format: #"{"customerId":"C%07d","channel":"chat","businessLine":"credit_card","occurredAt":"2026-11-20T10:15:00+08:00","language":"zh","text":"我这个月的信用卡年费怎么扣了两次？请尽快帮我退回，谢谢。"}"#, index) + "\n"
        }
        let bodyFile = folder.appendingPathComponent("batch.ndjson")
        try body.write(to: bodyFile, atomically: true, encoding: .utf8)
        let script = folder.appendingPathComponent("batch.lua")
        try """
            local f = io.open("\(bodyFile.path)", "rb")
            wrk.method = "POST"
            wrk.body = f:read("*all")
            f:close()
            wrk.headers["Content-Type"] = "application/x-ndjson"
            wrk.path = "/v1/interactions:batch"
            """.write(to: script, atomically: true, encoding: .utf8)
        return try wrk(port: port, script: script, connections: batchConnections, seconds: seconds)
    }

    /// A stereo 8 kHz WAV of `audioMegabytes`, uploaded as multipart again and again.
    func runAudio(port: Int, folder: URL) throws -> WrkResult {
        let boundary = "vocbench7d1f"
        var body = Data()
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"metadata\"\r\nContent-Type: application/json\r\n\r\n".utf8))
        body.append(Data(#"{"customerId":"C0000001","channel":"advisor_call","businessLine":"wealth","occurredAt":"2026-11-20T10:15:00+08:00","audio":{"layout":"stereo_agent_left"}}"#.utf8))
        body.append(Data("\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"call.wav\"\r\nContent-Type: audio/wav\r\n\r\n".utf8))
        let sampleBytes = audioMegabytes * 1_000_000 - 44
        var header = Array("RIFF".utf8) + le32(36 + sampleBytes) + Array("WAVEfmt ".utf8) + le32(16) + [1, 0, 2, 0] + le32(8_000)
        header += le32(32_000) + [4, 0, 16, 0] + Array("data".utf8) + le32(sampleBytes)
        body.append(Data(header))
        var random = SystemRandomNumberGenerator()
        body.append(Data((0..<sampleBytes).map { _ in UInt8.random(in: 0...255, using: &random) }))
        body.append(Data("\r\n--\(boundary)--\r\n".utf8))
        let bodyFile = folder.appendingPathComponent("upload.bin")
        try body.write(to: bodyFile)
        let script = folder.appendingPathComponent("upload.lua")
        try """
            local f = io.open("\(bodyFile.path)", "rb")
            wrk.method = "POST"
            wrk.body = f:read("*all")
            f:close()
            wrk.headers["Content-Type"] = "multipart/form-data; boundary=\(boundary)"
            wrk.path = "/v1/interactions"
            """.write(to: script, atomically: true, encoding: .utf8)
        return try wrk(port: port, script: script, connections: audioConnections, seconds: seconds)
    }

    private func le32(_ value: Int) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    struct WrkResult {
        var requests = 0
        var non2xx = 0
        var socketErrors = 0
        var duration = 1.0
        var p50 = "?", p90 = "?", p99 = "?"
        var acceptedPerSecond: Double { Double(requests - non2xx) / duration }
    }

    /// Each request carries a different customer, so the load spreads over partitions.
    func runWrk(port: Int, folder: URL, seconds: Int) throws -> WrkResult {
        let script = folder.appendingPathComponent("post.lua")
        try """
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            local n = 0
            request = function()
              n = n + 1
              local body = string.format('{"customerId":"C%07d","channel":"chat","businessLine":"credit_card","occurredAt":"2026-11-20T10:15:00+08:00","language":"zh","text":"我这个月的信用卡年费怎么扣了两次？请尽快帮我退回，谢谢。"}', n % 50000)
              return wrk.format(nil, "/v1/interactions", nil, body)
            end
            """.write(to: script, atomically: true, encoding: .utf8)
        return try wrk(port: port, script: script, connections: connections, seconds: seconds, threads: threads)
    }

    func wrk(port: Int, script: URL, connections: Int, seconds: Int, threads: Int = 1) throws -> WrkResult {
        let output = try capture("/usr/bin/wrk", ["-t\(threads)", "-c\(connections)", "-d\(seconds)s", "--timeout", "30s", "--latency",
                                                  "-s", script.path, "http://127.0.0.1:\(port)"])
        var result = WrkResult()
        for line in output.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if line.contains("requests in"), let count = Int(fields[0]) {
                result.requests = count
                if let index = fields.firstIndex(of: "in"), index + 1 < fields.count {
                    result.duration = parseSeconds(fields[index + 1].trimmingCharacters(in: CharacterSet(charactersIn: ",")))
                }
            } else if line.hasPrefix("Non-2xx"), let count = fields.last.flatMap({ Int($0) }) {
                result.non2xx = count
            } else if line.hasPrefix("Socket errors") {
                result.socketErrors = fields.compactMap { Int($0.trimmingCharacters(in: CharacterSet(charactersIn: ","))) }.reduce(0, +)
            } else if fields.count == 2 {
                switch fields[0] {
                case "50%": result.p50 = fields[1]
                case "90%": result.p90 = fields[1]
                case "99%": result.p99 = fields[1]
                default: break
                }
            }
        }
        return result
    }

    /// Produces the same records with kcat (key, value and the same CloudEvents headers,
    /// which kcat can only send as fixed values); returns events per second and the CPU
    /// kcat and the embedded broker spent.
    func runKcat(bootstrap: String, folder: URL) throws -> (Double, CPUTime) {
        let file = folder.appendingPathComponent("events.tsv")
        var lines: [UInt8] = []
        lines.reserveCapacity(kcatEvents * 400)
        let now = Date()
        let traceparent = TraceContext.newTraceparent()
        var headers: [(name: String, value: String)] = []
        for index in 0..<kcatEvents {
            let event = InteractionReceived(
                interactionId: UUIDText.random(), customerId: String(format: "C%07d", index % 50_000), channel: .chat,
                businessLine: "credit_card", occurredAt: now, receivedAt: now, language: "zh",
                text: "我这个月的信用卡年费怎么扣了两次？请尽快帮我退回，谢谢。")
            // A tab never occurs unescaped in JSON, so it can separate key and value.
            let encoded = try EventCodec.encode(event, source: "/voc/ingest", traceparent: traceparent)
            lines += encoded.key + [UInt8(ascii: "\t")] + encoded.value + [UInt8(ascii: "\n")]
            headers = encoded.headers
        }
        try Data(lines).write(to: file)
        let started = ContinuousClock.now
        let cpu = CPUTime.now()
        _ = try capture("/usr/bin/kcat", ["-P", "-b", bootstrap, "-t", "bench.kcat", "-l", file.path, "-K", "\t",
                                          "-X", "acks=all", "-X", "enable.idempotence=true", "-X", "linger.ms=2"]
                                          + headers.flatMap { ["-H", "\($0.name)=\($0.value)"] })
        let spent = CPUTime.now() - cpu
        let elapsed = ContinuousClock.now - started
        let seconds = elapsed.seconds
        return (Double(kcatEvents) / seconds, spent)
    }

    func parseSeconds(_ text: String) -> Double {
        if text.hasSuffix("ms") { return (Double(text.dropLast(2)) ?? 1000) / 1000 }
        if text.hasSuffix("m") { return (Double(text.dropLast()) ?? 1) * 60 }
        if text.hasSuffix("s") { return Double(text.dropLast()) ?? 1 }
        return Double(text) ?? 1
    }

    func waitForPort(_ port: Int) async throws {
        guard await waitUntilListening(port: port) else { throw ValidationError("ingest did not start on port \(port)") }
    }

    func residentMegabytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return -1 }
        return kilobytes / 1024
    }

    func capture(_ executable: String, _ arguments: [String]) throws -> String {
        guard let (status, output) = ChildProcess.run([executable] + arguments) else {
            throw ValidationError("\(executable) could not be started")
        }
        guard status == 0 else { throw ValidationError("\(executable) exited with \(status)") }
        return output
    }
}

/// CPU seconds of this process (user and system) and of its waited-for children.
struct CPUTime {
    var user: Double
    var system: Double
    var children: Double

    /// User + system of this process.
    var process: Double { user + system }

    static func now() -> CPUTime {
        var own = rusage(), kids = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &own)
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &kids)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return CPUTime(user: seconds(own.ru_utime), system: seconds(own.ru_stime),
                       children: seconds(kids.ru_utime) + seconds(kids.ru_stime))
    }

    static func - (lhs: CPUTime, rhs: CPUTime) -> CPUTime {
        CPUTime(user: lhs.user - rhs.user, system: lhs.system - rhs.system, children: lhs.children - rhs.children)
    }
}
