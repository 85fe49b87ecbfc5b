import Foundation

/// The result of one attempt to hand a message to a receiver.
struct Attempt: Sendable, Equatable {
    enum Verdict: Sendable, Equatable {
        case delivered
        /// 5xx, 408, 429, a timeout or a refused connection: worth another try.
        case transient
        /// The receiver will never take it (4xx, a bad signature, no address).
        case permanent
        /// `410 Gone`: the endpoint asks to be forgotten.
        case gone
        /// The robot's own limit: hold it for the next digest.
        case rateLimited
    }

    var verdict: Verdict
    var status: Int?
    var answer: String?
    var error: String?
    var retryAfter: Duration?

    static func permanent(_ error: String, status: Int? = nil, answer: String? = nil) -> Attempt {
        Attempt(verdict: .permanent, status: status, answer: answer, error: error)
    }

    static func transient(_ error: String, status: Int? = nil, answer: String? = nil, retryAfter: Duration? = nil) -> Attempt {
        Attempt(verdict: .transient, status: status, answer: answer, error: error, retryAfter: retryAfter)
    }

    /// The verdict an HTTP status alone gives.
    static func classify(status: Int, answer: String, retryAfter: Duration?) -> Attempt {
        switch status {
        case 200..<300: Attempt(verdict: .delivered, status: status, answer: answer)
        case 410: Attempt(verdict: .gone, status: status, answer: answer, error: "endpoint answered 410 Gone; disabled")
        case 408, 425, 429, 500...599:
            .transient("receiver answered \(status)", status: status, answer: answer, retryAfter: retryAfter)
        default: .permanent("receiver answered \(status)", status: status, answer: answer)
        }
    }

    /// `Retry-After` in seconds (an HTTP date is read too).
    static func retryAfter(_ header: String?) -> Duration? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        if let seconds = Int(header) { return .seconds(max(0, seconds)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: header) else { return nil }
        return .milliseconds(max(0, Int(date.timeIntervalSinceNow * 1000)))
    }
}

extension String {
    /// At most `limit` characters, for answers kept in the ledger and the outcome.
    func clipped(_ limit: Int = 1000) -> String {
        count <= limit ? self : String(prefix(limit)) + "…"
    }
}
