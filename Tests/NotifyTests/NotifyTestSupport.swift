import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import Logging
import Synchronization
import VOCKafka
import VOCProcess
import VOCRuntime
import VOCSchema
import VOCStore

/// One throwaway PostgreSQL cluster per test process; each test gets a database of its own.
enum NotifyPostgres {
    private static let shared = Mutex<LocalPostgres?>(nil)

    static func database(_ name: String) throws -> StoreConfiguration {
        let cluster = try shared.withLock { cluster -> LocalPostgres in
            if let cluster { return cluster }
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("voc-notify-test-pg-\(getpid())")
            let started = try LocalPostgres(dataDirectory: folder, port: freePort(), logger: Logger(label: "test.pg"))
            try started.start()
            cluster = started
            atexit {
                NotifyPostgres.shared.withLock { cluster in
                    try? cluster?.stop()
                    if let folder = cluster?.dataDirectory { try? FileManager.default.removeItem(at: folder) }
                }
            }
            return started
        }
        let database = name.lowercased().filter { $0.isLetter || $0.isNumber } + "_\(UInt32.random(in: 0...UInt32.max))"
        try cluster.createDatabase(database)
        var configuration = cluster.configuration
        configuration.database = database
        return configuration
    }

    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

let notifyTestLogger: Logger = {
    Observability.bootstrap(logLevel: ProcessInfo.processInfo.environment["VOC_TEST_LOG_LEVEL"] ?? "warning")
    return Logger(label: "test.notify")
}()

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// scripts/notify-receivers.py in the test venv: a Standard Webhooks endpoint that
/// verifies with the PyPI `standardwebhooks` library, WeCom and DingTalk robot
/// endpoints, and an aiosmtpd SMTP server.
final class Receivers: Sendable {
    static let webhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let oldWebhookSecret = "whsec_" + Data("the secret before the rotation".utf8).base64EncodedString()
    static let dingtalkSecret = "SECnotify-test-robot-secret"

    let http: String
    let smtpPort: Int
    /// A relay that requires AUTH PLAIN as `voc-notify` / `relay-password`.
    let smtpAuthPort: Int
    private let process: SpawnedProcess

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    init() async throws {
        let python = ProcessInfo.processInfo.environment["VOC_TEST_PYTHON"] ?? packageRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Missing(description: "\(python) not found: run `make test` (it installs standardwebhooks and aiosmtpd into .venv)")
        }
        let ready = FileManager.default.temporaryDirectory.appendingPathComponent("notify-receivers-\(UUID().uuidString).json")
        let script = packageRoot.appendingPathComponent("scripts/notify-receivers.py").path
        let log = ready.deletingPathExtension().appendingPathExtension("log")
        guard let process = SpawnedProcess([python, script, ready.path, Self.webhookSecret, Self.dingtalkSecret, Self.oldWebhookSecret],
                                           outputPath: log.path) else {
            throw Missing(description: "\(script) could not be started")
        }
        self.process = process
        // Python imports take seconds on a machine busy with the other suites.
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline, process.exitStatus() == nil {
            if let data = try? Data(contentsOf: ready),
               let ports = try? JSONSerialization.jsonObject(with: data) as? [String: Int], let http = ports["http"], let smtp = ports["smtp"],
               let smtpAuth = ports["smtpAuth"] {
                self.http = "http://127.0.0.1:\(http)"
                self.smtpPort = smtp
                self.smtpAuthPort = smtpAuth
                try? FileManager.default.removeItem(at: ready)
                try? FileManager.default.removeItem(at: log)
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.signal(SIGKILL)
        _ = process.waitForExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        throw Missing(description: "the receivers did not start (is .venv missing standardwebhooks, aiosmtpd or jsonschema? run `make test`): "
                      + output.suffix(600))
    }

    deinit {
        process.signal(SIGKILL)
        _ = process.waitForExit()
    }

    /// Everything the receivers were sent, oldest first.
    func log() async throws -> [[String: Any]] {
        let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: http + "/_log"), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [[String: Any]]) ?? []
    }

    func log(kind: String) async throws -> [[String: Any]] {
        try await log().filter { $0["kind"] as? String == kind }
    }
}

/// A request as route would publish it, decoded from its JSON like any consumer's.
func notificationRequest(id: String, key: String? = nil, recipient: String, medium: String, title: String = "客户投诉升级",
                         body: String = "客户 C-1 对年费重复扣款不满，手机 [mobile]。", kind: String? = nil, urgent: Bool? = nil,
                         ticketId: String? = "T-1") throws -> NotificationRequested {
    var json: [String: Any] = [
        "notificationId": id, "idempotencyKey": key ?? "key-\(id)", "recipient": ["role": "advisor", "id": recipient],
        "medium": medium, "title": title, "body": body, "customerId": "C-1", "requestedAt": Timestamp.format(Date()),
    ]
    if let ticketId { json["ticketId"] = ticketId }
    if let kind { json["kind"] = kind }
    if let urgent { json["urgent"] = urgent }
    return try JSONCoding.decoder().decode(NotificationRequested.self, from: JSONSerialization.data(withJSONObject: json))
}

/// Reads records from a topic with a fresh consumer group until `count` arrived or time ran out.
func readTopic(_ topic: Topic, bootstrap: String, count: Int, seconds: Double = 30) async throws -> [ConsumerRecord] {
    let consumer = try KafkaConsumer(
        configuration: KafkaConsumerConfiguration(bootstrapServers: bootstrap, groupID: "reader-\(UUID().uuidString)"),
        topics: [topic.rawValue], logger: Logger(label: "test.reader"))
    var records: [ConsumerRecord] = []
    let deadline = Date().addingTimeInterval(seconds)
    while records.count < count, Date() < deadline {
        records += try await consumer.poll(maxRecords: count - records.count, timeout: .milliseconds(300))
    }
    await consumer.close()
    return records
}

func outcomes(bootstrap: String, count: Int, seconds: Double = 30) async throws -> [NotificationDelivered] {
    try await readTopic(.notificationDelivered, bootstrap: bootstrap, count: count, seconds: seconds)
        .map { try $0.decode(NotificationDelivered.self).0 }
}

/// Polls `condition` until it holds or `seconds` pass.
func eventually<T>(seconds: Double = 30, _ condition: () async throws -> T?) async throws -> T? {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if let value = try await condition() { return value }
        try await Task.sleep(for: .milliseconds(100))
    }
    return nil
}

func sha256Hex(_ text: String) -> String {
    SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
}
