import Foundation
@testable import Notify
import Testing
import VOCSchema

/// Pure logic: signatures against published vectors, splitting, quiet hours, retry
/// timing, status classification, templates.
@Suite("Notify logic")
struct NotifyUnitTests {
    @Test("webhook signature matches the Standard Webhooks specification's example")
    func standardWebhooksVector() {
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let signature = WebhookSigner.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body,
                                                secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test("two secrets during a rotation give two space-separated signatures; a malformed secret signs nothing")
    func rotation() {
        let body = Array("{}".utf8)
        let both = WebhookSigner.signature(id: "msg_1", timestamp: 1, body: body,
                                           secrets: ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_c2Vjb25k"])
        let parts = both.split(separator: " ")
        #expect(parts.count == 2 && parts.allSatisfy { $0.hasPrefix("v1,") } && parts[0] != parts[1])
        #expect(WebhookSigner.secretBytes("not-a-secret") == nil)
        #expect(WebhookSigner.secretBytes("whsec_c2Vjb25k") == Array("second".utf8))
    }

    @Test("DingTalk sign equals Python's urlencode(base64(hmac_sha256(secret, ts + \"\\n\" + secret)))")
    func dingtalkVector() {
        #expect(DingTalkSigner.sign(secret: "SEC1234567890abcdef", timestampMs: 1_700_000_000_000)
            == "RqBq3E1RTBDv3n2QBCh4adZ2WHk9mVklyUoDBLxarjI%3D")
    }

    @Test("markdown longer than 4,096 bytes is split on lines into parts that each fit, losing nothing")
    func splitting() {
        let line = String(repeating: "客户反映年费重复扣款。", count: 20)
        let text = Array(repeating: line, count: 40).joined(separator: "\n")
        let parts = MarkdownSplitter.split(text)
        #expect(parts.count > 1)
        #expect(parts.allSatisfy { $0.utf8.count <= 4096 })
        #expect(parts.joined(separator: "\n") == text)
        let oneLine = String(repeating: "长", count: 3000)
        let pieces = MarkdownSplitter.split(oneLine)
        #expect(pieces.allSatisfy { $0.utf8.count <= 4096 } && pieces.joined() == oneLine)
        #expect(MarkdownSplitter.split("short") == ["short"])
    }

    @Test("quiet hours across midnight in the person's time zone")
    func quietHours() {
        var person = Recipient(id: "p", name: nil, language: "zh", channels: [], quietStart: 22 * 60, quietEnd: 8 * 60,
                               utcOffsetMinutes: 480, email: nil, mobile: nil, wecomKey: nil, dingtalkToken: nil,
                               dingtalkSecret: nil, webhookURL: nil, webhookSecrets: [], webhookDisabled: false)
        let midnightUTC = Date(timeIntervalSince1970: 1_794_960_000)
        #expect(person.isQuiet(at: midnightUTC.addingTimeInterval(15 * 3600)))   // 23:00 in Beijing
        #expect(person.isQuiet(at: midnightUTC.addingTimeInterval(22 * 3600)))   // 06:00
        #expect(!person.isQuiet(at: midnightUTC.addingTimeInterval(2 * 3600)))   // 10:00
        person.quietStart = nil
        #expect(!person.isQuiet(at: midnightUTC.addingTimeInterval(15 * 3600)))
    }

    @Test("urgent requests and webhooks ignore quiet hours; other pushes go to the inbox")
    func quietMedium() throws {
        let person = Recipient(id: "p", name: nil, language: "zh", channels: [], quietStart: 0, quietEnd: 1439,
                               utcOffsetMinutes: 0, email: nil, mobile: nil, wecomKey: nil, dingtalkToken: nil,
                               dingtalkSecret: nil, webhookURL: nil, webhookSecrets: [], webhookDisabled: false)
        let noon = Date(timeIntervalSince1970: 1_794_960_000 + 12 * 3600)
        let push = try notificationRequest(id: "n1", recipient: "p", medium: "wecom")
        let urgent = try notificationRequest(id: "n2", recipient: "p", medium: "wecom", urgent: true)
        let hook = try notificationRequest(id: "n3", recipient: "p", medium: "webhook")
        #expect(Deliverer.medium(for: push, recipient: person, at: noon) == .inbox)
        #expect(Deliverer.medium(for: urgent, recipient: person, at: noon) == .wecom)
        #expect(Deliverer.medium(for: hook, recipient: person, at: noon) == .webhook)
    }

    @Test("statuses: 2xx delivered, 410 gone, 408/429/5xx transient with Retry-After, other 4xx permanent")
    func classification() {
        #expect(Attempt.classify(status: 204, answer: "", retryAfter: nil).verdict == .delivered)
        #expect(Attempt.classify(status: 410, answer: "", retryAfter: nil).verdict == .gone)
        #expect(Attempt.classify(status: 503, answer: "", retryAfter: .seconds(7)).retryAfter == .seconds(7))
        #expect(Attempt.classify(status: 429, answer: "", retryAfter: nil).verdict == .transient)
        #expect(Attempt.classify(status: 400, answer: "", retryAfter: nil).verdict == .permanent)
        #expect(Attempt.retryAfter("12") == .seconds(12))
        #expect(Attempt.retryAfter("soon") == nil)
    }

    @Test("backoff doubles with jitter under its cap and honours Retry-After up to the cap")
    func backoff() {
        let policy = RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(100), maxBackoff: .milliseconds(1000))
        for _ in 0..<50 {
            let first = policy.delay(after: 1, retryAfter: nil)
            #expect(first >= .milliseconds(50) && first <= .milliseconds(100))
            let fourth = policy.delay(after: 4, retryAfter: nil)
            #expect(fourth >= .milliseconds(400) && fourth <= .milliseconds(800))
            #expect(policy.delay(after: 9, retryAfter: nil) <= .milliseconds(1000))
        }
        #expect(policy.delay(after: 1, retryAfter: .seconds(60)) == .milliseconds(1000))
    }

    @Test("templates per kind and language, falling back to generic and Chinese; a broken one is an error")
    func templates() throws {
        let book = TemplateBook(overrideDirectory: nil)
        let context = MessageContext(title: "SLA 即将到期", body: "工单 T-9 将在 2 小时内超时。", kind: "escalation", urgent: true,
                                     ticketId: "T-9", customerId: nil, recipientName: nil)
        let chinese = try book.render(context, language: "zh")
        #expect(chinese.text.contains("【升级】SLA 即将到期") && chinese.text.contains("T-9"))
        #expect(chinese.html.contains("<h3>") && chinese.html.contains("工单 T-9 将在 2 小时内超时。"))
        let english = try book.render(context, language: "en")
        #expect(english.text.contains("[Escalation]"))
        var generic = context
        generic.kind = "owner_sync"
        #expect(try book.render(generic, language: "fr").text.contains("**【紧急】**"))
        // HTML is escaped in the HTML part, left as written in markdown.
        generic.body = "<b>x</b>"
        let rendered = try book.render(generic, language: "en")
        #expect(rendered.html.contains("&lt;b&gt;x&lt;/b&gt;") && rendered.text.contains("<b>x</b>"))

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("notify-templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("{{#title}} never closed".utf8).write(to: folder.appendingPathComponent("broken.zh.md.mustache"))
        try Data("{{#missing}}only when missing is set{{/missing}}".utf8).write(to: folder.appendingPathComponent("empty.zh.md.mustache"))
        let overridden = TemplateBook(overrideDirectory: folder.path)
        var broken = context
        broken.kind = "broken"
        #expect(throws: NotifyError.self) { try overridden.render(broken, language: "zh") }
        broken.kind = "empty"
        #expect(throws: NotifyError.self) { try overridden.render(broken, language: "zh") }
    }

    @Test("the e-mail is multipart text + HTML with the idempotency key as Message-ID")
    func mail() {
        let id = MailMessage.messageId(idempotencyKey: "route/T-1/escalation 2", domain: "voc.example")
        #expect(id == "route_T-1_escalation_2@voc.example")
        let message = String(decoding: MailMessage.build(from: "a@voc.example", to: "b@example.com", subject: "工单升级", text: "正文",
                                                         html: "<p>正文</p>", messageId: id, date: Date()), as: UTF8.self)
        #expect(message.contains("Message-ID: <\(id)>"))
        #expect(message.contains("multipart/alternative") && message.contains("text/plain; charset=utf-8")
            && message.contains("text/html; charset=utf-8"))
        #expect(message.contains(Data("正文".utf8).base64EncodedString()))
    }

    @Test("the circuit breaker opens after the threshold of failures in a row, and one attempt after the cooldown decides")
    func breaker() {
        var breaker = CircuitBreaker(threshold: 3, cooldown: .seconds(10))
        let start = ContinuousClock.now
        breaker.record("a", transientFailures: 2, succeeded: false, now: start)
        #expect(!breaker.isOpen("a", now: start))
        breaker.record("a", transientFailures: 1, succeeded: false, now: start)
        #expect(breaker.isOpen("a", now: start + .seconds(5)) && breaker.openLanes(now: start + .seconds(5)) == ["a"])
        #expect(!breaker.isOpen("a", now: start + .seconds(11)) && !breaker.isOpen("b", now: start))
        // Half-open: one more failure reopens it at once; a success closes it.
        breaker.record("a", transientFailures: 1, succeeded: false, now: start + .seconds(11))
        #expect(breaker.isOpen("a", now: start + .seconds(12)))
        breaker.record("a", transientFailures: 0, succeeded: true, now: start + .seconds(22))
        #expect(!breaker.isOpen("a", now: start + .seconds(22)))
        breaker.record("a", transientFailures: 2, succeeded: false, now: start + .seconds(22))
        #expect(!breaker.isOpen("a", now: start + .seconds(22)))
    }

    @Test("a digest takes the oldest messages that fit 4,096 bytes, at least one")
    func digestMerge() {
        let items = (1...30).map { RobotDigest.Queued(idempotencyKey: "k\($0)", recipientId: "r", title: "t",
                                                      content: String(repeating: "消息\($0)", count: 30)) }
        let (taken, text) = RobotDigest.merge(items)
        #expect(taken.count > 1 && taken.count < 30)
        #expect(taken.map(\.idempotencyKey) == items.prefix(taken.count).map(\.idempotencyKey))
        #expect(text.utf8.count <= 4096)
        let (single, alone) = RobotDigest.merge([items[0]])
        #expect(single.count == 1 && alone == items[0].content)
    }
}
