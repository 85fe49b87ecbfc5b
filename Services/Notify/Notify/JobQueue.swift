import Foundation
import VOCKafka
import VOCRuntime
import VOCSchema
import VOCStore

/// One delivery waiting for its endpoint, with what is needed to send it, publish its
/// outcome and, after the last attempt, dead-letter the original record.
struct DeliveryJob: Sendable {
    var idempotencyKey: String
    var lane: String
    var medium: NotificationRequested.Medium
    var deliveredVia: String?
    var recipientId: String
    var request: NotificationRequested
    var message: RenderedMessage
    var attempts: Int
    var origin: Origin

    /// The consumed record, kept for the dead letter.
    struct Origin: Sendable {
        var topic: String
        var partition: Int32
        var offset: Int64
        var key: [UInt8]?
        var value: [UInt8]
        var headers: [(name: String, value: [UInt8])]
        var traceparent: String?
    }

    /// Robot lanes send one message at a time, in order: the platforms count and merge
    /// per robot.
    static func isSerial(_ lane: String) -> Bool {
        lane.hasPrefix("wecom:") || lane.hasPrefix("dingtalk:")
    }

    /// The endpoint a delivery goes to: deliveries share a lane, and so its order and its
    /// circuit breaker, when they share an endpoint.
    static func lane(medium: NotificationRequested.Medium, recipient: Recipient, smtp: SMTPSettings) -> String {
        switch medium {
        case .webhook: "webhook:" + (recipient.webhookURL ?? recipient.id)
        case .wecom: "wecom:" + (recipient.wecomKey ?? recipient.id)
        case .dingtalk: "dingtalk:" + (recipient.dingtalkToken ?? recipient.id)
        case .email: "smtp:\(smtp.host ?? "-"):\(smtp.port)"
        default: "other:" + recipient.id
        }
    }
}

/// `notify_jobs`: stored by the stage, leased and settled by the dispatcher.
struct JobQueue: Sendable {
    let store: Store
    /// How long a leased job is left alone; a replica that died mid-send frees its jobs
    /// after this.
    let lease: Duration

    /// Stores the jobs of a batch in one statement; a job already stored stays as it is.
    func add(_ jobs: [DeliveryJob], on session: any SQLSession) async throws {
        guard !jobs.isEmpty else { return }
        let encoder = JSONCoding.encoder()
        var requests: [String] = []
        var headers: [String] = []
        for job in jobs {
            requests.append(String(decoding: try encoder.encode(job.request), as: UTF8.self))
            let pairs = job.origin.headers.map { [$0.name, Data($0.value).base64EncodedString()] }
            headers.append(String(decoding: try JSONSerialization.data(withJSONObject: pairs), as: UTF8.self))
        }
        try await session.execute(
            """
            INSERT INTO notify_jobs (idempotency_key, lane, medium, delivered_via, recipient_id, request, title, body_text,
                body_html, attempts, origin_topic, origin_partition, origin_offset, origin_key, origin_value, origin_headers,
                traceparent)
            SELECT * FROM unnest(\(jobs.map(\.idempotencyKey))::text[], \(jobs.map(\.lane))::text[],
                \(jobs.map(\.medium.rawValue))::text[], \(jobs.map(\.deliveredVia))::text[], \(jobs.map(\.recipientId))::text[],
                \(requests)::text[], \(jobs.map(\.message.title))::text[], \(jobs.map(\.message.text))::text[],
                \(jobs.map(\.message.html))::text[], \(jobs.map(\.attempts))::integer[], \(jobs.map(\.origin.topic))::text[],
                \(jobs.map { Int($0.origin.partition) })::bigint[], \(jobs.map { Int($0.origin.offset) })::bigint[],
                \(jobs.map { $0.origin.key.map { Data($0) } })::bytea[], \(jobs.map { Data($0.origin.value) })::bytea[],
                \(headers)::text[], \(jobs.map(\.origin.traceparent))::text[])
            ON CONFLICT (idempotency_key) DO NOTHING
            """)
    }

    /// Leases up to `limit` due jobs of lanes not in `busy`, oldest first.
    func lease(excluding busy: [String], limit: Int) async throws -> [DeliveryJob] {
        let seconds = Double(lease.components.seconds)
        let rows = try await store.rows(
            """
            UPDATE notify_jobs SET leased_until = now() + make_interval(secs => \(seconds))
            WHERE idempotency_key IN (
                SELECT idempotency_key FROM notify_jobs
                WHERE next_attempt_at <= now() AND (leased_until IS NULL OR leased_until < now())
                  AND lane <> ALL(\(busy))
                ORDER BY next_attempt_at, idempotency_key LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING idempotency_key, lane, medium, delivered_via, recipient_id, request, title, body_text, body_html,
                attempts, origin_topic, origin_partition, origin_offset, origin_key, origin_value, origin_headers, traceparent,
                next_attempt_at
            """, as: String.self, String.self, String.self, String?.self, String.self, String.self, String.self, String.self,
            String.self, Int.self, String.self, Int.self, Int.self, Data?.self, Data.self, String.self, String?.self, Date.self)
        var jobs: [(Date, DeliveryJob)] = []
        for row in rows {
            guard let request = try? JSONCoding.decoder().decode(NotificationRequested.self, from: Data(row.5.utf8)) else { continue }
            let pairs = (try? JSONSerialization.jsonObject(with: Data(row.15.utf8)) as? [[String]]) ?? []
            let headers = pairs.compactMap { pair -> (name: String, value: [UInt8])? in
                guard pair.count == 2, let value = Data(base64Encoded: pair[1]) else { return nil }
                return (pair[0], Array(value))
            }
            let origin = DeliveryJob.Origin(topic: row.10, partition: Int32(row.11), offset: Int64(row.12), key: row.13.map(Array.init),
                                            value: Array(row.14), headers: headers, traceparent: row.16)
            jobs.append((row.17, DeliveryJob(
                idempotencyKey: row.0, lane: row.1, medium: NotificationRequested.Medium(rawValue: row.2), deliveredVia: row.3,
                recipientId: row.4, request: request, message: RenderedMessage(title: row.6, text: row.7, html: row.8),
                attempts: row.9, origin: origin)))
        }
        return jobs.sorted { ($0.0, $0.1.idempotencyKey) < ($1.0, $1.1.idempotencyKey) }.map(\.1)
    }

    /// A transient failure: try again after `delay`, by any replica.
    func reschedule(_ idempotencyKey: String, attempts: Int, after delay: Duration) async throws {
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        try await store.execute(
            """
            UPDATE notify_jobs SET attempts = \(attempts), leased_until = NULL,
                next_attempt_at = now() + make_interval(secs => \(seconds))
            WHERE idempotency_key = \(idempotencyKey)
            """)
    }

    /// Gives leases back untouched, so the jobs keep their place in their lane.
    func release(_ idempotencyKeys: [String]) async throws {
        guard !idempotencyKeys.isEmpty else { return }
        try await store.execute("UPDATE notify_jobs SET leased_until = NULL WHERE idempotency_key = ANY(\(idempotencyKeys))")
    }

    func remove(_ idempotencyKey: String) async throws {
        try await remove([idempotencyKey])
    }

    func remove(_ idempotencyKeys: [String]) async throws {
        guard !idempotencyKeys.isEmpty else { return }
        try await store.execute("DELETE FROM notify_jobs WHERE idempotency_key = ANY(\(idempotencyKeys))")
    }

}
