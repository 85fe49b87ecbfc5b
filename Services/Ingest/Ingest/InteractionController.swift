import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import VOCKafka
import VOCRuntime
import VOCSchema

/// `POST /v1/interactions`: one contact in, `202` once the broker holds it.
struct InteractionController<Context: RequestContext>: Sendable {
    let publisher: EventPublisher
    let configuration: IngestConfiguration
    let accepted = Counter(label: "voc_ingest_interactions_total", dimensions: [("outcome", "accepted")])
    let rejected = Counter(label: "voc_ingest_interactions_total", dimensions: [("outcome", "rejected")])
    let unavailable = Counter(label: "voc_ingest_interactions_total", dimensions: [("outcome", "unavailable")])

    func addRoutes(to router: Router<Context>) {
        router.post("/v1/interactions") { request, context in
            try await self.create(request, context: context)
        }
    }

    struct Accepted: Encodable {
        var interactionId: String
        var status = "accepted"
    }

    func create(_ request: Request, context: Context) async throws -> Response {
        var request = request
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: configuration.maxBodyBytes)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            rejected.increment()
            return HTTPResponses.problem(Problem(
                type: "/problems/too-large", title: "Request too large", status: 413,
                detail: "the body must be at most \(configuration.maxBodyBytes) bytes"))
        }
        let event: InteractionReceived
        do {
            event = try InteractionSubmission.decode(from: body.readableBytesView).validated(
                interactionId: UUID().uuidString.lowercased(),
                gatewayId: request.headers[.gatewayID],
                receivedAt: Date(), limits: configuration.limits)
        } catch {
            rejected.increment()
            return HTTPResponses.problem(Problem(validation: error, subject: "interaction"))
        }
        do {
            let encoded = try publisher.encode(event, traceparent: TraceContext.child(of: request.headers[.traceparent]))
            _ = try await publisher.enqueue(encoded).delivered()
        } catch let error as KafkaError {
            unavailable.increment()
            context.logger.warning("interaction not accepted", metadata: [LogKey.error: "\(error)"])
            guard error.isRetriable else {
                // The broker refused this record for good (e.g. larger than the topic
                // allows): retrying cannot help, so this is not a 503.
                return HTTPResponses.problem(Problem(
                    type: "/problems/broker-refused", title: "Interaction not stored", status: 500,
                    detail: "the event broker refused the interaction: \(error.message)"))
            }
            let detail = error.code == .queueFull
                ? "ingest is at capacity; retry after the indicated delay"
                : "the event broker did not acknowledge in time; retry after the indicated delay"
            return HTTPResponses.problem(
                Problem(type: "/problems/unavailable", title: "Service unavailable", status: 503, detail: detail),
                headers: [.retryAfter: "\(configuration.retryAfterSeconds)"])
        }
        accepted.increment()
        return HTTPResponses.json(Accepted(interactionId: event.interactionId), status: .accepted)
    }
}

extension HTTPField.Name {
    /// Which gateway sent the request (until API keys identify gateways).
    static let gatewayID = Self("X-Gateway-Id")!
    static let traceparent = Self("traceparent")!
}
