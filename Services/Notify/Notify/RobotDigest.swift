import Foundation
import Logging
import ServiceLifecycle
import VOCRuntime
import VOCSchema
import VOCStore

/// Robot messages held back by a robot's limit wait in PostgreSQL and leave merged: one
/// digest message per free slot instead of a dropped message per busy minute.
struct RobotDigest: Sendable {
    let store: Store
    let ledger: DeliveryLedger

    static func robot(medium: NotificationRequested.Medium, recipient: Recipient) -> String? {
        switch medium {
        case .wecom: recipient.wecomKey.map { "wecom:\($0)" }
        case .dingtalk: recipient.dingtalkToken.map { "dingtalk:\($0)" }
        default: nil
        }
    }

    func enqueue(_ request: NotificationRequested, recipient: Recipient, message: RenderedMessage, attempts: Int) async throws {
        guard let robot = Self.robot(medium: request.medium, recipient: recipient) else { return }
        try await store.transaction { transaction in
            try await transaction.execute(
                """
                INSERT INTO notify_robot_queue (idempotency_key, medium, robot, recipient_id, title, content)
                VALUES (\(request.idempotencyKey), \(request.medium.rawValue), \(robot), \(recipient.id), \(message.title),
                        \(message.text))
                ON CONFLICT (idempotency_key) DO NOTHING
                """)
            try await transaction.execute(
                """
                UPDATE notify_deliveries SET status = 'queued', attempts = \(attempts)
                WHERE idempotency_key = \(request.idempotencyKey)
                """)
        }
    }

    struct Queued: Sendable {
        var idempotencyKey: String
        var recipientId: String
        var title: String
        var content: String
    }

    func robots() async throws -> [String] {
        try await store.rows("SELECT DISTINCT robot FROM notify_robot_queue ORDER BY robot", as: String.self)
    }

    func queued(robot: String) async throws -> [Queued] {
        try await store.rows(
            """
            SELECT idempotency_key, recipient_id, title, content FROM notify_robot_queue
            WHERE robot = \(robot) ORDER BY queued_at, idempotency_key LIMIT 200
            """, as: String.self, String.self, String.self, String.self).map { Queued(idempotencyKey: $0.0, recipientId: $0.1, title: $0.2, content: $0.3) }
    }

    /// The messages that fit one digest of at most `limit` bytes (always at least one),
    /// and its text.
    static func merge(_ items: [Queued], limit: Int = MarkdownSplitter.wecomLimit) -> (taken: [Queued], text: String) {
        guard items.count > 1 else { return (items, items.first?.content ?? "") }
        var taken: [Queued] = []
        var text = ""
        for item in items {
            let header = "**合并通知 Digest (\(taken.count + 1))**\n\n"
            let candidate = taken.isEmpty ? item.content : text + "\n\n---\n\n" + item.content
            if !taken.isEmpty && (header + candidate).utf8.count > limit { break }
            taken.append(item)
            text = candidate
        }
        return (taken, taken.count == 1 ? text : "**合并通知 Digest (\(taken.count))**\n\n" + text)
    }

    /// Marks the digest's messages as ended and removes them from the queue, in one transaction.
    func settle(_ taken: [Queued], status: LedgerEntry.Status, last: Attempt) async throws {
        try await store.transaction { transaction in
            for item in taken {
                try await transaction.execute(
                    """
                    UPDATE notify_deliveries SET status = \(status.rawValue), attempts = attempts + 1,
                        receiver_status = \(last.status), receiver_answer = \(last.answer), error = \(last.error),
                        finished_at = now()
                    WHERE idempotency_key = \(item.idempotencyKey)
                    """)
                try await transaction.execute("DELETE FROM notify_robot_queue WHERE idempotency_key = \(item.idempotencyKey)")
            }
        }
    }
}

/// Every `notify.digestIntervalMs`, sends one digest per robot that has a free slot, and
/// publishes the outcome of every message in it.
struct DigestFlusher: Service {
    let digest: RobotDigest
    let recipients: RecipientRepository
    let robots: RobotClient
    let limiter: RobotLimiter
    let publisher: EventPublisher
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await flushOnce()
            } catch {
                logger.warning("robot digest failed, will try again", metadata: [LogKey.error: "\(error)"])
            }
            try? await Task.sleep(for: interval)
        }
    }

    /// - Returns: how many queued messages reached an end.
    @discardableResult
    func flushOnce() async throws -> Int {
        var settled = 0
        for robot in try await digest.robots() {
            let queued = try await digest.queued(robot: robot)
            guard let first = queued.first, let recipient = try await recipients.find(first.recipientId) else { continue }
            let (taken, text) = RobotDigest.merge(queued)
            let parts = robot.hasPrefix("wecom:") ? MarkdownSplitter.split(text) : [text]
            guard await limiter.take(robot, count: parts.count) else { continue }
            var last = Attempt(verdict: .delivered)
            for part in parts where last.verdict == .delivered {
                if robot.hasPrefix("wecom:") {
                    last = await robots.wecom(key: String(robot.dropFirst(6)), content: part)
                } else {
                    let title = taken.count == 1 ? first.title : "合并通知 Digest (\(taken.count))"
                    last = await robots.dingtalk(token: String(robot.dropFirst(9)), secret: recipient.dingtalkSecret,
                                                 title: title, text: part, mobiles: recipient.mobile.map { [$0] } ?? [])
                }
            }
            switch last.verdict {
            case .delivered: try await digest.settle(taken, status: .delivered, last: last)
            case .permanent, .gone: try await digest.settle(taken, status: .failed, last: last)
            case .rateLimited:
                await limiter.exhaust(robot)
                continue
            case .transient:
                continue
            }
            settled += taken.count
            for item in taken {
                guard let entry = try await digest.ledger.entry(item.idempotencyKey) else { continue }
                let outcome = try publisher.encode(entry.outcome(idempotencyKey: item.idempotencyKey),
                                                   key: Array(entry.recipientId.utf8))
                _ = try await publisher.producer.send(outcome.record)
            }
        }
        return settled
    }
}
