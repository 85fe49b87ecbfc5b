import Foundation
import HTTPTypes
import Hummingbird
import VOCKafka
import VOCRuntime
import VOCSchema

/// A response as bytes, so that an idempotent request can store it and send it again.
struct Answer: Sendable {
    var status: Int
    var contentType: String
    var body: [UInt8]
    var headers: HTTPFields = [:]

    static func json<T: Encodable>(_ value: T, status: Int) -> Answer {
        Answer(status: status, contentType: "application/json", body: HTTPResponses.bytes(of: value))
    }

    static func problem(_ problem: Problem, headers: HTTPFields = [:]) -> Answer {
        Answer(status: problem.status, contentType: "application/problem+json", body: HTTPResponses.bytes(of: problem), headers: headers)
    }

    static func problem(status: Int, type: String, title: String, detail: String, field: String? = nil,
                        headers: HTTPFields = [:]) -> Answer {
        problem(Problem(type: "/problems/\(type)", title: title, status: status, detail: detail,
                        errors: field.map { [FieldProblem(field: $0, problem: detail)] }), headers: headers)
    }

    var response: Response {
        var fields = headers
        fields[.contentType] = contentType
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// Whether a retry with the same key should get this answer again rather than run
    /// again: everything but server-side trouble and back-pressure.
    var isFinal: Bool { status < 500 && status != 429 }
}

extension Answer {
    static func unauthorized(_ detail: String) -> Answer {
        problem(status: 401, type: "unauthorized", title: "Unauthorized", detail: detail, field: "Authorization",
                headers: [.wwwAuthenticate: "Bearer realm=\"voc-ingest\""])
    }

    static func forbidden(_ detail: String, field: String) -> Answer {
        problem(status: 403, type: "forbidden", title: "Forbidden", detail: detail, field: field)
    }

    static func rateLimited(retryAfter: Int, gateway: String) -> Answer {
        problem(status: 429, type: "rate-limited", title: "Too many requests",
                detail: "gateway \(gateway) is over its rate limit; retry after \(retryAfter) s",
                headers: [.retryAfter: "\(retryAfter)"])
    }

    static func tooLarge(limit: Int64, field: String) -> Answer {
        problem(status: 413, type: "too-large", title: "Request too large",
                detail: "\(field) must be at most \(limit) bytes", field: field)
    }

    static func unsupportedMedia(_ detail: String, field: String) -> Answer {
        problem(status: 415, type: "unsupported-media", title: "Unsupported media type", detail: detail, field: field)
    }

    static func invalid(_ error: ValidationError, subject: String) -> Answer {
        problem(Problem(validation: error, subject: subject))
    }

    /// How a failed produce is told to the gateway: `503` + `Retry-After` when waiting
    /// helps, `500` when the broker refused the record for good.
    static func brokerFailure(_ error: KafkaError, retryAfter: Int) -> Answer {
        guard error.isRetriable else {
            return problem(status: 500, type: "broker-refused", title: "Interaction not stored",
                           detail: "the event broker refused the interaction: \(error.message)")
        }
        let detail = error.code == .queueFull
            ? "ingest is at capacity; retry after the indicated delay"
            : "the event broker did not acknowledge in time; retry after the indicated delay"
        return problem(status: 503, type: "unavailable", title: "Service unavailable", detail: detail,
                       headers: [.retryAfter: "\(retryAfter)"])
    }

    static func unavailable(_ detail: String, retryAfter: Int) -> Answer {
        problem(status: 503, type: "unavailable", title: "Service unavailable", detail: detail,
                headers: [.retryAfter: "\(retryAfter)"])
    }
}

extension HTTPField.Name {
    /// Which gateway sent the request, when no keys are configured (development).
    static let gatewayID = Self("X-Gateway-Id")!
    static let apiKey = Self("X-Api-Key")!
    static let idempotencyKey = Self("Idempotency-Key")!
    static let idempotentReplayed = Self("Idempotent-Replayed")!
    static let traceparent = Self("traceparent")!
}
