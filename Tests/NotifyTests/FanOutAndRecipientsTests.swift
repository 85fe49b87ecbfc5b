import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Notify
import Testing
import VOCKafka
import VOCProcess
import VOCSchema
import VOCServiceTestSupport

/// Department fan-out, the recipients API, and e-mail over STARTTLS with AUTH.
@Suite("Notify fan-out, recipients API, STARTTLS", .serialized)
struct FanOutAndRecipientsTests {
    static var people: [[String: Any]] { [
        ["id": "P1", "language": "zh", "inboxTokenSha256": sha256Hex("token-P1")],
        ["id": "P2", "language": "zh"], ["id": "P3", "language": "en"], ["id": "P4", "language": "zh"],
    ] }

    static func writeDepartments(_ url: URL, members: [(String, String)]) throws {
        let directory: [String: Any] = [
            "version": "test", "calendars": ["cn": ["timeZone": "Asia/Shanghai", "hours": ["09:00-18:00"]]],
            "departments": [
                ["id": "ops", "name": "运营部", "calendar": "cn", "escalation": [],
                 "members": members.map { ["id": $0.0, "role": $0.1] }],
            ],
        ]
        try JSONSerialization.data(withJSONObject: directory).write(to: url, options: .atomic)
    }

    @Test("a request to a department reaches each member once, with keys derived from the request's; memberRole narrows it; the directory is reloaded when it changes")
    func departmentFanOut() async throws {
        let departments = FileManager.default.temporaryDirectory.appendingPathComponent("departments-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: departments) }
        try Self.writeDepartments(departments, members: [("P1", "agent"), ("P2", "team_lead"), ("P3", "head"), ("P1", "agent")])
        let harness = try await NotifyHarness(name: "fanout", extraRecipients: Self.people) {
            $0.departmentDirectoryPath = departments.path
        }
        defer { harness.cleanUp() }
        let everyone = try departmentRequest(id: "n-dept", department: "ops", medium: "inbox")
        try await harness.request(everyone, everyone,
                                  try departmentRequest(id: "n-heads", department: "ops", memberRole: "head", medium: "inbox"),
                                  try departmentRequest(id: "n-nowhere", department: "nowhere", medium: "inbox"))
        try await harness.run { client in
            let delivered = try await outcomes(bootstrap: harness.broker.bootstrap, count: 8)
            let toAll = delivered.filter { $0.notificationId == "n-dept" }
            // Three members (P1 listed twice counts once); the second copy of the request
            // publishes the same outcomes again, with the same delivery ids.
            #expect(toAll.count == 6)
            #expect(Set(toAll.map(\.recipientId)) == ["P1", "P2", "P3"])
            #expect(Set(toAll.map(\.idempotencyKey)) == ["key-n-dept/P1", "key-n-dept/P2", "key-n-dept/P3"])
            #expect(Set(toAll.map(\.deliveryId)).count == 3 && toAll.allSatisfy { $0.outcome == .delivered })
            let heads = delivered.filter { $0.notificationId == "n-heads" }
            #expect(heads.map(\.recipientId) == ["P3"])
            let nowhere = try #require(delivered.first { $0.notificationId == "n-nowhere" })
            #expect(nowhere.outcome == .failed && nowhere.error?.contains("department nowhere") == true)
            // P1's inbox holds the department notification once.
            try await client.execute(uri: "/v1/inbox", method: .get, headers: [.authorization: "Bearer token-P1"]) { response in
                let page = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect((page?["items"] as? [[String: Any]])?.count == 1)
            }

            // P4 joins the department; the file is read again within its check interval.
            try Self.writeDepartments(departments, members: [("P1", "agent"), ("P2", "team_lead"), ("P3", "head"), ("P4", "team_lead")])
            try await Task.sleep(for: .seconds(3))
            try await harness.request(try departmentRequest(id: "n-dept-2", department: "ops", medium: "inbox"))
            let later = try await outcomes(bootstrap: harness.broker.bootstrap, count: 12)
            #expect(Set(later.filter { $0.notificationId == "n-dept-2" }.map(\.recipientId)) == ["P1", "P2", "P3", "P4"])
        }
    }

    @Test("recipients API: admin token required, problem+json naming the field, put creates then replaces, the new entry is used, delete removes")
    func recipientsAPI() async throws {
        let harness = try await NotifyHarness(name: "recipients") { $0.adminToken = "admin-secret" }
        defer { harness.cleanUp() }
        let admin: HTTPFields = [.authorization: "Bearer admin-secret", .contentType: "application/json"]
        let base = harness.receivers.http
        try await harness.run { client in
            let hook = webhook(base)
            try await client.execute(uri: "/v1/recipients", method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
            try await client.execute(uri: "/v1/recipients", method: .get, headers: [.authorization: "Bearer not-it"]) {
                #expect($0.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/recipients/NEW", method: .put, headers: admin,
                                     body: try jsonBody(["webhook": hook, "quietHours": ["start": "25:00", "end": "08:00"]])) { response in
                #expect(response.status == .unprocessableContent)
                let fields = (decoded(response)["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
                #expect(fields == ["quietHours.start"])
            }
            try await client.execute(uri: "/v1/recipients/NEW", method: .put, headers: admin, body: try jsonBody(["id": "OTHER"])) { response in
                #expect(response.status == .unprocessableContent)
                #expect((decoded(response)["errors"] as? [[String: Any]])?.first?["field"] as? String == "id")
            }
            try await client.execute(uri: "/v1/recipients/NEW", method: .put, headers: admin, body: try jsonBody(["channels": 3])) { response in
                #expect(response.status == .unprocessableContent)
                #expect((decoded(response)["errors"] as? [[String: Any]])?.first?["field"] as? String == "channels")
            }
            try await client.execute(uri: "/v1/recipients/NEW", method: .put, headers: admin,
                                     body: try jsonBody(["name": "New CRM", "language": "en"])) { #expect($0.status == .created) }
            try await client.execute(uri: "/v1/recipients/NEW", method: .put, headers: admin,
                                     body: try jsonBody(["name": "New CRM", "language": "en", "webhook": hook])) { response in
                #expect(response.status == .ok)
                let webhook = decoded(response)["webhook"] as? [String: Any]
                #expect(webhook?["secrets"] as? Int == 1 && webhook?["disabled"] as? Bool == false)
                #expect(!String(buffer: response.body).contains(Receivers.webhookSecret))
            }
            try await client.execute(uri: "/v1/recipients?limit=2", method: .get, headers: admin) { response in
                let page = decoded(response)
                #expect((page["recipients"] as? [[String: Any]])?.count == 2 && page["next"] as? String != nil)
            }
            try await client.execute(uri: "/v1/recipients?after=M1&limit=1", method: .get, headers: admin) { response in
                #expect((decoded(response)["recipients"] as? [[String: Any]])?.first?["id"] as? String == "NEW")
            }
            try await harness.request(try notificationRequest(id: "n-api", recipient: "NEW", medium: "webhook"))
            let delivered = try await outcomes(bootstrap: harness.broker.bootstrap, count: 1)
            #expect(delivered.first?.outcome == .delivered && delivered.first?.recipientId == "NEW")

            try await client.execute(uri: "/v1/recipients/NEW", method: .delete, headers: admin) { #expect($0.status == .noContent) }
            try await client.execute(uri: "/v1/recipients/NEW", method: .get, headers: admin) { response in
                #expect(response.status == .notFound)
                #expect((decoded(response)["errors"] as? [[String: Any]])?.first?["field"] as? String == "recipientId")
            }
            try await client.execute(uri: "/v1/recipients/NEW", method: .delete, headers: admin) { #expect($0.status == .notFound) }
        }
    }

    @Test("e-mail over STARTTLS (self-signed certificate made by openssl) with AUTH; the certificate is checked; a relay that requires TLS refuses plain text")
    func startTLS() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notify-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let certificate = folder.appendingPathComponent("relay.pem").path
        let key = folder.appendingPathComponent("relay.key").path
        let made = try #require(ChildProcess.run([
            "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
            "-subj", "/CN=relay.voc.test", "-addext", "subjectAltName=DNS:relay.voc.test",
        ]))
        #expect(made.status == 0, "openssl: \(made.output)")

        let harness = try await NotifyHarness(name: "starttls", tls: (certificate, key)) {
            $0.retry = RetryPolicy(maxAttempts: 1)
        }
        defer { harness.cleanUp() }
        let port = try #require(harness.receivers.smtpTLSPort)
        var configuration = harness.configuration
        configuration.smtp = SMTPSettings(host: "127.0.0.1", port: port, startTLS: true, username: "voc-notify", password: "relay-password",
                                          from: "voc-notify@voc.example", caFile: certificate, serverName: "relay.voc.test")
        try await harness.request(try notificationRequest(id: "n-tls", recipient: "M1", medium: "email", title: "Over TLS"))
        try await NotifyApp.build(configuration: configuration, logger: testLogger).test(.live) { _ in
            let delivered = try await outcomes(bootstrap: harness.broker.bootstrap, count: 1)
            #expect(delivered.first?.outcome == .delivered && delivered.first?.receiverStatus == 250)
            let mails = try await harness.receivers.log(kind: "mail")
            #expect(mails.count == 1)
            #expect(mails.first?["tls"] as? Bool == true && mails.first?["authenticated"] as? Bool == true)
            #expect(mails.first?["port"] as? Int == port)
        }

        // Trusting only the system's roots, the self-signed certificate is refused.
        configuration.smtp.caFile = nil
        configuration.group = "notify-\(UUID().uuidString)"
        try await harness.request(try notificationRequest(id: "n-untrusted", recipient: "M1", medium: "email", title: "Untrusted"))
        try await NotifyApp.build(configuration: configuration, logger: testLogger).test(.live) { _ in
            // Read from the start: n-tls (again, from the ledger, when this run consumed it) and n-untrusted.
            let delivered = try await outcomes(bootstrap: harness.broker.bootstrap, count: 3)
            let refused = try #require(delivered.first { $0.notificationId == "n-untrusted" })
            #expect(refused.outcome == .failed && refused.error?.contains("SMTP") == true)
        }

        // Plain text to a relay that requires STARTTLS: 530, permanent.
        configuration.smtp = SMTPSettings(host: "127.0.0.1", port: port, from: "voc-notify@voc.example")
        configuration.group = "notify-\(UUID().uuidString)"
        try await harness.request(try notificationRequest(id: "n-plain", recipient: "M1", medium: "email", title: "Plain"))
        try await NotifyApp.build(configuration: configuration, logger: testLogger).test(.live) { _ in
            let delivered = try await outcomes(bootstrap: harness.broker.bootstrap, count: 6)
            let plain = try #require(delivered.first { $0.notificationId == "n-plain" })
            #expect(plain.outcome == .failed && plain.receiverStatus == 530 && plain.attempts == 1)
            #expect(try await harness.receivers.log(kind: "mail").count == 1)
        }
    }
}

func departmentRequest(id: String, department: String, memberRole: String? = nil, medium: String) throws -> NotificationRequested {
    var recipient: [String: Any] = ["role": "department", "id": department]
    if let memberRole { recipient["memberRole"] = memberRole }
    let json: [String: Any] = [
        "notificationId": id, "idempotencyKey": "key-\(id)", "recipient": recipient, "medium": medium,
        "title": "部门通知", "body": "请处理工单 T-9。", "requestedAt": Timestamp.format(Date()),
    ]
    return try JSONCoding.decoder().decode(NotificationRequested.self, from: JSONSerialization.data(withJSONObject: json))
}

private func jsonBody(_ object: [String: Any]) throws -> ByteBuffer {
    ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: object))
}

private func decoded(_ response: TestResponse) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]) ?? [:]
}

private func webhook(_ base: String) -> [String: Any] {
    ["url": base + "/hook/ok", "secrets": [Receivers.webhookSecret]]
}
