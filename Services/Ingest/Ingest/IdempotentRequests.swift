import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import VOCBlob
import VOCStore

/// Runs a request at most once per `Idempotency-Key` and gateway: a retry gets the first
/// answer (with `Idempotent-Replayed: true`) and produces no second event.
struct IdempotentRequests: Sendable {
    let store: IdempotencyStore
    let retryAfterSeconds: Int

    /// The key a request carries, checked.
    /// - Throws: ``AnswerError`` with the `400` to send for a malformed key.
    static func key(of request: Request) throws(AnswerError) -> String? {
        guard let key = request.headers[.idempotencyKey] else { return nil }
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
            throw AnswerError(Answer.problem(
                status: 400, type: "invalid-header", title: "Invalid header",
                detail: "Idempotency-Key must be 1-255 visible ASCII characters", field: "Idempotency-Key"))
        }
        return key
    }

    /// What identifies "the same request": method, path and the body's SHA-256 (for
    /// streamed uploads, method and path only, since their bytes are not read twice).
    static func fingerprint(_ request: Request, body: [UInt8]?) -> String {
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue) \(request.uri.path)\n".utf8))
        if let body { hasher.update(data: body) }
        return Array(hasher.finalize()).hexString
    }

    /// Runs `body` unless this key already has an answer.
    /// The fingerprint hashes the whole body, so it is computed only when there is a key.
    func run(key: String?, gateway: String, fingerprint: @autoclosure () -> String, logger: Logger,
             _ body: () async throws -> Answer) async throws -> Answer {
        guard let key else { return try await body() }
        let fingerprint = fingerprint()
        let claim: IdempotencyStore.Claim
        do {
            claim = try await store.claim(gateway: gateway, key: key, fingerprint: fingerprint)
        } catch {
            logger.warning("idempotency store unavailable", metadata: ["error": "\(String(reflecting: error))"])
            return Answer.unavailable("the idempotency store is unavailable; retry after the indicated delay", retryAfter: retryAfterSeconds)
        }
        switch claim {
        case .replay(let stored):
            var answer = Answer(status: stored.status, contentType: stored.contentType, body: stored.body)
            for (name, value) in stored.headers {
                if let field = HTTPField.Name(name) { answer.headers[field] = value }
            }
            answer.headers[.idempotentReplayed] = "true"
            return answer
        case .inProgress:
            return Answer.problem(status: 409, type: "idempotency-in-progress", title: "Request in progress",
                                  detail: "a request with this Idempotency-Key is still being processed; retry later",
                                  field: "Idempotency-Key", headers: [.retryAfter: "1"])
        case .mismatch:
            return Answer.problem(status: 422, type: "idempotency-key-reused", title: "Idempotency-Key reused",
                                  detail: "this Idempotency-Key was used for a different request", field: "Idempotency-Key")
        case .proceed:
            let answer: Answer
            do {
                answer = try await body()
            } catch {
                try? await store.release(gateway: gateway, key: key)
                throw error
            }
            do {
                if answer.isFinal {
                    var headers: [String: String] = [:]
                    for field in answer.headers { headers[field.name.rawName] = field.value }
                    try await store.complete(gateway: gateway, key: key, answer: .init(
                        status: answer.status, contentType: answer.contentType, headers: headers, body: answer.body))
                } else {
                    try await store.release(gateway: gateway, key: key)
                }
            } catch {
                // The event is out; a retry would find the key pending and get 409, then
                // (after expiry) run again with the same derived id, which consumers dedupe.
                logger.warning("could not store the idempotent answer", metadata: ["error": "\(String(reflecting: error))"])
            }
            return answer
        }
    }
}

/// An answer carried through `throws`, so that request parsing helpers can stop a handler
/// with the response to send.
struct AnswerError: Error {
    var answer: Answer
    init(_ answer: Answer) { self.answer = answer }

    /// Runs a handler, turning an ``AnswerError`` into its response.
    static func catching(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch let error as AnswerError {
            return error.answer.response
        }
    }
}
