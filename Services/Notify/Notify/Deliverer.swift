import Foundation
import VOCSchema

/// Hands one notification to its receiver over its medium, once, and reports how the
/// attempt ended.
struct Deliverer: Sendable {
    let recipients: RecipientRepository
    let inbox: InboxRepository
    let robots: RobotClient
    let limiter: RobotLimiter
    let http: OutboundHTTP
    let smtp: SMTPClient

    /// The medium to use now: outside urgent cases, quiet hours turn a push (robot,
    /// e-mail) into a silent inbox item. Webhooks feed systems, which have no night.
    static func medium(for request: NotificationRequested, recipient: Recipient, at date: Date) -> NotificationRequested.Medium {
        switch request.medium {
        case .wecom, .dingtalk, .email:
            if request.urgent != true && recipient.isQuiet(at: date) { return .inbox }
            return request.medium
        default:
            return request.medium
        }
    }

    /// One attempt over `medium`; the dispatcher decides what follows.
    func once(_ request: NotificationRequested, medium: NotificationRequested.Medium, recipient: Recipient,
              message: RenderedMessage) async throws -> Attempt {
        switch medium {
        case .inbox:
            try await inbox.add(itemId: DeliveryLedger.deliveryId(request.idempotencyKey), recipientId: recipient.id,
                                kind: request.kind ?? "generic", title: message.title, body: message.text,
                                urgent: request.urgent ?? false, ticketId: request.ticketId, customerId: request.customerId)
            return Attempt(verdict: .delivered)
        case .webhook:
            guard let url = recipient.webhookURL, !recipient.webhookSecrets.isEmpty else {
                return .permanent("recipient \(recipient.id) has no webhook endpoint with a secret")
            }
            if recipient.webhookDisabled { return .permanent("webhook endpoint of \(recipient.id) is disabled (it answered 410)") }
            let body = try WebhookPayload(request, message: message).bytes()
            let headers = WebhookSigner.headers(id: Self.webhookId(request), timestamp: Int(Date().timeIntervalSince1970),
                                                body: body, secrets: recipient.webhookSecrets)
            switch await http.send(url, headers: headers, body: body) {
            case .unanswered(let attempt): return attempt
            case .answered(let status, let answer, let retryAfter):
                let attempt = Attempt.classify(status: status, answer: answer, retryAfter: retryAfter)
                if attempt.verdict == .gone { try await recipients.disableWebhook(recipient.id) }
                return attempt
            }
        case .wecom:
            guard let key = recipient.wecomKey else { return .permanent("recipient \(recipient.id) has no WeCom robot") }
            let parts = MarkdownSplitter.split(message.text)
            guard await limiter.take("wecom:\(key)", count: parts.count) else {
                return Attempt(verdict: .rateLimited, error: "robot at its limit of messages a minute")
            }
            var last = Attempt(verdict: .delivered)
            for part in parts {
                last = await robots.wecom(key: key, content: part)
                if last.verdict == .rateLimited { await limiter.exhaust("wecom:\(key)") }
                if last.verdict != .delivered { return last }
            }
            return last
        case .dingtalk:
            guard let token = recipient.dingtalkToken else { return .permanent("recipient \(recipient.id) has no DingTalk robot") }
            guard await limiter.take("dingtalk:\(token)") else {
                return Attempt(verdict: .rateLimited, error: "robot at its limit of messages a minute")
            }
            let attempt = await robots.dingtalk(token: token, secret: recipient.dingtalkSecret, title: message.title,
                                                text: message.text, mobiles: recipient.mobile.map { [$0] } ?? [])
            if attempt.verdict == .rateLimited { await limiter.exhaust("dingtalk:\(token)") }
            return attempt
        case .email:
            guard let address = recipient.email else { return .permanent("recipient \(recipient.id) has no e-mail address") }
            let domain = smtp.settings.from.split(separator: "@").last.map(String.init) ?? "voc.local"
            let mail = MailMessage.build(
                from: smtp.settings.from, to: address, subject: message.title, text: message.text, html: message.html,
                messageId: MailMessage.messageId(idempotencyKey: request.idempotencyKey, domain: domain), date: Date())
            return await smtp.send(to: address, message: mail)
        case .unknown(let raw):
            return .permanent("medium \(raw) is not one this build delivers")
        }
    }

    /// Stable across retries and redeliveries, so a receiver drops repeats by it.
    static func webhookId(_ request: NotificationRequested) -> String {
        "msg_" + DeliveryLedger.deliveryId(request.idempotencyKey)
    }
}

/// Log metadata keys of the notify stage, beside the pipeline's ``LogKey``.
enum NotifyLogKey {
    static let idempotencyKey = "notify.idempotency_key"
    static let delay = "notify.delay"
    static let directory = "notify.directory_file"
    static let recipients = "notify.recipients"
    static let departments = "notify.departments"
    static let lane = "notify.lane"
}

/// The JSON body of a webhook, in the Standard Webhooks shape (`type`, `timestamp`,
/// `data`); described by docs/notify-webhook.v1.schema.json.
struct WebhookPayload: Encodable {
    struct Content: Encodable {
        var notificationId: String
        var idempotencyKey: String
        var recipientId: String
        var recipientRole: String
        var kind: String
        var urgent: Bool
        var title: String
        var body: String
        var text: String
        var ticketId: String?
        var customerId: String?
        var requestedAt: Date
    }

    var type = "notification.requested"
    var timestamp: Date
    var data: Content

    init(_ request: NotificationRequested, message: RenderedMessage) {
        timestamp = request.requestedAt
        data = Content(notificationId: request.notificationId, idempotencyKey: request.idempotencyKey,
                    recipientId: request.recipient.id, recipientRole: request.recipient.role, kind: request.kind ?? "generic",
                    urgent: request.urgent ?? false, title: request.title, body: request.body, text: message.text,
                    ticketId: request.ticketId, customerId: request.customerId, requestedAt: request.requestedAt)
    }

    /// The same bytes for every attempt: the signature covers them.
    func bytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return Array(try encoder.encode(self))
    }
}
