import Foundation

/// Someone must be told something (`voc.notification.requested.v1`, key: recipient id).
public struct NotificationRequested: VOCEvent {
    public static let topic = Topic.notificationRequested

    public enum Medium: OpenEnum {
        case webhook, wecom, dingtalk, email, inbox
        /// A medium added after this build, carried as sent.
        case unknown(String)

        public static let known: [Medium] = [.webhook, .wecom, .dingtalk, .email, .inbox]

        public init(rawValue: String) {
            switch rawValue {
            case "webhook": self = .webhook
            case "wecom": self = .wecom
            case "dingtalk": self = .dingtalk
            case "email": self = .email
            case "inbox": self = .inbox
            default: self = .unknown(rawValue)
            }
        }

        public var rawValue: String {
            switch self {
            case .webhook: "webhook"
            case .wecom: "wecom"
            case .dingtalk: "dingtalk"
            case .email: "email"
            case .inbox: "inbox"
            case .unknown(let raw): raw
            }
        }
    }

    public struct Recipient: Codable, Sendable, Equatable {
        /// `advisor`, `relationship_manager`, `department`, `manager`. With `department`,
        /// `id` names a department of the directory and every member is told.
        public var role: String
        public var id: String
        /// With role `department`: only its members of this directory role (`agent`,
        /// `team_lead`, `head`). Added in v1, optional.
        public var memberRole: String?

        public init(role: String, id: String, memberRole: String? = nil) {
            self.role = role
            self.id = id
            self.memberRole = memberRole
        }
    }

    public var notificationId: String
    /// Same key, same notification: the delivery ledger sends it once.
    public var idempotencyKey: String
    public var recipient: Recipient
    public var medium: Medium
    public var title: String
    /// Already redacted.
    public var body: String
    public var ticketId: String?
    public var customerId: String?
    public var requestedAt: Date
    /// What the notification is about. Added in v1, optional.
    public var insightId: String?
    public var interactionId: String?
    /// The insight's categories, sentiment label and complaint risk (0...1). Added in v1, optional.
    public var categories: [String]?
    public var sentiment: String?
    public var complaintRisk: Double?

    /// What it is about (`owner_sync`, `escalation`, `sla_warning`, `confirmation_request`);
    /// chooses the template. Absent: `generic`.
    public var kind: String?
    /// Urgent notifications reach the person during quiet hours too.
    public var urgent: Bool?

    public init(notificationId: String, idempotencyKey: String, recipient: Recipient, medium: Medium, title: String,
                body: String, ticketId: String? = nil, customerId: String? = nil, requestedAt: Date,
                insightId: String? = nil, interactionId: String? = nil, categories: [String]? = nil,
                sentiment: String? = nil, complaintRisk: Double? = nil, kind: String? = nil, urgent: Bool? = nil) {
        self.notificationId = notificationId
        self.idempotencyKey = idempotencyKey
        self.recipient = recipient
        self.medium = medium
        self.title = title
        self.body = body
        self.ticketId = ticketId
        self.customerId = customerId
        self.requestedAt = requestedAt
        self.insightId = insightId
        self.interactionId = interactionId
        self.categories = categories
        self.sentiment = sentiment
        self.complaintRisk = complaintRisk
        self.kind = kind
        self.urgent = urgent
    }

    public var eventId: String { notificationId }
    public var subject: String { recipient.id }
    public var eventTime: Date { requestedAt }

    public func validate() throws(ValidationError) {
        var check = FieldChecker()
        check.identifier(notificationId, "notificationId")
        check.identifier(idempotencyKey, "idempotencyKey", maxLength: 256)
        check.identifier(recipient.id, "recipient.id")
        check.text(title, "title", maxLength: 500)
        try check.throwIfAny()
    }
}

/// The outcome of one notification (`voc.notification.delivered.v1`, key: recipient id).
public struct NotificationDelivered: VOCEvent {
    public static let topic = Topic.notificationDelivered

    public enum Outcome: OpenEnum {
        case delivered, failed, duplicate
        /// An outcome added after this build, carried as sent.
        case unknown(String)

        public static let known: [Outcome] = [.delivered, .failed, .duplicate]

        public init(rawValue: String) {
            switch rawValue {
            case "delivered": self = .delivered
            case "failed": self = .failed
            case "duplicate": self = .duplicate
            default: self = .unknown(rawValue)
            }
        }

        public var rawValue: String {
            switch self {
            case .delivered: "delivered"
            case .failed: "failed"
            case .duplicate: "duplicate"
            case .unknown(let raw): raw
            }
        }
    }

    public var deliveryId: String
    public var notificationId: String
    public var idempotencyKey: String
    public var recipientId: String
    public var medium: NotificationRequested.Medium
    public var outcome: Outcome
    public var attempts: Int
    public var error: String?
    public var deliveredAt: Date
    /// The receiver's HTTP status of the last attempt, when it answered.
    public var receiverStatus: Int?
    /// The receiver's answer to the last attempt (a robot's `errcode`/`errmsg`, an SMTP
    /// reply), cut to 1,000 characters.
    public var receiverAnswer: String?
    /// The medium actually used when it differs from the one requested (quiet hours move
    /// a push to the in-app inbox).
    public var deliveredVia: NotificationRequested.Medium?

    public init(deliveryId: String, notificationId: String, idempotencyKey: String, recipientId: String,
                medium: NotificationRequested.Medium, outcome: Outcome, attempts: Int, error: String? = nil,
                deliveredAt: Date, receiverStatus: Int? = nil, receiverAnswer: String? = nil,
                deliveredVia: NotificationRequested.Medium? = nil) {
        self.deliveryId = deliveryId
        self.notificationId = notificationId
        self.idempotencyKey = idempotencyKey
        self.recipientId = recipientId
        self.medium = medium
        self.outcome = outcome
        self.attempts = attempts
        self.error = error
        self.deliveredAt = deliveredAt
        self.receiverStatus = receiverStatus
        self.receiverAnswer = receiverAnswer
        self.deliveredVia = deliveredVia
    }

    public var eventId: String { deliveryId }
    public var subject: String { recipientId }
    public var eventTime: Date { deliveredAt }

    public func validate() throws(ValidationError) {
        var check = FieldChecker()
        check.identifier(deliveryId, "deliveryId")
        check.identifier(notificationId, "notificationId")
        check.identifier(recipientId, "recipientId")
        if attempts < 1 { check.fail("attempts", "must be at least 1") }
        try check.throwIfAny()
    }
}
