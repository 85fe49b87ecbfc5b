import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import Synchronization
import VOCKafka
import VOCProcess
import VOCRuntime
import VOCSchema
import VOCServiceTestSupport
import VOCStore


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
    /// Given a certificate: a relay that requires STARTTLS with it, then AUTH.
    let smtpTLSPort: Int?
    private let process: SpawnedProcess

    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    /// - Parameter tls: PEM certificate and key files for the STARTTLS relay.
    init(tls: (certificate: String, key: String)? = nil) async throws {
        let python = ProcessInfo.processInfo.environment["VOC_TEST_PYTHON"] ?? packageRoot.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw Missing(description: "\(python) not found: run `make test` (it installs standardwebhooks and aiosmtpd into .venv)")
        }
        let ready = FileManager.default.temporaryDirectory.appendingPathComponent("notify-receivers-\(UUID().uuidString).json")
        let script = packageRoot.appendingPathComponent("scripts/notify-receivers.py").path
        let log = ready.deletingPathExtension().appendingPathExtension("log")
        let arguments = [python, script, ready.path, Self.webhookSecret, Self.dingtalkSecret, Self.oldWebhookSecret]
            + (tls.map { [$0.certificate, $0.key] } ?? [])
        guard let process = SpawnedProcess(arguments, outputPath: log.path) else {
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
                self.smtpTLSPort = ports["smtpTls"]
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

func outcomes(bootstrap: String, count: Int, seconds: Double = 30) async throws -> [NotificationDelivered] {
    try await readTopic(.notificationDelivered, bootstrap: bootstrap, count: count, seconds: seconds)
        .map { try $0.decode(NotificationDelivered.self).0 }
}

func sha256Hex(_ text: String) -> String {
    SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
}
