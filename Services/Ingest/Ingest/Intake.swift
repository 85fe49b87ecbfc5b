import Foundation
import Hummingbird
import Logging
import Metrics
import VOCFastJSON
import VOCKafka
import VOCRuntime
import VOCSchema

/// What every ingest endpoint shares: permission and rate checks, idempotency, and
/// publishing with the broker's acknowledgement awaited.
struct Intake: Sendable {
    let publisher: EventPublisher
    let configuration: IngestConfiguration
    let idempotency: IdempotentRequests
    let limiter: RateLimiter


    func count(_ outcome: String, _ amount: Int = 1) {
        Counter(label: "voc_ingest_interactions_total", dimensions: [("outcome", outcome)]).increment(by: amount)
    }

    /// `429` when the gateway is over its rate for `cost` interactions.
    func admit(_ gateway: GatewayIdentity, cost: Int = 1) -> Answer? {
        guard case .limited(let retryAfter) = limiter.admit(gateway, cost: Double(cost)) else { return nil }
        count("limited", cost)
        return Answer.rateLimited(retryAfter: retryAfter, gateway: gateway.id)
    }

    /// `403` when the gateway may not submit this channel.
    func permit(_ gateway: GatewayIdentity, channel: Channel) -> Answer? {
        guard !gateway.channels.contains(channel) else { return nil }
        count("rejected")
        return Answer.forbidden(
            "gateway \(gateway.id) may not submit channel \(channel.rawValue) (allowed: \(gateway.channels.map(\.rawValue).sorted().joined(separator: ", ")))",
            field: "channel")
    }

    /// The id of an interaction without an `externalId`: derived from the idempotency key
    /// when there is one, so even a retry that outlives the stored answer keeps its id.
    func interactionID(gateway: String, idempotencyKey: String?, line: Int? = nil) -> String {
        guard let idempotencyKey else { return UUIDText.random() }
        return StableID.make("interaction", gateway, "idempotency", idempotencyKey, line.map(String.init) ?? "")
    }

    /// How a submission arrived, which decides what it may carry.
    enum Form: Equatable {
        /// `POST /v1/interactions` with JSON: text, utterances, or a recording announced.
        case single
        /// The `metadata` part of a multipart upload: the recording is the other part.
        case multipart
        /// Line `offset` (0-based) of an NDJSON batch: no recordings.
        case batchLine(Int)
    }

    /// Decodes a gateway's submission and turns it into its event.
    /// - Throws: ``ValidationError`` naming every field at fault.
    func event(from bytes: some Collection<UInt8>, form: Form, gateway: GatewayIdentity, idempotencyKey: String?,
               receivedAt: Date = Date()) throws(ValidationError) -> (InteractionSubmission, InteractionReceived) {
        let submission = try InteractionSubmission.scanOrDecode(from: bytes)
        var line: Int?
        if case .batchLine(let offset) = form {
            line = offset
            if submission.audio != nil {
                throw ValidationError(kind: .invalid, problems: [FieldProblem(
                    field: "audio", problem: "recordings cannot be batched; upload each with POST /v1/interactions")])
            }
        }
        let event = try submission.validated(
            interactionId: interactionID(gateway: gateway.id, idempotencyKey: idempotencyKey, line: line),
            gatewayId: gateway.id, receivedAt: receivedAt, limits: configuration.limits, recording: form == .multipart)
        return (submission, event)
    }

    /// Publishes and waits for the acknowledgement; the answer is `nil` on success.
    func publish(_ event: some VOCEvent, request: Request, logger: Logger) async -> Answer? {
        do {
            let encoded = try publisher.encode(event, traceparent: TraceContext.child(of: request.headers[.traceparent]))
            _ = try await publisher.enqueue(encoded).delivered()
            return nil
        } catch let error as KafkaError {
            count("unavailable")
            logger.warning("event not accepted by the broker", metadata: [LogKey.error: "\(error)"])
            return Answer.brokerFailure(error, retryAfter: configuration.retryAfterSeconds)
        } catch {
            count("rejected")
            logger.error("event could not be encoded", metadata: [LogKey.error: "\(error)"])
            return Answer.problem(status: 500, type: "internal", title: "Internal error", detail: "the event could not be encoded")
        }
    }

    /// Reads a whole body.
    /// - Throws: ``AnswerError`` with the `413` to send past `limit`.
    func collect(_ request: Request, limit: Int, field: String = "body") async throws -> [UInt8] {
        var request = request
        do {
            let buffer = try await request.collectBody(upTo: limit)
            return Array(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            count("rejected")
            throw AnswerError(Answer.tooLarge(limit: Int64(limit), field: field))
        }
    }
}
