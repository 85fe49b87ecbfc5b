import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
@testable import Notify
import Testing
import VOCServiceTestSupport
import VOCSchema

/// WeCom and DingTalk robots, e-mail and the inbox, against local receivers.
@Suite("Notify channels", .serialized)
struct ChannelDeliveryTests {
    @Test("WeCom markdown over 4,096 bytes arrives in parts; DingTalk is signed (checked by the receiver) and @s the person; 310000 is permanent")
    func robots() async throws {
        let harness = try await NotifyHarness(name: "robots")
        defer { harness.cleanUp() }
        let long = Array(repeating: String(repeating: "客户反映年费重复扣款，请核实。", count: 10), count: 40).joined(separator: "\n")
        try await harness.request(
            try notificationRequest(id: "n-wecom", recipient: "A1", medium: "wecom"),
            try notificationRequest(id: "n-long", recipient: "LONG", medium: "wecom", body: long),
            try notificationRequest(id: "n-ding", recipient: "A1", medium: "dingtalk", kind: "escalation"),
            try notificationRequest(id: "n-badsign", recipient: "BADSIGN", medium: "dingtalk"))
        try await harness.run { _ in
            let delivered = try await outcomes(bootstrap: harness.broker.bootstrap, count: 4)
            let byId = Dictionary(delivered.map { ($0.notificationId, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byId["n-wecom"]?.outcome == .delivered && byId["n-long"]?.outcome == .delivered)
            #expect(byId["n-ding"]?.outcome == .delivered)
            let bad = try #require(byId["n-badsign"])
            #expect(bad.outcome == .failed && bad.attempts == 1 && bad.receiverAnswer?.contains("310000") == true)

            let wecom = try await harness.receivers.log(kind: "wecom")
            let parts = wecom.filter { $0["key"] as? String == "robot-long" }
            #expect(parts.count > 1 && parts.allSatisfy { ($0["bytes"] as? Int ?? 99_999) <= 4096 })
            #expect(parts.allSatisfy { $0["refused"] == nil })
            let single = try #require(wecom.first { $0["key"] as? String == "robot-a" })
            #expect((single["content"] as? String)?.contains("客户投诉升级") == true)
            let ding = try await harness.receivers.log(kind: "dingtalk")
            let accepted = try #require(ding.first { $0["token"] as? String == "ding-a" })
            let message = try #require(accepted["message"] as? [String: Any])
            #expect(message["msgtype"] as? String == "markdown")
            #expect((message["at"] as? [String: Any])?["atMobiles"] as? [String] == ["13800000001"])
            #expect(((message["markdown"] as? [String: Any])?["text"] as? String)?.contains("@13800000001") == true)
            #expect(ding.contains { $0["token"] as? String == "ding-bad" && $0["refused"] as? Int == 310000 })
        }
    }

    @Test("over a robot's limit, and after a 45009, messages are merged into a digest, none dropped")
    func rateLimitDigest() async throws {
        let harness = try await NotifyHarness(name: "digest") {
            $0.robotPerMinute = 2
            $0.robotWindow = .seconds(2)
        }
        defer { harness.cleanUp() }
        for index in 1...5 {
            try await harness.request(try notificationRequest(id: "n-rate-\(index)", recipient: "A1", medium: "wecom",
                                                              title: "第\(index)条通知"))
        }
        try await harness.request(try notificationRequest(id: "n-busy", recipient: "BUSY", medium: "wecom", title: "忙时通知"))
        try await harness.run { _ in
            let delivered = try await outcomes(bootstrap: harness.broker.bootstrap, count: 6)
            #expect(delivered.count == 6 && delivered.allSatisfy { $0.outcome == .delivered })
            let wecom = try await harness.receivers.log(kind: "wecom")
            let robotA = wecom.filter { $0["key"] as? String == "robot-a" }
            // Two within the limit, the other three in one digest.
            #expect(robotA.count == 3)
            let text = robotA.compactMap { $0["content"] as? String }.joined(separator: "\n")
            for index in 1...5 { #expect(text.contains("第\(index)条通知")) }
            #expect(robotA.last?["content"] as? String ?? "" != "" && (robotA.last?["content"] as? String)?.contains("Digest (3)") == true)
            let busy = wecom.filter { $0["key"] as? String == "busy-once" }
            #expect(busy.count == 2 && busy.first?["refused"] as? Int == 45009 && busy.last?["refused"] == nil)
        }
    }

    @Test("e-mail reaches a real SMTP server (aiosmtpd): multipart text + HTML, Message-ID from the idempotency key")
    func email() async throws {
        let harness = try await NotifyHarness(name: "email")
        defer { harness.cleanUp() }
        let request = try notificationRequest(id: "n-mail", key: "route/T-1/escalation", recipient: "M1", medium: "email",
                                              title: "Ticket escalated", body: "Customer C-1 complained twice.", kind: "escalation")
        try await harness.request(request, request)
        try await harness.run { _ in
            let delivered = try await outcomes(bootstrap: harness.broker.bootstrap, count: 1)
            #expect(delivered.count == 1 && delivered.allSatisfy { $0.outcome == .delivered && $0.receiverStatus == 250 })
            try await harness.request(request)
            #expect(try await outcomes(bootstrap: harness.broker.bootstrap, count: 2).map(\.deliveryId) == Array(repeating: delivered[0].deliveryId, count: 2))
            let mails = try await harness.receivers.log(kind: "mail")
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(mail["to"] as? [String] == ["m1@example.com"])
            let data = try #require(mail["data"] as? String)
            #expect(data.contains("Message-ID: <route_T-1_escalation@voc.example>"))
            #expect(data.contains("multipart/alternative") && data.contains("text/html"))
            #expect(data.contains(Data("**[Escalation] Ticket escalated**".utf8).base64EncodedString().prefix(20)))
        }
    }

    @Test("a relay that requires AUTH takes the message with the right password and refuses it (535, permanent) with a wrong one")
    func smtpAuth() async throws {
        let right = try await NotifyHarness(name: "smtpauth") {
            $0.smtp = SMTPSettings(host: "127.0.0.1", port: $0.smtp.port, username: "voc-notify", password: "relay-password",
                                   from: "voc-notify@voc.example")
        }
        defer { right.cleanUp() }
        let relayPort = right.receivers.smtpAuthPort
        var configuration = right.configuration
        configuration.smtp.port = relayPort
        try await right.request(try notificationRequest(id: "n-auth", recipient: "M1", medium: "email", title: "Relay with AUTH"))
        try await NotifyApp.build(configuration: configuration, logger: testLogger).test(.live) { _ in
            let delivered = try await outcomes(bootstrap: right.broker.bootstrap, count: 1)
            #expect(delivered.first?.outcome == .delivered && delivered.first?.receiverStatus == 250)
            #expect(try await right.receivers.log(kind: "mail").count == 1)
        }
        configuration.smtp.password = "wrong"
        configuration.group = "notify-\(UUID().uuidString)"
        try await right.request(try notificationRequest(id: "n-auth-wrong", recipient: "M1", medium: "email", title: "Wrong password"))
        try await NotifyApp.build(configuration: configuration, logger: testLogger).test(.live) { _ in
            // Run again from the start of the topic: n-auth is answered from the ledger, not sent again.
            let delivered = try await outcomes(bootstrap: right.broker.bootstrap, count: 3)
            let refused = try #require(delivered.first { $0.notificationId == "n-auth-wrong" })
            #expect(refused.outcome == .failed && refused.attempts == 1 && refused.receiverStatus == 535)
            #expect(try await right.receivers.log(kind: "mail").count == 1)
        }
    }

    @Test("a relay that accepts the connection and never answers is a transient failure after the timeout, not a held lane")
    func silentRelay() async throws {
        // Listening, never accepting: the kernel completes the connection, nobody speaks.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(listen(fd, 8) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let client = SMTPClient(settings: SMTPSettings(host: "127.0.0.1", port: port), timeout: .seconds(1))
        let start = ContinuousClock.now
        let attempt = await client.send(to: "m1@example.com", message: Array("Subject: x\r\n\r\nx".utf8))
        #expect(attempt.verdict == .transient && attempt.error?.contains("did not finish") == true)
        #expect(ContinuousClock.now - start < .seconds(5))
    }

    @Test("quiet hours turn a push into an inbox item; urgent goes through; the inbox API shows a person only their own")
    func quietHoursAndInbox() async throws {
        let harness = try await NotifyHarness(name: "inbox")
        defer { harness.cleanUp() }
        try await harness.request(
            try notificationRequest(id: "n-quiet", recipient: "NIGHT", medium: "wecom", title: "夜间普通通知"),
            try notificationRequest(id: "n-urgent", recipient: "NIGHT", medium: "wecom", title: "夜间紧急通知", urgent: true),
            try notificationRequest(id: "n-inbox-1", recipient: "A1", medium: "inbox", title: "客户资料已同步"),
            try notificationRequest(id: "n-inbox-2", recipient: "A1", medium: "inbox", title: "请客户确认"),
            try notificationRequest(id: "n-inbox-m", recipient: "M1", medium: "inbox", title: "Manager only"))
        try await harness.run { client in
            let delivered = try await outcomes(bootstrap: harness.broker.bootstrap, count: 5)
            let byId = Dictionary(delivered.map { ($0.notificationId, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byId["n-quiet"]?.outcome == .delivered && byId["n-quiet"]?.deliveredVia == .inbox)
            #expect(byId["n-urgent"]?.outcome == .delivered && byId["n-urgent"]?.deliveredVia == nil)
            let night = try await harness.receivers.log(kind: "wecom").filter { $0["key"] as? String == "robot-night" }
            #expect(night.count == 1 && (night.first?["content"] as? String)?.contains("夜间紧急通知") == true)

            func bearer(_ token: String) -> HTTPFields { [.authorization: "Bearer \(token)"] }
            try await client.execute(uri: "/v1/inbox", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/inbox", method: .get, headers: bearer("nobody's")) { #expect($0.status == .unauthorized) }
            let pageBytes = try await client.execute(uri: "/v1/inbox", method: .get, headers: bearer(NotifyHarness.advisorToken)) { response in
                #expect(response.status == .ok)
                return Data(response.body.readableBytesView)
            }
            let page = try JSONSerialization.jsonObject(with: pageBytes) as? [String: Any]
            let items = try #require(page?["items"] as? [[String: Any]])
            #expect(Set(items.compactMap { $0["title"] as? String }) == ["客户资料已同步", "请客户确认"])
            #expect(page?["unread"] as? Int == 2)
            let itemId = try #require(items.first?["itemId"] as? String)
            // Another person cannot mark it, nor see it.
            try await client.execute(uri: "/v1/inbox/\(itemId)/read", method: .post, headers: bearer(NotifyHarness.managerToken)) {
                #expect($0.status == .notFound)
            }
            try await client.execute(uri: "/v1/inbox/\(itemId)/read", method: .post, headers: bearer(NotifyHarness.advisorToken)) {
                #expect($0.status == .noContent)
            }
            try await client.execute(uri: "/v1/inbox/unread-count", method: .get, headers: bearer(NotifyHarness.advisorToken)) { response in
                let count = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(count?["unread"] as? Int == 1)
            }
            try await client.execute(uri: "/v1/inbox", method: .get, headers: bearer(NotifyHarness.managerToken)) { response in
                let body = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                let titles = (body?["items"] as? [[String: Any]])?.compactMap { $0["title"] as? String }
                #expect(titles == ["Manager only"])
            }
        }
    }
}
